"""The room page's routes and security rules, through Starlette's TestClient.

Every refusal is checked twice: the phone gets a clear answer, and nothing reaches
the session.
"""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from room_helpers import Room, csrf_of, dots, join, sid_of, vote, workshop_state

from facilitator.room import security
from facilitator.room.contributions import ACCEPTED, HELD, REMOVED
from facilitator.room.server import COOKIE


@pytest.fixture
def room() -> Room:
    return Room(workshop_state())


def test_join_vote_and_see_it(room: Room) -> None:
    phone = room.phone()
    csrf = join(room, phone, "Alice")
    answer = vote(room, phone, csrf, "trust")
    assert answer.status_code == 303
    assert dots(room, "Alice", "trust") == 1
    page = phone.get(room.url)
    assert "You are <strong>Alice</strong>" in page.text
    assert "Added." in page.text
    # The journal records which device and which participant added it: ids, no names.
    by = room.journal[-1].payload["by"]
    assert by == {"room": "d1", "participant_id": room.pid("Alice")}


def test_wrong_code_is_refused_and_gives_nothing_away(room: Room) -> None:
    phone = room.phone()
    for path in ("/", "/AAAAAA/", "/" + room.hub.code.lower() + "/", "/static/room.css"):
        answer = phone.get(path)
        assert answer.status_code == 404, path
        assert room.hub.code not in answer.text
        assert COOKIE not in answer.headers.get("set-cookie", "")
    assert room.hub.devices == {}
    answer = phone.post("/AAAAAA/join", data={"csrf": "x", "who": "guest"})
    assert answer.status_code == 404


def test_device_cookie_is_private_to_the_room(room: Room) -> None:
    answer = room.phone().get(room.url)
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert f"path=/{room.hub.code.lower()}/" in cookie


@pytest.mark.parametrize(
    "request_args",
    [("get", "/"), ("get", "ROOM"), ("post", "ROOM/join"), ("get", "ROOM/static/room.css")],
)
def test_security_headers_on_every_answer(room: Room, request_args) -> None:
    method, path = request_args
    phone = room.phone()
    answer = getattr(phone, method)(path.replace("ROOM", room.url))
    assert answer.headers["content-security-policy"].startswith("default-src 'self'")
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_only_consenting_names_leave_the_laptop(room: Room) -> None:
    phone = room.phone()
    page = phone.get(room.url).text
    assert "Alice" in page and "Cleo" in page
    assert "Secretname" not in page
    assert "Participant 2" in page  # Bob, numbered as anonymised notes number him
    bob = room.phone("192.168.1.21")
    csrf = join(room, bob, "Bob Secretname")
    vote(room, bob, csrf, "trust")
    for _ in range(3):  # a refused dot: the domain's message would name him
        answer = vote(room, bob, csrf, "respect")
    assert "Secretname" not in answer.text
    assert "Participant 2" in answer.text
    assert "Secretname" not in bob.get(room.url).text


def test_post_without_a_device_is_refused(room: Room) -> None:
    phone = room.phone()
    answer = phone.post(room.url + "add/vote", data={"csrf": "x", "sid": "s" * 12})
    assert answer.status_code == 403
    assert room.state.rows["criterion_vote"] == {}


def test_csrf_token_must_be_this_devices(room: Room) -> None:
    alice, cleo = room.phone("10.0.0.1"), room.phone("10.0.0.2")
    alice_csrf = join(room, alice, "Alice")
    join(room, cleo, "Cleo")
    for token in ("", "0" * 40, alice_csrf):
        answer = vote(room, cleo, token, "trust")
        assert answer.status_code == 403
        assert "out of date" in answer.text
    assert room.state.rows["criterion_vote"] == {}
    # and joining needs a token too
    fresh = room.phone("10.0.0.3")
    fresh.get(room.url)
    assert fresh.post(room.url + "join", data={"who": "guest"}).status_code == 403


def test_revoked_device_and_its_replayed_token_are_refused(room: Room) -> None:
    phone = room.phone()
    csrf = join(room, phone, "Alice")
    token = phone.cookies.get(COOKIE)
    room.hub.revoke("d1")
    assert vote(room, phone, csrf, "trust").status_code == 403
    assert phone.get(room.url).status_code == 403
    # The same token from another client (copied off the phone) is refused as well.
    other = room.phone("10.9.9.9")
    other.cookies.set(COOKIE, token, path=room.url)
    assert vote(room, other, csrf, "trust").status_code == 403
    assert room.state.rows["criterion_vote"] == {}
    # and a name held by a revoked phone can be taken again
    again = room.phone("10.9.9.8")
    join(room, again, "Alice")


def test_a_name_joins_from_one_phone_only(room: Room) -> None:
    join(room, room.phone("10.0.0.1"), "Alice")
    second = room.phone("10.0.0.2")
    csrf = csrf_of(second.get(room.url).text)
    answer = second.post(room.url + "join", data={"csrf": csrf, "who": room.pid("Alice")})
    assert answer.status_code == 409
    answer = second.post(room.url + "join", data={"csrf": csrf, "who": "nobody"})
    assert answer.status_code == 400


