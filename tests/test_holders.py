"""One rule counts a relationship's holders: a role ticked beside a person in it is one."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from facilitator.domain import commands
from facilitator.domain.events import apply_event
from facilitator.domain.holders import holder_count, is_fragile
from facilitator.domain.model import Participant, SessionState
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.export import export
from facilitator.tui.stages.map_entries import FLAG_WARN, entries_from_state

NS = "{http://graphml.graphdrawing.org/xmlns}"
ROLES = [t.id for t in load_vocabulary().holders]


def _session(ann_role: str = "resident-member", named: bool = False, **rel: object):
    state = SessionState()
    apply_event(
        state,
        commands.add(
            state, "participant", entity_id="ann", name="Ann", role=ann_role, consent_named=named
        ),
    )
    apply_event(
        state,
        commands.add(state, "relationship", entity_id="r1", name="Surgery", **rel),
    )
    return state


def test_a_person_and_their_own_role_are_one_holder():
    people = {"ann": Participant(name="Ann", role="resident-member")}
    assert holder_count(["resident-member"], ["ann"], people) == 1
    assert is_fragile(["resident-member"], ["ann"], people)


def test_a_person_and_a_different_role_are_two_holders():
    people = {"ann": Participant(name="Ann", role="resident-member")}
    assert holder_count(["chair"], ["ann"], people) == 2
    assert not is_fragile(["chair"], ["ann"], people)


def test_two_people_in_one_role_are_two_holders_and_the_role_adds_none():
    people = {
        "ann": Participant(name="Ann", role="chair"),
        "bob": Participant(name="Bob", role="chair"),
    }
    assert holder_count(["chair"], ["ann", "bob"], people) == 2


def test_a_person_no_longer_in_the_session_still_counts_once():
    assert holder_count(["chair"], ["gone"], {}) == 2
    assert holder_count([], ["gone", "gone"], {}) == 1


def test_nobody_ticked_is_not_fragile():
    assert holder_count([], [], {}) == 0
    assert not is_fragile([], [], {})


people_strategy = st.dictionaries(
    st.sampled_from(["p1", "p2", "p3", "p4"]),
    st.sampled_from(ROLES + ["agency-staff", "councillor"]),
    max_size=4,
)


@given(
    people_strategy,
    st.lists(st.sampled_from(ROLES), unique=True),
    st.lists(st.sampled_from(["p1", "p2", "p3", "p4", "gone"]), unique=True),
)
def test_holder_count_is_people_plus_roles_nobody_named_has(roles_of, roles, named):
    people = {pid: Participant(name=pid, role=role) for pid, role in roles_of.items()}
    count = holder_count(roles, named, people)
    # never more than everything ticked, never fewer than the people named
    assert len(named) <= count <= len(named) + len(roles)
    # ticking the role of someone already named never adds a holder
    for pid in named:
        if pid in people:
            with_role = roles + [people[pid].role] if people[pid].role not in roles else roles
            assert holder_count(with_role, named, people) == count
    # a role nobody named has always adds exactly one holder
    held = {people[pid].role for pid in named if pid in people}
    spare = [r for r in ROLES if r not in held and r not in roles]
    if spare:
        assert holder_count(roles + spare[:1], named, people) == count + 1
    # order does not matter
    assert holder_count(list(reversed(roles)), list(reversed(named)), people) == count


def test_ann_and_her_role_flag_the_relationship_fragile_everywhere():
    state = _session(holder_roles=["resident-member"], holder_participants=["ann"])
    flags = commands.relationship_flags(state)
    assert "fragile: one person holds this" in flags["r1"]
    (entry,) = entries_from_state(state, flags)
    assert entry.flag == FLAG_WARN
    notes = export(state, "md").decode()
    fragile_part = notes.split("Fragile relationships", 1)[1]
    assert "Surgery" in fragile_part.split("##", 1)[0]
    assert "held only by a resident member." in fragile_part  # Ann did not agree to be named
    with zipfile.ZipFile(io.BytesIO(export(state, "csv"))) as archive:
        name = next(n for n in archive.namelist() if "relationship" in n)
        rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert rows[0]["fragile"] == "yes"
    graph = ET.fromstring(export(state, "graphml"))
    keys = {k.get("id"): k.get("attr.name") for k in graph.iter(f"{NS}key")}
    counts = [d.text for d in graph.iter(f"{NS}data") if keys[d.get("key")] == "holder_count"]
    assert counts == ["1"]


def test_ann_with_a_different_role_is_not_fragile():
    state = _session(holder_roles=["chair"], holder_participants=["ann"])
    flags = commands.relationship_flags(state)
    assert not any(f.startswith("fragile") for f in flags.get("r1", []))


def test_a_named_holder_and_their_role_are_said_once_in_the_notes():
    state = _session(
        named=True, holder_roles=["resident-member", "chair"], holder_participants=["ann"]
    )
    notes = export(state, "md").decode()
    assert "chair, Ann (resident member)" in notes
