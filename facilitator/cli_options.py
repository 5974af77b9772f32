"""What every command of the command line shares: its options, its file arguments and
its one-line failures.

``--sessions-dir`` and ``--questions`` are taken before the command
(``facilitator --sessions-dir D list``) and after it (``facilitator list --sessions-dir D``);
given in both places, the later one counts.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from facilitator.domain.dates import day_problem
from facilitator.domain.printable import printable
from facilitator.store.catalog import resolve_sessions_dir

SESSIONS_DIR_HELP = (
    "Folder holding the session files (default: $FACILITATOR_SESSIONS_DIR, else ./sessions)."
)
QUESTIONS_HELP = "Your own question bank (TOML) for facilitated conversations."


def fail(message: str, code: int = 1) -> NoReturn:
    """Stop with one line on stderr (anything in it that could steer a terminal escaped)."""
    click.echo(f"facilitator: {printable(message)}", err=True)
    sys.exit(code)


def use_sessions_dir(ctx: click.Context, value: str | None) -> None:
    obj = ctx.ensure_object(dict)
    if value is not None or "sessions_dir" not in obj:
        obj["sessions_dir"] = resolve_sessions_dir(value)


def use_questions(ctx: click.Context, value: str | None) -> None:
    """Keep ``--questions``, having checked the whole bank now rather than mid-workshop."""
    obj = ctx.ensure_object(dict)
    if value is None:
        obj.setdefault("questions", None)
        return
    path = Path(value)
    check_question_bank(path)
    obj["questions"] = path


def check_question_bank(path: Path) -> Any:
    """The bank in ``path``, or a one-line failure saying where it is wrong (file:line)."""
    from facilitator.domain.questions import QuestionBankError, load_question_bank

    if not path.is_file():
        fail(f"there is no question bank at {path}")
    try:
        return load_question_bank(path)
    except QuestionBankError as exc:
        fail(str(exc))


def _sessions_dir_option(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        use_sessions_dir(ctx, value)


def _questions_option(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        use_questions(ctx, value)


def shared_options(command: Callable) -> Callable:
    """Give a command the options every command takes (after its name, as well as before)."""
    command = click.option(
        "--questions",
        type=click.Path(dir_okay=False),
        expose_value=False,
        callback=_questions_option,
        help=QUESTIONS_HELP,
    )(command)
    return click.option(
        "--sessions-dir",
        type=click.Path(file_okay=False),
        expose_value=False,
        callback=_sessions_dir_option,
        help=SESSIONS_DIR_HELP,
    )(command)


def check_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--date``: a real day, written YYYY-MM-DD (it goes into the file's name)."""
    if value is not None:
        problem = day_problem(value)
        if problem:
            fail(problem)
    return value


def session_file(file: str) -> Path:
    """The absolute path of a session file named on the command line.

    Links are followed where they lead; one that leads round in a circle is kept as
    it is, for the checks that follow to name.
    """
    try:
        return Path(file).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(file))


def check_folder(folder: Path) -> None:
    """A one-line failure if ``folder`` is there but cannot be a folder of sessions."""
    try:
        if folder.is_dir() or not os.path.lexists(folder):
            return
        os.stat(folder)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            fail(f"{folder} is a link that leads round in a circle (a symlink loop).")
        fail(f"cannot read {folder}: {exc.strerror or exc}.")
    fail(f"{folder} is a file, not a folder of sessions.")


def read_source(source: Path, what: str) -> bytes:
    """The bytes of a file to import, or a one-line failure saying why not."""
    if source.is_dir():
        fail(f"{source} is a folder, not {what}.")
    try:
        return source.read_bytes()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            fail(f"{source} is a link that leads round in a circle (a symlink loop).")
        fail(f"cannot read {source}: {exc.strerror or exc}.")
