"""No anonymised export of any format, nor its file name, holds a name, however written.

Sessions are generated with people who did not agree to be named, and their names (and
the ways people write names: capitals, no accents, a curly apostrophe, a title, an
initial, a nickname, half a double surname, a name run into the next word in Chinese)
are scattered through every text field, ids and coded fields included. Every export is
then searched for every name and every part of one, ignoring case and accents.

The names come from a list of real-looking names that are not English words used in the
exports themselves ("Participant", "Health"…), and no part is an everyday word, which
is left alone in lower case by design (see ``facilitator.export.scrubber``).
"""

from __future__ import annotations

import html
import io
import re
import unicodedata
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.domain import commands
from facilitator.domain import events as ev
from facilitator.domain.model import SessionState
from facilitator.export import FORMATS, export, export_file_name
from facilitator.export.namefold import fold, person_name
from facilitator.store.sessionfile import session_path

GIVEN = ["Kathleen", "Siobhán", "José", "Jo", "Adaeze", "Wojciech", "Zoë", "Björn", "Ngozi"]
FAMILY = ["Whitlow", "O'Connor", "Ng", "Smith-Jones", "Okafor", "Ramos", "Łukasz", "Müller"]
NICKNAMES = ["Molly", "Kit", "Bex"]
CJK = ["李小龍", "王秀英", "김민준"]
FILLER = ["met", "said", "and", "the", "说好", "12", "—", "(", ")", ".", "!"]
SEPARATORS = [" ", ", ", "_", "-", "/", "\n", " ", " "]


@st.composite
def people(draw: st.DrawFn) -> list[str]:
    """One to three distinct names of people who did not agree to be named."""
    names: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 4)) == 0:
            name = draw(st.sampled_from(CJK))
        else:
            given = draw(st.sampled_from(GIVEN))
            nick = draw(st.sampled_from(["", *NICKNAMES]))
            name = f"{given} ({nick}) " if nick else f"{given} "
            name += draw(st.sampled_from(FAMILY))
        if fold(name) not in {fold(n) for n in names}:
            names.append(name)
    return names


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def variants(name: str) -> list[str]:
    """Ways the name may be written in a note."""
    written = person_name(name)
    out = [name, name.upper(), name.lower(), strip_accents(name), name.replace("'", "\u2019")]
    out += list(written.parts) + [p.upper() for p in written.parts]
    if len(written.words) > 1:
        surname = written.words[-1]
        out += [f"Ms {surname}", f"DR. {surname.upper()}", f"{written.words[0][0]}. {surname}"]
    else:
        out += [f"{name}说好", f"{name}에게"]
    return out


@st.composite
def text_with(draw: st.DrawFn, names: list[str]) -> str:
    """Free text holding some of the names, written in some of their ways."""
    words = draw(
        st.lists(
            st.one_of(
                st.sampled_from(FILLER),
                st.sampled_from(names).flatmap(lambda n: st.sampled_from(variants(n))),
            ),
            min_size=1,
            max_size=8,
        )
    )
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps, strict=True)).strip() or "x"


def secrets(names: list[str]) -> set[str]:
    """Everything that must not be found: each whole name and each part of one."""
    found: set[str] = set()
    for name in names:
        written = person_name(name)
        found.update(written.forms)
        found.update(written.parts)
        if len(written.words) == 1:
            found.add(name)
    return {fold(s) for s in found if s}


def leaks(text: str, hidden: set[str]) -> list[str]:
    folded = fold(text)
    out = []
    for name in hidden:
        if ord(name[0]) >= 0x2E80:
            present = name in folded  # a script without spaces: anywhere at all
        else:
            pattern = r"\s+".join(re.escape(w) for w in name.split())
            present = re.search(rf"(?<![^\W\d_]){pattern}(?![^\W\d_])", folded) is not None
        if present:
            out.append(name)
    return out


def readable(fmt: str, data: bytes) -> str:
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "\n".join(zf.read(n).decode("utf-8-sig") for n in zf.namelist())
    text = data.decode("utf-8")
    return html.unescape(text) if fmt in ("html", "svg", "graphml") else text


