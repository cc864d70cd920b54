"""Which installed plugins an admin has enabled or disabled."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._base import UTCDateTime, utcnow


class PluginSetting(db.Model):
    """A plugin absent from this table is enabled: installing a plugin is the admin's first consent."""

    name: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)
