"""Normalization and validation of persistent identifiers (DOI, ISSN, ISBN, ORCID).

Every importer and every stage calls these, so that "10.1000/ABC", "https://doi.org/10.1000/abc" and
"doi:10.1000/abc" are one identifier everywhere.
"""
from __future__ import annotations

import re

_DOI_PREFIXES = re.compile(
    r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|https?://doi\.[a-z]+\.[a-z]+/)", re.IGNORECASE
)
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$")
_ISSN_SHAPE = re.compile(r"^(\d{4})-?(\d{3}[\dX])$")
_ORCID_URL = re.compile(r"^https?://orcid\.org/", re.IGNORECASE)
_ORCID_SHAPE = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")


def normalize_doi(value: str | None) -> str | None:
    """Return the DOI lower-cased without resolver prefix, or None when *value* is not a DOI."""
    if not value:
        return None
    doi = _DOI_PREFIXES.sub("", value.strip()).strip().rstrip(".").lower()
    return doi if _DOI_SHAPE.match(doi) else None


def normalize_issn(value: str | None) -> str | None:
    """Return the ISSN as ``NNNN-NNNC`` when its check digit is right, else None."""
    if not value:
        return None
    match = _ISSN_SHAPE.match(value.strip().upper())
    if not match:
        return None
    digits = match.group(1) + match.group(2)
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1)))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return f"{match.group(1)}-{match.group(2)}" if digits[7] == expected else None


def normalize_isbn(value: str | None) -> str | None:
    """Return an ISBN-10 or ISBN-13 as bare digits (and X) when its check digit is right, else None."""
    if not value:
        return None
    digits = re.sub(r"[\s-]", "", value.strip().upper())
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return digits if total % 11 == 0 else None
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits))
        return digits if total % 10 == 0 else None
    return None


def normalize_orcid(value: str | None) -> str | None:
    """Return an ORCID iD as ``NNNN-NNNN-NNNN-NNNC`` (no URL) when its checksum is right, else None."""
    if not value:
        return None
    bare = _ORCID_URL.sub("", value.strip()).upper()
    match = _ORCID_SHAPE.match(bare)
    if not match:
        return None
    digits = "".join(match.groups())
    total = 0
    for c in digits[:15]:
        total = (total + int(c)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return "-".join(match.groups()) if digits[15] == expected else None
