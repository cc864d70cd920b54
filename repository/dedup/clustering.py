"""Clustering scored pairs into groups of one work each, honouring pairs that must stay apart."""
from __future__ import annotations

from collections.abc import Hashable, Iterable


def cluster(pairs: Iterable[tuple[Hashable, Hashable, float]],
            kept_apart: set[frozenset] = frozenset()) -> list[list]:
    """Group items linked by *pairs* ``(a, b, score)``, strongest links first.

    A link is refused when it would put two items of a *kept_apart* pair into one group, so a curator's
    "these are different" holds even against a chain of strong links (a~c, c~b with a, b kept apart).
    Returns the groups of two or more items, each sorted, largest first.
    """
    parent: dict = {}
    members: dict = {}

    def find(item):
        parent.setdefault(item, item)
        members.setdefault(item, [item])
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for first, second, _score in sorted(pairs, key=lambda p: -p[2]):
        root_a, root_b = find(first), find(second)
        if root_a == root_b:
            continue
        if kept_apart and any(frozenset((x, y)) in kept_apart for x in members[root_a] for y in members[root_b]):
            continue
        if len(members[root_a]) < len(members[root_b]):
            root_a, root_b = root_b, root_a
        parent[root_b] = root_a
        members[root_a].extend(members.pop(root_b))
    groups = [sorted(group) for root, group in members.items() if parent[root] == root and len(group) > 1]
    return sorted(groups, key=lambda g: (-len(g), g[0]))
