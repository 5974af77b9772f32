"""One room: its join code, the phones that joined, and what they contributed.

The hub lives on the app's event loop (the web server runs there too), so nothing in
it needs a lock. It never writes the session itself: contributions go to ``apply``,
which the TUI provides and which commits them on the UI loop, through the same
commands and journal as the keyboard.
"""

from __future__ import annotations

import itertools
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from facilitator.domain.commands import DomainError
from facilitator.domain.model import SessionState
from facilitator.room import security
from facilitator.room.contributions import (
    ACCEPTED,
    HELD,
    REMOVED,
    WAITING,
    Contribution,
    events_for,
    open_conversation,
)

# What the facilitator can open to the room. "follow": whatever the stage on the wall is.
OPENINGS = ("follow", "vote", "map", "notes", "nothing")
_BY_STAGE = {"criteria": "vote", "all-relationships": "map", "conversation": "notes"}


class Refused(Exception):
    """A request the room turns down, with a message for the phone and an HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Device:
    id: str  # short and public: "d7"
    token: str  # the secret in the phone's cookie
    address: str = ""
    joined: bool = False
    participant_id: str | None = None  # None: a guest
    guest_no: int = 0
    revoked: bool = False
    flash: str = ""  # a message for the phone's next page
    submissions: OrderedDict[str, Contribution] = field(default_factory=OrderedDict)


Apply = Callable[[Contribution, str], Awaitable[None]]


class Hub:
    def __init__(
        self,
        get_state: Callable[[], SessionState],
        apply: Apply,
        *,
        join_code: str | None = None,
    ) -> None:
        self.get_state = get_state
        self.apply = apply  # (contribution, "add" | "take-out"): commit it, or raise
        self.code = join_code or security.new_join_code()
        self.secret = security.new_token().encode()
        self.limits = security.RateLimits()
        self.opening = "follow"
        self.hold = False  # keep every contribution out until the facilitator accepts it
        self.devices: dict[str, Device] = {}  # by token
        self.contributions: list[Contribution] = []
        self.version = 0  # goes up whenever something a phone shows may have changed
        self.on_change: Callable[[], None] = lambda: None  # the TUI's redraw hook
        self._ids = itertools.count(1)
        self._guests = itertools.count(1)

    # -- devices ----------------------------------------------------------------------------

    def device(self, token: str | None) -> Device | None:
        if not token:
            return None
        found = self.devices.get(token)
        if found is not None and security.same(token, found.token):
            return found
        return None

    def new_device(self, address: str) -> Device:
        if not self.limits.allow("NEW_DEVICE", address):
            raise Refused("Too many new phones from one address: wait a minute.", 429)
        if len(self.devices) >= security.MAX_DEVICES:
            raise Refused("The room is full.", 503)
        device = Device(id=f"d{next(self._ids)}", token=security.new_token(), address=address)
        self.devices[device.token] = device
        return device

    def csrf(self, device: Device) -> str:
        return security.csrf_token(self.secret, device.token)

    def names(self) -> list[tuple[str, str, bool]]:
        """(participant id, name as the phone may show it, taken) for present participants.

        Only those who agreed to be named are shown by name; the others as "Participant
        N", the same way anonymised notes number them.
        """
        state = self.get_state()
        taken = {d.participant_id for d in self.devices.values() if d.joined and not d.revoked}
        out = []
        for n, (pid, p) in enumerate(state.participants.items(), start=1):
            if p.present:
                out.append((pid, p.name if p.consent_named else f"Participant {n}", pid in taken))
        return out

    def public_name(self, device: Device) -> str:
        """The name a device's own page shows for it."""
        if device.participant_id is None:
            return f"Guest {device.guest_no}"
        for pid, name, _taken in self.names():
            if pid == device.participant_id:
                return name
        return "Participant"

    def label(self, device: Device) -> str:
        """The name the facilitator sees (on the laptop only)."""
        if device.participant_id is None:
            return f"Guest {device.guest_no}" if device.joined else "Not joined yet"
        p = self.get_state().participants.get(device.participant_id)
        return p.name if p else "(removed participant)"

    def join(self, device: Device, choice: str) -> None:
        if device.joined:
            raise Refused("This phone has joined already.", 409)
        if choice == "guest":
            device.participant_id, device.guest_no = None, next(self._guests)
        else:
            found = {pid: taken for pid, _name, taken in self.names()}
            if choice not in found:
                raise Refused("That name is not on the list: pick again.")
            if found[choice]:
                raise Refused("Another phone has joined with that name.", 409)
            device.participant_id = choice
        device.joined = True
        self.changed()

    def revoke(self, device_id: str) -> None:
        for device in self.devices.values():
            if device.id == device_id:
                device.revoked = True
        self.changed()

    # -- what is open -------------------------------------------------------------------------

    def what_is_open(self) -> str:
        """ "vote", "map", "notes" or "nothing", as the phone should see it now."""
        state = self.get_state()
        opening = self.opening
        if opening == "follow":
            opening = _BY_STAGE.get(state.info.current_stage, "nothing")
        if opening == "notes" and open_conversation(state) is None:
            return "nothing"
        return opening

    def changed(self) -> None:
        self.version += 1
        self.on_change()

    # -- contributions -----------------------------------------------------------------------

    async def contribute(
        self, device: Device, kind: str, fields: dict[str, Any], submission_id: str
    ) -> Contribution:
        """Take one contribution from a phone; the same submission id twice counts once."""
        earlier = device.submissions.get(submission_id)
        if earlier is not None:
            return earlier
        wanted = {"vote": "vote", "relationship": "map", "note": "notes"}[kind]
        if self.what_is_open() != wanted:
            raise Refused("The facilitator has not opened that to the room just now.", 409)
        c = Contribution(
            id=f"c{next(self._ids)}",
            device_id=device.id,
            participant_id=device.participant_id,
            kind=kind,
            fields=fields,
            submission_id=submission_id,
            arrived=time.perf_counter(),
        )
        try:
            events_for(self.get_state().clone(), c)  # a dry run: refuse bad input now
        except DomainError as exc:
            raise Refused(str(exc)) from None
        device.submissions[submission_id] = c
        while len(device.submissions) > security.MAX_SUBMISSIONS_REMEMBERED:
            device.submissions.popitem(last=False)
        self.contributions.append(c)
        if self.hold:
            c.status = HELD
            self.changed()
            return c
        await self._put_in(c)
        return c

    async def _put_in(self, c: Contribution) -> None:
        try:
            await self.apply(c, "add")
        except DomainError as exc:
            c.status, c.message = REMOVED, str(exc)
        else:
            c.status, c.message = ACCEPTED, ""
        self.changed()

    async def accept(self, contribution_id: str) -> None:
        c = self.find(contribution_id)
        if c is not None and c.status in (HELD, REMOVED, WAITING):
            await self._put_in(c)

    async def hold_back(self, contribution_id: str) -> None:
        """Keep a contribution out of the session (taking it out if it was in)."""
        c = self.find(contribution_id)
        if c is None or c.status == HELD:
            return
        if c.status == ACCEPTED:
            await self.apply(c, "take-out")
        c.status = HELD
        self.changed()

    async def remove(self, contribution_id: str) -> None:
        c = self.find(contribution_id)
        if c is None or c.status == REMOVED:
            return
        if c.status == ACCEPTED:
            await self.apply(c, "take-out")
        c.status, c.message = REMOVED, "removed by the facilitator"
        self.changed()

    def find(self, contribution_id: str) -> Contribution | None:
        return next((c for c in self.contributions if c.id == contribution_id), None)

    def mine(self, device: Device) -> list[Contribution]:
        return [c for c in self.contributions if c.device_id == device.id][-20:]

    def counts(self) -> dict[str, int]:
        joined = sum(1 for d in self.devices.values() if d.joined and not d.revoked)
        held = sum(1 for c in self.contributions if c.status == HELD)
        return {"phones": joined, "held": held, "arrived": len(self.contributions)}
