"""The ``facilitator`` command line.

Kept light: heavy modules (Textual, the database layer) are imported inside the
commands that need them, so ``--help`` and ``list`` answer at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from facilitator import __version__
from facilitator.cli_options import (
    QUESTIONS_HELP,
    SESSIONS_DIR_HELP,
    check_date,
    check_folder,
    check_question_bank,
    fail,
    read_source,
    session_file,
    shared_options,
    use_questions,
    use_sessions_dir,
)
from facilitator.domain.printable import printable
from facilitator.export import FORMATS
from facilitator.store.catalog import (
    ensure_sessions_dir,
    inspect_file,
    list_sessions,
)
from facilitator.store.errors import SessionFileError
from facilitator.tui.run import run_app

_fail = fail


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
@click.option("--questions", type=click.Path(dir_okay=False), help=QUESTIONS_HELP)
@click.version_option(__version__, "--version", "-V", prog_name="facilitator")
@click.pass_context
def main(ctx: click.Context, sessions_dir: str | None, questions: str | None) -> None:
    """Run relationship-mapping workshops with a community partnership.

    With no command, opens the home screen on the sessions folder. --sessions-dir and
    --questions can be given before the command or after it.
    """
    use_sessions_dir(ctx, sessions_dir)
    use_questions(ctx, questions)
    if ctx.invoked_subcommand is None:
        run_app(ctx.obj["sessions_dir"], questions=ctx.obj["questions"])


@main.command()
@click.argument("title")
@click.option("--area", default="", help="The neighbourhood or area the partnership serves.")
@click.option(
    "--date",
    "date",
    default=None,
    callback=check_date,
    help="Workshop date, YYYY-MM-DD (default: today).",
)
@click.option("--no-open", is_flag=True, help="Create the file and print its path only.")
@click.option(
    "--from",
    "from_file",
    type=click.Path(dir_okay=False),
    help="Start from an earlier session: its map, people, criteria and open actions.",
)
@shared_options
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
    click.echo(printable(path))
    if not no_open:
        run_app(ctx.obj["sessions_dir"], open_path=path, questions=ctx.obj["questions"])


@main.command("open")
@click.argument("file", type=click.Path())
@click.option("--room", is_flag=True, help="Open the room page for phones straight away.")
@click.option(
    "--room-host",
    default=None,
    metavar="ADDRESS",
    help="Serve the room page on this address (default: the laptop's on the local network).",
)
@shared_options
@click.pass_context
def open_cmd(ctx: click.Context, file: str, room: bool, room_host: str | None) -> None:
    """Open the session in FILE."""
    from facilitator.store.catalog import check_writable

    path = session_file(file)
    try:
        inspect_file(path)
        check_writable(path)
    except SessionFileError as exc:
        _fail(str(exc))
    extra = {"room": room, "room_host": room_host} if room or room_host else {}
    run_app(ctx.obj["sessions_dir"], open_path=path, questions=ctx.obj["questions"], **extra)


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@shared_options
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the sessions in the sessions folder, newest first."""
    folder: Path = ctx.obj["sessions_dir"]
    check_folder(folder)
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
    from rich.table import Table
    from rich.text import Text

    def shown(text: object, style: str = "") -> Text:
        """Names and titles come from files: shown as plain text (a Text is never read as
        markup; escaping markup misses cases such as a backslash before a bracket)."""
        return Text(printable(text), style=style)

    console = Console()
    if not sessions:
        console.print(
            shown(f"No sessions yet in {folder}. Start one with: facilitator new TITLE"),
            soft_wrap=True,
        )
        return
    table = Table(title_justify="left")
    for column in ("Date", "Title", "Area", "Reached", "Last change (UTC)"):
        table.add_column(column, overflow="fold")
    for s in sessions:
        if s.problem:
            table.add_row("⚠", shown(Path(s.path).name), shown(s.problem, "red"), "", "")
        else:
            table.add_row(
                shown(s.date),
                shown(s.title),
                shown(s.area),
                shown(s.furthest_stage),
                shown(s.last_change[:16].replace("T", " ")),
            )
    console.print(shown(f"Sessions in {folder}"), soft_wrap=True)
    console.print(table)


