"""Anonymised exports: names written any way are taken out, and each person keeps one label."""

from __future__ import annotations

import re

import pytest

from facilitator.domain import commands
from facilitator.domain import events as ev
from facilitator.domain.model import SessionState
from facilitator.export import FORMATS, export
from facilitator.export.anonymise import anonymise
from facilitator.export.namefold import fold


class Session:
    """A small session built through the domain's commands."""

    def __init__(self, title: str = "Workshop") -> None:
        self.state = SessionState()
        self.run(commands.update_session(self.state, title=title, area="Wrenhollow"))

    def run(self, events: ev.Event | list[ev.Event]) -> str:
        events = [events] if isinstance(events, ev.Event) else events
        for event in events:
            ev.apply_event(self.state, event)
        return events[0].payload.get("id", "") if events else ""

    def add(self, kind: str, entity_id: str | None = None, **fields) -> str:
        return self.run(commands.add(self.state, kind, entity_id=entity_id, **fields))

    def person(self, name: str) -> str:
        return self.add("participant", name=name, consent_named=False)

    def note(self, text: str) -> str:
        """A relationship whose notes hold ``text``; returns its id."""
        return self.add("relationship", name="Moorgate Homes", agency_type="health", notes=text)

    def notes_after(self, rid: str) -> str:
        return anonymise(self.state).relationships[rid].notes


def has_word(text: str, name: str) -> bool:
    """Whether ``name`` is in ``text`` as a whole word, ignoring case and accents."""
    return re.search(rf"(?<![^\W\d_]){re.escape(fold(name))}(?![^\W\d_])", fold(text)) is not None


@pytest.mark.parametrize(
    ("people", "written", "gone"),
    [
        (["Jo Ng"], "Jo came; so did Ng.", ["Jo", "Ng"]),
        (["Kathleen Whitlow"], "KATHLEEN and kathleen and Kathleen", ["Kathleen"]),
        (["Siobhán Byrne"], "SIOBHÁN, Siobhan and siobhán", ["Siobhan"]),
        (["José Ramos"], "Jose and JOSÉ and josé", ["Jose"]),
        (["Mary (Molly) Smith-Jones"], "Molly said; Mrs Smith-Jones and Jones agreed", ["Molly"]),
        (["Mary (Molly) Smith-Jones"], "Mary Smith-Jones, MOLLY SMITH-JONES", ["Smith", "Mary"]),
        (["Aoife O'Connor"], "O’Connor and O‘CONNOR and OConnor", ["Connor", "OConnor"]),
        (["李小龍"], "李小龍说好。", ["李小龍"]),
    ],
)
def test_names_written_another_way_are_taken_out(people, written, gone) -> None:
    session = Session()
    for name in people:
        session.person(name)
    rid = session.note(written)
    after = session.notes_after(rid)
    assert not [name for name in gone if has_word(after, name) or fold(name) in fold(after)], after
    assert "Participant 1" in after


def test_a_surname_with_a_title_goes_when_the_owner_is_written_with_an_initial() -> None:
    session = Session()
    session.person("Kathleen Whitlow")
    rid = session.note("Ms Whitlow will chase it.")
    session.add("action", what="Chase the grant", who_person="K. Whitlow", relationship_id=rid)
    anon = anonymise(session.state)
    assert anon.relationships[rid].notes == "Participant 1 will chase it."
    assert [a.who_person for a in anon.rows["action"].values()] == ["Participant 1"]


def test_lower_case_everyday_words_stay_but_the_name_goes() -> None:
    session = Session()
    session.person("Will Grant")
    rid = session.note("Will said we will apply for a grant; GRANT agreed.")
    assert session.notes_after(rid) == (
        "Participant 1 said we will apply for a grant; Participant 1 agreed."
    )


