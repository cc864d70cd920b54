"""Metadata formats offered through the ``zhiku_metadata_formats`` hook.

Built in: ``oai_dc`` (every work), ``oai_etdms`` (ETD-MS 1.1, theses only) and ``mods`` (MODS 3.7, every
work). MODS rather than MARCXML as the rich format: MODS carries parallel Chinese and English titles,
names and abstracts natively (``xml:lang``, ``script``, ``altRepGroup``), describes an article and its
journal issue (``relatedItem type="host"`` with volume, issue and pages) and typed identifiers (DOI,
ISSN, ORCID) without the cataloguing conventions MARC needs (fixed fields, 880 linked fields for CJK
script) that a repository of imported article metadata cannot fill honestly.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .base import FormatContext
from .mods import MODS
from .oai_dc import OAI_DC
from .oai_etdms import OAI_ETDMS


@dataclass(frozen=True)
class MetadataFormat:
    """One metadata format: the object the ``zhiku_metadata_formats`` hook returns."""

    prefix: str
    schema: str
    namespace: str
    write: Callable  # (work, FormatContext) -> lxml element
    kinds: tuple[str, ...] | None = None

    def applies_to(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


def builtin_formats() -> list[MetadataFormat]:
    return [MetadataFormat(**spec) for spec in (OAI_DC, OAI_ETDMS, MODS)]


__all__ = ["FormatContext", "MetadataFormat", "builtin_formats"]