@main.command()
@click.argument("file", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@shared_options
def check(file: str, as_json: bool) -> None:
    """Check a session file: integrity, format version and what it holds.

    Exits 0 when the file is healthy, which means that it opens. Never changes the file.
    """
    from facilitator.store.sessionfile import integrity_of, verify

    path = Path(file)
    try:
        # Every check that opening makes (an older format is upgraded as a trial, on a
        # copy), then SQLite's full integrity check as well.
        summary = verify(path)
        integrity = integrity_of(path)
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
        lines = [
            f"{path.name}: {'healthy' if healthy else 'DAMAGED'}",
            f"  title:          {summary.title}",
            f"  area:           {summary.area}",
            f"  date:           {summary.date}",
            f"  format version: {summary.schema_version}",
            f"  furthest stage: {summary.furthest_stage}",
            f"  last change:    {summary.last_change}",
            *(f"  {name + 's:':<15} {count}" for name, count in summary.counts.items()),
        ]
        if not healthy:
            lines.append(f"  integrity:      {'; '.join(integrity[:3])}")
        for line in lines:
            click.echo(printable(line))
    sys.exit(0 if healthy else 1)


@main.command("check-questions")
@click.argument("file", type=click.Path(dir_okay=False), required=False)
@shared_options
@click.pass_context
def check_questions(ctx: click.Context, file: str | None) -> None:
    """Check a question bank (TOML) before a workshop; exit 0 when it can be used.

    Without FILE, checks the bank the app would use: --questions, else questions.toml
    in the sessions folder, else the standard bank. A problem is named with its line.
    """
    from facilitator.domain.questions import find_bank_in_folder, load_question_bank

    chosen = Path(file) if file else ctx.obj["questions"]
    chosen = chosen or find_bank_in_folder(ctx.obj["sessions_dir"])
    bank = check_question_bank(chosen) if chosen else load_question_bank(None)
    sections = len(bank.sections)
    prompts = sum(len(section.prompts) for section in bank.sections)
    name = str(chosen) if chosen else "The standard question bank"
    click.echo(
        printable(
            f"{name}: can be used: {sections} section{'s' * (sections != 1)}, "
            f"{prompts} prompt{'s' * (prompts != 1)}."
        )
    )


FORMAT_CHOICES = (*FORMATS, "all")


@main.command()
@click.argument("file", type=click.Path())
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
@shared_options
def export(file: str, fmt: str, anonymise: bool, output: str | None, force: bool) -> None:
    """Export the session in FILE as notes, a map or data for other tools.

    Reads the session without changing it, even while it is open in the app.
    """
    from facilitator.export import ExportError, export_file_name, write_atomic
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
            click.echo(printable(write_atomic(target, data, force=force)))
    except ExportError as exc:
        _fail(str(exc))


@main.command("import")
@click.argument("file", type=click.Path())
@click.option("-o", "--output", type=click.Path(), help="Session file to create.")
@shared_options
@click.pass_context
def import_cmd(ctx: click.Context, file: str, output: str | None) -> None:
    """Recreate a session file from a JSON export (FILE.json)."""
    from facilitator.domain.commands import DomainError
    from facilitator.export.importer import JsonImportError, parse
    from facilitator.store.importing import import_json
    from facilitator.store.sessionfile import session_path

    source = Path(file)
    data = read_source(source, "a JSON export")
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
    except (JsonImportError, SessionFileError, DomainError) as exc:
        _fail(f"{source.name}: {exc}")
    click.echo(printable(target))


@main.command()
@click.option(
    "--write",
    "write_to",
    type=click.Path(dir_okay=False),
    help="Write the demo session to this file (and the one a year on beside it) instead.",
)
@shared_options
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
        click.echo(printable(target))
        click.echo(printable(later_path(target)))
        return
    with tempfile.TemporaryDirectory(prefix="facilitator-demo-") as folder:
        target = Path(folder) / "wrenhollow-demo.facilitator"
        build_demo(target).close()
        build_demo_later(target).close()
        run_app(Path(folder), open_path=target, questions=ctx.obj["questions"])


@main.command()
@click.argument("file", type=click.Path())
@shared_options
@click.pass_context
def replay(ctx: click.Context, file: str) -> None:
    """Watch the session in FILE unfold again, read-only: the file is never changed."""
    path = session_file(file)
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
