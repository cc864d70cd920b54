"""What the pipeline stages read from the database, fetched once per chunk of records.

Importing one record asks four questions of the database: is this source record already stored, which
Work holds these identifiers, which Works could it duplicate (the dedup candidates), which Venue is this
journal. Asking them record by record costs a round trip each; :meth:`Lookups.prefetch` answers them for a
whole chunk in a few queries, and the stages then read (and, for what they create, write) the in-memory
answers. Within a chunk the maps are the truth: a record later in the chunk sees the Work, identifiers,
dedup profile and venue an earlier record created.
"""
from __future__ import annotations

import re
from typing import Iterable

import sqlalchemy as sa

from ..dedup.blocking import blocking_keys
from ..dedup.index import candidates
from ..dedup.profile import Profile, record_profile
from ..extensions import db
from ..models import Identifier, SourceRecord, Venue, Work
from .resolve import live_work, record_identifiers

_NON_WORD = re.compile(r"\W+")


def venue_title_key(data: dict) -> str:
    """The normalized title a venue is known by when it has no ISSN (ISBN for a book)."""
    return _NON_WORD.sub(" ", data.get("title") or data.get("isbn") or "").strip().lower()


def _venue_issns(data: dict) -> list[str]:
    return [data[column] for column in ("issn", "eissn") if data.get(column)]


