"""The six OAI-PMH 2.0 verbs: argument rules, error semantics, and what each answers.

``handle(arguments)`` takes the request's arguments as ``{name: [values]}`` and returns a result object
(one per verb, or :class:`ErrorResult`) that ``writer`` serializes. Nothing here knows about HTTP.
Errors follow the specification (section 3.6): badVerb for a missing, unknown or repeated verb;
badArgument for illegal, missing, repeated or malformed arguments and for a resumptionToken given with
other arguments; badResumptionToken, cannotDisseminateFormat, idDoesNotExist, noRecordsMatch and
noMetadataFormats where they apply. Sets always exist (work types), so noSetHierarchy never occurs.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from repository.models import Work, utcnow

from . import queries
from .list_sizes import ListSizes
from .sets import SET_SPEC, SetCatalogue, UnknownSet
from .tokens import BadResumptionToken, ListPosition, TokenCodec

UTC = dt.timezone.utc
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_LIST_ARGS = ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken")

#: verb -> (required arguments, optional arguments, exclusive argument)
VERBS = {
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
    "ListIdentifiers": _LIST_ARGS,
    "ListRecords": _LIST_ARGS,
}


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class ErrorResult:
    errors: list[OaiError]
    echo: dict | None  # request attributes to echo; None after badVerb / badArgument (spec 3.6)


@dataclass
class IdentifyResult:
    echo: dict
    earliest: str


@dataclass
class FormatsResult:
    echo: dict
    formats: list


@dataclass
class SetsResult:
    echo: dict
    sets: list


@dataclass
class RecordsResult:
    """GetRecord (one work, no token), ListIdentifiers or ListRecords (a page and maybe a token)."""

    echo: dict
    verb: str
    format: object
    works: list[Work]
    set_specs: dict[int, list[str]]
    with_metadata: bool
    token: str | None = None
    token_present: bool = False  # write a resumptionToken element (empty on the last page)
    complete_list_size: int | None = None
    cursor: int | None = None
    expiration: dt.datetime | None = None
    extra: dict = field(default_factory=dict)


def _parse_date(value: str, end: bool) -> tuple[dt.datetime, str]:
    """A from/until argument as (bound, granularity); *end* makes until inclusive of its whole granule."""
    if _SECONDS.match(value):
        try:
            moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except ValueError:
            raise OaiError("badArgument", f"not a valid date: {value}") from None
        return (moment + dt.timedelta(seconds=1) if end else moment), "seconds"
    if _DAY.match(value):
        try:
            day = dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            raise OaiError("badArgument", f"not a valid date: {value}") from None
        return (day + dt.timedelta(days=1) if end else day), "day"
    raise OaiError("badArgument", f"dates must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not {value!r}")


class Verbs:
    """Answers OAI-PMH requests for one application (built once per request by the provider)."""

    def __init__(self, formats: dict, codec: TokenCodec, repository_id: str, page_size: int,
                 list_sizes: ListSizes):
        self.formats = formats
        self.codec = codec
        self.repository_id = repository_id
        self.page_size = page_size
        self.list_sizes = list_sizes
        self._sets: SetCatalogue | None = None

    @property
    def sets(self) -> SetCatalogue:
        if self._sets is None:
            self._sets = SetCatalogue()
        return self._sets

    # --- identifiers ------------------------------------------------------------------------------------

    def oai_identifier(self, work) -> str:
        return f"oai:{self.repository_id}:{work.id}"

    def _work_for(self, identifier: str, full: bool = True) -> Work:
        prefix = f"oai:{self.repository_id}:"
        local = identifier[len(prefix):] if identifier.startswith(prefix) else ""
        work = queries.get_exposed(int(local), full) if local.isdigit() and len(local) < 19 else None
        if work is None:
            raise OaiError("idDoesNotExist", f"no record {identifier} in this repository")
        return work

    # --- dispatch ---------------------------------------------------------------------------------------

    def handle(self, arguments: dict[str, list[str]]) -> object:
        verbs = arguments.get("verb", [])
        if not verbs:
            return ErrorResult([OaiError("badVerb", "the verb argument is missing")], None)
        if len(verbs) > 1:
            return ErrorResult([OaiError("badVerb", "the verb argument is repeated")], None)
        verb = verbs[0]
        if verb not in VERBS:
            return ErrorResult([OaiError("badVerb", f"{verb!r} is not an OAI-PMH verb")], None)
        required, optional, exclusive = VERBS[verb]
        args = {k: v for k, v in arguments.items() if k != "verb"}
        errors = []
        repeated = sorted(k for k, v in args.items() if len(v) > 1)
        if repeated:
            errors.append(OaiError("badArgument", f"repeated argument(s): {', '.join(repeated)}"))
        allowed = required | optional | ({exclusive} if exclusive else set())
        illegal = sorted(set(args) - allowed)
        if illegal:
            errors.append(OaiError("badArgument", f"illegal argument(s) for {verb}: {', '.join(illegal)}"))
        single = {k: v[0] for k, v in args.items()}
        if exclusive and exclusive in single:
            if len(single) > 1:
                errors.append(OaiError("badArgument", f"{exclusive} is an exclusive argument"))
        else:
            missing = sorted(required - set(single))
            if missing:
                errors.append(OaiError("badArgument", f"missing argument(s): {', '.join(missing)}"))
        empty = sorted(k for k, v in single.items() if k in allowed and not v)
        if empty:
            errors.append(OaiError("badArgument", f"empty argument(s): {', '.join(empty)}"))
        if errors:
            return ErrorResult(errors, None)
        echo = {"verb": verb, **single}
        try:
            return getattr(self, verb)(echo, single)
        except OaiError as error:
            if error.code == "badArgument":
                return ErrorResult([error], None)
            return ErrorResult([error], echo)

    # --- the verbs --------------------------------------------------------------------------------------

    def Identify(self, echo, _args):
        return IdentifyResult(echo, queries.earliest_datestamp())

    def ListMetadataFormats(self, echo, args):
        formats = list(self.formats.values())
        if "identifier" in args:
            work = self._work_for(args["identifier"], full=False)
            formats = [f for f in formats if f.kinds is None or work.kind in f.kinds]
            if not formats:
                raise OaiError("noMetadataFormats", f"no metadata formats for {args['identifier']}")
        return FormatsResult(echo, formats)

    def ListSets(self, echo, args):
        if "resumptionToken" in args:
            raise OaiError("badResumptionToken", "ListSets is answered in one response; no token is valid")
        return SetsResult(echo, self.sets.all_sets())

    def _format(self, prefix: str):
        found = self.formats.get(prefix)
        if found is None:
            raise OaiError("cannotDisseminateFormat", f"metadata format {prefix!r} is not supported")
        return found

    def GetRecord(self, echo, args):
        metadata_format = self._format(args["metadataPrefix"])
        work = self._work_for(args["identifier"])
        if metadata_format.kinds is not None and work.kind not in metadata_format.kinds:
            raise OaiError("cannotDisseminateFormat",
                           f"{args['identifier']} cannot be disseminated as {metadata_format.prefix}")
        return RecordsResult(echo, "GetRecord", metadata_format, [work], self.sets.header_specs([work]),
                             with_metadata=True)

    def ListIdentifiers(self, echo, args):
        return self._list(echo, args, "ListIdentifiers")

    def ListRecords(self, echo, args):
        return self._list(echo, args, "ListRecords")

    def _list(self, echo, args, verb):
        if "resumptionToken" in args:
            try:
                position = self.codec.read(args["resumptionToken"])
            except BadResumptionToken:
                raise OaiError("badResumptionToken", "the resumptionToken is invalid or expired") from None
            if position.verb != verb:
                raise OaiError("badResumptionToken", f"the resumptionToken belongs to {position.verb}")
            if position.prefix not in self.formats:
                raise OaiError("badResumptionToken", "the token's metadata format is no longer offered")
        else:
            position = ListPosition(verb=verb, prefix=args["metadataPrefix"], set_spec=args.get("set"),
                                    from_=args.get("from"), until=args.get("until"), total=-1)
        start = end = None
        granularities = set()
        if position.from_:
            start, granularity = _parse_date(position.from_, end=False)
            granularities.add(granularity)
        if position.until:
            end, granularity = _parse_date(position.until, end=True)
            granularities.add(granularity)
        if len(granularities) > 1:
            raise OaiError("badArgument", "from and until must have the same granularity")
        if position.set_spec is not None and not SET_SPEC.match(position.set_spec):
            raise OaiError("badArgument", f"{position.set_spec!r} is not a valid setSpec")
        metadata_format = self._format(position.prefix)
        set_condition = None
        if position.set_spec:
            try:
                set_condition = self.sets.condition(position.set_spec)
            except UnknownSet:
                raise OaiError("noRecordsMatch", f"there is no set {position.set_spec!r}") from None
        condition = queries.list_condition(metadata_format.kinds, set_condition, start, end)
        works = queries.page(condition, position.after_key, self.page_size, full=verb == "ListRecords")
        first = "resumptionToken" not in args
        if not works:
            raise OaiError("noRecordsMatch", "no records match the request" if first
                           else "no records remain in this list")
        more = len(works) > self.page_size
        works = works[:self.page_size]
        if first:  # a list of one page has no resumptionToken, hence no completeListSize to count
            position = replace(position, total=self.list_sizes.size(condition) if more else len(works))
        result = RecordsResult(echo, verb, metadata_format, works, self.sets.header_specs(works),
                               with_metadata=verb == "ListRecords", complete_list_size=position.total,
                               cursor=position.cursor)
        if "resumptionToken" in args or more:
            result.token_present = True
        if more:
            last = works[-1]
            result.token = self.codec.issue(position.advanced(len(works), last.datestamp, last.id))
            result.expiration = self.codec.expiration(utcnow())
        return result
