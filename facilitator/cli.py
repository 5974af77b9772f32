"""The ``facilitator`` command line.

Kept light: heavy modules (Textual, the database layer) are imported inside the
commands that need them, so ``--help`` and ``list`` answer at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from facilitator import __version__
from facilitator.launch import run_app
from facilitator.store.catalog import (
    ensure_sessions_dir,
    inspect_file,
    list_sessions,
    resolve_sessions_dir,
)
from facilitator.store.errors import SessionFileError

SESSIONS_DIR_HELP = (
    "Folder holding the session files (default: $FACILITATOR_SESSIONS_DIR, else ./sessions)."
)


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"facilitator: {message}", err=True)
    sys.exit(code)


def _folder_for_writing(folder: Path, what: str = "the sessions folder") -> Path:
    """``folder``, made (private to its owner) if need be; a one-line failure if it cannot be."""
    try:
        return ensure_sessions_dir(folder)
    except OSError as exc:
        reason = (
            "a file is in the way"
            if isinstance(exc, FileExistsError | NotADirectoryError)
            else exc.strerror
        )
        _fail(f"cannot use {folder} as {what}: {reason or exc}.")


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--sessions-dir", type=click.Path(file_okay=False), help=SESSIONS_DIR_HELP)
@click.option(
    "--questions",
    type=click.Path(dir_okay=False),
    help="Your own question bank (TOML) for facilitated conversations.",
)
@click.version_option(__version__, "--version", "-V", prog_name="facilitator")
@click.pass_context
def main(ctx: click.Context, sessions_dir: str | None, questions: str | None) -> None:
    """Run relationship-mapping workshops with a community partnership.

    With no command, opens the home screen on the sessions folder.
    """
    ctx.ensure_object(dict)
    ctx.obj["sessions_dir"] = resolve_sessions_dir(sessions_dir)
    ctx.obj["questions"] = Path(questions) if questions else None
    if questions and not Path(questions).is_file():
        _fail(f"there is no question bank at {questions}")
    if ctx.invoked_subcommand is None:
        run_app(ctx.obj["sessions_dir"], questions=ctx.obj["questions"])


@main.command()
@click.argument("title")
@click.option("--area", default="", help="The neighbourhood or area the partnership serves.")
@click.option("--date", "date", default=None, help="Workshop date, YYYY-MM-DD (default: today).")
@click.option("--no-open", is_flag=True, help="Create the file and print its path only.")
@click.option(
    "--from",
    "from_file",
    type=click.Path(dir_okay=False),
    help="Start from an earlier session: its map, people, criteria and open actions.",
)
@click.pass_context
def new(
    ctx: click.Context,
    title: str,
    area: str,
    date: str | None,
    no_open: bool,
    from_file: str | None,
) -> None:
    """Create a new workshop session called TITLE and open it."""
    from facilitator.domain.commands import DomainError
    from facilitator.store.sessionfile import SessionFile, session_path

    folder = _folder_for_writing(ctx.obj["sessions_dir"])
    carried = None
    try:
        path = session_path(folder, title, date)
        if from_file:
            from facilitator.history.files import create_carried

            session, carried = create_carried(
                Path(from_file), path, title=title, area=area, date=date
            )
        else:
            session = SessionFile.create(path, title=title, area=area, date=date)
        session.close()
    except (DomainError, SessionFileError) as exc:
        _fail(str(exc))
    if carried is not None:
        click.echo(carried.sentence(), err=True)
    click.echo(str(path))
    if not no_open:
        run_app(ctx.obj["sessions_dir"], open_path=path, questions=ctx.obj["questions"])


@main.command("open")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--room", is_flag=True, help="Open the room page for phones straight away.")
@click.option(
    "--room-host",
    default=None,
    metavar="ADDRESS",
    help="Serve the room page on this address (default: the laptop's on the local network).",
)
@click.pass_context
def open_cmd(ctx: click.Context, file: str, room: bool, room_host: str | None) -> None:
    """Open the session in FILE."""
    path = Path(file).resolve()
    try:
        inspect_file(path)
    except SessionFileError as exc:
        _fail(str(exc))
    extra = {"room": room, "room_host": room_host} if room or room_host else {}
    run_app(ctx.obj["sessions_dir"], open_path=path, questions=ctx.obj["questions"], **extra)


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the sessions in the sessions folder, newest first."""
    folder: Path = ctx.obj["sessions_dir"]
    if folder.exists() and not folder.is_dir():
        _fail(f"{folder} is a file, not a folder of sessions.")
    try:
        sessions = list_sessions(folder)
    except OSError as exc:
        _fail(f"cannot read {folder}: {exc.strerror or exc}.")
    if as_json:
        click.echo(
            json.dumps(
                {"sessions_dir": str(folder), "sessions": [s.as_dict() for s in sessions]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    if not sessions:
        console.print(f"No sessions yet in {folder}. Start one with: facilitator new TITLE")
        return
    table = Table(title_justify="left")
    for column in ("Date", "Title", "Area", "Reached", "Last change (UTC)"):
        table.add_column(column, overflow="fold")
    for s in sessions:
        if s.problem:
            table.add_row("⚠", Path(s.path).name, f"[red]{escape(s.problem)}[/red]", "", "")
        else:
            table.add_row(
                s.date,
                escape(s.title),
                escape(s.area),
                s.furthest_stage,
                s.last_change[:16].replace("T", " "),
            )
    console.print(f"Sessions in {escape(str(folder))}", soft_wrap=True)
    console.print(table)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def check(file: str, as_json: bool) -> None:
    """Check a session file: integrity, format version and what it holds.

    Exits 0 when the file is healthy. Never changes the file.
    """
    from facilitator.store import SCHEMA_VERSION
    from facilitator.store.catalog import connect_readonly
    from facilitator.store.sessionfile import SessionFile

    path = Path(file)
    try:
        summary = inspect_file(path, check=True)
        conn = connect_readonly(path)
        try:
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
        if integrity == ["ok"] and summary.schema_version == SCHEMA_VERSION:
            # What opening it checks as well: the journal's chain of digests, and that
            # the tables say exactly what the journal says.
            SessionFile.open(path, readonly=True).close()
    except SessionFileError as exc:
        if as_json:
            click.echo(json.dumps({"path": str(path), "ok": False, "problem": str(exc)}))
            sys.exit(1)
        _fail(str(exc))
    healthy = integrity == ["ok"]
    if as_json:
        click.echo(
            json.dumps(
                {"ok": healthy, "integrity": integrity, **summary.as_dict()},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        click.echo(f"{path.name}: {'healthy' if healthy else 'DAMAGED'}")
        click.echo(f"  title:          {summary.title}")
        click.echo(f"  area:           {summary.area}")
        click.echo(f"  date:           {summary.date}")
        click.echo(f"  format version: {summary.schema_version}")
        click.echo(f"  furthest stage: {summary.furthest_stage}")
        click.echo(f"  last change:    {summary.last_change}")
        for name, count in summary.counts.items():
            click.echo(f"  {name + 's:':<15} {count}")
        if not healthy:
            click.echo(f"  integrity:      {'; '.join(integrity[:3])}")
    sys.exit(0 if healthy else 1)


FORMAT_CHOICES = ("md", "html", "csv", "json", "graphml", "svg", "all")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMAT_CHOICES),
    default="md",
    show_default=True,
    help="md notes, html page, csv tables (zip), json, graphml network, svg map, or all.",
)
@click.option("--anonymise", "--anonymize", is_flag=True, help="Replace every name first.")
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="File to write (a folder with --format all). Default: exports/ beside the session.",
)
@click.option("--force", is_flag=True, help="Replace a file that already exists.")
def export(file: str, fmt: str, anonymise: bool, output: str | None, force: bool) -> None:
    """Export the session in FILE as notes, a map or data for other tools.

    Reads the session without changing it, even while it is open in the app.
    """
    from facilitator.export import FORMATS, ExportError, export_file_name, write_atomic
    from facilitator.export import export as make_export
    from facilitator.store.sessionfile import SessionFile

    path = Path(file)
    try:
        with SessionFile.open(path, readonly=True) as session:
            state, journal = session.state, session.journal
    except SessionFileError as exc:
        _fail(str(exc))
    formats = FORMATS if fmt == "all" else (fmt,)
    if output and fmt != "all":
        targets = {formats[0]: Path(output)}
    else:
        folder = _folder_for_writing(
            Path(output) if output else path.parent / "exports", "the folder for exports"
        )
        targets = {f: folder / export_file_name(path, f, anonymise=anonymise) for f in formats}
    try:
        for name, target in targets.items():
            data = make_export(state, name, anonymise=anonymise, journal=journal)
            click.echo(str(write_atomic(target, data, force=force)))
    except ExportError as exc:
        _fail(str(exc))


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Session file to create.")
@click.pass_context
def import_cmd(ctx: click.Context, file: str, output: str | None) -> None:
    """Recreate a session file from a JSON export (FILE.json)."""
    from facilitator.export.importer import JsonImportError, parse
    from facilitator.store.importing import import_json
    from facilitator.store.sessionfile import session_path

    source = Path(file)
    try:
        data = source.read_bytes()
    except OSError as exc:
        _fail(f"cannot read {source}: {exc.strerror}")
    try:
        doc = parse(data)
        if output:
            if output.endswith(("/", "\\")) or Path(output).is_dir():
                _fail(f"{output} is a folder; give the name of the session file to create.")
            target = Path(output)
        else:
            info = doc.get("session", {})
            folder = _folder_for_writing(ctx.obj["sessions_dir"])
            target = session_path(folder, info.get("title") or source.stem, info.get("date"))
        session = import_json(data, target, tell=lambda line: click.echo(line, err=True))
        session.close()
    except (JsonImportError, SessionFileError) as exc:
        _fail(f"{source.name}: {exc}")
    click.echo(str(target))


@main.command()
@click.option(
    "--write",
    "write_to",
    type=click.Path(dir_okay=False),
    help="Write the demo session to this file (and the one a year on beside it) instead.",
)
@click.pass_context
def demo(ctx: click.Context, write_to: str | None) -> None:
    """Open a complete made-up workshop, to see every screen, replay and export.

    A second workshop a year later, carried forward from the first, sits beside it, to
    compare the two.
    """
    import tempfile

    from facilitator.demo import build_demo
    from facilitator.demo_later import build_demo_later, later_path

    if write_to:
        target = Path(write_to)
        try:
            if later_path(target).exists():  # checked first, so neither file is half-made
                _fail(f"{later_path(target)} already exists.")
            build_demo(target).close()
            build_demo_later(target).close()
        except SessionFileError as exc:
            _fail(str(exc))
        click.echo(str(target))
        click.echo(str(later_path(target)))
        return
    with tempfile.TemporaryDirectory(prefix="facilitator-demo-") as folder:
        target = Path(folder) / "wrenhollow-demo.facilitator"
        build_demo(target).close()
        build_demo_later(target).close()
        run_app(Path(folder), open_path=target, questions=ctx.obj["questions"])


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def replay(ctx: click.Context, file: str) -> None:
    """Watch the session in FILE unfold again, read-only: the file is never changed."""
    path = Path(file).resolve()
    try:
        inspect_file(path)
    except SessionFileError as exc:
        _fail(str(exc))
    run_app(ctx.obj["sessions_dir"], replay_path=path)


def _add_commands() -> None:
    """Commands kept in modules of their own: over time, and across a programme."""
    from facilitator.cli_history import compare_cmd
    from facilitator.cli_programme import push, rollup

    for command in (compare_cmd, rollup, push):
        main.add_command(command)


_add_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
