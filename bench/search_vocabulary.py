"""Vocabulary for synthetic works, read from the real export files in ../shared/corpora.

Every corpus file is parsed with the importer that recognises it (the same plugins ``zhiku import``
uses); English title/abstract words, Chinese title fragments, author names (characters and romanised),
keywords and venues are collected. The benchmark's generator draws from these pools, so generated
works have the word frequencies, name shapes and Chinese/English mix of real records.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from search.analysis import CJK_CLASS

_ENGLISH_WORD = re.compile(r"[A-Za-z][a-z]{3,}")
_CJK_FRAGMENT = re.compile(f"[{CJK_CLASS}]{{2,12}}")


@dataclass
class Vocabulary:
    english: list[str] = field(default_factory=list)
    chinese: list[str] = field(default_factory=list)
    names_zh: list[str] = field(default_factory=list)
    names_en: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)

    def add(self, record: dict) -> None:
        for text in (record.get("title"), record.get("title_alt"), record.get("abstract")):
            if text:
                self.english.extend(w.lower() for w in _ENGLISH_WORD.findall(text))
                self.chinese.extend(_CJK_FRAGMENT.findall(text))
        for author in record.get("authors") or ():
            for name in (author.get("name"), author.get("name_original")):
                if name:
                    (self.names_zh if _CJK_FRAGMENT.search(name) else self.names_en).append(name)
        self.keywords.extend(k["term"] for k in record.get("keywords") or () if k.get("term"))
        if (record.get("venue") or {}).get("title"):
            self.venues.append(record["venue"]["title"])

    def dedupe(self) -> "Vocabulary":
        for name in ("english", "chinese", "names_zh", "names_en", "keywords", "venues"):
            setattr(self, name, sorted(set(getattr(self, name))))
        return self


def read_corpora(corpora: Path, importers: dict) -> Vocabulary:
    """Parse every file under *corpora* with the first importer whose sniff accepts it."""
    from repository.importers import RecordError
    from repository.ingest.batch import read_location

    vocabulary = Vocabulary()
    for path in sorted(p for p in corpora.rglob("*") if p.is_file() and p.suffix != ".md"):
        head = path.read_bytes()[:8192]
        for importer in importers.values():
            if importer.name != "canonical" and importer.sniff(str(path), head):
                for item in read_location(importer, str(path)):
                    if not isinstance(item, RecordError):
                        vocabulary.add(item.data)
                break
    return vocabulary.dedupe()
