"""Reliability: damaged files, exports killed half-way, a full disk, and a long random walk.

Heavier loops run with ``--run-slow`` (more corrupted copies, more kills, more examples).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from facilitator.demo import build_demo
from facilitator.domain import commands
from facilitator.domain.commands import DomainError
from facilitator.domain.events import replay
from facilitator.store import errors as err
from facilitator.store.sessionfile import SessionFile, make_engine
from facilitator.store.upgrade import latest_backup
from tests.tui_helpers import (
    app_on,
    new_session_file,
    notifications,
    screen_text,
    type_text,
    wait_for_workshop,
    wait_until,
)

ROOT = Path(__file__).resolve().parent.parent
RAM_DISK = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def real_session(tmp_path_factory) -> Path:
    """The demo workshop, opened once so that a backup of it exists."""
    folder = tmp_path_factory.mktemp("real")
    path = folder / "wrenhollow.facilitator"
    build_demo(path).close()
    SessionFile.open(path).close()
    return path


def _dump(path: Path) -> list[str] | None:
    """What a file says, as SQL; None if SQLite cannot even read it."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return list(conn.iterdump())
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _corruptions(original: bytes, count: int, rng: random.Random):
    """Truncated copies and copies with flipped bytes, half and half."""
    size = len(original)
    for i in range(count):
        if i % 2 == 0:
            yield (
                f"truncated to {size * (i + 1) // (count + 2)} bytes",
                original[: size * (i + 1) // (count + 2)],
            )
        else:
            data = bytearray(original)
            for _ in range(rng.randint(1, 4)):
                offset = rng.randrange(100, size)  # past the header, which is checked first
                data[offset] ^= rng.randrange(1, 256)
            yield "bytes flipped", bytes(data)


def test_damaged_copies_are_each_caught_at_open_and_the_newest_backup_offered(
    real_session, tmp_path, run_slow
):
    """Every copy whose contents changed is refused with one clear line; nothing is written."""
    original = real_session.read_bytes()
    reference = _dump(real_session)
    backup = latest_backup(real_session)
    assert backup is not None
    rng = random.Random(2024)
    target_count = 200 if run_slow else 50
    caught = harmless = 0
    attempts = 0
    while caught < target_count:
        attempts += 1
        assert attempts < target_count * 4, "too many corruptions changed nothing"
        for how, data in _corruptions(original, 2, rng):
            # The damaged file keeps its name, as it would on the facilitator's disk.
            copy = tmp_path / f"copy-{attempts}-{caught}" / real_session.name
            copy.parent.mkdir()
            copy.write_bytes(data)
            if _dump(copy) == reference:
                harmless += 1  # the flip hit unused space: the session is unchanged
                copy.unlink()
                continue
            before = _digest(copy)
            with pytest.raises(err.SessionFileError) as refused:
                SessionFile.open(copy, backups_dir=backup.parent)
            message = str(refused.value)
            assert "\n" not in message and copy.name in message, (how, message)
            if isinstance(refused.value, err.CorruptFileError):
                assert refused.value.backup == backup, how
                assert backup.name in message
            assert _digest(copy) == before, f"{how}: the damaged copy was changed"
            caught += 1
            copy.unlink()
            for extra in ("-wal", "-shm"):
                Path(f"{copy}{extra}").unlink(missing_ok=True)
    assert _digest(real_session) == hashlib.sha256(original).hexdigest()
    # The offered backup itself is sound.
    with SessionFile.open(backup, readonly=True) as saved:
        assert saved.integrity_check() == ["ok"]


async def test_the_app_offers_a_copy_of_the_newest_backup(real_session, tmp_path):
    folder = tmp_path / "sessions"
    folder.mkdir()
    damaged = folder / real_session.name
    data = real_session.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])
    backups = folder / ".backups"
    backups.mkdir()
    good = latest_backup(real_session)
    (backups / good.name).write_bytes(good.read_bytes())
    before = _digest(damaged)

    from facilitator.tui.dialogs import ConfirmDialog
    from facilitator.tui.workshop import WorkshopScreen

    app = app_on(damaged)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, ConfirmDialog):
                break
        assert isinstance(app.screen, ConfirmDialog)
        assert "newest backup" in app.screen.question
        await pilot.press("y")
        await wait_for_workshop(pilot)
        assert isinstance(app.screen, WorkshopScreen)
        restored = app.session.path
        assert restored.parent == folder and "-restored-" in restored.name
        assert app.session.state.info.title.startswith("Wrenhollow")
    assert _digest(damaged) == before


# -- SIGKILL while exporting ---------------------------------------------------------------

