"""The programme's commands: ``rollup`` (many areas' sessions counted) and ``push``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

DATABASE_ENV = "FACILITATOR_DATABASE_URL"
SOME_UNREAD = 3  # exit status: the report was written, but some files could not be read


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"facilitator: {message}", err=True)
    sys.exit(code)


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option(
    "--from",
    "database",
    metavar="URL",
    help="Read the sessions from a shared PostgreSQL database (postgresql://…) instead.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="The HTML report to write (default: exports/programme-rollup.html in the folder, "
    "or in the current folder with --from).",
)
@click.option(
    "--csv", "csv_dir", type=click.Path(file_okay=False), help="Also write CSV tables here."
)
@click.option(
    "--named", is_flag=True, help="Keep areas' and agencies' names (default: anonymised)."
)
@click.option("--force", is_flag=True, help="Replace a report or tables that already exist.")
def rollup(
    folder: str | None,
    database: str | None,
    output: str | None,
    csv_dir: str | None,
    named: bool,
    force: bool,
) -> None:
    """Count what a programme's sessions hold, across every area, in one report.

    Reads every session file in FOLDER (never changing one; older formats too), or every
    session in a shared database with --from. A file that cannot be read is listed in the
    report and here, and the rest are still counted: the exit status is then 3.
    """
    from facilitator.export import ExportError, write_atomic
    from facilitator.programme import report
    from facilitator.programme.loader import SessionRecord, read_folder
    from facilitator.programme.server import ServerError, parse_url, read_database, shown
    from facilitator.programme.tally import ProgrammeTally

    if (folder is None) == (database is None):
        _fail("give a folder of session files, or a database with --from (one of the two).", 2)
    if database is not None:
        try:
            source = shown(parse_url(database))
        except ServerError as exc:
            _fail(str(exc))
        records = read_database(database)
        target = Path(output) if output else Path("programme-rollup.html")
    else:
        path = Path(folder)  # type: ignore[arg-type]
        if not path.is_dir():
            _fail(f"there is no folder at {path}.")
        source = str(path)
        records = read_folder(path)
        target = Path(output) if output else path / "exports" / "programme-rollup.html"

    if target.exists() and not force:  # said before reading anything, not after
        _fail(f"{target} already exists; choose another name or use --force to replace it.")
    tables = report.CsvFolder(Path(csv_dir), force=force) if csv_dir else None
    tally = ProgrammeTally(named=named, on_row=tables.row if tables else None)
    try:
        if tables:
            tables.start(report.csv_names())
        for record in records:
            if isinstance(record, SessionRecord):
                tally.add(record.state)
            else:
                tally.add_unreadable(record.source, record.problem)
                click.echo(f"facilitator: not counted: {record.problem}", err=True)
    except (report.ReportError, ServerError) as exc:
        if tables:
            tables.abandon()
        _fail(str(exc))
    if tally.sessions == 0 and not tally.unread:
        if tables:
            tables.abandon()
        _fail(f"there are no sessions in {source}.")
    try:
        if not output:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        page = report.to_html(tally, source=source if named else "the sessions given")
        written = write_atomic(target, page.encode("utf-8", "replace"), force=force)
        click.echo(str(written))
        if tables:
            for path_written in tables.finish(tally.tables(), report.unread_rows(tally)):
                click.echo(str(path_written))
    except OSError as exc:
        _fail(f"cannot write {target}: {exc.strerror or exc}.")
    except (ExportError, report.ReportError) as exc:
        if tables:
            tables.abandon()
        _fail(str(exc))
    click.echo(
        f"{tally.sessions} sessions counted"
        + (f"; {len(tally.unread)} files could not be read." if tally.unread else "."),
        err=True,
    )
    sys.exit(SOME_UNREAD if tally.unread else 0)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--to",
    "database",
    metavar="URL",
    envvar=DATABASE_ENV,
    required=True,
    help=f"The shared PostgreSQL database (postgresql://…; or set ${DATABASE_ENV}).",
)
def push(file: str, database: str) -> None:
    """Copy the session in FILE into a shared PostgreSQL database.

    Pushing again changes nothing unless the session has changed since; then the copy
    there is brought up to date. The file itself is only read.
    """
    from facilitator.programme.server import ServerError
    from facilitator.programme.server import push as push_session
    from facilitator.store.errors import SessionFileError

    path = Path(file)
    try:
        result = push_session(path, database)
    except (ServerError, SessionFileError) as exc:
        _fail(str(exc))
    said = {
        "added": f"added ({result.events} journal entries)",
        "updated": f"updated ({result.events - result.events_before} new journal entries)",
        "unchanged": "already there, unchanged",
        "newer-there": "the database already holds a later copy; nothing changed",
    }[result.status]
    click.echo(f"{path.name}: {said}")
