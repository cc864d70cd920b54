"""Admin-defined collections of works; the OAI-PMH provider publishes each one as a set."""
from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from ._base import UTCDateTime, utcnow

#: One OAI-PMH setSpec segment (the spec's unreserved characters), so a collection's spec is usable as is.
SPEC_PATTERN = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")

collection_work = db.Table(
    "collection_work",
    sa.Column("collection_id", sa.ForeignKey("collection.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("work_id", sa.ForeignKey("work.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Collection(db.Model):
    """A curated group of works (a special issue, a research theme, a donation) with zh and en names."""

    id: Mapped[int] = mapped_column(primary_key=True)
    spec: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name_zh: Mapped[str | None] = mapped_column(sa.String(255))
    name_en: Mapped[str | None] = mapped_column(sa.String(255))
    description: Mapped[str | None] = mapped_column(sa.Text)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    works = relationship("Work", secondary=collection_work, lazy="dynamic")

    @validates("spec")
    def _check_spec(self, _key, value: str) -> str:
        if not value or not SPEC_PATTERN.match(value):
            raise ValueError(f"collection spec {value!r} may only hold letters, digits and -_.!~*'()")
        return value

    @property
    def display_name(self) -> str:
        return self.name_zh or self.name_en or self.spec
