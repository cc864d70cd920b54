"""The organisation tree: institution -> school/college -> department/lab."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocabulary import ORG_UNIT_LEVELS
from ._base import JSONType


class OrgUnit(db.Model):
    """A unit with Chinese and English names, aliases/abbreviations and the dates it existed.

    Renamed or merged units keep their old row with ``valid_to`` set and ``successor_id`` pointing on.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    level: Mapped[str] = mapped_column(sa.Enum(*ORG_UNIT_LEVELS, name="org_level", native_enum=False))
    name_zh: Mapped[str | None] = mapped_column(sa.String(255))
    name_en: Mapped[str | None] = mapped_column(sa.String(255))
    aliases: Mapped[list] = mapped_column(JSONType, default=list)
    #: Names the unit was known by before a renaming ("大连工学院").
    former_names: Mapped[list] = mapped_column(JSONType, default=list)
    #: Where the unit is (matching tells same-named institutions apart by the address's place).
    city: Mapped[str | None] = mapped_column(sa.String(128))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    valid_from: Mapped[dt.date | None] = mapped_column(sa.Date)
    valid_to: Mapped[dt.date | None] = mapped_column(sa.Date)
    successor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"))

    parent = relationship("OrgUnit", remote_side=[id], foreign_keys=[parent_id], back_populates="children")
    children = relationship("OrgUnit", foreign_keys=[parent_id], back_populates="parent")

    @property
    def display_name(self) -> str:
        return self.label(self.name_zh, self.name_en, self.code, self.id)

    @staticmethod
    def label(name_zh: str | None, name_en: str | None, code: str | None, unit_id: int) -> str:
        """The name a unit is shown by: Chinese, else English, else its code (for plain query rows too)."""
        return name_zh or name_en or code or f"#{unit_id}"

    def ancestors(self) -> list["OrgUnit"]:
        """The chain from the institution down to this unit's parent."""
        chain, unit = [], self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return list(reversed(chain))
