"""Source records (provenance of every imported value) and import batches."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import JSONType, UTCDateTime, utcnow

BATCH_STATUSES = ("queued", "running", "finished", "failed")


class ImportBatch(db.Model):
    """One run of an importer over one or more files (or one harvest), with progress and counts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(32), index=True)
    locations: Mapped[list] = mapped_column(JSONType, default=list)
    status: Mapped[str] = mapped_column(sa.Enum(*BATCH_STATUSES, name="batch_status", native_enum=False),
                                        default="queued")
    processed: Mapped[int] = mapped_column(default=0)
    new: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    merged: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    deleted: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    #: Progress in input lines (read so far / in all files); 0 total when unknown (harvests).
    progress_done: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    progress_total: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    errors: Mapped[list] = mapped_column(JSONType, default=list)
    message: Mapped[str | None] = mapped_column(sa.Text)
    job_id: Mapped[str | None] = mapped_column(sa.String(64))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    started_at = mapped_column(UTCDateTime)
    finished_at = mapped_column(UTCDateTime)

    @property
    def done(self) -> bool:
        return self.status in ("finished", "failed")

    def summary(self) -> str:
        """One line: new / updated / merged / unchanged / (deleted) / failed."""
        deleted = f"{self.deleted} deleted, " if self.deleted else ""
        return (f"{self.new} new, {self.updated} updated, {self.merged} merged, "
                f"{self.unchanged} unchanged, {deleted}{self.failed} failed")


class SourceRecord(db.Model):
    """One revision of one record as a source delivered it, with where it came from.

    (source, source_id) names the record in its source; each changed delivery adds a revision and the
    newest is ``is_current``. Same source id + same content hash = nothing to do.
    """

    __table_args__ = (sa.UniqueConstraint("source", "source_id", "revision"),
                      sa.Index("ix_source_record_current", "source", "source_id", "is_current"))

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(32))
    source_id: Mapped[str] = mapped_column(sa.String(255))
    revision: Mapped[int] = mapped_column(default=1)
    is_current: Mapped[bool] = mapped_column(default=True)
    work_id: Mapped[int | None] = mapped_column(sa.ForeignKey("work.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_batch.id"), index=True)
    file: Mapped[str | None] = mapped_column(sa.Text)
    line: Mapped[int | None]
    raw: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict] = mapped_column(JSONType)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    deleted: Mapped[bool] = mapped_column(default=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    work = relationship("Work", back_populates="source_records")
    batch = relationship("ImportBatch")