EXPORTER = """
import sys
from pathlib import Path
from facilitator.export import export, write_atomic
from facilitator.store.sessionfile import SessionFile, make_engine
with SessionFile.open(Path(sys.argv[1]), readonly=True) as s:
    state = s.state
n = 0
print("ready", flush=True)
while True:
    n += 1
    state.info.title = f"Export number {n}"
    write_atomic(Path(sys.argv[2]), export(state, "html"), force=True)
    print("wrote", n, flush=True)
"""


def test_killing_an_export_leaves_the_old_file_or_a_complete_new_one(
    real_session, tmp_path, run_slow
):
    target = tmp_path / "notes.html"
    target.write_text("<!doctype html><title>old</title><p>the old notes</p>\n</html>\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rng = random.Random(7)
    kills = 60 if run_slow else 12
    seen: list[str] = []
    for _ in range(kills):
        proc = subprocess.Popen(
            [sys.executable, "-c", EXPORTER, str(real_session), str(target)],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert proc.stdout.readline().strip() == b"ready"
        if len(seen) % 2:
            # Every other time, let one export finish first (a busy machine is slow).
            assert proc.stdout.readline().startswith(b"wrote")
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        text = target.read_text()
        assert text.rstrip().endswith("</html>"), "a half-written export replaced the old one"
        seen.append(text)
    seen_new = sum("Export number" in text for text in seen)
    assert seen_new > 0, "no export ever finished: the test proves nothing"


# -- a full disk, seen from the app ---------------------------------------------------------


async def test_a_full_disk_shows_a_message_and_keeps_what_was_typed(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await type_text(pilot, "Amira")
        await pilot.press("enter")
        # Let the file grow no further, then add long names until one cannot be written.
        with app.session.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
            conn.exec_driver_sql(f"PRAGMA max_page_count={pages}")
        box = app.screen.query_one("#new-participant")
        refused = None
        for i in range(40):
            name = f"Person {i} " + "with a very long name " * 20
            box.value = name
            await pilot.press("enter")
            await pilot.pause()
            if any("disk is full" in n.message for n in notifications(app)):
                refused = name
                break
        assert refused is not None, "the disk never filled up"
        assert box.value == refused, "the name being typed was lost"
        saved = [p.name for p in app.session.state.participants.values()]
        assert refused not in saved and saved[0] == "Amira"
    with SessionFile.open(path) as session:
        assert [p.name for p in session.state.participants.values()] == saved
        assert session.integrity_check() == ["ok"]


async def test_typing_that_cannot_be_saved_is_retried_and_quitting_asks_first(
    tmp_path, monkeypatch
):
    """A full disk while typing: said once, retried until it works, and ctrl+q asks
    before throwing the unsaved words away."""
    from facilitator.tui import drafts
    from facilitator.tui.dialogs import ConfirmDialog, UnsavedTypingDialog
    from facilitator.tui.workshop import WorkshopScreen

    monkeypatch.setattr(drafts, "RETRY_SECONDS", 0.05)  # retries come quickly here
    writes: list[str] = []
    flush = drafts.DraftKeeper.flush
    monkeypatch.setattr(drafts.DraftKeeper, "flush", lambda self: (writes.append(""), flush(self)))
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        with app.session.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
            conn.exec_driver_sql(f"PRAGMA max_page_count={pages}")
        box = app.screen.query_one("#new-participant")
        typed = "Ulrika Vantongeren " + "and more words " * 400  # more than a page
        box.value = typed  # (the box has the focus: this counts as typing)
        writes.clear()
        await wait_until(pilot, lambda: len(writes) >= 3, "the first write and two retries")
        await pilot.pause()
        failures = [n for n in notifications(app) if n.title == "Not saved"]
        assert len(failures) == 1 and "disk is full" in failures[0].message
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedTypingDialog) and app.is_running
        assert "y: Quit and lose it    n or Escape: Stay" in screen_text(app)
        await pilot.press("n")  # stay
        # Leaving the session asks the same; and so does ctrl+q over any other question.
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedTypingDialog)
        await pilot.press("n")
        app.push_screen(ConfirmDialog("Remove Ann from this session?"))
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedTypingDialog) and app.is_running
        await pilot.press("n", "n")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        await pilot.pause()
        with app.session.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA max_page_count=1073741823")  # space again
        await wait_until(
            pilot,
            lambda: any(n.message == "Typing is being saved again." for n in notifications(app)),
            "saying the typing is saved again",
        )
        assert box.value == typed
        await pilot.press("ctrl+q")  # nothing unsaved now: no question
        await pilot.pause()
        assert not app.is_running
    with SessionFile.open(path) as session:
        assert session.drafts()["setup.new-participant"] == typed


