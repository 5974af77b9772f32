"""Small helpers the export formats share: labels, prompt text, people, safe XML text."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from facilitator.domain.model import Action, Attendee, Participant, SessionState
from facilitator.domain.vocabulary import Vocabulary, load_vocabulary
from facilitator.export.namefold import person_name as written_name
from facilitator.export.namefold import same_person

# Characters XML 1.0 cannot hold at all: C0 controls other than tab, newline and
# carriage return, lone surrogates, and the two non-characters U+FFFE and U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Also dropped: DEL and the C1 controls, which XML allows but advises against.
_XML_DISCOURAGED = re.compile("[\x7f-\x84\x86-\x9f]")


def vocab() -> Vocabulary:
    return load_vocabulary()


def label(kind: str, term_id: str | None, default: str = "") -> str:
    """The display label for a vocabulary id; ``default`` for None."""
    return vocab().label(kind, term_id, default)


def labels(kind: str, ids: Iterable[str]) -> list[str]:
    return [label(kind, i) for i in ids]


def subtype_label(agency_type: str | None, subtype: str | None) -> str:
    if not subtype:
        return ""
    if agency_type:
        try:
            return vocab().subtype(agency_type, subtype).label
        except KeyError:
            pass
    return subtype


@functools.cache
def _bank():  # type: ignore[no-untyped-def]
    try:
        from facilitator.domain.questions import load_question_bank

        return load_question_bank()
    except Exception:  # the bank is optional here: prompt ids stand in for the text
        return None


def prompt_text(prompt_id: str) -> str:
    """The wording of a prompt in the packaged question bank, or its id if unknown."""
    bank = _bank()
    if bank is not None:
        try:
            return bank.prompt(prompt_id).text
        except KeyError:
            pass
    return prompt_id


def prompt_order(prompt_id: str) -> int:
    """Where a prompt comes in the packaged bank (unknown prompts go last)."""
    bank = _bank()
    if bank is not None:
        for number, prompt in enumerate(bank.all_prompts()):
            if prompt.id == prompt_id:
                return number
    return 1_000_000


def xml_text(value: object) -> str:
    """Text with every character XML 1.0 cannot (or should not) hold removed."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _XML_ILLEGAL.sub("", text)
    return _XML_DISCOURAGED.sub("", text)


def xml_escape(value: object, *, quote: bool = True) -> str:
    """Escape text for XML element content or a double- or single-quoted attribute."""
    text = xml_text(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace('"', "&quot;").replace("'", "&apos;")
        text = text.replace("\n", "&#10;").replace("\t", "&#9;")
    return text


# -- people -----------------------------------------------------------------------------

_ROLE_PHRASES = {
    "resident-member": "a resident member",
    "non-resident-member": "a non-resident member",
    "chair": "the chair",
    "worker": "a paid worker",
    "rep": "the area's rep",
    "lto": "someone from the locally trusted organisation",
    "agency-staff": "a member of agency staff",
    "councillor": "a councillor",
    "other": "someone else",
}


def role_phrase(role: str) -> str:
    """How to describe somebody by their role alone, for example ``a resident member``."""
    return _ROLE_PHRASES.get(role) or f"a participant ({label('roles', role).lower()})"


def person_name(person: Participant) -> str:
    """A participant's name if they agreed to be named, otherwise their role."""
    return person.name if person.consent_named else role_phrase(person.role)


def participant_by_name(state: SessionState, name: str) -> Participant | None:
    """The participant this name is written for, if there is exactly one.

    Case, accents, spacing and a title do not matter (``dr jose ramos`` is ``José
    Ramos``); an initial stands for a given name (``K. Whitlow``) when that fits only
    one participant.
    """
    key = written_name(name).key
    if not key:
        return None
    people = list(state.participants.values())
    for person in people:
        if written_name(person.name).key == key:
            return person
    close = [p for p in people if same_person(written_name(p.name).key, key)]
    return close[0] if len(close) == 1 else None


def attendee_name(state: SessionState, attendee: Attendee) -> str:
    """An attendee's name, or their role if they are a participant not to be named.

    An attendee typed in rather than picked from the participants is still that
    participant when the name is theirs.
    """
    person = state.participants.get(attendee.participant_id or "")
    if person is not None:
        return person_name(person)
    return _typed_name(state, attendee.name)


def who_person(state: SessionState, action: Action) -> str:
    """An action's named person, shown as a role if they are a participant not to be named."""
    return _typed_name(state, action.who_person)


def _typed_name(state: SessionState, name: str) -> str:
    """A name as typed, or the role of the participant it names if they are not to be named."""
    person = participant_by_name(state, name)
    if person is not None and not person.consent_named:
        return role_phrase(person.role)
    return name


def holder_names(state: SessionState, rel_holders: Iterable[str]) -> list[str]:
    """Names of participants who hold a relationship, only for those who agreed to be named."""
    out = []
    for pid in rel_holders:
        person = state.participants.get(pid)
        if person is not None and person.consent_named:
            out.append(person.name)
    return out


def holder_descriptions(state: SessionState, role_ids: Iterable[str], pids: Iterable[str]) -> str:
    """Who holds a relationship, in words: roles first, then people (named with consent).

    A role ticked beside a person who has it is that person, so it is said once, with
    them: "chair, Ann (resident member)", not "resident member, chair, Ann".
    """
    role_ids, people = list(role_ids), [state.participants.get(pid) for pid in pids]
    theirs = {p.role for p in people if p is not None}
    parts = [label("holders", rid).lower() for rid in role_ids if rid not in theirs]
    for person in people:
        if person is not None:
            said = person.consent_named and person.role in role_ids
            role = f" ({label('holders', person.role).lower()})" if said else ""
            parts.append(person_name(person) + role)
    return ", ".join(parts)


def stage_of(state: SessionState, relationship_id: str) -> str:
    """``good`` for stage 2's relationship, ``develop`` for stage 3's, else ``""``."""
    if relationship_id == state.info.good_relationship_id:
        return "good"
    if relationship_id == state.info.develop_relationship_id:
        return "develop"
    return ""


def rated_criteria(state: SessionState) -> list[str]:
    """The chosen criteria in order, then any other criterion something was rated on."""
    chosen = sorted(state.rows["criterion_choice"].values(), key=lambda c: c.position)
    out = [c.criterion_id for c in chosen]
    for rating in state.rows["rating"].values():
        if rating.criterion_id not in out:
            out.append(rating.criterion_id)
    return out


def minutes_text(seconds: int | None) -> str:
    """A duration for people: ``45 min``, ``1 h 05 min``, ``under a minute``."""
    if seconds is None:
        return ""
    minutes = round(seconds / 60)
    if seconds and minutes == 0:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