def test_ids_and_coded_values_holding_names_are_replaced_keeping_references() -> None:
    session = Session()
    pid = session.person("Kathleen Whitlow")
    rid = session.add(
        "relationship", "kathleen-whitlow-link", name="Moorgate Homes", holder_participants=[pid]
    )
    cid = session.add(
        "conversation",
        agency_name="Moorgate Homes",
        relationship_id=rid,
        bank_id="kathleens-bank",
        started_at="2024-05-01 with Whitlow",
    )
    session.add("prompt_answer", conversation_id=cid, prompt_id="ask-kathleen", text="Yes")
    anon = anonymise(session.state)
    for fmt in FORMATS:
        data = export(session.state, fmt, anonymise=True)
        text = data.decode("utf-8", "replace") if fmt != "csv" else _unzipped(data)
        assert not has_word(text, "Kathleen") and not has_word(text, "Whitlow"), fmt
    # References still hold together.
    (new_rid,) = anon.relationships
    assert new_rid != "kathleen-whitlow-link"
    assert next(iter(anon.conversations.values())).relationship_id == new_rid
    assert anon.relationships[new_rid].holder_participants == [pid]


def _unzipped(data: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "\n".join(zf.read(n).decode("utf-8-sig") for n in zf.namelist())


def test_one_person_has_one_label_in_the_attendees_and_the_notes() -> None:
    session = Session()
    session.person("Kathleen Whitlow")
    rid = session.note("Okafor came.")
    cid = session.add("conversation", agency_name="Moorgate Homes", relationship_id=rid)
    session.add("attendee", conversation_id=cid, name="Dr Adaeze Okafor", side="agency")
    session.add("attendee", conversation_id=cid, name="Jo Ng", side="partnership")
    session.add("action", what="Write to Jo", who_person="Adaeze Okafor", conversation_id=cid)
    session.add("action", what="Ask Okafor", who_person="jo ng", conversation_id=cid)
    anon = anonymise(session.state)
    attendees = [a.name for a in anon.rows["attendee"].values()]
    assert attendees == ["Agency attendee 1", "Partnership member 1"]
    actions = [(a.what, a.who_person) for a in anon.rows["action"].values()]
    assert actions == [
        ("Write to Partnership member 1", "Agency attendee 1"),
        ("Ask Agency attendee 1", "Partnership member 1"),
    ]
    assert anon.relationships[rid].notes == "Agency attendee 1 came."
    md = export(session.state, "md", anonymise=True).decode()
    assert "Person 1" not in md and "Okafor" not in md


def test_a_typed_in_attendee_with_a_non_consenting_name_is_shown_by_role() -> None:
    session = Session()
    session.person("Kathleen Whitlow")
    rid = session.note("")
    cid = session.add("conversation", agency_name="Moorgate Homes", relationship_id=rid)
    session.add("attendee", conversation_id=cid, name="kathleen  whitlow", side="partnership")
    md = export(session.state, "md").decode()
    who = md[md.index("### Who was there") :].split("###")[1]
    assert "a resident member" in who
    assert "whitlow" not in who.casefold()


def test_a_person_known_by_one_name_or_as_the_facilitator_keeps_one_label() -> None:
    session = Session()
    session.person("Kathleen Whitlow")
    session.run(commands.update_session(session.state, facilitator="kathleen whitlow"))
    rid = session.note("Kathleen facilitated; Whitlow took notes.")
    cid = session.add("conversation", agency_name="Moorgate Homes", relationship_id=rid)
    session.add("attendee", conversation_id=cid, name="Kathleen", side="partnership")
    anon = anonymise(session.state)
    assert [a.name for a in anon.rows["attendee"].values()] == ["Participant 1"]
    assert anon.relationships[rid].notes == "Participant 1 facilitated; Participant 1 took notes."
    assert anon.info.facilitator == "the facilitator"


def test_coded_values_stay_even_when_an_agency_name_is_inside_them() -> None:
    session = Session()
    rid = session.add("relationship", name="Help", agency_type="health")
    session.add("factor", relationship_id=rid, effect="helps", notes="Help came")
    session.add("factor", relationship_id=rid, effect="hinders", notes="Less help")
    anon = anonymise(session.state)
    factors = [(f.effect, f.notes) for f in anon.rows["factor"].values()]
    assert factors == [("helps", "Health A came"), ("hinders", "Less Health A")]