# -- a long random walk through the domain's commands ---------------------------------------

NAMES = st.sampled_from(["Ann", "Bob", "Zoë 👩🏽‍🌾", "مرحبا", "", "  ", "Council", "x" * 501])
CRITERIA = sorted(commands.load_vocabulary().ids("criteria"))


class Workshop(RuleBasedStateMachine):
    """Add, edit, delete, undo, vote, rate and answer, in any order, on a real file."""

    template: Path | None = None  # an empty session, copied for each walk (creating is slow)

    def __init__(self) -> None:
        super().__init__()
        folder = Path(tempfile.mkdtemp(dir=RAM_DISK))
        if Workshop.template is None or not Workshop.template.exists():
            Workshop.template = folder / "template.facilitator"
            SessionFile.create(Workshop.template, title="Walk").close()
        path = folder / "walk.facilitator"
        shutil.copyfile(Workshop.template, path)
        self.session = SessionFile(path, make_engine(path), None, readonly=False)

    @property
    def state(self):
        return self.session.state

    def _apply(self, make) -> None:
        try:
            events = make()
        except DomainError:
            return
        self.session.apply(events if isinstance(events, list) else [events])

    def _pick(self, kind: str, index: int) -> str | None:
        ids = list(self.state.rows[kind])
        return ids[index % len(ids)] if ids else None

    @rule(name=NAMES)
    def add_participant(self, name):
        self._apply(lambda: commands.add(self.state, "participant", name=name))

    @rule(name=NAMES)
    def add_relationship(self, name):
        self._apply(lambda: commands.add(self.state, "relationship", name=name))

    @precondition(lambda self: self.state.relationships)
    @rule(i=st.integers(0, 50), closeness=st.none() | st.integers(0, 5), name=NAMES)
    def edit_relationship(self, i, closeness, name):
        rid = self._pick("relationship", i)
        self._apply(
            lambda: commands.edit(self.state, "relationship", rid, closeness=closeness, name=name)
        )

    @precondition(lambda self: self.state.relationships or self.state.participants)
    @rule(i=st.integers(0, 50), kind=st.sampled_from(["relationship", "participant"]))
    def delete(self, i, kind):
        eid = self._pick(kind, i)
        if eid is not None:
            self._apply(lambda: commands.remove(self.state, kind, eid))

    @rule()
    def undo(self):
        self.session.undo()

    @precondition(lambda self: self.state.participants)
    @rule(i=st.integers(0, 50), criterion=st.sampled_from(CRITERIA), dots=st.integers(0, 3))
    def vote(self, i, criterion, dots):
        pid = self._pick("participant", i)
        self._apply(lambda: commands.set_dots(self.state, pid, criterion, dots))

    @rule(pair=st.lists(st.sampled_from(CRITERIA), min_size=2, max_size=2))
    def choose(self, pair):
        self._apply(lambda: commands.choose_criteria(self.state, pair, "direct"))

    @precondition(lambda self: self.state.relationships)
    @rule(i=st.integers(0, 50), criterion=st.sampled_from(CRITERIA), score=st.integers(0, 6))
    def rate(self, i, criterion, score):
        rid = self._pick("relationship", i)
        self._apply(lambda: commands.rate(self.state, rid, criterion, score, "because"))

    @rule(text=NAMES)
    def answer(self, text):
        convs = list(self.state.conversations)
        if not convs:
            self._apply(lambda: commands.add(self.state, "conversation", agency_name="Health"))
            return
        self._apply(
            lambda: commands.add(
                self.state, "prompt_answer", conversation_id=convs[0], prompt_id="p", text=text
            )
        )

    @invariant()
    def references_hold(self):
        s = self.state
        for vote in s.rows["criterion_vote"].values():
            assert vote.participant_id in s.participants
        for rating in s.rows["rating"].values():
            assert rating.relationship_id in s.relationships
        for rel in s.relationships.values():
            assert rel.name.strip() and len(rel.name) <= 500
            assert set(rel.holder_participants) <= set(s.participants)
        assert len(s.rows["criterion_choice"]) in (0, 2)

    def teardown(self):
        # Checked once a walk, not after every step: replaying is the slow part.
        assert replay(self.session.journal).snapshot() == self.state.snapshot()
        assert self.session.reload().snapshot() == self.state.snapshot()
        self.session.close()


@pytest.fixture
def walk_settings(run_slow):
    return settings(
        max_examples=2000 if run_slow else 500,
        stateful_step_count=10,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def test_random_walk_keeps_the_invariants_and_replay_equal_to_state(walk_settings):
    Workshop.TestCase.settings = walk_settings
    Workshop.TestCase().runTest()
