"""The librarian's query syntax, parsed into a small tree that every backend compiles.

Syntax: words, "phrases", field prefixes (``title:`` ``abstract:`` ``keyword:`` ``author:`` ``unit:``
``venue:`` ``doi:`` ``id:`` ``year:2020..2023``), ``AND`` / ``OR`` / ``NOT`` (upper case; ``-word`` is
NOT too), parentheses; words side by side must all match. ``word*`` matches words starting with
*word*. A prefix also applies to a parenthesised group: ``title:(graphene OR 石墨烯)``.

Invalid input gives a ``QuerySyntaxError`` with a message and the position, never an exception a user
would see as a server error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from . import analysis
from repository.identifiers import normalize_doi

#: Text fields of the search document, with the analysis they use and their ranking weight.
TEXT_FIELDS = {"title": 3.0, "abstract": 1.0, "keywords": 2.0, "authors": 2.0, "units": 1.0, "venue": 1.0}
NAME_FIELDS = frozenset({"authors"})

#: Prefixes a user types -> the document field they search.
PREFIXES = {"title": "title", "abstract": "abstract", "keyword": "keywords", "author": "authors",
            "unit": "units", "venue": "venue", "doi": "doi", "id": "ids", "year": "year"}
EXACT_FIELDS = frozenset({"doi", "ids"})
YEAR_MIN, YEAR_MAX = 1000, 2999


class QuerySyntaxError(ValueError):
    """An unreadable query: ``message`` (translatable) and the character ``position`` it refers to."""

    def __init__(self, message, position: int):
        super().__init__(message)
        self.message = message  # a lazy translation: rendered in the reader's language when shown
        self.position = position

    def __str__(self) -> str:
        return str(self.message)


# --- the tree ---------------------------------------------------------------------------------------------

class Node:
    """A node of a parsed query."""


@dataclass(frozen=True)
class MatchAll(Node):
    """The empty query: every work (filters still apply)."""


@dataclass(frozen=True)
class Text(Node):
    """Words or a phrase, in one text field or (field None) in all of them."""

    text: str
    field: str | None = None
    phrase: bool = False
    prefix: bool = False

    def clauses(self) -> list[tuple[str, list[str], bool]]:
        """``(field, tokens, prefix)`` per searched field: the tokens must occur in order in that field.

        Each field analyses the text its own way (stems for text, joined pinyin for names), so a
        backend only has to match token sequences; a leaf matches when any of its clauses does.
        """
        fields = [self.field] if self.field else list(TEXT_FIELDS)
        found = []
        for name in fields:
            if name in NAME_FIELDS:
                tokens = analysis.name_query_tokens(self.text)
            elif self.prefix:  # a stem of a prefix is not a prefix of the stems
                tokens = [analysis.normalize(self.text)]
            else:
                tokens = analysis.text_tokens(self.text)
            single_cjk = len(tokens) == 1 and len(tokens[0]) == 1 and analysis.is_cjk(tokens[0])
            if tokens:
                found.append((name, tokens, self.prefix or single_cjk))
        return found


@dataclass(frozen=True)
class Exact(Node):
    """An exact identifier value (DOI, WoS UT, ISBN...) in ``doi`` or ``ids``."""

    field: str
    value: str


@dataclass(frozen=True)
class YearRange(Node):
    """Publication years from ``low`` to ``high`` inclusive (either may be None: open)."""

    low: int | None
    high: int | None


@dataclass(frozen=True)
class And(Node):
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or(Node):
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    child: Node


# --- the lexer --------------------------------------------------------------------------------------------

_TOKEN = re.compile(r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<quote>")|(?P<word>[^\s()"]+))')
_FIELDED = re.compile(r"(?P<name>[A-Za-z]+):(?P<rest>.*)", re.S)
_YEAR = re.compile(r"(?P<low>\d{4})?(?P<dots>\.\.)?(?P<high>\d{4})?")


@dataclass
class _Token:
    kind: str  # open close phrase word and or not field
    value: str
    position: int


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while True:
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            break
        start = match.start(match.lastgroup)
        if match.lastgroup == "quote":
            end = text.find('"', match.end())
            if end < 0:
                raise QuerySyntaxError(_l("The quotation mark at position %(pos)s is not closed.", pos=start + 1),
                                       start)
            tokens.append(_Token("phrase", text[match.end():end], start))
            position = end + 1
            continue
        value = match.group(match.lastgroup)
        position = match.end()
        if match.lastgroup != "word":
            tokens.append(_Token(match.lastgroup, value, start))
        elif value in ("AND", "&&"):
            tokens.append(_Token("and", value, start))
        elif value in ("OR", "||"):
            tokens.append(_Token("or", value, start))
        elif value == "NOT":
            tokens.append(_Token("not", value, start))
        else:
            fielded = _FIELDED.fullmatch(value)
            if fielded and fielded.group("name").lower() in PREFIXES:
                tokens.append(_Token("field", fielded.group("name").lower(), start))
                if fielded.group("rest"):
                    tokens.append(_Token("word", fielded.group("rest"), start + len(fielded.group("name")) + 1))
            elif value.startswith("-") and len(value) > 1:
                tokens.append(_Token("not", "-", start))
                tokens.append(_Token("word", value[1:], start + 1))
            else:
                tokens.append(_Token("word", value, start))
    return tokens


# --- the parser -------------------------------------------------------------------------------------------

class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _lex(text)
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            return MatchAll()
        node = self.parse_or(None)
        extra = self.peek()
        if extra is not None:
            raise QuerySyntaxError(_l("Unexpected “%(text)s” at position %(pos)s.", text=extra.value,
                                      pos=extra.position + 1), extra.position)
        return node

    def parse_or(self, field: str | None) -> Node:
        children = [self.parse_and(field)]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            children.append(self.parse_and(field))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self, field: str | None) -> Node:
        children = [self.parse_not(field)]
        while (token := self.peek()) is not None and token.kind not in ("or", "close"):
            if token.kind == "and":
                self.take()
            children.append(self.parse_not(field))
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_not(self, field: str | None) -> Node:
        token = self.peek()
        if token is not None and token.kind == "not":
            self.take()
            return Not(self.parse_not(field))
        return self.parse_primary(field)

    def parse_primary(self, field: str | None) -> Node:
        token = self.peek()
        if token is None:
            raise QuerySyntaxError(_l("The query ends where a word was expected."), len(self.text))
        self.take()
        if token.kind == "field":
            if field is not None:
                raise QuerySyntaxError(_l("Field “%(field)s:” inside another field at position %(pos)s.",
                                          field=token.value, pos=token.position + 1), token.position)
            return self.parse_primary(token.value)
        if token.kind == "open":
            node = self.parse_or(field)
            closing = self.peek()
            if closing is None or closing.kind != "close":
                raise QuerySyntaxError(_l("The parenthesis at position %(pos)s is not closed.",
                                          pos=token.position + 1), token.position)
            self.take()
            return node
        if token.kind in ("word", "phrase"):
            return _leaf(token, field)
        raise QuerySyntaxError(_l("Unexpected “%(text)s” at position %(pos)s.", text=token.value,
                                  pos=token.position + 1), token.position)


def _year_range(token: _Token) -> YearRange:
    match = _YEAR.fullmatch(token.value.strip())
    if match is None or not (match.group("low") or match.group("high")) or (
            not match.group("dots") and match.group("high")):
        raise QuerySyntaxError(_l("“%(text)s” is not a year or a range like 2020..2023.", text=token.value),
                               token.position)
    low = int(match.group("low")) if match.group("low") else None
    high = int(match.group("high")) if match.group("high") else None
    if not match.group("dots"):
        high = low
    if low is not None and high is not None and low > high:
        raise QuerySyntaxError(_l("The year range %(text)s runs backwards.", text=token.value), token.position)
    return YearRange(low, high)


def _looks_like_identifier(text: str) -> bool:
    digits = sum(c.isdigit() for c in text)
    return digits >= 6 or (digits > 0 and any(c in text for c in ":/.-"))


def _leaf(token: _Token, field: str | None) -> Node:
    prefix = PREFIXES.get(field) if field else None
    if prefix == "year":
        return _year_range(token)
    if prefix == "doi":
        return Exact("doi", normalize_doi(token.value) or analysis.keyword_value(token.value))
    if prefix == "ids":
        return Exact("ids", analysis.keyword_value(token.value))
    phrase = token.kind == "phrase"
    text = token.value
    wildcard = not phrase and text.endswith("*") and len(text.rstrip("*")) > 0
    text = text.rstrip("*") if wildcard else text
    leaf = Text(text, prefix, phrase, wildcard)
    if not leaf.clauses():
        raise QuerySyntaxError(_l("“%(text)s” contains nothing to search for.", text=token.value), token.position)
    if prefix is None and not phrase and _looks_like_identifier(text):
        # an identifier typed on its own (10.1016/..., WOS:000..., an ISBN) is found without a prefix
        doi = normalize_doi(text)
        exact = Exact("doi", doi) if doi else Exact("ids", analysis.keyword_value(text))
        return Or((leaf, exact))
    return leaf


def parse_query(text: str | None) -> Node:
    """Parse a query string into a tree; raise QuerySyntaxError with a clear message when unreadable."""
    return _Parser((text or "").strip()).parse()


def positive_texts(node: Node) -> list[Text]:
    """The Text leaves outside any NOT: what relevance ranking scores."""
    if isinstance(node, Text):
        return [node]
    if isinstance(node, (And, Or)):
        return [leaf for child in node.children for leaf in positive_texts(child)]
    return []
