"""Controlled vocabularies shared by the schemas, the models and the importers."""
from __future__ import annotations

#: Work types an importer may produce, each with the kind of work it belongs to.
WORK_TYPES: dict[str, str] = {
    "journal_article": "publication",
    "review": "publication",
    "editorial": "publication",
    "letter": "publication",
    "correction": "publication",
    "meeting_abstract": "publication",
    "conference_paper": "publication",
    "book": "publication",
    "book_chapter": "publication",
    "newspaper_article": "publication",
    "report": "publication",
    "standard": "publication",
    "dataset": "publication",
    "other": "publication",
    "doctoral_thesis": "thesis",
    "master_thesis": "thesis",
    "bachelor_thesis": "thesis",
    "patent": "patent",
}

WORK_KINDS = ("publication", "thesis", "patent")

#: Curation status of a Work.
WORK_STATUSES = ("candidate", "verified", "withdrawn")

#: How an Authorship's link to a person came about.
AUTHORSHIP_STATUSES = ("auto", "confirmed", "rejected", "manual")

#: Identifier schemes the core understands; importers may add others (lower-case, snake_case).
IDENTIFIER_SCHEMES = (
    "doi", "wos_ut", "ei_accession", "cnki_filename", "pmid", "isbn", "patent_number", "oai", "handle",
)

USER_ROLES = ("admin", "curator", "faculty")

#: Org unit types of the dictionary templates (the ``type`` column).
ORG_UNIT_LEVELS = ("institution", "school", "college", "department", "lab", "institute", "center", "hospital",
                   "campus", "office", "government", "other")

#: What a curation task asks: are two Works one work; is this author line this person / this unit.
CURATION_TASK_KINDS = ("possible_duplicate", "attribution")

#: open until a curator decides; accepted = do what the task proposed; rejected = never propose it again.
CURATION_TASK_STATUSES = ("open", "accepted", "rejected")

DEGREES = ("doctoral", "master", "bachelor")


def kind_of(work_type: str) -> str:
    """Return the kind (publication, thesis, patent) of a work type."""
    return WORK_TYPES.get(work_type, "publication")
