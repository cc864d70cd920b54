"""Works whose search index update failed and must be retried (the search server was down)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._base import UTCDateTime, utcnow


class SearchPending(db.Model):
    """One Work to reindex (or remove from the index, if it is a tombstone by then).

    No foreign key: the row must outlive even a hard-deleted Work, so its removal still reaches the index.
    """

    work_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    attempts: Mapped[int] = mapped_column(default=1)
    error: Mapped[str | None] = mapped_column(sa.Text)
    queued_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
