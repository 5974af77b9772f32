"""The real program in a pseudo-terminal: typing survives SIGKILL and closing the terminal."""

from __future__ import annotations

import signal
import time

import pytest

from facilitator.store.sessionfile import SessionFile
from tests.pty_driver import PtyApp
from tests.tui_helpers import new_session_file

READY = "Add participant"


@pytest.fixture
def session_path(tmp_path):
    return new_session_file(tmp_path / "sessions")


def _start(path) -> PtyApp:
    app = PtyApp(["--sessions-dir", str(path.parent), "open", str(path)], cwd=path.parent)
    assert app.wait_for(READY), f"the app never showed its setup screen:\n{app.text()[-2000:]}"
    time.sleep(0.5)  # let the first frame settle and focus land in the add box
    return app


def test_name_typed_but_not_entered_survives_sigkill(session_path):
    app = _start(session_path)
    app.type("Zainab Okafor")
    time.sleep(2.5)  # drafts are written within about a second of the last key (slack for
    # a busy machine)
    app.kill(signal.SIGKILL)

    again = _start(session_path)
    try:
        assert again.wait_for("Zainab Okafor", timeout=10), again.text()[-3000:]
    finally:
        again.kill()


def test_participant_entered_survives_sigkill(session_path):
    app = _start(session_path)
    app.type("Priya Shah\r")
    time.sleep(0.5)
    app.kill(signal.SIGKILL)

    with SessionFile.open(session_path) as session:
        names = [p.name for p in session.state.participants.values()]
    assert names == ["Priya Shah"]

    again = _start(session_path)
    try:
        assert again.wait_for("Priya Shah", timeout=10)
    finally:
        again.kill()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_terminate_and_hangup_flush_typing_and_close_cleanly(session_path, sig):
    app = _start(session_path)
    app.type("Tomasz Nowak")
    # Once the name is on screen (the keys have reached the app, not just the terminal),
    # at once: the signal arrives while the draft is still waiting to be written.
    assert app.wait_for("Tomasz Nowak", timeout=10), app.text()[-2000:]
    status = app.kill(sig)
    assert not (status & 0x7F), f"the app died from the signal instead of closing: {status}"
    # Closed cleanly: the write-ahead log was folded back into the file.
    wal = session_path.with_name(session_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0

    with SessionFile.open(session_path) as session:
        assert session.drafts().get("setup.new-participant") == "Tomasz Nowak"
        assert session.integrity_check() == ["ok"]


@pytest.mark.parametrize("delay", [0.6, 1.2, 1.8, 2.4])
def test_closing_the_terminal_while_the_app_starts_ends_it(session_path, delay):
    """The window closed while the app is still drawing its first screens: the program
    must end (not linger without a terminal, holding the session file) and the file must
    be whole and free to open again."""
    app = PtyApp(
        ["--sessions-dir", str(session_path.parent), "open", str(session_path)],
        cwd=session_path.parent,
    )
    time.sleep(delay)
    status = app.hang_up(timeout=15)
    assert status is not None, "the program was still running 15 s after its terminal closed"
    with SessionFile.open(session_path) as session:  # the lock was let go
        assert session.integrity_check() == ["ok"]
