"""Shared set-up for the room page's tests: a session state, a hub, a phone."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from facilitator.domain import commands
from facilitator.domain import events as ev
from facilitator.domain.model import SessionState
from facilitator.room.contributions import events_for, events_to_take_out
from facilitator.room.hub import Hub
from facilitator.room.server import COOKIE, build_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient


@dataclass
class Room:
    """A hub over a plain state, committing as the TUI would (through the events)."""

    state: SessionState
    hub: Hub = field(init=False)
    journal: list[ev.Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        async def apply(c: Any, how: str) -> None:
            found = events_for(self.state, c) if how == "add" else events_to_take_out(self.state, c)
            for event in found:
                ev.validate(event)
                ev.apply_event(self.state, event)
            self.journal.extend(found)

        self.hub = Hub(lambda: self.state, apply)
        self.app = build_app(self.hub)

    def phone(self, address: str = "192.168.1.20") -> TestClient:
        return TestClient(
            self.app, base_url="http://room.test", client=(address, 50000), follow_redirects=False
        )

    @property
    def url(self) -> str:
        return f"/{self.hub.code}/"

    def pid(self, name: str) -> str:
        return next(pid for pid, p in self.state.participants.items() if p.name == name)


def workshop_state(stage: str = "criteria") -> SessionState:
    """Alice (happy to be named), Bob (not), Cleo (named); the given stage on the wall."""
    state = SessionState()
    for name, consent in (("Alice", True), ("Bob Secretname", False), ("Cleo", True)):
        ev.apply_event(state, commands.add(state, "participant", name=name, consent_named=consent))
    for event in commands.update_session(state, current_stage=stage):
        ev.apply_event(state, event)
    return state


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def sid_of(html: str) -> str:
    found = re.search(r'name="sid" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def join(room: Room, phone: TestClient, who: str | None = "Alice") -> str:
    """Open the page and join as ``who`` (None: a guest); returns the CSRF token."""
    page = phone.get(room.url)
    assert page.status_code == 200
    token = csrf_of(page.text)
    choice = "guest" if who is None else room.pid(who)
    done = phone.post(room.url + "join", data={"csrf": token, "who": choice})
    assert done.status_code == 303, done.text
    assert phone.cookies.get(COOKIE)
    return token


def vote(room: Room, phone: TestClient, csrf: str, criterion: str, delta: int = 1, sid=None):
    return phone.post(
        room.url + "add/vote",
        data={
            "csrf": csrf,
            "sid": sid or f"sid-{criterion}-{delta}-{len(room.hub.contributions)}",
            "criterion": criterion,
            "delta": str(delta),
        },
    )


def dots(room: Room, name: str, criterion: str) -> int:
    found = room.state.where(
        "criterion_vote", participant_id=room.pid(name), criterion_id=criterion, round=1
    )
    return found[0][1].dots if found else 0
