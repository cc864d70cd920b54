"""Works (publications, theses, patents), their identifiers and venues."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocabulary import WORK_STATUSES, kind_of
from ._base import JSONType, UTCDateTime, utcnow


class Venue(db.Model):
    """A journal, proceedings, book series or newspaper."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str | None] = mapped_column(sa.String(500))
    abbrev: Mapped[str | None] = mapped_column(sa.String(255))
    issn: Mapped[str | None] = mapped_column(sa.String(9), index=True)
    eissn: Mapped[str | None] = mapped_column(sa.String(9), index=True)
    isbn: Mapped[str | None] = mapped_column(sa.String(17))
    publisher: Mapped[str | None] = mapped_column(sa.String(500))
    cn: Mapped[str | None] = mapped_column(sa.String(32))
    title_key: Mapped[str] = mapped_column(sa.String(500), index=True)


class Work(db.Model):
    """One work as Zhiku publishes it: the merge of its source records plus human overrides.

    ``datestamp`` is when its public record last changed, the OAI-PMH datestamp (kept by
    ``repository.models.datestamp``); ``updated_at`` is when its row last changed. A withdrawn or merged-away
    Work keeps its row with ``deleted`` set (a persistent tombstone) and, when merged, ``merged_into_id``.
    """

    __table_args__ = (
        # keyset pages of OAI-PMH lists: ORDER BY datestamp, id after the last (datestamp, id) sent
        sa.Index("ix_work_datestamp_id", "datestamp", "id"),
        # every column that decides whether a work is public: counting the public works (OAI-PMH's
        # completeListSize) reads this small index alone instead of the wide rows
        sa.Index("ix_work_exposure", "status", "deleted", "merged_into_id", "embargo_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(sa.String(32), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16), index=True)
    title: Mapped[str] = mapped_column(sa.Text)
    title_alt: Mapped[str | None] = mapped_column(sa.Text)
    language: Mapped[str | None] = mapped_column(sa.String(3))
    year: Mapped[int | None] = mapped_column(index=True)
    published: Mapped[str | None] = mapped_column(sa.String(10))
    early_access: Mapped[str | None] = mapped_column(sa.String(10))
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venue.id"), index=True)
    volume: Mapped[str | None] = mapped_column(sa.String(64))
    issue: Mapped[str | None] = mapped_column(sa.String(64))
    pages: Mapped[str | None] = mapped_column(sa.String(64))
    article_number: Mapped[str | None] = mapped_column(sa.String(64))
    doi: Mapped[str | None] = mapped_column(sa.String(255), index=True)
    abstract: Mapped[str | None] = mapped_column(sa.Text)
    abstract_alt: Mapped[str | None] = mapped_column(sa.Text)
    keywords: Mapped[list] = mapped_column(JSONType, default=list)
    subjects: Mapped[list] = mapped_column(JSONType, default=list)
    funding: Mapped[list] = mapped_column(JSONType, default=list)
    funding_text: Mapped[str | None] = mapped_column(sa.Text)
    cited_by: Mapped[dict] = mapped_column(JSONType, default=dict)
    indexed_in: Mapped[list] = mapped_column(JSONType, default=list)
    thesis: Mapped[dict | None] = mapped_column(JSONType)
    conference: Mapped[dict | None] = mapped_column(JSONType)
    patent: Mapped[dict | None] = mapped_column(JSONType)
    #: For each merged field, the source it was taken from ("wos", "cnki", "override"...).
    provenance: Mapped[dict] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(sa.Enum(*WORK_STATUSES, name="work_status", native_enum=False),
                                        default="candidate", index=True)
    embargo_until: Mapped[dt.date | None] = mapped_column(sa.Date)
    deleted: Mapped[bool] = mapped_column(default=False, index=True)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("work.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False, index=True)
    datestamp = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    venue = relationship("Venue")
    identifiers = relationship("Identifier", back_populates="work", cascade="all, delete-orphan")
    authorships = relationship("Authorship", back_populates="work", cascade="all, delete-orphan",
                               order_by="Authorship.position")
    source_records = relationship("SourceRecord", back_populates="work",
                                  primaryjoin="and_(Work.id == SourceRecord.work_id, SourceRecord.is_current)",
                                  viewonly=True)
    overrides = relationship("FieldOverride", back_populates="work", cascade="all, delete-orphan")

    def set_type(self, work_type: str) -> None:
        """Set the type and the kind (publication, thesis, patent) that follows from it."""
        self.type = work_type
        self.kind = kind_of(work_type)


class Identifier(db.Model):
    """A persistent identifier of a Work; one (scheme, value) belongs to exactly one Work."""

    __table_args__ = (sa.UniqueConstraint("scheme", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(sa.ForeignKey("work.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(sa.String(32))
    value: Mapped[str] = mapped_column(sa.String(255))
    source: Mapped[str | None] = mapped_column(sa.String(32))

    work = relationship("Work", back_populates="identifiers")
