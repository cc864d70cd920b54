"""Publication dates from PY/PD/EA: ``"JAN 15"``, ``"JAN-FEB"``, ``"SPR"``, ``"Aug 1 2019"``, ``"2015-07"``...

The result is always a valid partial date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) or None: a season or
an impossible day only lowers the precision.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
    ("nov", "november"), ("dec", "december"),
), start=1) for name in names}
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\b")
_TOKEN = re.compile(r"[A-Za-z]+|\d+")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def parse_year(value: str | None) -> int | None:
    """The first plausible four-digit year in *value* (``"2019"``, ``"2001(2002)"``), or None."""
    if not value:
        return None
    if len(value) == 4 and value.isdecimal():  # the usual PY: no search needed
        year = int(value)
    else:
        match = _YEAR.search(value)
        year = int(match.group(1)) if match else 0
    return year if 1000 <= year <= 2999 else None


@lru_cache(maxsize=8192)  # "JAN 15", "2019" and the like recur across a batch
def partial_date(text: str | None, year: int | None = None) -> str | None:
    """Combine a WoS date text with *year* (PY wins over a year inside *text*) into a partial date."""
    text = text or ""
    month = day = None
    iso = _ISO.match(text)
    if iso:
        found_year, month = int(iso.group(1)), int(iso.group(2))
        day = int(iso.group(3)) if iso.group(3) else None
    else:
        found_year = None
        for token in _TOKEN.findall(text):
            if token.isdigit():
                if len(token) == 4:
                    found_year = found_year or int(token)
                elif len(token) <= 2 and day is None:
                    day = int(token)
            elif month is None:
                month = _MONTHS.get(token.lower())
    year = year or found_year
    if year is None or not 1000 <= year <= 2999:
        return None
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    if day is not None:
        try:
            dt.date(year, month, day)
            return f"{year:04d}-{month:02d}-{day:02d}"
        except ValueError:
            pass
    return f"{year:04d}-{month:02d}"
