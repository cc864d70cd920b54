"""The curation queue: decisions the machine was not sure enough to take alone.

Deduplication files "possible duplicate" tasks (two Works side by side); attribution files "uncertain
author/unit link" tasks (one Authorship and its candidates). A curator's decision closes the task and is
final: the stage that filed it must read closed tasks before deciding again (a pair kept apart never
re-merges; a rejected link never comes back).
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocabulary import CURATION_TASK_KINDS, CURATION_TASK_STATUSES
from ._base import JSONType, UTCDateTime, utcnow


class CurationTask(db.Model):
    """One open or decided question for a curator.

    ``subject_key`` identifies what the task is about independently of its id (e.g. ``"works:12:57"`` for
    a pair, ``"authorship:88"`` for an author line) so the filing stage can find an earlier decision and
    never files the same question twice while it is open.
    """

    __table_args__ = (sa.Index("ix_curation_task_kind_status", "kind", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.Enum(*CURATION_TASK_KINDS, name="curation_task_kind", native_enum=False))
    status: Mapped[str] = mapped_column(
        sa.Enum(*CURATION_TASK_STATUSES, name="curation_task_status", native_enum=False), default="open")
    subject_key: Mapped[str] = mapped_column(sa.String(255), index=True)
    work_id: Mapped[int | None] = mapped_column(sa.ForeignKey("work.id", ondelete="CASCADE"), index=True)
    other_work_id: Mapped[int | None] = mapped_column(sa.ForeignKey("work.id", ondelete="CASCADE"), index=True)
    authorship_id: Mapped[int | None] = mapped_column(sa.ForeignKey("authorship.id", ondelete="CASCADE"),
                                                      index=True)
    org_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id", ondelete="SET NULL"), index=True)
    score: Mapped[float | None]
    reason: Mapped[str] = mapped_column(sa.String(500))
    details: Mapped[dict] = mapped_column(JSONType, default=dict)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    decided_at = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(sa.String(255))

    work = relationship("Work", foreign_keys=[work_id])
    other_work = relationship("Work", foreign_keys=[other_work_id])
    authorship = relationship("Authorship")
    org_unit = relationship("OrgUnit")

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def decide(self, status: str, actor: str) -> None:
        """Close the task with *status* (accepted or rejected) on behalf of *actor*."""
        if status not in CURATION_TASK_STATUSES or status == "open":
            raise ValueError(f"not a decision: {status!r}")
        self.status, self.decided_by, self.decided_at = status, actor, utcnow()
