"""SQLAlchemy models, one module per concept; import them from here."""
from . import keys as _keys  # noqa: F401  (registers the SQLite key numbering)
from ._base import utcnow
from .audit import AuditEvent, record_audit, record_audits
from .collection import Collection, collection_work
from .curation import CurationTask
from .datestamp import touch_works
from .dedup import WorkKey, WorkProfile
from .harvest import HarvestSource
from .org import OrgUnit
from .override import FieldOverride
from .person import Authorship, Membership, Person
from .plugin import PluginSetting
from .revision import WorksRevision
from .search import SearchPending
from .source import ImportBatch, SourceRecord
from .user import ApiToken, User
from .work import Identifier, Venue, Work

__all__ = [
    "ApiToken", "AuditEvent", "Authorship", "Collection", "CurationTask", "FieldOverride", "HarvestSource",
    "Identifier", "ImportBatch", "Membership", "OrgUnit", "Person", "PluginSetting", "SearchPending",
    "SourceRecord", "User", "Venue", "Work", "WorkKey", "WorkProfile", "WorksRevision", "collection_work",
    "record_audit", "record_audits", "touch_works", "utcnow",
]