def test_oversize_and_unmeasured_bodies_are_refused(room: Room) -> None:
    phone = room.phone()
    csrf = join(room, phone, "Alice")
    big = {"csrf": csrf, "sid": "s" * 12, "criterion": "trust", "delta": "1", "x": "y" * 5000}
    answer = phone.post(room.url + "add/vote", data=big)
    assert answer.status_code == 413
    assert answer.headers["x-frame-options"] == "DENY"
    chunks = (part for part in [b"csrf=", csrf.encode(), b"&delta=1"])
    answer = phone.post(room.url + "add/vote", content=chunks)  # sent without a length
    assert answer.status_code == 411
    assert room.state.rows["criterion_vote"] == {}


def test_only_its_own_forms(room: Room) -> None:
    phone = room.phone()
    csrf = join(room, phone, "Alice")
    answer = phone.post(
        room.url + "add/vote", json={"csrf": csrf, "sid": "s" * 12, "criterion": "trust"}
    )
    assert answer.status_code == 415
    answer = phone.post(room.url + "add/secrets", data={"csrf": csrf, "sid": "s" * 12})
    assert answer.status_code == 404
    assert room.state.rows["criterion_vote"] == {}


def test_rate_limit_per_device(room: Room, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(security, "clock", lambda: now[0])
    phone = room.phone()
    csrf = join(room, phone, "Alice")
    codes = [
        vote(room, phone, csrf, "trust", +1 if i % 2 == 0 else -1).status_code for i in range(40)
    ]
    assert 429 in codes
    refused_from = codes.index(429)
    assert refused_from >= 10
    stored = len(room.hub.contributions)
    assert stored == refused_from
    now[0] += 60  # a minute later it is allowed again
    assert vote(room, phone, csrf, "respect").status_code == 303


def test_new_devices_from_one_address_are_limited(room: Room) -> None:
    answers = [room.phone("10.1.1.1").get(room.url).status_code for _ in range(30)]
    assert answers[0] == 200 and answers[-1] == 429
    assert room.phone("10.1.1.2").get(room.url).status_code == 200


def test_resubmitted_form_counts_once(room: Room) -> None:
    phone = room.phone()
    csrf = join(room, phone, "Alice")
    sid = sid_of(phone.get(room.url).text)
    for _ in range(3):
        assert vote(room, phone, csrf, "trust", sid=sid).status_code == 303
    assert dots(room, "Alice", "trust") == 1
    assert len(room.hub.contributions) == 1


def test_allowance_and_taking_back(room: Room) -> None:
    phone = room.phone()
    csrf = join(room, phone, "Alice")
    assert vote(room, phone, csrf, "trust").status_code == 303
    assert vote(room, phone, csrf, "trust").status_code == 303
    third = vote(room, phone, csrf, "respect")
    assert third.status_code == 400
    assert "All your 2 dots are placed" in third.text
    assert vote(room, phone, csrf, "trust", -1).status_code == 303
    assert vote(room, phone, csrf, "respect", -1).status_code == 400
    assert dots(room, "Alice", "trust") == 1 and dots(room, "Alice", "respect") == 0
    assert vote(room, phone, csrf, "nonsense").status_code == 400
    assert vote(room, phone, csrf, "trust", 5).status_code == 400


def test_guests_add_but_do_not_vote() -> None:
    room = Room(workshop_state("criteria"))
    phone = room.phone()
    csrf = join(room, phone, None)
    assert "Guests can watch the wall" in phone.get(room.url).text
    assert vote(room, phone, csrf, "trust").status_code == 400
    room.state.info.current_stage = "all-relationships"
    sid = sid_of(phone.get(room.url).text)
    data = {"csrf": csrf, "sid": sid, "name": "Leisure centre", "agency_type": "other", "ring": "2"}
    assert phone.post(room.url + "add/relationship", data=data).status_code == 303
    (rel,) = room.state.relationships.values()
    assert (rel.name, rel.agency_type, rel.closeness) == ("Leisure centre", "other", 2)
    assert room.journal[-1].payload["by"]["participant_id"] is None


def test_only_what_is_open(room: Room) -> None:
    phone = room.phone()
    csrf = join(room, phone, "Alice")
    room.hub.opening = "nothing"
    assert "Nothing open just now" in phone.get(room.url).text
    assert vote(room, phone, csrf, "trust").status_code == 409
    room.hub.opening = "map"
    assert vote(room, phone, csrf, "trust").status_code == 409
    assert room.state.rows["criterion_vote"] == {}


def _relationship(room: Room, phone, csrf: str, **fields: str):
    data = {"csrf": csrf, "sid": sid_of(phone.get(room.url).text), **fields}
    return phone.post(room.url + "add/relationship", data=data)


def test_hostile_text_is_refused_or_made_safe() -> None:
    room = Room(workshop_state("all-relationships"))
    phone = room.phone()
    csrf = join(room, phone, "Alice")
    assert _relationship(room, phone, csrf, name="x" * 201).status_code == 400
    assert _relationship(room, phone, csrf, name="\x00\x07\x1b").status_code == 400
    assert _relationship(room, phone, csrf, name="Ok", agency_type="<b>").status_code == 400
    assert _relationship(room, phone, csrf, name="Ok", ring="9").status_code == 400
    assert room.state.relationships == {}
    markup = '<script>alert(1)</script>[bold]Council\x1b[31m "x"'
    assert _relationship(room, phone, csrf, name=markup).status_code == 303
    (rel,) = room.state.relationships.values()
    assert "\x1b" not in rel.name and rel.name.startswith("<script>")
    page = phone.get(room.url).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_name_is_stored_clean_or_refused(text: str) -> None:
    room = Room(workshop_state("all-relationships"))
    phone = room.phone()
    csrf = join(room, phone, "Alice")
    answer = _relationship(room, phone, csrf, name=text)
    assert answer.status_code in (303, 400)
    if answer.status_code == 400:
        assert room.state.relationships == {}
        return
    (rel,) = room.state.relationships.values()
    assert rel.name and len(rel.name) <= 200
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in rel.name)
    page = phone.get(room.url).text
    assert "<" not in rel.name or "&lt;" in page


