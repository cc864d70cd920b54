"""A small OAI-PMH client over urllib: retries with backoff, 503 Retry-After, size limits, safe parsing.

Only http and https are spoken (no file:, ftp: or data: handlers, even through redirects). Every response
goes through ``xmlsafe.parse_xml``; a refused document stops the harvest with a :class:`HarvestError`
that says why, before any record of it is handed on.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Callable, Iterator

from lxml import etree

from .xmlsafe import DEFAULT_MAX_BYTES, UnsafeXMLError, parse_xml, read_limited

OAI = "http://www.openarchives.org/OAI/2.0/"
N = {"oai": OAI}
USER_AGENT = "Zhiku-OAI-Harvester/0.1 (+https://github.com/zhiku)"
_RETRY_STATUSES = {429, 500, 502, 503, 504}


class HarvestError(Exception):
    """The harvest cannot go on (unreachable, refused document, protocol error); the message says why."""


class OaiProtocolError(HarvestError):
    """The repository answered with an OAI-PMH ``error`` element."""

    def __init__(self, code: str, message: str, url: str):
        super().__init__(f"{url}: OAI-PMH error {code}: {message}")
        self.code = code


@dataclass
class Page:
    url: str
    root: etree._Element
    response_date: str | None


def _opener() -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPRedirectHandler(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - (now or dt.datetime.now(dt.timezone.utc))).total_seconds())


class OaiClient:
    """Talks to one OAI-PMH base URL."""

    def __init__(self, base_url: str, *, timeout: float = 60, retries: int = 5, backoff: float = 2.0,
                 max_wait: float = 600, max_bytes: int = DEFAULT_MAX_BYTES,
                 sleep: Callable[[float], None] = time.sleep):
        scheme = urllib.parse.urlsplit(base_url).scheme
        if scheme not in ("http", "https"):
            raise HarvestError(f"{base_url}: only http and https base URLs can be harvested")
        self.base_url = base_url
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.max_bytes = max_bytes
        self.sleep = sleep
        self.opener = _opener()

    def url_for(self, params: dict) -> str:
        return f"{self.base_url}?{urllib.parse.urlencode(params)}"

    def fetch(self, params: dict) -> bytes:
        """The body of one GET, retrying transient failures; raises HarvestError."""
        url = self.url_for(params)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                        "Accept": "text/xml, application/xml"})
        last = "no attempt"
        for attempt in range(self.retries + 1):
            wait = self.backoff * (2 ** attempt)
            try:
                with self.opener.open(request, timeout=self.timeout) as response:
                    length = response.headers.get("Content-Length")
                    if length and length.isdigit() and int(length) > self.max_bytes:
                        raise UnsafeXMLError(f"response of {length} bytes exceeds the limit of "
                                             f"{self.max_bytes} bytes; refused")
                    return read_limited(response, self.max_bytes)
            except UnsafeXMLError as exc:
                raise HarvestError(f"{url}: {exc}") from None
            except urllib.error.HTTPError as exc:
                if exc.code not in _RETRY_STATUSES:
                    raise HarvestError(f"{url}: HTTP {exc.code} {exc.reason}") from None
                last = f"HTTP {exc.code} {exc.reason}"
                asked = retry_after_seconds(exc.headers.get("Retry-After")) if exc.headers else None
                if asked is not None:
                    if asked > self.max_wait:
                        raise HarvestError(f"{url}: the repository asks to retry after {asked:.0f} s, "
                                           f"more than the {self.max_wait:.0f} s we wait") from None
                    wait = asked
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                last = str(getattr(exc, "reason", None) or exc)
            if attempt < self.retries:
                self.sleep(min(wait, self.max_wait))
        raise HarvestError(f"{url}: gave up after {self.retries + 1} attempts ({last})")

    def request(self, params: dict) -> Page:
        """One OAI-PMH request, parsed safely; OAI errors raise OaiProtocolError."""
        url = self.url_for(params)
        body = self.fetch(params)
        try:
            root = parse_xml(body, self.max_bytes)
        except UnsafeXMLError as exc:
            raise HarvestError(f"{url}: {exc}") from None
        if root.tag != f"{{{OAI}}}OAI-PMH":
            raise HarvestError(f"{url}: not an OAI-PMH response (root element {root.tag})")
        error = root.find("oai:error", N)
        if error is not None:
            raise OaiProtocolError(error.get("code", "?"), (error.text or "").strip(), url)
        return Page(url, root, root.findtext("oai:responseDate", None, N))

    def identify(self) -> dict:
        page = self.request({"verb": "Identify"})
        identify = page.root.find("oai:Identify", N)
        if identify is None:
            raise HarvestError(f"{page.url}: Identify answered without an Identify element")
        return {"granularity": identify.findtext("oai:granularity", "YYYY-MM-DD", N).strip(),
                "name": identify.findtext("oai:repositoryName", "", N).strip(),
                "deleted_record": identify.findtext("oai:deletedRecord", "no", N).strip(),
                "response_date": page.response_date}

    def list_records(self, prefix: str, set_spec: str | None = None, from_: str | None = None,
                     until: str | None = None, max_restarts: int = 2) -> Iterator[tuple[Page, etree._Element]]:
        """Every record of the list, following resumption tokens; restarts after a badResumptionToken."""
        first = {"verb": "ListRecords", "metadataPrefix": prefix}
        for name, value in (("set", set_spec), ("from", from_), ("until", until)):
            if value:
                first[name] = value
        params, restarts, previous = first, 0, None
        while True:
            try:
                page = self.request(params)
            except OaiProtocolError as exc:
                if exc.code == "noRecordsMatch":
                    return
                if exc.code == "badResumptionToken" and params is not first and restarts < max_restarts:
                    restarts += 1  # the list starts again; records seen before come back unchanged
                    params, previous = first, None
                    continue
                raise
            listing = page.root.find("oai:ListRecords", N)
            if listing is None:
                raise HarvestError(f"{page.url}: ListRecords answered without a ListRecords element")
            for record in listing.iterfind("oai:record", N):
                yield page, record
            token = listing.findtext("oai:resumptionToken", "", N).strip()
            if not token:
                return
            if token == previous:
                raise HarvestError(f"{page.url}: the repository repeats the same resumptionToken")
            params, previous = {"verb": "ListRecords", "resumptionToken": token}, token
