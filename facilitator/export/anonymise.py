"""A copy of a session with the people, agencies and place taken out, for sharing.

What is replaced (see ``docs/export.md``):

* participants become ``Participant 1``, ``Participant 2``… in the order they were added;
* agencies become ``<agency type> A``, ``<agency type> B``… per type, for example
  ``Local council A`` or ``Health B`` (``Agency A`` when the type is not known). The same
  agency name gets the same letter wherever it appears: relationships, conversations,
  participants' organisations, and an action's organisation when it is an agency's name;
* every other person gets one label wherever they appear: a conversation attendee who
  is not a participant becomes ``Partnership member 1`` or ``Agency attendee 1``, and the
  person an action is down to becomes ``Person 1``… if they are nobody else. A name
  written another way (``Dr Adaeze Okafor`` and ``Adaeze Okafor``, ``K. Whitlow`` and
  ``Kathleen Whitlow``, ``josé`` and ``JOSE``) is the same person;
* the area becomes ``the area`` and the facilitator ``the facilitator``;
* then every one of those names is replaced wherever it appears in any text, ignoring
  case, accents and the kind of apostrophe (see :mod:`.namefold` and :mod:`.scrubber`),
  longest first. Names shorter than four characters are only replaced as whole words.
  Each part of a person's name (given names, surnames, each half of a double surname, a
  nickname) is replaced on its own too, as a whole word, with a title before it (``Ms
  Whitlow``); a part shared by two people becomes ``someone``. A part that is also an
  everyday word (``Will``, ``Grant``) is left alone when written in lower case;
* ids and other coded values are replaced too when a name is found in them (a file
  imported from JSON may hold any text there), keeping every reference between them.

Short forms that are not names anywhere in the session (an abbreviation of an agency,
say) cannot be recognised: read the notes before you share them.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from typing import Any

from facilitator.domain.commands import fixed_choices
from facilitator.domain.model import SessionState
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.export.namefold import PersonName, fold, person_name, same_person
from facilitator.export.scrubber import NameEntry, Scrubber, name_entry

# Fields holding the id of another entity.
_REFERENCES = frozenset(
    {
        "participant_id",
        "relationship_id",
        "conversation_id",
        "previous_id",
        "action_id",
        "good_relationship_id",
        "develop_relationship_id",
        "holder_participants",
    }
)
SHARED_PART = "someone"


def _key(name: str) -> str:
    return " ".join(fold(name).split())


def _letters(number: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA…"""
    out = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


class _Book:
    """Every name in the session, and what replaces it."""

    def __init__(self) -> None:
        self.full: dict[str, tuple[str, str, bool]] = {}  # key -> (original, alias, person)
        self.people: list[tuple[PersonName, str]] = []  # each (name, label) once
        self.by_key: dict[tuple[str, ...], set[str]] = {}  # folded name -> labels
        # For names written with initials: (number of words, surname) -> names and labels.
        self.by_surname: dict[tuple[int, str], list[tuple[tuple[str, ...], str]]] = {}
        self.by_part: dict[str, set[str]] = {}  # a folded name part -> labels

    def add(self, original: str, alias: str, *, person: bool = False) -> None:
        key = _key(original)
        if key and key not in self.full:
            self.full[key] = (" ".join(original.split()), alias, person)

    def alias(self, name: str) -> str | None:
        found = self.full.get(_key(name))
        return found[1] if found else None

    def add_person(self, name: str, alias: str) -> None:
        written = person_name(name)
        for form in written.forms:
            self.add(form, alias, person=True)
        key = written.key
        labels = self.by_key.setdefault(key, set())
        if alias not in labels:
            labels.add(alias)
            self.people.append((written, alias))
            if key:
                surname = (len(key), key[-1].rstrip("."))
                self.by_surname.setdefault(surname, []).append((key, alias))
            for part in written.parts:
                self.by_part.setdefault(fold(part), set()).add(alias)

    def person_alias(self, name: str) -> str | None:
        """The label of somebody already known under this name, written any way."""
        key = person_name(name).key
        if not key:
            return None
        exact = self.by_key.get(key, set())
        if len(exact) == 1:
            return next(iter(exact))
        known = self.by_surname.get((len(key), key[-1].rstrip(".")), [])
        close = {alias for other, alias in known if same_person(other, key)}
        if not close and len(key) == 1:
            # One word alone: the person it is a given name or surname of, if only one.
            close = self.by_part.get(key[0], set())
        return next(iter(close)) if len(close) == 1 else None

    def entries(self) -> list[NameEntry]:
        found: list[NameEntry | None] = []
        for original, alias, person in self.full.values():
            found.append(name_entry(original, alias, whole_word=len(original) < 4, person=person))
        owners: dict[str, set[str]] = {}
        spelled: dict[str, str] = {}
        for written, alias in self.people:
            for part in written.parts:
                key = _key(part)
                if key not in self.full:
                    owners.setdefault(key, set()).add(alias)
                    spelled.setdefault(key, part)
        for key, who in owners.items():
            alias = next(iter(who)) if len(who) == 1 else SHARED_PART
            found.append(name_entry(spelled[key], alias, whole_word=True, person=True))
        return [e for e in found if e is not None]


def _agency_aliases(state: SessionState, book: _Book) -> dict[str, str]:
    vocab = load_vocabulary()
    counters: dict[str, int] = {}
    aliases: dict[str, str] = {}

    def agency(name: str, agency_type: str | None) -> None:
        key = _key(name)
        if not key or key in aliases:
            return
        kind = vocab.label("agency_types", agency_type, "Agency") if agency_type else "Agency"
        number = counters.get(kind, 0)
        counters[kind] = number + 1
        aliases[key] = f"{kind} {_letters(number)}"
        book.add(name, aliases[key])

    for rel in state.relationships.values():
        agency(rel.name, rel.agency_type)
    for conv in state.conversations.values():
        agency(conv.agency_name, conv.agency_type)
    for person in state.participants.values():
        agency(person.agency, None)
    return aliases


