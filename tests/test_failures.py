"""A bug inside a screen, an action or a worker is shown as a message; the app goes on."""

from __future__ import annotations

from facilitator.domain import commands
from facilitator.store.sessionfile import SessionFile
from facilitator.tui.export_dialog import ExportDialog
from facilitator.tui.guard import log_path
from facilitator.tui.workshop import WorkshopScreen
from tests.tui_helpers import app_on, new_session_file, notifications, type_text, wait_for_workshop


def _boom(*_args, **_kwargs):
    raise RuntimeError("injected failure")


async def test_failure_in_a_handler_and_an_action_keeps_the_app_running(tmp_path, monkeypatch):
    monkeypatch.setenv("FACILITATOR_RAISE_ERRORS", "0")
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await type_text(pilot, "Amira Khan")
        await pilot.press("enter")
        assert len(app.session.state.participants) == 1

        # A handler (Enter in the add box) that fails.
        with monkeypatch.context() as patch:
            patch.setattr(commands, "add", _boom)
            await type_text(pilot, "Dev Patel")
            await pilot.press("enter")
            await pilot.pause()
        # An action (a key binding) that fails.
        with monkeypatch.context() as patch:
            patch.setattr(WorkshopScreen, "action_timebox", _boom)
            await pilot.press("ctrl+t")
            await pilot.pause()

        assert [str(e) for e in app.failures] == ["injected failure", "injected failure"]
        shown = [n.message for n in notifications(app)]
        assert sum("injected failure" in m and "safe" in m for m in shown) == 2
        assert isinstance(app.screen, WorkshopScreen)
        # ...and the same box still works afterwards, nothing lost.
        box = app.screen.query_one("#new-participant")
        assert box.value == "Dev Patel"
        await pilot.press("enter")
        await pilot.pause()
        assert [p.name for p in app.session.state.participants.values()] == [
            "Amira Khan",
            "Dev Patel",
        ]
    log = log_path(path.parent).read_text()
    assert log.count("RuntimeError: injected failure") == 2
    assert log_path(path.parent).stat().st_mode & 0o777 == 0o600
    with SessionFile.open(path) as session:
        assert len(session.state.participants) == 2


async def test_failure_in_the_export_worker_is_shown_in_the_dialog(tmp_path, monkeypatch):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        import facilitator.export as export_module

        monkeypatch.setattr(export_module, "export", _boom)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("ctrl+s")
        for _ in range(40):
            await pilot.pause(0.05)
            text = str(app.screen.query_one("#export-result").render())
            if text.startswith("Not exported"):
                break
        assert text == "Not exported: injected failure"
        assert not list((path.parent / "exports").glob("*.md"))
        await pilot.press("escape")
        assert isinstance(app.screen, WorkshopScreen)


async def test_export_dialog_writes_the_chosen_format(tmp_path):
    path = new_session_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+r")
        dialog = app.screen
        formats = dialog.query_one("#formats")
        formats.deselect_all()
        formats.select("svg")
        await pilot.pause()
        target = dialog.query_one("#target").value
        assert target.endswith("exports/2026-03-14-spring-mapping-workshop.svg")
        await pilot.press("ctrl+s")
        for _ in range(60):
            await pilot.pause(0.05)
            if str(dialog.query_one("#export-result").render()).startswith("Saved"):
                break
        written = path.parent / "exports" / "2026-03-14-spring-mapping-workshop.svg"
        assert written.exists() and written.read_text().startswith("<?xml")
        # Exporting again without "replace" is refused, and the file is kept.
        await pilot.press("ctrl+s")
        for _ in range(60):
            await pilot.pause(0.05)
            if str(dialog.query_one("#export-result").render()).startswith("Not exported"):
                break
        assert "already exists" in str(dialog.query_one("#export-result").render())
