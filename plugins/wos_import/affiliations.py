"""C1 addresses: ``"[Author A; Author B] Org, Sub-org, City, Country."`` and the older forms without brackets.

Zoological Record and BIOSIS write ``"Author, Name; Org, City, Country"`` instead of brackets; that form is
told apart from a bare address by matching the part before ``;`` to the record's authors (in mapping).
"""
from __future__ import annotations


from .tags import clean, split_top_level

#: WoS country spellings that differ from the usual English name.
_COUNTRIES = {
    "peoples r china": "China",
    "u arab emirates": "United Arab Emirates",
    "north ireland": "Northern Ireland",
    "rep congo": "Republic of the Congo",
    "dem rep congo": "Democratic Republic of the Congo",
    "cent afr republ": "Central African Republic",
    "byelarus": "Belarus",
    "turkiye": "Turkey",
}


def split_brackets(item: str) -> tuple[list[str], str]:
    """Split one C1 item into the author names of its bracket (maybe none) and the address."""
    item = item.strip()
    if item.startswith("["):
        close = item.find("]")
        if close > 0:
            names = [name.strip() for name in item[1:close].split(";") if name.strip()]
            return names, item[close + 1:]
        return [], item[1:]
    return [], item


def chunks(address: str) -> list[str]:
    """The ``;``-separated parts of an address without brackets (``"Name; Org, City"`` gives two)."""
    return split_top_level(address)


def normalize_address(address: str) -> str | None:
    """The address as stored: whitespace collapsed, no trailing full stop."""
    text = clean(address)
    return text.rstrip(". ").strip() or None if text else None


def country(address: str) -> str | None:
    """The country of a WoS address (its last part; ``"MI 48104 USA"`` gives ``"USA"``)."""
    last = address.rsplit(",", 1)[-1].strip().rstrip(".").strip()
    if not last:
        return None
    if last.endswith("USA") and (len(last) == 3 or last[-4].isspace()):  # "MI 48104 USA"
        return "USA"
    return _COUNTRIES.get(last.lower(), last)
