"""The roll-up as files: CSV tables, and one HTML page with charts.

The CSV files follow the session export's rules (see :mod:`facilitator.export.csvzip`):
UTF-8 with a byte-order mark, CRLF line ends, and a ``'`` before any cell a spreadsheet
could take for a formula. The page is self-contained: its charts are inline SVG drawn
by pygal, with pygal's script left out, so it needs nothing from outside and shows the
same offline, printed or mailed.
"""

from __future__ import annotations

import contextlib
import csv
import html
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from facilitator.export.common import xml_text
from facilitator.export.csvzip import neutralise
from facilitator.programme.tables import Table
from facilitator.programme.tally import STREAMED_COLUMNS, ProgrammeTally

UNREAD_COLUMNS = ("file", "problem")


class ReportError(Exception):
    """The report could not be written; ``str()`` is one line to show."""


# -- CSV ----------------------------------------------------------------------------------


class CsvFolder:
    """The roll-up's CSV files in one folder, the streamed tables written as rows come.

    Every file is written under a temporary name and renamed when the roll-up is done,
    so an interrupted run leaves no half-written table behind under a real name.
    """

    def __init__(self, folder: Path, *, force: bool = False) -> None:
        self.folder = Path(folder)
        self.force = force
        self._open: dict[str, tuple[IO[str], csv.writer, tuple[str, ...]]] = {}
        self._done: list[tuple[Path, Path]] = []

    def start(self, names: Iterable[str]) -> None:
        """Make the folder and check nothing in it would be replaced without ``force``."""
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise ReportError(f"cannot make the folder {self.folder}: {_reason(exc)}.") from None
        if not self.force:
            taken = [n for n in names if (self.folder / f"{n}.csv").exists()]
            if taken:
                raise ReportError(
                    f"{self.folder / (taken[0] + '.csv')} already exists; choose another folder "
                    "or use --force to replace the tables."
                )
        for name, columns in STREAMED_COLUMNS.items():
            self._begin(name, columns)

    def _begin(self, name: str, columns: tuple[str, ...]) -> None:
        target = self.folder / f"{name}.csv"
        temp = self.folder / f".{name}.csv.tmp"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            fh = os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="")
        except OSError as exc:
            raise ReportError(f"cannot write {target}: {_reason(exc)}.") from None
        fh.write("\ufeff")
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(columns)
        self._open[name] = (fh, writer, columns)
        self._done.append((temp, target))

    def row(self, name: str, row: dict[str, object]) -> None:
        """Write one row of a streamed table."""
        _fh, writer, columns = self._open[name]
        writer.writerow([neutralise(_cell(row.get(col))) for col in columns])

    def finish(self, tables: list[Table], unread: list[dict[str, object]]) -> list[Path]:
        """Write the counted tables and the unread files, then put every file in place."""
        for table in tables:
            self._begin(table.name, table.columns)
            for row in table.rows:
                self.row(table.name, row)
        self._begin("unread_files", UNREAD_COLUMNS)
        for row in unread:
            self.row("unread_files", row)
        try:
            for fh, _writer, _columns in self._open.values():
                fh.flush()
                os.fsync(fh.fileno())
                fh.close()
            for temp, target in self._done:
                os.replace(temp, target)
        except OSError as exc:
            self.abandon()
            raise ReportError(
                f"cannot write the tables in {self.folder}: {_reason(exc)}."
            ) from None
        return [target for _temp, target in self._done]

    def abandon(self) -> None:
        """Close and remove whatever was begun (after a failure)."""
        for fh, _writer, _columns in self._open.values():
            with contextlib.suppress(OSError):
                fh.close()
        for temp, _target in self._done:
            with contextlib.suppress(OSError):
                temp.unlink()


def _cell(value: object) -> str:
    return xml_text(value).replace("\n", " ")


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def csv_names() -> list[str]:
    """Every CSV file a roll-up writes, without ``.csv``."""
    from facilitator.programme.tally import ProgrammeTally

    counted = [table.name for table in ProgrammeTally().tables()]
    return [*STREAMED_COLUMNS, *counted, "unread_files"]


def unread_rows(tally: ProgrammeTally) -> list[dict[str, object]]:
    """The files that could not be read, as the report shows them.

    Anonymised, a file is ``File 1``, ``File 2``…: its name usually holds the area's.
    """
    rows = []
    for number, (source, problem) in enumerate(tally.unread, start=1):
        name = Path(source).name
        if tally.named:
            rows.append({"file": name, "problem": problem})
        else:
            shown = f"File {number}"
            rows.append({"file": shown, "problem": problem.replace(name, shown)})
    return rows


# -- HTML ---------------------------------------------------------------------------------

CHARTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "agency_types": ("label", ("relationships",)),
    "holders": ("label", ("relationships",)),
    "holders_per_relationship": ("holders", ("relationships",)),
    "purposes": ("label", ("relationships",)),
    "purposes_per_relationship": ("purposes", ("relationships",)),
    "relationship_types": ("label", ("relationships",)),
    "closeness": ("label", ("relationships",)),
    "relationship_states": ("label", ("relationships",)),
    "criteria": ("label", ("sessions",)),
    "fragile": ("label", ("relationships", "fragile")),
    "fragile_holders": ("held_by", ("fragile",)),
    "actions": ("label", ("actions",)),
    "stage_time": ("label", ("mean_minutes",)),
}
"""Which tables get a chart: the column naming each bar, and the columns giving its length."""

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem;
     border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; }
td.n { text-align: right; }
figure { margin: 0.6rem 0; } figure svg { width: 100%; height: auto; }
.note { color: #555; font-size: 0.9rem; }
.wide { overflow-x: auto; }
.problem { color: #8a1c1c; }
@media print { h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
"""

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CHART_ID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def chart_svg(table: Table, number: int) -> str:
    """A horizontal bar chart of a table as inline SVG: no script, no outside resource."""
    import pygal
    from pygal.style import Style

    label_column, value_columns = CHARTS[table.name]
    rows = [r for r in table.rows if any(_number(r.get(col)) for col in value_columns)]
    rows.reverse()  # pygal draws the first bar at the bottom; the table reads top down
    if not rows:
        return ""
    style = Style(
        background="white",
        plot_background="white",
        colors=("#1f5f8b", "#c0392b", "#2e7d32"),
        font_family="system-ui, sans-serif",
        label_font_size=13,
        major_label_font_size=13,
        value_font_size=12,
        legend_font_size=13,
    )
    chart = pygal.HorizontalBar(
        style=style,
        js=[],
        width=760,
        height=70 + 34 * len(rows) * max(1, len(value_columns)),
        show_legend=len(value_columns) > 1,
        legend_at_bottom=True,
        print_values=True,
        truncate_label=60,
        show_x_labels=False,  # the value axis: each bar prints its own value
        margin=8,
    )
    chart.x_labels = [xml_text(r.get(label_column)) for r in rows]
    for col in value_columns:
        chart.add(col.replace("_", " "), [_number(r.get(col)) for r in rows])
    svg = chart.render(is_unicode=True, disable_xml_declaration=True)
    svg = _SCRIPT.sub("", _COMMENT.sub("", svg))
    # pygal names each chart with a random id; a fixed one keeps the page repeatable.
    return _CHART_ID.sub(f"chart-{number}", svg)


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def _e(value: object) -> str:
    return html.escape(xml_text(value))


def _html_table(columns: tuple[str, ...], rows: list[dict[str, object]]) -> str:
    head = "".join(f"<th>{_e(col.replace('_', ' '))}</th>" for col in columns)
    body = []
    for row in rows:
        cells = []
        for col in columns:
            value = row.get(col, "")
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            cells.append(f'<td class="n">{_e(value)}</td>' if numeric else f"<td>{_e(value)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    return f'<div class="wide">{table}</div>'


def to_html(tally: ProgrammeTally, *, source: str) -> str:
    """The roll-up as one HTML page: a summary, a chart and a table for every tally."""
    tables = tally.tables()
    areas = "named" if tally.named else "anonymised"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Programme roll-up</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Programme roll-up</h1>",
        f"<p>{tally.sessions} sessions read from {_e(source)}: "
        f"{tally.relationships} relationships. "
        f"{len(tally.unread)} files could not be read.</p>",
        f'<p class="note">Areas and agencies are {areas}. '
        + (
            "Areas are numbered in the order their sessions were read; people are never named.</p>"
            if not tally.named
            else "People are named only if they agreed to be.</p>"
        ),
    ]
    for number, table in enumerate(tables, start=1):
        parts.append(f'<h2 id="{table.name}">{_e(table.title)}</h2>')
        if table.name in CHARTS:
            svg = chart_svg(table, number)
            if svg:
                parts.append(f'<figure aria-label="{_e(table.title)}">{svg}</figure>')
        if table.rows:
            parts.append(_html_table(table.columns, table.rows))
        else:
            parts.append('<p class="note">Nothing recorded.</p>')
    parts.append('<h2 id="unread">Files that could not be read</h2>')
    unread = unread_rows(tally)
    if unread:
        parts.append('<div class="problem">' + _html_table(UNREAD_COLUMNS, unread) + "</div>")
    else:
        parts.append('<p class="note">None: every file was read.</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
