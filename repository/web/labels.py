"""Translated labels for vocabulary values shown in pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..vocabulary import WORK_TYPES

WORK_TYPE_LABELS = {
    "journal_article": _l("Journal article"),
    "review": _l("Review"),
    "editorial": _l("Editorial"),
    "letter": _l("Letter"),
    "correction": _l("Correction"),
    "meeting_abstract": _l("Meeting abstract"),
    "conference_paper": _l("Conference paper"),
    "book": _l("Book"),
    "book_chapter": _l("Book chapter"),
    "newspaper_article": _l("Newspaper article"),
    "report": _l("Report"),
    "standard": _l("Standard"),
    "dataset": _l("Dataset"),
    "other": _l("Other"),
    "doctoral_thesis": _l("Doctoral thesis"),
    "master_thesis": _l("Master's thesis"),
    "bachelor_thesis": _l("Bachelor's thesis"),
    "patent": _l("Patent"),
}
assert set(WORK_TYPE_LABELS) == set(WORK_TYPES), "every work type needs a label"


def work_type_label(work_type: str) -> str:
    """The translated label of a work type (the raw value when unknown)."""
    return str(WORK_TYPE_LABELS.get(work_type, work_type))
