"""The ``facilitator compare`` command: what changed between sessions of one partnership."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from facilitator.store.errors import SessionFileError


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"facilitator: {message}", err=True)
    sys.exit(code)


@click.command("compare")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(("md", "html", "json")),
    default="md",
    show_default=True,
    help="md text, an html page with both maps side by side, or json.",
)
@click.option("-o", "--output", type=click.Path(), help="Write to this file instead of printing.")
@click.option("--force", is_flag=True, help="Replace a file that already exists.")
def compare_cmd(files: tuple[str, ...], fmt: str, output: str | None, force: bool) -> None:
    """Show what changed between sessions: compare A B, or A B C... for a timeline.

    Two sessions give the changes from the earlier to the later one. Three or more
    sessions of one area give a timeline for every relationship. Sessions are put in
    date order; their files are only read.
    """
    from facilitator.export import ExportError, write_atomic
    from facilitator.history.files import in_date_order, read_sessions
    from facilitator.history.report import render_comparison, render_timeline
    from facilitator.history.timeline import timeline

    if len(files) < 2:
        _fail("compare needs at least two session files.")
    try:
        # A quick read (tables only, not checked against the journal): nothing is changed
        # and nothing is written back, so a full check would only cost time.
        sessions = in_date_order(read_sessions([Path(f) for f in files], verify=False))
    except SessionFileError as exc:
        _fail(str(exc))
    states = [s.state for s in sessions]
    if len(states) == 2:
        text = render_comparison(states[0], states[1], fmt)
    else:
        text = render_timeline(timeline(states), fmt)
    if not output:
        click.echo(text, nl=False)
        return
    try:
        click.echo(str(write_atomic(Path(output), text.encode("utf-8", "replace"), force=force)))
    except ExportError as exc:
        _fail(str(exc))