class Lookups:
    """In-memory answers for one chunk; :meth:`clear` after the chunk commits or rolls back."""

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        """Forget everything (objects may be expired or expunged once the chunk is over)."""
        self._source_rows: dict[tuple[str, str], SourceRecord | None] = {}
        self._owners: dict[tuple[str, str], Work | int | None] = {}
        self._venues_by_issn: dict[str, Venue] = {}
        self._venues_by_title: dict[tuple[str, str | None], Venue] = {}
        self._venue_issns_seen: set[str] = set()
        self._venue_titles_seen: set[str] = set()
        self._pools: dict[tuple[str, str], dict[int, Profile]] = {}
        self._profiles: dict[tuple[str, str], Profile] = {}
        #: Works created in this chunk, with their profiles; a candidate pool names them by -(index + 1).
        self._new_works: list[tuple[Work, Profile]] = []
        self._new_work_keys: dict[str, list[int]] = {}

    def prefetch(self, records: Iterable[dict]) -> None:
        """Load, in one query per question, what the stages will ask about *records*."""
        records = list(records)
        self._prefetch_source_rows(records)
        self._prefetch_owners(records)
        self._prefetch_candidates(records)
        self._prefetch_venues([r["venue"] for r in records if r.get("venue")])

    def _prefetch_source_rows(self, records: list[dict]) -> None:
        wanted: dict[str, set[str]] = {}
        for record in records:
            wanted.setdefault(record["source"], set()).add(record["source_id"])
        for source, source_ids in wanted.items():
            for source_id in source_ids:
                self._source_rows.setdefault((source, source_id), None)
            rows = db.session.execute(sa.select(SourceRecord).where(
                SourceRecord.source == source, SourceRecord.source_id.in_(source_ids),
                SourceRecord.is_current.is_(True))).scalars()
            for row in rows:
                self._source_rows[(source, row.source_id)] = row

    def _prefetch_owners(self, records: list[dict]) -> None:
        self._load_owners({pair for record in records for pair in record_identifiers(record)})

    def _load_owners(self, pairs: set[tuple[str, str]]) -> None:
        pairs = pairs - self._owners.keys()
        if not pairs:
            return
        for pair in pairs:
            self._owners[pair] = None
        rows = db.session.execute(sa.select(Identifier.scheme, Identifier.value, Identifier.work_id).where(
            sa.tuple_(Identifier.scheme, Identifier.value).in_(sorted(pairs))))
        for scheme, value, work_id in rows:
            self._owners[(scheme, value)] = work_id

    def _prefetch_candidates(self, records: list[dict]) -> None:
        """Dedup candidates of the records that will be resolved: new to Zhiku, no identifier known."""
        unknown = [record for record in records if "title" in record
                   and self._source_rows.get((record["source"], record["source_id"])) is None
                   and not any(self._owners.get(pair) for pair in record_identifiers(record))]
        if not unknown:
            return
        for record, pool in zip(unknown, candidates([self.profile(record) for record in unknown])):
            self._pools[(record["source"], record["source_id"])] = pool

    def _prefetch_venues(self, venues: list[dict]) -> None:
        issns = {issn for data in venues for issn in _venue_issns(data)} - self._venue_issns_seen
        title_keys = {key for key in map(venue_title_key, venues) if key} - self._venue_titles_seen
        if not issns and not title_keys:
            return
        self._venue_issns_seen |= issns
        self._venue_titles_seen |= title_keys
        rows = db.session.execute(sa.select(Venue).where(sa.or_(
            Venue.issn.in_(issns), Venue.eissn.in_(issns), Venue.title_key.in_(title_keys)))).scalars()
        for venue in rows:
            self.remember_venue(venue)

    # -- source records ---------------------------------------------------------------------------------
    def current_source_row(self, source: str, source_id: str) -> SourceRecord | None:
        """The current revision of a source record (prefetched, or queried when outside a chunk)."""
        if (source, source_id) not in self._source_rows:
            self._prefetch_source_rows([{"source": source, "source_id": source_id}])
        return self._source_rows[(source, source_id)]

    def remember_source_row(self, row: SourceRecord) -> None:
        self._source_rows[(row.source, row.source_id)] = row

    # -- identifiers ------------------------------------------------------------------------------------
    def owners(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], Work | int | None]:
        """The Work (object, or id when only stored) holding each identifier, None when free."""
        self._load_owners(set(pairs))
        return {pair: self._owners[pair] for pair in pairs}

    def remember_owner(self, pair: tuple[str, str], work: Work) -> None:
        self._owners[pair] = work

    # -- dedup candidates -------------------------------------------------------------------------------
    def profile(self, record: dict) -> Profile:
        """The record's dedup profile, computed once per chunk."""
        key = (record["source"], record["source_id"])
        if key not in self._profiles:
            self._profiles[key] = record_profile(record)
        return self._profiles[key]

    def candidates(self, record: dict, profile: Profile) -> dict[int, Profile]:
        """The Works *record* could duplicate: stored ones by id, ones created in this chunk by -(index + 1)."""
        pool = self._pools.get((record["source"], record["source_id"]))
        pool = dict(candidates([profile])[0] if pool is None else pool)
        for index in {i for key in blocking_keys(profile) for i in self._new_work_keys.get(key, ())}:
            pool[-(index + 1)] = self._new_works[index][1]
        return pool

    def candidate_work(self, key: int) -> Work | None:
        """The Work a candidate key names (see :meth:`candidates`)."""
        return self._new_works[-key - 1][0] if key < 0 else live_work(key)

    def remember_new_work(self, work: Work, profile: Profile) -> None:
        """A Work created in this chunk: later records of the chunk may be duplicates of it."""
        index = len(self._new_works)
        self._new_works.append((work, profile))
        for key in blocking_keys(profile):
            self._new_work_keys.setdefault(key, []).append(index)

    # -- venues -----------------------------------------------------------------------------------------
    def find_venue(self, data: dict) -> Venue | None:
        """The stored (or created in this chunk) Venue for a record's venue data, by ISSN then title."""
        self._prefetch_venues([data])
        for issn in _venue_issns(data):
            if issn in self._venues_by_issn:
                return self._venues_by_issn[issn]
        return self._venues_by_title.get((venue_title_key(data), data.get("issn")))

    def remember_venue(self, venue: Venue) -> None:
        for issn in (venue.issn, venue.eissn):
            if issn:
                self._venues_by_issn.setdefault(issn, venue)
        if venue.title_key:
            self._venues_by_title.setdefault((venue.title_key, venue.issn), venue)
