"""A copy of a session with the people, agencies and place taken out, for sharing.

What is replaced (see ``docs/export.md``):

* participants become ``Participant 1``, ``Participant 2``… in the order they were added;
* agencies become ``<agency type> A``, ``<agency type> B``… per type, for example
  ``Local council A`` or ``Health B`` (``Agency A`` when the type is not known). The same
  agency name gets the same letter wherever it appears: relationships, conversations,
  participants' organisations, and an action's organisation when it is an agency's name;
* conversation attendees become ``Partnership member 1`` / ``Agency attendee 1`` (or the
  participant's alias when the attendee is a participant); an action's named person
  becomes that person's alias, or ``Person 1``… for somebody not otherwise known;
* the area becomes ``the area`` and the facilitator ``the facilitator``;
* then every one of those original names is replaced wherever it appears in free text
  (notes, reasons, titles, summaries, boundaries…), ignoring case, longest names first.
  Names shorter than four characters are only replaced as whole words. People's given
  names and surnames (three letters or more, starting with a capital) are replaced on
  their own too, as whole words with the same capitalisation, when they belong to only
  one person.

Short forms that are not names anywhere in the session (an abbreviation of an agency,
say) cannot be recognised: read the notes before you share them.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterable

from facilitator.domain.model import SessionState
from facilitator.domain.vocabulary import load_vocabulary

# Fields that hold ids or vocabulary terms, never names or free text.
_ID_FIELDS = frozenset(
    {
        "participant_id",
        "criterion_id",
        "relationship_id",
        "conversation_id",
        "previous_id",
        "action_id",
        "prompt_id",
        "current_prompt_id",
        "bank_id",
        "good_relationship_id",
        "develop_relationship_id",
        "agency_type",
        "agency_subtype",
        "rel_type",
        "effort",
        "state",
        "role",
        "method",
        "beneficiary",
        "outcome_id",
        "factor_id",
        "effect",
        "status",
        "side",
        "speaker",
        "tag",
        "started_at",
        "date",
        "venue_mode",
        "current_stage",
    }
)

_HONORIFICS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "cllr",
        "councillor",
        "prof",
        "professor",
        "rev",
        "revd",
        "sir",
        "dame",
        "lord",
        "lady",
    ]
)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _letters(number: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA…"""
    out = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


class _Names:
    """Original names and what replaces them."""

    def __init__(self) -> None:
        self.full: dict[str, tuple[str, str]] = {}  # key -> (original, alias)
        self.people: dict[str, str] = {}  # person key -> alias

    def add(self, original: str, alias: str) -> None:
        key = _key(original)
        if key and key not in self.full:
            self.full[key] = (original.strip(), alias)

    def alias(self, name: str) -> str | None:
        found = self.full.get(_key(name))
        return found[1] if found else None


def _agency_aliases(state: SessionState, names: _Names) -> dict[str, str]:
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
        names.add(name, aliases[key])

    for rel in state.relationships.values():
        agency(rel.name, rel.agency_type)
    for conv in state.conversations.values():
        agency(conv.agency_name, conv.agency_type)
    for person in state.participants.values():
        agency(person.agency, None)
    return aliases


class _Scrubber:
    """Replaces every name in a text with its alias, longest name first.

    The rule is that of one regular expression holding every name as an alternative,
    tried at each position in turn (see ``_pattern``), but faster: with hundreds of
    names, trying them all at every character took over a minute for a large session.
    At a position holding an ASCII character only the names that can start with it are
    tried (in the same order); anywhere else every name is, as before, so that case
    folding beyond ASCII (such as the Kelvin sign matching "k") behaves exactly alike.
    """

    def __init__(self, entries: list[tuple[str, str, str]]) -> None:
        # entries: (first character, regular expression, alias), longest name first
        self.aliases = [alias for _, _, alias in entries]
        every = list(range(len(entries)))
        anywhere = [i for i, (first, _, _) in enumerate(entries) if not first.isascii()]
        starting: dict[str, list[int]] = {}
        for i, (first, _, _) in enumerate(entries):
            if first.isascii():
                starting.setdefault(first.lower(), []).append(i)

        def compiled(indexes: list[int]) -> re.Pattern[str] | None:
            if not indexes:
                return None
            return re.compile("|".join(f"(?P<n{i}>{entries[i][1]})" for i in sorted(indexes)))

        self.every = compiled(every)
        self.anywhere = compiled(anywhere)
        self.by_first = {c: compiled(found + anywhere) for c, found in starting.items()}

    def __call__(self, text: str) -> str:
        if self.every is None or not text:
            return text
        pieces: list[str] = []
        pos = last = 0
        end = len(text)
        by_first, anywhere, every = self.by_first, self.anywhere, self.every
        while pos < end:
            ch = text[pos]
            pattern = by_first.get(ch.lower(), anywhere) if ch.isascii() else every
            found = pattern.match(text, pos) if pattern is not None else None
            if found is None:
                pos += 1
                continue
            pieces.append(text[last:pos])
            pieces.append(self.aliases[int(found.lastgroup[1:])])  # type: ignore[index]
            pos = last = found.end()
        pieces.append(text[last:])
        return "".join(pieces)


