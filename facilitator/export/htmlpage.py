"""The session notes as one self-contained, printable HTML page, with the map drawn in it.

Every piece of user text goes through :func:`html.escape`, so a note holding
``<script>`` shows as those characters and never runs. The page loads nothing from
anywhere: the styles are inline and the map is inline SVG.
"""

from __future__ import annotations

import html

from facilitator.domain.model import SessionState
from facilitator.export.common import xml_text
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
from facilitator.export.svgmap import to_svg

_CSS = """
:root { color-scheme: light; }
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; line-height: 1.5;
  color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.9rem; margin: 0 0 .75rem; line-height: 1.2; }
h2 { font-size: 1.4rem; margin: 2rem 0 .5rem; padding-top: .5rem; border-top: 2px solid #ddd; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .4rem; }
p, ul, dl { margin: .4rem 0 .8rem; }
li { margin: .15rem 0; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dl.fields dt { font-weight: 600; }
dl.fields dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num, th.num { text-align: right; }
figure.map { margin: 1rem 0; }
figure.map svg { width: 100%; height: auto; border: 1px solid #ddd; }
.pre-line { white-space: pre-line; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; border-top: 1px solid #999; }
  h3 { break-after: avoid; }
  table, figure.map, li { break-inside: avoid; }
  th { background: #eee; }
}
""".strip()


def _esc(text: str) -> str:
    return html.escape(xml_text(text), quote=True)


def _inline(spans: Inline) -> str:
    out = []
    for span in spans:
        text = "<br>".join(_esc(line) for line in span.text.split("\n"))
        if span.style == "b":
            text = f"<strong>{text}</strong>"
        elif span.style == "i":
            text = f"<em>{text}</em>"
        out.append(text)
    return "".join(out)


def render(doc: Document, svg: str) -> str:
    parts = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 6)
            parts.append(f"<h{level}>{_esc(block.text)}</h{level}>")
        elif isinstance(block, Para):
            parts.append(f"<p>{_inline(block.inline)}</p>")
        elif isinstance(block, Bullets):
            items = "".join(f"<li>{_inline(item)}</li>" for item in block.items)
            parts.append(f"<ul>{items}</ul>")
        elif isinstance(block, Fields):
            pairs = "".join(f"<dt>{_esc(k)}</dt><dd>{_inline(v)}</dd>" for k, v in block.pairs)
            parts.append(f'<dl class="fields">{pairs}</dl>')
        elif isinstance(block, Table):

            def cls(i: int, numeric: set[int] = block.numeric) -> str:
                return ' class="num"' if i in numeric else ""

            head = "".join(
                f'<th scope="col"{cls(i)}>{_esc(h)}</th>' for i, h in enumerate(block.header)
            )
            rows = "".join(
                "<tr>"
                + "".join(f"<td{cls(i)}>{_inline(cell)}</td>" for i, cell in enumerate(row))
                + "</tr>"
                for row in block.rows
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif isinstance(block, MapPicture):
            parts.append(
                '<figure class="map" aria-label="The relationship map">' + svg + "</figure>"
            )
    body = "\n".join(parts)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(doc.title)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def to_html(state: SessionState) -> str:
    """The session notes as a complete HTML page."""
    return render(build_notes(state), to_svg(state, standalone=False))
