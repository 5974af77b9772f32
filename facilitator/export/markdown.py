"""The session notes as Markdown (CommonMark with GitHub-style tables).

All user text is escaped so that it shows as typed: Markdown's special characters get a
backslash, so a name like ``*x*`` or ``| pipe`` never turns into emphasis or breaks a
table, and raw HTML never passes through. Inside table cells a line break becomes
``<br>``; elsewhere it becomes a hard line break.
"""

from __future__ import annotations

import re

from facilitator.domain.model import SessionState
from facilitator.export.document import (
    Bullets,
    Document,
    Fields,
    Heading,
    Inline,
    MapPicture,
    Para,
    Table,
)
from facilitator.export.notes import build_notes

# Escaped everywhere: emphasis, code, links, images, HTML, entities, tables, headings.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#!])")
# Escaped at the start of a line (and, harmlessly, at the start of any piece of text):
# list markers, setext underlines, block quotes and ordered-list numbers.
_LINE_START = re.compile(r"^(\s*)([-+=>])")
_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])")


def escape(text: str) -> str:
    """Escape user text for Markdown; line breaks stay as ``\\n`` for the caller."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    lines = []
    for line in text.split("\n"):
        line = _SPECIAL.sub(r"\\\1", line)
        line = _LINE_START.sub(r"\1\\\2", line)
        line = _ORDERED.sub(r"\1\\\2", line)
        lines.append(line)
    return "\n".join(lines)


def _inline(spans: Inline) -> str:
    """Spans as one piece of Markdown; lines are trimmed and empty ones dropped."""
    out: list[str] = []
    for span in spans:
        if not span.text:
            continue
        if not span.style:
            out.append(escape(span.text))
            continue
        mark = "**" if span.style == "b" else "*"
        pieces = []
        for line in span.text.split("\n"):
            core = line.strip()
            if not core:
                pieces.append("")
                continue
            lead = " " if line[:1].isspace() else ""
            trail = " " if line[-1:].isspace() else ""
            pieces.append(f"{lead}{mark}{escape(core)}{mark}{trail}")
        out.append("\n".join(pieces))
    lines = (line.strip() for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


def _flow(spans: Inline, indent: str = "") -> str:
    """Inline text for a paragraph or list item: hard breaks between lines."""
    return ("\\\n" + indent).join(_inline(spans).split("\n"))


def _cell(spans: Inline) -> str:
    return "<br>".join(_inline(spans).split("\n")) or " "


def _heading_text(text: str) -> str:
    return escape(" ".join(text.split())) or " "


def render(doc: Document) -> str:
    parts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append(f"{'#' * block.level} {_heading_text(block.text)}")
        elif isinstance(block, Para):
            parts.append(_flow(block.inline))
        elif isinstance(block, Bullets):
            parts.append("\n".join(f"- {_flow(item, '  ')}" for item in block.items))
        elif isinstance(block, Fields):
            parts.append("\n".join(f"- **{escape(k)}:** {_flow(v, '  ')}" for k, v in block.pairs))
        elif isinstance(block, Table):
            head = "| " + " | ".join(escape(h) for h in block.header) + " |"
            rule = (
                "|"
                + "|".join(
                    " ---: " if i in block.numeric else " --- " for i in range(len(block.header))
                )
                + "|"
            )
            rows = ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in block.rows]
            parts.append("\n".join([head, rule, *rows]))
        elif isinstance(block, MapPicture):
            parts.append("*The map itself is drawn in the SVG and HTML exports.*")
    return "\n\n".join(parts) + "\n"


def to_markdown(state: SessionState) -> str:
    """The session notes as Markdown text."""
    return render(build_notes(state))
