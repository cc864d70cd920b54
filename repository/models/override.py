"""Field overrides: curator or faculty edits of a Work that survive every re-import."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import JSONType, UTCDateTime, utcnow


class FieldOverride(db.Model):
    __table_args__ = (sa.UniqueConstraint("work_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(sa.ForeignKey("work.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(sa.String(64))
    value = mapped_column(JSONType)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    work = relationship("Work", back_populates="overrides")
