"""Blocking keys: only records sharing at least one key are ever scored against each other.

Each key is cheap to compute and likely shared by two descriptions of one work even when their titles,
author spellings or venue names differ a little:

``p:`` the first three content words of a title variant (catches changed endings and subtitles);
``s:`` the three longest content words of a title variant, sorted (catches changed word order or a new
first word); ``a:`` the surnames of the first two authors with the year (catches a rewritten or
translated title); ``v:`` ISSN + volume + first page or article number (catches a title in another
language entirely).

A key shared by very many Works ("editorial" + nothing else) carries no information: the candidate
lookup ignores blocks larger than ``ZHIKU_DEDUP_MAX_BLOCK`` (block purging).
"""
from __future__ import annotations

from .normalize import content_tokens
from .profile import Profile

KEY_LENGTH = 120


def _title_keys(title: str) -> list[str]:
    words = content_tokens(title)
    if not words:
        return []
    longest = sorted(sorted(set(words)), key=len, reverse=True)[:3]
    return ["p:" + " ".join(words[:3]), "s:" + " ".join(sorted(longest))]


def _author_keys(profile: Profile) -> list[str]:
    if not profile.authors:
        return []
    first = {key.split(" ")[0] for key in profile.authors[0]}
    second = {key.split(" ")[0] for key in profile.authors[1]} if len(profile.authors) > 1 else {""}
    pairs = {" ".join(sorted(filter(None, (a, b)))) for a in first for b in second}
    return [f"a:{pair}:{year}" for pair in sorted(pairs) for year in profile.years]


def _venue_keys(profile: Profile) -> list[str]:
    return [f"v:{issn}:{volume}:{page}" for issn in profile.issns for volume in profile.volumes or [""]
            for page in profile.pages]


def blocking_keys(profile: Profile) -> list[str]:
    """Every blocking key of *profile*, without repeats, each at most ``KEY_LENGTH`` characters."""
    keys = [k for title in profile.titles for k in _title_keys(title)]
    keys += _author_keys(profile) + _venue_keys(profile)
    return list(dict.fromkeys(key[:KEY_LENGTH] for key in keys))