TEXT_FIELDS = {
    "notes",
    "works_notes",
    "better_looks_like",
    "boundaries_in",
    "boundaries_out",
    "summary",
    "bank_id",
    "started_at",
    "prompt_id",
    "text",
    "what",
    "who_person",
    "who_org",
    "by_when",
    "note",
    "why",
    "reason",
    "own_words",
    "name",
}


def _one_line(value: str) -> str:
    return " ".join(value.split())[:40].strip() or "x"


def build(draw: st.DrawFn, names: list[str]) -> SessionState:
    state = SessionState()

    def text() -> str:
        return draw(text_with(names))

    def add(kind: str, entity_id: str | None = None, **fields) -> str:
        try:
            event = commands.add(state, kind, entity_id=entity_id, **fields)
        except commands.DomainError:
            # A field that refuses the text (a line break, too long): shorter, on one line.
            fields = {k: _one_line(v) if k in TEXT_FIELDS else v for k, v in fields.items()}
            try:
                event = commands.add(state, kind, entity_id=entity_id, **fields)
            except commands.DomainError:
                fields = {k: "x" if k in TEXT_FIELDS else v for k, v in fields.items()}
                event = commands.add(state, kind, entity_id=entity_id, **fields)
        ev.apply_event(state, event)
        return event.payload["id"]

    def update(**fields) -> None:
        for name, value in fields.items():
            try:
                events = commands.update_session(state, **{name: value})
            except commands.DomainError:
                continue
            for event in events:
                ev.apply_event(state, event)

    update(title=text(), area="Wrenhollow", facilitator="Alison Reeve", notes=text())
    pids = [add("participant", name=n, consent_named=False) for n in names]
    ascii_id = re.sub(r"[^a-z]+", "-", strip_accents(names[0]).lower()).strip("-")
    rid = add(
        "relationship",
        (ascii_id + "-rel") if ascii_id else None,
        name="Moorgate Homes",
        agency_type="health",
        notes=f"{text()} {names[0]}",
        works_notes=text(),
        better_looks_like=text(),
        holder_participants=pids[:1],
    )
    cid = add(
        "conversation",
        agency_name="Moorgate Homes",
        relationship_id=rid,
        boundaries_in=text(),
        boundaries_out=text(),
        summary=text(),
        bank_id=text(),
        started_at=text(),
    )
    # An attendee typed in under a participant's name, and one picked from the list.
    add("attendee", conversation_id=cid, name=draw(st.sampled_from(names)), side="partnership")
    add("attendee", conversation_id=cid, name=names[-1], participant_id=pids[-1], side="agency")
    add("prompt_answer", conversation_id=cid, prompt_id=text(), text=text(), tag="challenge")
    add("prompt_answer", conversation_id=cid, prompt_id="community-happening", text=text())
    action = add(
        "action",
        what=text(),
        who_person=draw(st.sampled_from(names).flatmap(lambda n: st.sampled_from(variants(n)))),
        who_org=text(),
        by_when=text(),
        notes=text(),
        conversation_id=cid,
    )
    add("action_review", conversation_id=cid, action_id=action, note=text())
    add("rating", relationship_id=rid, criterion_id="trust", score=3, why=text())
    add("outcome", relationship_id=rid, text=text())
    add("factor", relationship_id=rid, notes=text())
    add("criterion_choice", criterion_id="trust", position=1, reason=text(), own_words=text())
    return state


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(data=st.data())
def test_no_anonymised_export_or_its_file_name_holds_a_name(data, tmp_path_factory) -> None:
    names = data.draw(people())
    state = build(data.draw, names)
    hidden = secrets(names)
    plain = readable("md", export(state, "md"))
    assert leaks(plain, hidden), "the session must hold the names to begin with"
    folder = tmp_path_factory.getbasetemp()
    source = session_path(Path(folder), state.info.title, "2024-05-01")
    for fmt in FORMATS:
        text = readable(fmt, export(state, fmt, anonymise=True))
        assert not leaks(text, hidden), (fmt, leaks(text, hidden))
        file_name = export_file_name(source, fmt, anonymise=True)
        assert not leaks(file_name, hidden), (fmt, file_name)
