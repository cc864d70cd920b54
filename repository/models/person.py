"""People (staff and students), their unit memberships, and authorships of works."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocabulary import AUTHORSHIP_STATUSES
from ._base import JSONType

PERSON_KINDS = ("staff", "student")


class Person(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.Enum(*PERSON_KINDS, name="person_kind", native_enum=False))
    number: Mapped[str | None] = mapped_column(sa.String(64), unique=True)  # staff or student number
    name_zh: Mapped[str | None] = mapped_column(sa.String(128), index=True)
    name_en: Mapped[str | None] = mapped_column(sa.String(255))
    name_variants: Mapped[list] = mapped_column(JSONType, default=list)
    email: Mapped[str | None] = mapped_column(sa.String(255), index=True)
    orcid: Mapped[str | None] = mapped_column(sa.String(19), unique=True)
    researcher_id: Mapped[str | None] = mapped_column(sa.String(32), unique=True)

    memberships = relationship("Membership", back_populates="person", cascade="all, delete-orphan")

    @property
    def display_name(self) -> str:
        return self.name_zh or self.name_en or self.number or f"#{self.id}"


class Membership(db.Model):
    """A person's place in an org unit over a period (staff appointment, student enrolment)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    role: Mapped[str | None] = mapped_column(sa.String(64))
    valid_from: Mapped[dt.date | None] = mapped_column(sa.Date)
    valid_to: Mapped[dt.date | None] = mapped_column(sa.Date)

    person = relationship("Person", back_populates="memberships")
    org_unit = relationship("OrgUnit")


class Authorship(db.Model):
    """One author line of a Work and, once attributed, the person and unit it belongs to."""

    # Not unique on (work, position): re-imports reorder rows while keeping human decisions attached.
    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(sa.ForeignKey("work.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    raw_name: Mapped[str] = mapped_column(sa.String(500))
    name_original: Mapped[str | None] = mapped_column(sa.String(255))
    raw_affiliation: Mapped[str | None] = mapped_column(sa.Text)
    email: Mapped[str | None] = mapped_column(sa.String(255))
    orcid: Mapped[str | None] = mapped_column(sa.String(19))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"), index=True)
    org_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    is_corresponding: Mapped[bool] = mapped_column(default=False)
    confidence: Mapped[float | None]
    status: Mapped[str] = mapped_column(
        sa.Enum(*AUTHORSHIP_STATUSES, name="authorship_status", native_enum=False), default="auto")

    work = relationship("Work", back_populates="authorships")
    person = relationship("Person")
    org_unit = relationship("OrgUnit")
