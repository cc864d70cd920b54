"""Blocking keys: only records sharing at least one key are ever scored against each other.

Each key is cheap to compute and likely shared by two descriptions of one work even when their titles,
author spellings or venue names differ a little:

``p:`` the first three content words of a title variant (catches changed endings and subtitles);
``l:`` its last three content words (catches a changed beginning); ``s:`` its three longest content
words, sorted (catches changed word order); ``a:`` two surnames among the first three authors with the
year (catches a rewritten or translated title, and typos in it); ``v:`` ISSN + volume + first page or
article number (catches a title in another language entirely).

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
    keys = ["p:" + " ".join(words[:3]), "s:" + " ".join(sorted(longest))]
    if len(words) > 3:
        keys.append("l:" + " ".join(words[-3:]))
    return keys


def _author_keys(profile: Profile) -> list[str]:
    surnames = [{key.split(" ")[0] for key in author} for author in profile.authors[:3]]
    if len(surnames) == 1:
        surnames.append({""})
    pairs = {" ".join(sorted(filter(None, (a, b))))
             for i, first in enumerate(surnames) for second in surnames[i + 1:] for a in first for b in second}
    return [f"a:{pair}:{year}" for pair in sorted(pairs) for year in profile.years]


def _venue_keys(profile: Profile) -> list[str]:
    return [f"v:{issn}:{volume}:{page}" for issn in profile.issns for volume in profile.volumes or [""]
            for page in profile.pages]


def blocking_keys(profile: Profile) -> list[str]:
    """Every blocking key of *profile*, without repeats, each at most ``KEY_LENGTH`` characters."""
    keys = [k for title in profile.titles for k in _title_keys(title)]
    keys += _author_keys(profile) + _venue_keys(profile)
    return list(dict.fromkeys(key[:KEY_LENGTH] for key in keys))
