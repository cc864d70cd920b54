"""Stateless resumption tokens: the position in a list, signed with the application's SECRET_KEY.

A token carries the list's arguments (verb, metadataPrefix, set, from, until), the keyset position (the
last ``(datestamp, id)`` sent), the cursor and the completeListSize counted on the first page. Nothing is
stored on the server, so tokens survive restarts and work behind several processes; the next page is a
keyset query (no OFFSET), so page 5,000 costs what page 1 costs. A forged, truncated, expired or foreign
token fails the signature check and the caller answers badResumptionToken.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from itsdangerous import BadData, URLSafeTimedSerializer

SALT = "zhiku.oai.resumption.v1"
DEFAULT_TTL = 7 * 24 * 3600


class BadResumptionToken(ValueError):
    """The token is not one this repository issued, or it expired."""


@dataclass(frozen=True)
class ListPosition:
    """Where a ListIdentifiers/ListRecords harvest stands."""

    verb: str
    prefix: str
    set_spec: str | None
    from_: str | None
    until: str | None
    total: int
    cursor: int = 0
    after: tuple[str, int] | None = None  # (datestamp ISO with microseconds, work id) of the last item sent

    def advanced(self, sent: int, last_datestamp: dt.datetime, last_id: int) -> "ListPosition":
        return replace(self, cursor=self.cursor + sent, after=(last_datestamp.isoformat(), last_id))

    @property
    def after_key(self) -> tuple[dt.datetime, int] | None:
        if self.after is None:
            return None
        return dt.datetime.fromisoformat(self.after[0]), int(self.after[1])


class TokenCodec:
    """Signs positions into tokens and reads them back."""

    def __init__(self, secret_key: str, ttl: int = DEFAULT_TTL):
        self.serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
        self.ttl = ttl

    def issue(self, position: ListPosition) -> str:
        payload = [position.verb, position.prefix, position.set_spec, position.from_, position.until,
                   position.total, position.cursor, list(position.after) if position.after else None]
        return self.serializer.dumps(payload)

    def read(self, token: str) -> ListPosition:
        try:
            payload = self.serializer.loads(token, max_age=self.ttl)
            verb, prefix, set_spec, from_, until, total, cursor, after = payload
            position = ListPosition(verb=verb, prefix=prefix, set_spec=set_spec, from_=from_, until=until,
                                    total=int(total), cursor=int(cursor),
                                    after=(str(after[0]), int(after[1])) if after else None)
            position.after_key  # a malformed timestamp is a bad token, not a server error
        except (BadData, ValueError, TypeError, IndexError) as exc:
            raise BadResumptionToken(str(exc) or type(exc).__name__) from None
        return position

    def expiration(self, now: dt.datetime) -> dt.datetime:
        """When a token issued at *now* stops being accepted."""
        return now + dt.timedelta(seconds=self.ttl)
