"""A tiny document model for the session notes, rendered as Markdown or HTML.

The notes are built once as plain blocks (:mod:`facilitator.export.notes`) and each
renderer turns them into its own syntax, escaping every piece of user text on the way.
Inline text is a list of :class:`Span`: plain, bold or italic runs of text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Inline = list["Span"]


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    style: str = ""  # "" | "b" | "i"


def plain(text: str) -> Inline:
    return [Span(text)]


def bold(text: str) -> Inline:
    return [Span(text, "b")]


@dataclass(slots=True)
class Heading:
    level: int
    text: str


@dataclass(slots=True)
class Para:
    inline: Inline


@dataclass(slots=True)
class Bullets:
    items: list[Inline]


@dataclass(slots=True)
class Fields:
    """Label: value pairs, such as the session's date and facilitator."""

    pairs: list[tuple[str, Inline]]


@dataclass(slots=True)
class Table:
    header: list[str]
    rows: list[list[Inline]]
    numeric: set[int] = field(default_factory=set)  # columns to align right


@dataclass(slots=True)
class MapPicture:
    """Where the map picture goes (drawn in HTML, mentioned in Markdown)."""


Block = Heading | Para | Bullets | Fields | Table | MapPicture


@dataclass(slots=True)
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def h(self, level: int, text: str) -> None:
        self.blocks.append(Heading(level, text))

    def p(self, *spans: Span | str) -> None:
        self.blocks.append(Para([s if isinstance(s, Span) else Span(s) for s in spans]))

    def bullets(self, items: list[Inline]) -> None:
        if items:
            self.blocks.append(Bullets(items))

    def fields(self, pairs: list[tuple[str, Inline]]) -> None:
        pairs = [(k, v) for k, v in pairs if any(s.text for s in v)]
        if pairs:
            self.blocks.append(Fields(pairs))

    def table(self, header: list[str], rows: list[list[Inline]], numeric: set[int] = set()) -> None:  # noqa: B006
        self.blocks.append(Table(header, rows, set(numeric)))