def test_notes_go_to_the_conversation_under_way() -> None:
    from facilitator.domain import commands
    from facilitator.domain import events as ev

    room = Room(workshop_state("conversation"))
    phone = room.phone()
    csrf = join(room, phone, "Cleo")
    assert "Nothing open just now" in phone.get(room.url).text  # no conversation yet
    started = commands.add(
        room.state, "conversation", agency_name="Health centre", current_prompt_id="p1"
    )
    ev.apply_event(room.state, started)
    data = {"csrf": csrf, "sid": sid_of(phone.get(room.url).text), "text": "Waiting lists"}
    assert phone.post(room.url + "add/note", data={**data, "tag": "agreement"}).status_code == 400
    assert phone.post(room.url + "add/note", data={**data, "tag": "ask"}).status_code == 303
    (note,) = room.state.rows["prompt_answer"].values()
    assert (note.text, note.tag, note.prompt_id) == ("Waiting lists", "ask", "p1")


def test_hold_accept_remove() -> None:
    room = Room(workshop_state("all-relationships"))
    room.hub.hold = True
    phone = room.phone()
    csrf = join(room, phone, "Alice")
    assert _relationship(room, phone, csrf, name="Police").status_code == 303
    (c,) = room.hub.contributions
    assert c.status == HELD and room.state.relationships == {}
    assert "waiting for the facilitator" in phone.get(room.url).text
    asyncio.run(room.hub.accept(c.id))
    assert c.status == ACCEPTED and [r.name for r in room.state.relationships.values()] == [
        "Police"
    ]
    asyncio.run(room.hub.hold_back(c.id))
    assert c.status == HELD and room.state.relationships == {}
    asyncio.run(room.hub.accept(c.id))
    asyncio.run(room.hub.remove(c.id))
    assert c.status == REMOVED and room.state.relationships == {}


def test_version_answers_only_joined_devices(room: Room) -> None:
    phone = room.phone()
    assert phone.get(room.url + "version").status_code == 403
    join(room, phone, "Alice")
    before = phone.get(room.url + "version").json()["version"]
    vote(room, phone, csrf_of(phone.get(room.url).text), "trust")
    after = phone.get(room.url + "version").json()["version"]
    assert after != before
    room.state.info.current_stage = "all-relationships"  # the wall moved on
    assert phone.get(room.url + "version").json()["version"] != after


def test_a_dropped_phone_comes_back_as_itself(room: Room) -> None:
    phone = room.phone("192.168.1.30")
    csrf = join(room, phone, "Alice")
    vote(room, phone, csrf, "trust")
    token = phone.cookies.get(COOKIE)
    # The phone drops off the Wi-Fi and comes back with a new address and connection.
    back = room.phone("192.168.1.77")
    back.cookies.set(COOKIE, token, path=room.url)
    page = back.get(room.url)
    assert "You are <strong>Alice</strong>" in page.text
    assert "+1 dot: Trust" in page.text
    assert "set-cookie" not in page.headers  # no new identity
    assert vote(room, back, csrf_of(page.text), "trust").status_code == 303
    assert dots(room, "Alice", "trust") == 2
    assert len(room.hub.devices) == 1


def test_pages_are_rate_limited_too(room: Room, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "clock", lambda: 5000.0)
    phone = room.phone()
    join(room, phone, "Alice")
    codes = [phone.get(room.url + "version").status_code for _ in range(40)]
    assert codes[0] == 200 and codes[-1] == 429
    assert phone.get(room.url).status_code == 429
