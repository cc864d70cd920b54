"""completeListSize: the exact size of a list, counted once per state of the repository.

Counting a list reads one index entry per exposed work, however narrow the index: at 1,000,000 works that
is ~100 ms, several times the cost of a page. Lists do not change between harvests nearly as often as they are asked
for, so the sizes are kept in process memory, keyed on the list's SQL condition (its compiled text and
parameters: the set's unit ids, the from/until bounds and today's date, on which embargoes end) and valid
for one works revision (``repository.models.revision``), which every committed change to a public record
moves. A size is therefore exact: the first list request after a change counts, the others read one row.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from repository.extensions import db

from . import queries

CAPACITY = 256  # lists remembered (LRU); a list is a format's kinds x set x from/until


class ListSizes:
    """Sizes of lists by condition, each valid for the works revision it was counted at."""

    def __init__(self, capacity: int = CAPACITY):
        self.capacity = capacity
        self._sizes: OrderedDict[tuple, tuple[int, int]] = OrderedDict()
        self._lock = threading.Lock()

    def size(self, condition) -> int:
        """How many works match *condition* now: from the cache when nothing changed since it was counted."""
        key = _key(condition)
        revision = queries.works_revision()
        with self._lock:
            cached = self._sizes.get(key)
            if cached is not None and revision is not None and cached[0] == revision:
                self._sizes.move_to_end(key)
                return cached[1]
        revision, total = queries.count_at_revision(condition)
        if revision is not None:
            with self._lock:
                self._sizes[key] = (revision, total)
                self._sizes.move_to_end(key)
                while len(self._sizes) > self.capacity:
                    self._sizes.popitem(last=False)
        return total


def _key(condition) -> tuple:
    compiled = condition.compile(dialect=db.session.get_bind().dialect)
    return compiled.string, repr(sorted(compiled.params.items()))
