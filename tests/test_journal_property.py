"""Whatever a facilitator does, the tables, the journal and memory agree.

Random sequences of commands (with random text, refusals, cascading removals and
undo) go through ``SessionFile.apply``. Afterwards the state read back from the
tables, the state in memory and the state replayed from the journal are the same,
entity for entity and in the same order, and so is the state of the reopened file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.domain import commands
from facilitator.domain.commands import DomainError
from facilitator.domain.events import replay
from facilitator.domain.model import SessionState
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.store.sessionfile import SessionFile

VOCAB = load_vocabulary()
RAM_DISK = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


def ids(kind: str) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(VOCAB.ids(kind)))


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


SUBTYPES = sorted({sub.id for t in VOCAB.agency_types for sub in t.subtypes})

TEXT = st.one_of(
    st.text(max_size=12),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=8),
    st.sampled_from(["", "  ", "Ann", "Zoë 👩🏽‍🌾", "مرحبا بكم", "שלום", "a\r\nb\tc", "\x00\x1b"]),
)
NAME = st.one_of(
    st.sampled_from(["Ann", "Bob Smith", "Zoë 👩🏽‍🌾", "مرحبا", "שלום", "The council"]),
    st.text(min_size=1, max_size=12),
    TEXT,
)
IDX = st.integers(-1, 40)  # an existing entity, taken modulo how many; -1 for a missing one

RELATIONSHIP_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "name": NAME,
        "agency_type": maybe(ids("agency_types")),
        "agency_subtype": maybe(st.sampled_from(SUBTYPES)),
        "rel_type": maybe(ids("relationship_types")),
        "closeness": maybe(st.integers(0, 5)),
        "purposes": st.lists(ids("purposes"), max_size=3),
        "holder_roles": st.lists(ids("holders"), max_size=2),
        "effort": maybe(ids("effort_directions")),
        "state": ids("relationship_states"),
        "notes": TEXT,
        "works_notes": TEXT,
        "want_conversation": st.booleans(),
    },
)

ADD_PARENT = st.one_of(
    st.tuples(st.just("add_participant"), NAME, ids("roles"), TEXT, st.booleans()),
    st.tuples(st.just("add_relationship"), NAME, RELATIONSHIP_FIELDS, st.lists(IDX, max_size=2)),
    st.tuples(st.just("add_conversation"), maybe(IDX), NAME, maybe(IDX)),
)

STEP = st.one_of(
    ADD_PARENT,
    ADD_PARENT,
    ADD_PARENT,
    st.tuples(
        st.just("edit_participant"),
        IDX,
        st.fixed_dictionaries(
            {},
            optional={
                "name": TEXT,
                "role": ids("roles"),
                "agency": TEXT,
                "present": st.booleans(),
                "consent_named": st.booleans(),
            },
        ),
    ),
    st.tuples(
        st.just("edit_relationship"), IDX, RELATIONSHIP_FIELDS, maybe(st.lists(IDX, max_size=2))
    ),
    st.tuples(
        st.just("set_dots"), IDX, ids("criteria"), st.integers(-1, 3), st.sampled_from([1, 2])
    ),
    st.tuples(
        st.just("choose_criteria"),
        st.lists(ids("criteria"), min_size=1, max_size=3),
        st.sampled_from(["direct", "vote", "runoff", "decision"]),
        TEXT,
    ),
    st.tuples(st.just("rate"), IDX, ids("criteria"), maybe(st.integers(0, 6)), TEXT),
    st.tuples(
        st.just("pick"), st.sampled_from(["good-relationship", "to-develop", "notes"]), maybe(IDX)
    ),
    st.tuples(
        st.just("add_outcome"),
        IDX,
        st.sampled_from(["partnership", "agency", "area"]),
        maybe(ids("outcomes")),
        TEXT,
    ),
    st.tuples(
        st.just("add_factor"),
        IDX,
        maybe(ids("factors")),
        st.sampled_from(["helps", "hinders"]),
        TEXT,
    ),
    st.tuples(st.just("add_action"), NAME, TEXT, ids("action_statuses"), maybe(IDX), maybe(IDX)),
    st.tuples(
        st.just("edit_conversation"),
        IDX,
        st.fixed_dictionaries(
            {},
            optional={
                "summary": TEXT,
                "finished": st.booleans(),
                "boundaries_in": TEXT,
                "current_prompt_id": maybe(st.sampled_from(["opening", "hopes", "next-steps"])),
                "skipped_prompts": st.lists(st.sampled_from(["opening", "hopes"]), max_size=2),
            },
        ),
    ),
    st.tuples(
        st.just("add_attendee"), IDX, st.sampled_from(["partnership", "agency"]), NAME, maybe(IDX)
    ),
    st.tuples(
        st.just("add_prompt_answer"),
        IDX,
        st.sampled_from(["opening", "hopes", ""]),
        NAME,
        ids("speakers"),
        maybe(ids("note_tags")),
    ),
    st.tuples(st.just("add_action_review"), IDX, IDX, ids("action_statuses"), TEXT),
    st.tuples(
        st.just("update_session"),
        st.fixed_dictionaries(
            {},
            optional={
                "title": TEXT,
                "notes": TEXT,
                "current_stage": ids("stages"),
                "dots_per_person": st.integers(0, 4),
                "date": st.sampled_from(["2025-03-14", "", "14/03/2025"]),
                "venue_mode": ids("venue_modes"),
                "finished": st.booleans(),
            },
        ),
    ),
    st.tuples(
        st.just("remove"),
        st.sampled_from(
            [
                "participant",
                "relationship",
                "conversation",
                "action",
                "rating",
                "criterion_vote",
                "attendee",
                "prompt_answer",
                "outcome",
                "action_review",
            ]
        ),
        IDX,
    ),
    st.tuples(st.just("undo")),
)


def pick(state: SessionState, kind: str, index: int | None) -> str | None:
    """An existing id of a kind (by index, wrapping round), None, or one that is not there."""
    if index is None:
        return None
    existing = list(state.rows[kind])
    return existing[index % len(existing)] if existing and index >= 0 else "no-such-id"


def pick_optional(state: SessionState, kind: str, index: int | None) -> str | None:
    """As :func:`pick`, but None rather than a missing id when there is nothing to pick."""
    return pick(state, kind, index) if state.rows[kind] or index == -1 else None


def events_for(state: SessionState, step: tuple) -> list:
    op, *args = step
    if op == "add_participant":
        name, role, agency, consent = args
        return [
            commands.add(
                state, "participant", name=name, role=role, agency=agency, consent_named=consent
            )
        ]
    if op == "edit_participant":
        index, fields = args
        return commands.edit(state, "participant", pick(state, "participant", index), **fields)
    if op == "add_relationship":
        name, fields, holders = args
        fields = {**fields, "name": name}
        fields["holder_participants"] = [pick(state, "participant", i) for i in holders]
        return [commands.add(state, "relationship", **fields)]
    if op == "edit_relationship":
        index, fields, holders = args
        if holders is not None:
            fields = {
                **fields,
                "holder_participants": [pick(state, "participant", i) for i in holders],
            }
        return commands.edit(state, "relationship", pick(state, "relationship", index), **fields)
    if op == "set_dots":
        index, criterion, dots, round_no = args
        return commands.set_dots(
            state, pick(state, "participant", index), criterion, dots, round_no
        )
    if op == "choose_criteria":
        criteria, method, reason = args
        return commands.choose_criteria(state, criteria, method, reason)
    if op == "rate":
        index, criterion, score, why = args
        return commands.rate(state, pick(state, "relationship", index), criterion, score, why)
    if op == "pick":
        stage, index = args
        return commands.pick_for_stage(state, stage, pick_optional(state, "relationship", index))
    if op == "add_outcome":
        index, beneficiary, outcome_id, text = args
        rel = pick(state, "relationship", index)
        return [
            commands.add(
                state,
                "outcome",
                relationship_id=rel,
                beneficiary=beneficiary,
                outcome_id=outcome_id,
                text=text,
            )
        ]
    if op == "add_factor":
        index, factor_id, effect, notes = args
        rel = pick(state, "relationship", index)
        return [
            commands.add(
                state,
                "factor",
                relationship_id=rel,
                factor_id=factor_id,
                effect=effect,
                notes=notes,
            )
        ]
    if op == "add_action":
        what, who, status, rel_index, conv_index = args
        return [
            commands.add(
                state,
                "action",
                what=what,
                who_org=who,
                status=status,
                relationship_id=pick_optional(state, "relationship", rel_index),
                conversation_id=pick_optional(state, "conversation", conv_index),
            )
        ]
    if op == "add_conversation":
        rel_index, agency_name, previous = args
        return [
            commands.add(
                state,
                "conversation",
                relationship_id=pick_optional(state, "relationship", rel_index),
                agency_name=agency_name,
                previous_id=pick_optional(state, "conversation", previous),
                started_at="2025-03-14T10:00:00Z",
            )
        ]
    if op == "edit_conversation":
        index, fields = args
        return commands.edit(state, "conversation", pick(state, "conversation", index), **fields)
    if op == "add_attendee":
        index, side, name, person = args
        return [
            commands.add(
                state,
                "attendee",
                conversation_id=pick(state, "conversation", index),
                side=side,
                name=name,
                participant_id=pick_optional(state, "participant", person),
            )
        ]
    if op == "add_prompt_answer":
        index, prompt_id, text, speaker, tag = args
        return [
            commands.add(
                state,
                "prompt_answer",
                conversation_id=pick(state, "conversation", index),
                prompt_id=prompt_id,
                text=text,
                speaker=speaker,
                tag=tag,
            )
        ]
    if op == "add_action_review":
        conv_index, action_index, status, note = args
        return [
            commands.add(
                state,
                "action_review",
                conversation_id=pick(state, "conversation", conv_index),
                action_id=pick(state, "action", action_index),
                status=status,
                note=note,
            )
        ]
    if op == "update_session":
        (fields,) = args
        return commands.update_session(state, **fields)
    if op == "remove":
        kind, index = args
        return commands.remove(state, kind, pick(state, kind, index))
    raise AssertionError(op)


def order(state: SessionState) -> dict[str, list[str]]:
    return {kind: list(rows) for kind, rows in state.rows.items()}


def check_agreement(session: SessionFile) -> None:
    tables = session.reload()
    journal = session.read_journal()
    assert journal == list(session.journal)
    replayed = replay(journal)
    assert tables.snapshot() == session.state.snapshot() == replayed.snapshot()
    assert order(tables) == order(session.state) == order(replayed)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A new, closed session file's bytes: copying it is much quicker than creating one."""
    path = tmp_path_factory.mktemp("template") / "template.facilitator"
    SessionFile.create(path, title="Property", date="2025-03-14").close()
    return path.read_bytes()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    setup=st.lists(ADD_PARENT, min_size=2, max_size=8),
    steps=st.lists(STEP, min_size=10, max_size=40),
)
def test_tables_journal_and_memory_always_agree(
    template: bytes, setup: list[tuple], steps: list[tuple]
) -> None:
    # Every commit waits for fsync; on a RAM disk that is free, and durability is the
    # crash test's business, not this one's.
    folder = Path(tempfile.mkdtemp(prefix="journal-property-", dir=RAM_DISK))
    path = folder / "property.facilitator"
    path.write_bytes(template)
    session = SessionFile.open(path)
    try:
        for step in setup + steps:
            if step[0] == "undo":
                session.undo()
                continue
            try:
                events = events_for(session.state, step)
            except DomainError as exc:
                assert str(exc) and "\n" not in str(exc)
                continue
            session.apply(events)
        check_agreement(session)
        snapshot, ids_in_order = session.state.snapshot(), order(session.state)
        session.close()

        with SessionFile.open(path) as again:
            assert again.state.snapshot() == snapshot
            assert order(again.state) == ids_in_order
            check_agreement(again)
            assert again.integrity_check() == ["ok"]
            # Undoing everything that can be undone leads back to the new session.
            while again.undo() is not None:
                pass
            check_agreement(again)
            assert all(not rows for rows in again.state.rows.values())
    finally:
        session.close()
        shutil.rmtree(folder, ignore_errors=True)
