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


def _audit_row(actor: str, action: str, obj, before, after) -> dict:
    return {"actor": actor, "action": action, "object_type": type(obj).__tablename__,
            "object_id": str(obj.id) if obj.id is not None else None, "before": before, "after": after}


def record_audit(actor: str, action: str, obj, before=None, after=None) -> AuditEvent:
    """Add an AuditEvent for *obj* (a model instance, flushed so it has an id) to the session."""
    event = AuditEvent(**_audit_row(actor, action, obj, before, after))
    db.session.add(event)
    return event


def record_audits(actor: str, entries: list[tuple]) -> None:
    """Write one AuditEvent per ``(action, obj, before, after)`` of *entries* in one statement (objects flushed)."""
    if entries:
        db.session.execute(sa.insert(AuditEvent), [_audit_row(actor, *entry) for entry in entries])
