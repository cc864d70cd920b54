"""Users with roles, and hashed API tokens for machine clients."""
from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..vocabulary import USER_ROLES
from ._base import JSONType, UTCDateTime, utcnow


class User(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(128), unique=True)
    email: Mapped[str | None] = mapped_column(sa.String(255))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    roles: Mapped[list] = mapped_column(JSONType, default=list)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    person = relationship("Person")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def has_role(self, *roles: str) -> bool:
        """True when the user is active and holds any of *roles* (admin holds every role)."""
        unknown = set(roles) - set(USER_ROLES)
        if unknown:
            raise ValueError(f"unknown roles {sorted(unknown)}")
        held = self.roles or []
        return self.active is not False and ("admin" in held or any(r in held for r in roles))


class ApiToken(db.Model):
    """An API token; only its SHA-256 is stored, the token itself is shown once at creation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(128))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_used_at = mapped_column(UTCDateTime)
    expires_at = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(default=False)

    user = relationship("User")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["ApiToken", str]:
        """Create a token for *user*; return the row and the plain token (not stored anywhere)."""
        token = "zk_" + secrets.token_urlsafe(32)
        return cls(user=user, name=name, token_hash=cls.hash(token), prefix=token[:8]), token

    @classmethod
    def lookup(cls, token: str) -> "ApiToken | None":
        """The live (not revoked, not expired) token row for *token*, or None."""
        row = db.session.execute(sa.select(cls).filter_by(token_hash=cls.hash(token))).scalar_one_or_none()
        if row is None or row.revoked or (row.expires_at is not None and row.expires_at < utcnow()):
            return None
        return row
