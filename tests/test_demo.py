"""The demo workshop: complete, realistic, and built through the real journal."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from facilitator.demo import DEMO_AREA, DEMO_TITLE, build_demo
from facilitator.domain import commands
from facilitator.domain.events import replay
from facilitator.domain.questions import load_question_bank
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.store.errors import SessionFileError
from facilitator.store.sessionfile import SessionFile


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    sf = build_demo(tmp_path_factory.mktemp("demo") / "demo.facilitator")
    yield sf
    sf.close()


def test_the_demo_has_six_participants_with_a_mix_of_roles_and_consent(demo) -> None:
    people = list(demo.state.participants.values())
    assert len(people) == 6
    assert len({p.role for p in people}) >= 4
    assert any(p.consent_named for p in people)
    assert any(not p.consent_named for p in people)
    assert demo.state.info.title == DEMO_TITLE
    assert demo.state.info.area == DEMO_AREA
    assert demo.state.info.facilitator
    assert demo.state.info.finished


def test_everyone_votes_and_the_vote_decides_the_two_criteria(demo) -> None:
    state = demo.state
    assert state.info.dots_per_person == 2
    voters = {v.participant_id for v in state.rows["criterion_vote"].values()}
    assert voters == set(state.participants)
    per_person = Counter()
    for vote in state.rows["criterion_vote"].values():
        per_person[vote.participant_id] += vote.dots
    assert set(per_person.values()) == {2}
    choices = sorted(state.rows["criterion_choice"].values(), key=lambda c: c.position)
    assert len(choices) == 2
    assert tuple(c.criterion_id for c in choices) == commands.vote_result(state).chosen
    assert all(c.method == "vote" and c.own_words for c in choices)


def test_the_map_covers_every_type_kind_ring_and_state(demo) -> None:
    rels = list(demo.state.relationships.values())
    vocab = load_vocabulary()
    assert 18 <= len(rels) <= 24
    assert {r.agency_type for r in rels} == set(vocab.ids("agency_types"))
    assert {r.rel_type for r in rels} == set(vocab.ids("relationship_types"))
    assert {r.closeness for r in rels} >= {1, 2, 3, 4, None}
    assert {"active", "dormant", "wished-for"} <= {r.state for r in rels}
    assert all(r.agency_subtype and r.purposes and r.notes for r in rels)
    assert {r.effort for r in rels} >= {"us", "them", "both"}
    flags = commands.relationship_flags(demo.state)
    fragile = [rid for rid, found in flags.items() if any("fragile" in f for f in found)]
    assert len(fragile) >= 3


def test_stage_two_and_stage_three_are_different_and_fully_worked(demo) -> None:
    state = demo.state
    good, develop = state.info.good_relationship_id, state.info.develop_relationship_id
    assert good and develop and good != develop
    chosen = set(commands.chosen_criteria(state))
    for rid in (good, develop):
        rated = {r.criterion_id for r in state.rows["rating"].values() if r.relationship_id == rid}
        assert rated == chosen
        assert all(
            r.score and r.why for r in state.rows["rating"].values() if r.relationship_id == rid
        )
    outcomes = {o.beneficiary for o in state.rows["outcome"].values() if o.relationship_id == good}
    assert outcomes == {"partnership", "agency", "area"}
    factors = {(f.relationship_id, f.effect) for f in state.rows["factor"].values()}
    assert (good, "helps") in factors and (develop, "hinders") in factors
    assert state.relationships[good].works_notes
    assert state.relationships[develop].better_looks_like
    assert state.relationships[develop].want_conversation
    assert state.relationships[develop].agency_type == "health"


def test_the_conversation_and_its_follow_up(demo) -> None:
    state = demo.state
    convs = list(state.conversations.items())
    assert len(convs) == 2
    (first_id, first), (second_id, second) = convs
    assert first.previous_id is None and second.previous_id == first_id
    assert first.relationship_id == state.info.develop_relationship_id
    assert first.boundaries_in and first.boundaries_out and first.summary and first.finished
    assert second.summary and second.finished
    attendees = [a for a in state.rows["attendee"].values() if a.conversation_id == first_id]
    assert Counter(a.side for a in attendees) == {"partnership": 2, "agency": 2}
    answers = [a for a in state.rows["prompt_answer"].values() if a.conversation_id == first_id]
    assert len(answers) >= 10
    tags = Counter(a.tag for a in answers)
    assert tags["challenge"] >= 3 and tags["opportunity"] >= 3
    assert tags["ask"] >= 1 and tags["agreement"] >= 1
    assert {a.speaker for a in answers} == {"partnership", "agency", "both"}
    bank = load_question_bank()
    for answer in state.rows["prompt_answer"].values():
        bank.prompt(answer.prompt_id)  # every prompt id is real
    actions = [a for a in state.rows["action"].values() if a.conversation_id == first_id]
    assert len(actions) >= 4
    assert all(a.who_org and a.who_person and a.by_when for a in actions)
    reviews = [r for r in state.rows["action_review"].values() if r.conversation_id == second_id]
    assert {"done", "in-progress", "dropped"} <= {r.status for r in reviews}
    for review in reviews:
        assert state.rows["action"][review.action_id].status == review.status


def test_time_is_recorded_for_every_stage(demo) -> None:
    times = demo.state.rows["stage_time"]
    stages = load_vocabulary().ids("stages")
    assert set(times) <= stages and len(times) >= 6
    assert all(t.timebox_minutes and t.spent_seconds for t in times.values())


def test_the_journal_replays_to_the_same_state_and_moves_through_the_stages(demo) -> None:
    assert replay(demo.journal).snapshot() == demo.state.snapshot()
    assert demo.reload().snapshot() == demo.state.snapshot()
    stages = [e.stage for e in demo.journal]
    for stage in ("setup", "criteria", "all-relationships", "good-relationship", "to-develop"):
        assert stage in stages
    # The stage column follows the workshop: stage 1 comes before stage 2 in time.
    assert stages.index("all-relationships") < stages.index("good-relationship")
    assert demo.journal[0].at.startswith("2024-03-14")
    assert demo.journal[-1].at.startswith("2024-07-11")


def test_the_demo_file_reopens_and_is_never_written_over(tmp_path: Path) -> None:
    path = tmp_path / "demo.facilitator"
    sf = build_demo(path)
    snapshot = sf.state.snapshot()
    sf.close()
    with pytest.raises(SessionFileError):
        build_demo(path)
    again = SessionFile.open(path)
    try:
        assert again.state.snapshot() == snapshot
    finally:
        again.close()