def _people(out: SessionState, book: _Book) -> dict[str, str]:
    """Give every person their label; returns the participants' labels by id."""
    participant_alias: dict[str, str] = {}
    for number, (pid, person) in enumerate(out.participants.items(), start=1):
        participant_alias[pid] = f"Participant {number}"
        book.add_person(person.name, participant_alias[pid])

    side_counts = {"partnership": 0, "agency": 0}
    for att in out.rows["attendee"].values():
        if att.participant_id in participant_alias:
            alias = participant_alias[att.participant_id]
        else:
            alias = book.person_alias(att.name) or book.alias(att.name)
            if alias is None:
                side = att.side if att.side in side_counts else "agency"
                side_counts[side] += 1
                label = "Partnership member" if side == "partnership" else "Agency attendee"
                alias = f"{label} {side_counts[side]}"
        book.add_person(att.name, alias)

    others = 0
    for action in out.rows["action"].values():
        name = action.who_person
        if not name:
            continue
        alias = book.person_alias(name) or book.alias(name)
        if alias is None:
            others += 1
            alias = f"Person {others}"
        book.add_person(name, alias)

    facilitator = out.info.facilitator
    if facilitator:
        book.add_person(facilitator, book.person_alias(facilitator) or "the facilitator")
    return participant_alias


@functools.cache
def _coded_values() -> frozenset[str]:
    """Vocabulary ids, fixed choices (``helps``, ``agency``…) and the packaged question
    bank's ids: never names, so kept as they are even where a name is found inside one."""
    vocab = load_vocabulary()
    found: set[str] = set(fixed_choices())
    for kind in vocab.kinds():
        for term in vocab.terms(kind):
            found.add(term.id)
            found.update(sub.id for sub in getattr(term, "subtypes", ()))
    try:
        from facilitator.domain.questions import load_question_bank

        bank = load_question_bank()
        found.add(bank.id)
        found.update(p.id for p in bank.all_prompts())
        found.update(s.id for s in bank.sections)
    except Exception:  # the bank is optional here, as in the exports
        pass
    return frozenset(found)


def _new_ids(out: SessionState, scrub: Scrubber) -> dict[str, str]:
    """A plain id for every entity id that holds a name (one imported from JSON may)."""
    taken = {eid for rows in out.rows.values() for eid in rows}
    renamed: dict[str, str] = {}
    number = 0
    for eid in sorted(taken):
        if eid in _coded_values() or scrub(eid) == eid:
            continue
        number += 1
        while f"anon-{number}" in taken:
            number += 1
        renamed[eid] = f"anon-{number}"
    return renamed


def _scrub_fields(obj: Any, skip: set[str], scrub: Scrubber, ids: dict[str, str]) -> None:
    """Every text field of ``obj`` not in ``skip``: references renamed, the rest scrubbed."""
    coded = _coded_values()

    def clean(value: str) -> str:
        return value if value in coded else scrub(value)

    for name in (f.name for f in dataclasses.fields(obj)):
        if name in skip:
            continue
        value = getattr(obj, name)
        if name in _REFERENCES:
            if isinstance(value, list):
                setattr(obj, name, [ids.get(v, v) for v in value])
            elif isinstance(value, str):
                setattr(obj, name, ids.get(value, value))
        elif isinstance(value, str):
            setattr(obj, name, clean(value))
        elif isinstance(value, list):
            setattr(obj, name, [clean(v) if isinstance(v, str) else v for v in value])


def anonymise(state: SessionState) -> SessionState:
    """A deep copy of ``state`` with names of people, agencies and the area replaced."""
    out = copy.deepcopy(state)
    book = _Book()
    agencies = _agency_aliases(out, book)
    participant_alias = _people(out, book)
    info = out.info
    if info.area:
        book.add(info.area, "the area")
    scrub = Scrubber(book.entries())

    def agency(name: str) -> str:
        return agencies.get(_key(name)) or scrub(name)

    def who(name: str) -> str:
        return book.person_alias(name) or book.alias(name) or scrub(name)

    # Names in their own fields.
    for pid, person in out.participants.items():
        person.name = participant_alias[pid]
        person.agency = agency(person.agency)
    for rel in out.relationships.values():
        rel.name = agency(rel.name)
    for conv in out.conversations.values():
        conv.agency_name = agency(conv.agency_name)
    for att in out.rows["attendee"].values():
        att.name = participant_alias.get(att.participant_id or "") or who(att.name)
    for action in out.rows["action"].values():
        action.who_org = agency(action.who_org)
        if action.who_person:
            action.who_person = who(action.who_person)
    handled = {
        "participant": {"name", "agency"},
        "relationship": {"name"},
        "conversation": {"agency_name"},
        "attendee": {"name"},
        "action": {"who_org", "who_person"},
    }

    # Every other piece of text, ids included.
    ids = _new_ids(out, scrub)
    for kind, rows in out.rows.items():
        renamed = {ids.get(eid, eid): entity for eid, entity in rows.items()}
        for entity in renamed.values():
            _scrub_fields(entity, handled.get(kind, set()), scrub, ids)
        out.rows[kind] = renamed
    _scrub_fields(info, {"area", "facilitator", "title"}, scrub, ids)
    info.area = "the area" if info.area else ""
    info.facilitator = "the facilitator" if info.facilitator else ""
    title = scrub(info.title)
    info.title = title[:1].upper() + title[1:]
    return out
