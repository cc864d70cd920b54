"""OAI-PMH harvest sources: remote repositories this one harvests, with their incremental state."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._base import UTCDateTime, utcnow

HARVEST_STATUSES = ("new", "running", "ok", "failed")


class HarvestSource(db.Model):
    """One remote list to harvest: base URL + metadata prefix + optional set.

    ``last_datestamp`` is the ``from`` of the next incremental harvest, in the remote's granularity: the
    responseDate of the last harvest that read its list to the end. None means "harvest everything".
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(sa.String(255))
    base_url: Mapped[str] = mapped_column(sa.String(1000))
    metadata_prefix: Mapped[str] = mapped_column(sa.String(64), default="oai_dc")
    set_spec: Mapped[str | None] = mapped_column(sa.String(255))
    enabled: Mapped[bool] = mapped_column(default=True)
    last_datestamp: Mapped[str | None] = mapped_column(sa.String(20))
    last_harvest_at = mapped_column(UTCDateTime)
    last_batch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_batch.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(sa.Enum(*HARVEST_STATUSES, name="harvest_status", native_enum=False),
                                        default="new")
    message: Mapped[str | None] = mapped_column(sa.Text)
    records_seen: Mapped[int] = mapped_column(default=0)
    deleted_seen: Mapped[int] = mapped_column(default=0)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