def _pattern(names: _Names, parts: dict[str, str]) -> _Scrubber:
    """Every name as (first character, regular expression, alias), longest first."""
    entries: list[tuple[int, str, str, str]] = []
    for original, alias in names.full.values():
        words = [re.escape(w) for w in original.split()]
        if not words:
            continue
        body = r"\s+".join(words)
        if len(original) < 4:
            body = rf"(?<!\w){body}(?!\w)"
        entries.append((len(original), original.split()[0][0], f"(?i:{body})", alias))
    for part, alias in parts.items():
        if part:
            entries.append((len(part), part[0], rf"(?<!\w){re.escape(part)}(?!\w)", alias))
    entries.sort(key=lambda e: -e[0])
    return _Scrubber([(first, regex, alias) for _, first, regex, alias in entries])


def _name_parts(people: Iterable[tuple[str, str]], full_keys: set[str]) -> dict[str, str]:
    """Given names and surnames that belong to exactly one person, with that person's alias."""
    owners: dict[str, set[str]] = {}
    for name, alias in people:
        words = name.split()
        if len(words) < 2:
            continue
        for word in words:
            word = word.strip(".,")
            if (
                len(word) >= 3
                and word[0].isupper()
                and word.casefold() not in _HONORIFICS
                and _key(word) not in full_keys
            ):
                owners.setdefault(word, set()).add(alias)
    return {word: next(iter(who)) for word, who in owners.items() if len(who) == 1}


def anonymise(state: SessionState) -> SessionState:
    """A deep copy of ``state`` with names of people, agencies and the area replaced."""
    out = copy.deepcopy(state)
    names = _Names()
    people: list[tuple[str, str]] = []

    participant_alias: dict[str, str] = {}
    for number, (pid, person) in enumerate(out.participants.items(), start=1):
        alias = f"Participant {number}"
        participant_alias[pid] = alias
        names.add(person.name, alias)
        people.append((person.name, alias))

    agencies = _agency_aliases(out, names)

    attendee_alias: dict[tuple[str, str], str] = {}
    side_counts = {"partnership": 0, "agency": 0}
    for att in out.rows["attendee"].values():
        if att.participant_id in participant_alias:
            alias = participant_alias[att.participant_id]
        else:
            key = (att.side, _key(att.name))
            alias = names.alias(att.name) or attendee_alias.get(key)
            if alias is None:
                side = att.side if att.side in side_counts else "agency"
                side_counts[side] += 1
                number = side_counts[side]
                alias = (
                    f"Partnership member {number}"
                    if side == "partnership"
                    else f"Agency attendee {number}"
                )
                attendee_alias[key] = alias
        names.add(att.name, alias)
        people.append((att.name, alias))

    other_people = 0
    for action in out.rows["action"].values():
        if action.who_person and names.alias(action.who_person) is None:
            other_people += 1
            names.add(action.who_person, f"Person {other_people}")
            people.append((action.who_person, f"Person {other_people}"))

    info = out.info
    if info.facilitator:
        names.add(info.facilitator, "the facilitator")
        people.append((info.facilitator, "the facilitator"))
    if info.area:
        names.add(info.area, "the area")

    parts = _name_parts(people, set(names.full))
    scrub = _pattern(names, parts)

    # Names in their own fields.
    for pid, person in out.participants.items():
        person.name = participant_alias[pid]
        person.agency = agencies.get(_key(person.agency), scrub(person.agency))
    for rel in out.relationships.values():
        rel.name = agencies[_key(rel.name)] if _key(rel.name) in agencies else scrub(rel.name)
    for conv in out.conversations.values():
        key = _key(conv.agency_name)
        conv.agency_name = agencies[key] if key in agencies else scrub(conv.agency_name)
    for att in out.rows["attendee"].values():
        att.name = names.alias(att.name) or scrub(att.name)
    for action in out.rows["action"].values():
        key = _key(action.who_org)
        action.who_org = agencies[key] if key in agencies else scrub(action.who_org)
        if action.who_person:
            action.who_person = names.alias(action.who_person) or scrub(action.who_person)
    handled = {
        "participant": {"name", "agency"},
        "relationship": {"name"},
        "conversation": {"agency_name"},
        "attendee": {"name"},
        "action": {"who_org", "who_person"},
    }

    # Every other piece of free text.
    for kind, rows in out.rows.items():
        skip = handled.get(kind, set()) | _ID_FIELDS
        for entity in rows.values():
            for field_name in (f.name for f in dataclasses.fields(entity)):
                value = getattr(entity, field_name)
                if field_name not in skip and isinstance(value, str):
                    setattr(entity, field_name, scrub(value))

    info.area = "the area" if info.area else ""
    info.facilitator = "the facilitator" if info.facilitator else ""
    info.notes = scrub(info.notes)
    title = scrub(info.title)
    info.title = title[:1].upper() + title[1:]
    return out
