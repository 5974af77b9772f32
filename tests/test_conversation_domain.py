"""The rules behind a facilitated conversation: prompts, notes, the panel, the timer."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitator.domain import commands
from facilitator.domain import conversation as cv
from facilitator.domain.events import apply_event
from facilitator.domain.model import SessionState
from facilitator.domain.questions import load_question_bank, parse_question_bank

SMALL_BANK = """
[bank]
id = "small"
title = "Small"
version = 1

[[section]]
id = "opening"
title = "Opening"
purpose = "Start."
minutes = 10

[[section.prompt]]
id = "welcome"
text = "Who are you?"
probes = ["Why did you come?", "What do you hope for?"]

[[section.prompt]]
id = "health-only"
text = "What does health mean here?"
agency_types = ["health"]

[[section]]
id = "actions"
title = "Actions"
purpose = "Agree."
minutes = 5

[[section.prompt]]
id = "school-only"
text = "One event this term?"
agency_types = ["school"]

[[section.prompt]]
id = "choose"
text = "What will we do?"
"""


@pytest.fixture
def bank():
    return parse_question_bank(SMALL_BANK, source="small.toml")


def run(state: SessionState, events) -> None:
    if not isinstance(events, list):
        events = [events]
    for event in events:
        apply_event(state, event)


def started(state: SessionState, bank, agency_type: str | None = "health", **kw) -> str:
    event = cv.start_event(
        state,
        bank,
        agency_name=kw.pop("agency_name", "Vale Surgery"),
        agency_type=agency_type,
        started_at=kw.pop("started_at", "2026-03-14T10:00:00Z"),
        **kw,
    )
    run(state, event)
    return event.payload["id"]


# -- prompts ---------------------------------------------------------------------------------


def test_prompts_are_filtered_by_agency_type(bank):
    assert cv.prompt_ids(bank, "health") == ["welcome", "health-only", "choose"]
    assert cv.prompt_ids(bank, "school") == ["welcome", "school-only", "choose"]
    assert cv.prompt_ids(bank, None) == ["welcome", "choose"]


def test_next_and_previous_skip_prompts_for_other_agencies(bank):
    assert cv.next_prompt(bank, "school", "welcome") == "school-only"
    assert cv.next_prompt(bank, "health", "welcome") == "health-only"
    assert cv.next_prompt(bank, "health", "health-only") == "choose"
    assert cv.next_prompt(bank, "health", "choose") is None
    assert cv.previous_prompt(bank, "police", "choose") == "welcome"
    assert cv.previous_prompt(bank, "police", "welcome") is None


def test_an_unknown_or_unsuitable_prompt_resolves_to_the_first(bank):
    assert cv.resolve_prompt(bank, "health", "gone-from-bank") == "welcome"
    assert cv.resolve_prompt(bank, "school", "health-only") == "welcome"
    assert cv.resolve_prompt(bank, "school", None) == "welcome"
    assert cv.next_prompt(bank, "school", "health-only") == "school-only"


def test_position_counts_only_the_prompts_offered(bank):
    at = cv.position(bank, "health", "choose")
    assert (at.number, at.total, at.section_title, at.section_minutes) == (3, 3, "Actions", 5)
    assert at.describe() == "Prompt 3 of 3 · Section: Actions"
    assert cv.position(bank, None, "choose").describe() == "Prompt 2 of 2 · Section: Actions"


def test_packaged_bank_offers_health_prompts_only_to_health_agencies():
    packaged = load_question_bank()
    health = cv.prompt_ids(packaged, "health")
    school = cv.prompt_ids(packaged, "school")
    assert "know-health-structures" in health and "know-health-structures" not in school
    assert len(cv.prompt_ids(packaged, None)) < len(health)


def test_section_starts_lists_each_section_once(bank):
    assert cv.section_starts(bank, "school") == [("welcome", "Opening"), ("school-only", "Actions")]


def test_probes_cycle_and_then_hide(bank):
    prompt = bank.prompt("welcome")
    seen = []
    index = -1
    for _ in range(4):
        index = cv.next_probe_index(prompt, index)
        seen.append(cv.probe_text(prompt, index))
    assert seen == ["Why did you come?", "What do you hope for?", "", "Why did you come?"]
    assert cv.next_probe_index(bank.prompt("choose"), -1) == -1


def test_a_conversation_starts_at_the_first_prompt_for_its_agency(bank):
    state = SessionState()
    cid = started(state, bank, "school")
    conv = state.conversations[cid]
    assert conv.current_prompt_id == "welcome"
    assert conv.bank_id == "small"
    assert conv.started_at == "2026-03-14T10:00:00Z"


def test_skip_records_the_prompt_and_moves_on(bank):
    state = SessionState()
    cid = started(state, bank, "health")
    run(state, cv.skip_events(state, bank, cid))
    conv = state.conversations[cid]
    assert conv.skipped_prompts == ["welcome"]
    assert conv.current_prompt_id == "health-only"
    run(state, cv.move_events(state, cid, "choose"))
    run(state, cv.skip_events(state, bank, cid))
    # The last prompt is recorded as skipped, and stays current (the summary comes next).
    assert state.conversations[cid].skipped_prompts == ["welcome", "choose"]
    assert state.conversations[cid].current_prompt_id == "choose"
    run(state, cv.unskip_events(state, cid, "welcome"))
    assert state.conversations[cid].skipped_prompts == ["choose"]
    assert cv.unskip_events(state, cid, "welcome") == []


# -- notes and the running panel -------------------------------------------------------------


def note(state, cid, prompt, text, speaker="both", tag=None) -> str:
    event = commands.add(
        state,
        "prompt_answer",
        conversation_id=cid,
        prompt_id=prompt,
        text=text,
        speaker=speaker,
        tag=tag,
    )
    run(state, event)
    return event.payload["id"]


def test_panel_derives_from_tagged_notes_and_actions(bank):
    state = SessionState()
    cid = started(state, bank)
    other = started(state, bank, agency_name="Vale Homes", agency_type="housing-association")
    c1 = note(state, cid, "welcome", "Waiting lists", "agency", "challenge")
    note(state, cid, "welcome", "Just chatting", "partnership")
    o1 = note(state, cid, "choose", "Health fair", "both", "opportunity")
    note(state, cid, "choose", "Could you come?", "partnership", "ask")
    note(state, other, "welcome", "Not this one", "agency", "challenge")
    action = commands.add(
        state,
        "action",
        what="Send contacts",
        who_org="Partnership",
        who_person="Jo",
        by_when="April",
        conversation_id=cid,
    )
    run(state, action)
    items = cv.panel_items(state, cid)
    assert [i.entity_id for i in items["challenge"]] == [c1]
    assert [i.entity_id for i in items["opportunity"]] == [o1]
    assert items["challenge"][0].detail == "agency"
    assert items["opportunity"][0].detail == "both sides"
    assert [(i.text, i.detail) for i in items["action"]] == [
        ("Send contacts", "Jo (Partnership) · by April")
    ]
    assert [t for _, t in cv.challenges(state, other)][0].text == "Not this one"
    assert [n.text for _, n in cv.notes_for(state, cid, "choose")] == [
        "Health fair",
        "Could you come?",
    ]
    assert cv.answered_prompts(state, cid) == {"welcome", "choose"}


def test_action_detail_says_as_much_as_is_known():
    from facilitator.domain.model import Action

    assert cv.action_detail(Action(what="x")) == ""
    assert cv.action_detail(Action(what="x", who_org="Council")) == "Council"
    assert cv.action_detail(Action(what="x", who_person="Ann", by_when="May")) == "Ann · by May"


@pytest.mark.parametrize(
    ("typed", "text", "speaker", "tag"),
    [
        ("Plain words", "Plain words", None, None),
        ("! Money ends in March", "Money ends in March", None, "challenge"),
        ("+ a: Shared building", "Shared building", "agency", "opportunity"),
        ("P: = Meet monthly", "Meet monthly", "partnership", "agreement"),
        ("b:? who leads", "who leads", "both", "ask"),
        ("!Waiting well", "Waiting well", None, "challenge"),
        ("P: !Waiting well", "Waiting well", "partnership", "challenge"),
        ("P:!Waiting well", "Waiting well", "partnership", "challenge"),
        ("!A: Waiting well", "Waiting well", "agency", "challenge"),
        ("+Shared rooms", "Shared rooms", None, "opportunity"),
        ("=Élan", "Élan", None, "agreement"),
        ("?", "", None, "ask"),
        ("!!! urgent", "!!! urgent", None, None),
        ("?! really", "?! really", None, None),
        ("=> next", "=> next", None, None),
        ("A:+44 phone", "A:+44 phone", None, None),
        ("P:Jo said", "P:Jo said", None, None),
        ("B: ? Who leads?", "Who leads?", "both", "ask"),
        ("+44 phone number", "+44 phone number", None, None),
        ("A:B testing", "A:B testing", None, None),
        ("! ! twice", "! twice", None, "challenge"),
        ("!", "", None, "challenge"),
    ],
)
def test_parse_note_reads_quick_prefixes(typed, text, speaker, tag):
    assert cv.parse_note(typed) == cv.QuickNote(text, speaker, tag)


@given(st.text())
def test_parse_note_never_invents_words(typed):
    quick = cv.parse_note(typed)
    assert quick.text == quick.text.strip()
    assert quick.text in typed
    assert quick.speaker in (None, "partnership", "agency", "both")
    assert quick.tag in (None, "challenge", "opportunity", "ask", "agreement")
    if quick.speaker is None and quick.tag is None:
        assert quick.text == typed.strip()


@given(st.sampled_from("!+?="), st.text())
def test_a_tag_reads_the_same_with_or_without_its_space(symbol, words):
    words = words.lstrip()
    if not words or not words[0].isalpha():
        words = f"x{words}"
    assert cv.parse_note(f"{symbol}{words}") == cv.parse_note(f"{symbol} {words}")
    assert cv.parse_note(f"{symbol}{words}").tag == cv.TAG_PREFIXES[symbol]


@given(
    st.sampled_from("!+?="),
    st.sampled_from("0123456789!+?=.,;:-/()'\"#*"),
    st.text(),
)
def test_a_tag_character_before_a_digit_or_a_sign_is_kept_as_typed(symbol, after, words):
    typed = f"{symbol}{after}{words}"
    assert cv.parse_note(typed) == cv.QuickNote(typed.strip(), None, None)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_parse_note_of_its_own_text_with_a_prefix_round_trips(words):
    words = " ".join(words.split())
    plain = cv.parse_note(words).text
    quick = cv.parse_note(f"! A: {plain}")
    assert (quick.tag, quick.speaker) == ("challenge", "agency")
    assert quick.text == plain


# -- who is at the table ---------------------------------------------------------------------


def test_attendee_warning_only_when_a_side_brings_more_than_two(bank):
    state = SessionState()
    cid = started(state, bank)

    def attend(side, name):
        run(state, commands.add(state, "attendee", conversation_id=cid, side=side, name=name))

    assert cv.attendee_warning(state, cid) == ""
    attend("partnership", "Jo")
    attend("partnership", "Sam")
    attend("agency", "Asha")
    assert cv.attendee_warning(state, cid) == ""
    attend("partnership", "Priya")
    assert cv.attendee_warning(state, cid) == (
        "Three on the partnership side. These conversations work best with about two people a side."
    )
    for name in ("Ben", "Cat", "Dev"):
        attend("agency", name)
    warning = cv.attendee_warning(state, cid)
    assert warning.startswith("Three on the partnership side and four on the agency side.")
    assert [a.name for _, a in cv.attendees(state, cid, "partnership")] == ["Jo", "Sam", "Priya"]


# -- follow-ups ------------------------------------------------------------------------------


def test_earlier_conversations_match_relationship_or_name(bank):
    state = SessionState()
    run(state, commands.add(state, "relationship", entity_id="r1", name="Vale PCN"))
    first = started(state, bank, agency_name="vale  surgery", started_at="2026-01-10T10:00:00Z")
    second = started(
        state, bank, agency_name="Other", relationship_id="r1", started_at="2026-02-10T10:00:00Z"
    )
    started(state, bank, agency_name="Someone else")
    found = cv.earlier_conversations(state, "Vale Surgery", "r1")
    assert [cid for cid, _ in found] == [second, first]
    assert [cid for cid, _ in cv.earlier_conversations(state, "Vale Surgery")] == [first]
    assert cv.earlier_conversations(state, "Vale Surgery", exclude=first) == []


def test_review_records_a_status_and_updates_the_action(bank):
    state = SessionState()
    first = started(state, bank)
    add = commands.add(state, "action", what="Send contacts", conversation_id=first)
    run(state, add)
    aid = add.payload["id"]
    second = started(state, bank, previous_id=first)
    assert [a for a, _ in cv.previous_actions(state, second)] == [aid]
    assert cv.previous_actions(state, first) == []
    run(state, cv.review_events(state, second, aid, "in-progress"))
    assert state.rows["action"][aid].status == "in-progress"
    run(state, cv.review_events(state, second, aid, "done", "Sent in May"))
    reviews = state.where("action_review", conversation_id=second)
    assert len(reviews) == 1
    assert (reviews[0][1].status, reviews[0][1].note) == ("done", "Sent in May")
    assert state.rows["action"][aid].status == "done"
    run(state, cv.review_events(state, second, aid, "dropped"))
    assert cv.review_for(state, second, aid)[1].note == "Sent in May"


def test_suggested_relationship_prefers_stage_three(bank):
    state = SessionState()
    assert cv.suggested_relationship(state) is None
    run(
        state, commands.add(state, "relationship", entity_id="r1", name="A", want_conversation=True)
    )
    run(state, commands.add(state, "relationship", entity_id="r2", name="B"))
    assert cv.suggested_relationship(state) == "r1"
    run(state, commands.pick_for_stage(state, "to-develop", "r2"))
    assert cv.suggested_relationship(state) == "r2"


# -- time and dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "elapsed", "text", "level"),
    [
        (12, 0, "12:00 left", "ok"),
        (12, 0.9, "12:00 left", "ok"),
        (12, 659, "1:01 left", "ok"),
        (12, 660, "⚠ 1:00 left", "near"),
        (12, 719, "⚠ 0:01 left", "near"),
        (12, 720, "⚠ 0:00 over", "over"),
        (12, 855, "⚠ 2:15 over", "over"),
        (1, 0, "⚠ 1:00 left", "near"),
    ],
)
def test_section_timer(minutes, elapsed, text, level):
    assert cv.section_timer(minutes, elapsed) == cv.TimerReading(text, level)


def test_dates_read_nicely():
    assert cv.nice_date("2026-03-04T10:00:00Z") == "4 Mar 2026"
    assert cv.nice_date("") == ""
    assert cv.nice_date("someday") == "someday"
    assert cv.utc_now().endswith("Z") and "T" in cv.utc_now()


# -- which bank ------------------------------------------------------------------------------


def test_bank_choice_order(tmp_path: Path):
    folder = tmp_path / "sessions"
    folder.mkdir()
    assert cv.choose_bank(None, folder).bank.source == "packaged"
    (folder / "questions.toml").write_text(SMALL_BANK, encoding="utf-8")
    assert cv.choose_bank(None, folder).bank.id == "small"
    own = tmp_path / "mine.toml"
    own.write_text(SMALL_BANK.replace('id = "small"', 'id = "mine"'), encoding="utf-8")
    assert cv.choose_bank(own, folder).bank.id == "mine"


def test_a_bad_bank_falls_back_with_the_loaders_message(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text(SMALL_BANK.replace("probes =", "probe ="), encoding="utf-8")
    choice = cv.choose_bank(bad, None)
    assert choice.bank.source == "packaged"
    assert "unknown field 'probe'" in choice.problem
    assert "\n" not in choice.problem
    assert choice.tried == str(bad)
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "questions.toml").write_text("not = [toml", encoding="utf-8")
    assert cv.choose_bank(None, folder).problem.startswith(str(folder / "questions.toml"))
