"""The ``facilitator`` program's entry point.

Plain ``facilitator`` (perhaps with ``--sessions-dir`` or ``--questions``) opens the
app, which is what a facilitator runs in front of a group: it goes straight there,
without loading the command-line library. Everything else (a command, ``--help``,
``--version``, a mistake to explain) goes to the full command line in
:mod:`facilitator.cli`, which also opens the app the same way.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

APP_OPTIONS = ("--sessions-dir", "--questions")


def app_options(argv: list[str]) -> dict[str, str] | None:
    """The options when ``argv`` only asks for the app and every value is sound.

    ``None`` means "let the full command line deal with it" (a command, another
    option, a repeated option, a value it would refuse), so that every message and
    exit code comes from one place.
    """
    found: dict[str, str] = {}
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        name, eq, value = arg.partition("=")
        if name not in APP_OPTIONS or name in found:
            return None
        if not eq:
            if not rest or rest[0].startswith("-"):
                return None
            value = rest.pop(0)
        if not value:
            return None
        found[name] = value
    sessions = found.get("--sessions-dir")
    if sessions is not None and Path(sessions).exists() and not Path(sessions).is_dir():
        return None
    questions = found.get("--questions")
    if questions is not None and not _usable_bank(Path(questions)):
        return None
    return found


def _usable_bank(path: Path) -> bool:
    """Whether a question bank can be used; if not, the command line says where it is wrong
    (before the workshop starts, not when its first conversation does)."""
    from facilitator.domain.questions import QuestionBankError, load_question_bank

    if not path.is_file():
        return False
    try:
        load_question_bank(path)
    except QuestionBankError:
        return False
    return True


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    options = app_options(args)
    if options is None:
        from facilitator.cli import main as cli

        try:
            cli.main(args=args, prog_name="facilitator")
        except OSError as exc:  # e.g. the output goes to a full disk: one line, no traceback
            _stop_quietly(exc)
        return
    from facilitator.store.catalog import resolve_sessions_dir
    from facilitator.tui.run import run_app

    questions = options.get("--questions")
    run_app(
        resolve_sessions_dir(options.get("--sessions-dir")),
        questions=Path(questions) if questions else None,
    )


def _stop_quietly(exc: OSError) -> None:
    """Say in one line why the program stopped, and exit with status 1."""
    import os

    where = f" ({exc.filename})" if exc.filename else ""
    try:
        sys.stderr.write(f"facilitator: stopped: {exc.strerror or exc}{where}.\n")
        sys.stderr.flush()
    except OSError:
        pass
    # Whatever is still waiting to be printed would fail again as Python exits.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(1)
