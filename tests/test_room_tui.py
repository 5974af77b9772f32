"""The room page from the facilitator's side: opening, arrivals, holding, closing.

Phones are real HTTP clients on 127.0.0.1, talking to the server the app runs in its
own event loop.
"""

from __future__ import annotations

import re
import signal
from pathlib import Path

import httpx2 as httpx
import pytest
from tui_helpers import new_session_file, screen_text, wait_for_workshop

from facilitator.domain import commands
from facilitator.store.sessionfile import SessionFile
from facilitator.tui.app import make_app
from tests.tui_helpers import notifications


def room_session(folder: Path, stage: str = "criteria") -> Path:
    path = new_session_file(folder)
    session = SessionFile.open(path)
    session.apply([commands.add(session.state, "participant", name="Alice", consent_named=True)])
    session.apply([commands.add(session.state, "participant", name="Bob Secretname")])
    session.apply(commands.update_session(session.state, current_stage=stage))
    session.close()
    return path


def room_app(path: Path, **kw):
    return make_app(sessions_dir=path.parent, open_path=path, room_host="127.0.0.1", **kw)


async def until(pilot, condition, tries: int = 100) -> None:
    """Let the app run until ``condition()`` holds (the wall redraws a moment after)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition()


def link_of(app):
    from facilitator.tui.room import RoomLink
    from facilitator.tui.workshop import WorkshopScreen

    workshop = next(s for s in app.screen_stack if isinstance(s, WorkshopScreen))
    found = list(workshop.query(RoomLink))
    return found[0] if found else None


async def phone_joins(client: httpx.AsyncClient, url: str, who: str = "Alice") -> str:
    page = await client.get(url)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    if who == "guest":
        choice = "guest"
    else:
        choice = re.search(rf'value="([0-9a-f]+)">\s*{who}', page.text).group(1)
    joined = await client.post(url + "join", data={"csrf": csrf, "who": choice})
    assert joined.status_code == 303
    return csrf


async def test_ctrl_j_opens_the_room_and_a_phone_vote_fills_the_grid(tmp_path: Path) -> None:
    from facilitator.tui.room_screen import RoomScreen

    app = room_app(room_session(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        assert link_of(app) is None  # off by default
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert isinstance(app.screen, RoomScreen)
        link = link_of(app)
        text = screen_text(app)
        assert link.hub.code in text and "127.0.0.1" in text
        assert "▀" in text or "▄" in text  # the QR code
        await pilot.press("escape")
        await pilot.pause()
        assert "Room open" in screen_text(app)
        async with httpx.AsyncClient() as phone:
            csrf = await phone_joins(phone, link.address)
            answer = await phone.post(
                link.address + "add/vote",
                data={"csrf": csrf, "sid": "first-vote-1", "criterion": "trust", "delta": "1"},
            )
            assert answer.status_code == 303
        await until(pilot, lambda: "1 phone" in screen_text(app))
        votes = list(app.session.state.rows["criterion_vote"].values())
        assert [(v.criterion_id, v.dots) for v in votes] == [("trust", 1)]
        last = app.session.journal[-1]
        assert last.payload["by"]["room"] == "d1"
        # The criteria pane on the wall shows the dot.
        await until(pilot, lambda: re.search(r"Trust\s.*\s1\s", screen_text(app)))


async def test_closing_the_room_refuses_connections(tmp_path: Path) -> None:
    app = room_app(room_session(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+j")
        await pilot.pause()
        address = link_of(app).address
        async with httpx.AsyncClient() as phone:
            assert (await phone.get(address)).status_code == 200
            await pilot.press("ctrl+w")
            await pilot.pause()
            assert link_of(app) is None
            with pytest.raises(httpx.ConnectError):
                await phone.get(address)


async def test_leaving_the_session_closes_the_room(tmp_path: Path) -> None:
    from facilitator.tui.room_screen import RoomScreen

    app = room_app(room_session(tmp_path), room=True)  # as `open FILE --room`
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(200):
            await pilot.pause(0.05)
            if isinstance(app.screen, RoomScreen):
                break
        address = link_of(app).address
        await pilot.press("escape")
        async with httpx.AsyncClient() as phone:
            assert (await phone.get(address)).status_code == 200
            await pilot.press("ctrl+l")
            await pilot.pause()
            await pilot.pause()
            with pytest.raises(httpx.ConnectError):
                await phone.get(address)


async def test_the_apps_stop_signal_handling_is_kept(tmp_path: Path) -> None:
    app = room_app(room_session(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
        await pilot.press("ctrl+j")
        await pilot.pause()
        async with httpx.AsyncClient() as phone:
            assert (await phone.get(link_of(app).address)).status_code == 200
        assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


async def test_hold_accept_and_remove_from_the_panel(tmp_path: Path) -> None:
    app = room_app(room_session(tmp_path, "all-relationships"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+j", "h")  # hold everything to check first
        await pilot.pause()
        link = link_of(app)
        assert link.hub.hold
        async with httpx.AsyncClient() as phone:
            csrf = await phone_joins(phone, link.address, "guest")
            data = {"csrf": csrf, "sid": "rel-0001", "name": "[b]Job Centre", "ring": "3"}
            assert (await phone.post(link.address + "add/relationship", data=data)).is_redirect
        await pilot.pause()
        assert app.session.state.relationships == {}
        await until(pilot, lambda: "held  Guest 1: Relationship: [b]Job Centre" in screen_text(app))
        await pilot.press("a")
        await pilot.pause()
        (rel,) = app.session.state.relationships.values()
        assert (rel.name, rel.closeness) == ("[b]Job Centre", 3)
        await pilot.press("p")
        await pilot.pause()
        assert app.session.state.relationships == {}
        await pilot.press("a", "delete")
        await pilot.pause()
        assert app.session.state.relationships == {}
        await until(pilot, lambda: "out  Guest 1" in screen_text(app))
        # Each step went through the journal.
        kinds = [e.kind for e in app.session.journal if "by" in e.payload]
        assert kinds == ["relationship.added", "relationship.removed"] * 2


async def test_a_phone_can_be_taken_out(tmp_path: Path) -> None:
    app = room_app(room_session(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+j")
        await pilot.pause()
        link = link_of(app)
        async with httpx.AsyncClient() as phone:
            csrf = await phone_joins(phone, link.address)
            await pilot.pause()
            await pilot.press("tab", "k")  # the phones list, then take it out
            await until(pilot, lambda: "Alice (taken out)" in screen_text(app))
            data = {"csrf": csrf, "sid": "late-vote-1", "criterion": "trust", "delta": "1"}
            assert (await phone.post(link.address + "add/vote", data=data)).status_code == 403
        assert app.session.state.rows["criterion_vote"] == {}


async def test_room_is_in_the_command_palette(tmp_path: Path) -> None:
    app = room_app(room_session(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Room" in titles


async def test_an_address_that_cannot_be_used_is_one_message(tmp_path: Path) -> None:
    path = room_session(tmp_path)
    app = make_app(sessions_dir=tmp_path, open_path=path, room_host="203.0.113.7")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert link_of(app) is None
        (note,) = notifications(app)
        assert "The room could not open on 203.0.113.7" in note.message


async def test_replay_shows_which_phone_added_what(tmp_path: Path) -> None:
    from facilitator.room.contributions import Contribution, events_for

    path = room_session(tmp_path)
    session = SessionFile.open(path)
    alice = next(iter(session.state.participants))
    vote = Contribution("c1", "d1", alice, "vote", {"criterion_id": "trust", "delta": 1}, "s1")
    session.apply(events_for(session.state, vote))
    session.close()
    app = make_app(sessions_dir=tmp_path, replay_path=path)
    async with app.run_test(size=(160, 24)) as pilot:
        await until(pilot, lambda: "Event" in screen_text(app))
        await pilot.press("end")
        await until(pilot, lambda: "from a phone: Alice" in screen_text(app))


async def test_the_room_bar_and_the_footer_both_show(tmp_path: Path) -> None:
    app = room_app(room_session(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        await pilot.press("ctrl+j", "escape")
        await until(pilot, lambda: "Room open" in screen_text(app))
        lines = [line for line in screen_text(app).splitlines() if line.strip()]
        assert "Room open" in lines[-2]
        assert "Undo" in lines[-1]  # the Footer's keys are still there
