"""The audit trail: who changed what, from what to what, when."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._base import JSONType, UTCDateTime, utcnow


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    actor: Mapped[str] = mapped_column(sa.String(128))  # "user:3", "import:12", "cli", "system"
    action: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str] = mapped_column(sa.String(64))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    before = mapped_column(JSONType)
    after = mapped_column(JSONType)

    __table_args__ = (sa.Index("ix_audit_event_object", "object_type", "object_id"),)


def record_audit(actor: str, action: str, obj, before=None, after=None) -> AuditEvent:
    """Add an AuditEvent for *obj* (a model instance, flushed so it has an id) to the session."""
    event = AuditEvent(actor=actor, action=action, object_type=type(obj).__tablename__,
                       object_id=str(obj.id) if obj.id is not None else None, before=before, after=after)
    db.session.add(event)
    return event
