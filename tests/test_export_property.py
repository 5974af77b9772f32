"""Exports hold up against any text people might type, or paste."""

from __future__ import annotations

import csv
import html
import io
import json
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from facilitator.domain import commands
from facilitator.domain import events as ev
from facilitator.domain.model import SessionState
from facilitator.export import export
from facilitator.export.common import xml_text
from facilitator.export.csvzip import COLUMNS, FORMULA_STARTS
from facilitator.store.importing import import_json

NASTY = [
    "<script>alert(1)</script>",
    "&amp; & &#x41;",
    "\"quoted\" 'single'",
    "]]>",
    "=cmd|' /C calc'!A0",
    "+1",
    "-2",
    "@SUM(A1)",
    "\u202eevil\u202c",  # right-to-left override
    "שלום עולם",
    "مرحبا",
    "🙂👩🏽‍🌾",
    "\x00\x07\x1b[31m",
    "\ud800 lone",
    "a\r\nb\rc\u2028d",
    "| pipe | *star* _under_ #hash",
    "e\u0301",  # e + combining acute, becomes é in NFC
    "\t tab",
    "\ufeffbom",
    "\uffff",
]

text = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=()), max_size=30),
    st.lists(st.sampled_from(NASTY), min_size=1, max_size=3).map(" ".join),
)

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def add(state: SessionState, kind: str, fallback: dict | None = None, **fields) -> str:
    """Add an entity; text the domain refuses (empty, say) is swapped for ``fallback``."""
    try:
        event = commands.add(state, kind, **fields)
    except commands.DomainError:
        event = commands.add(state, kind, **{**fields, **(fallback or {})})
    ev.apply_event(state, event)
    return event.payload["id"]


def build(people: list[str], agencies: list[str], notes: str, said: str) -> SessionState:
    state = SessionState()
    for event in commands.update_session(state, title="Property test", area="Area"):
        ev.apply_event(state, event)
    pids = [
        add(state, "participant", {"name": "someone"}, name=n, consent_named=True) for n in people
    ]
    rids = [
        add(
            state,
            "relationship",
            {"name": "an agency"},
            name=a,
            agency_type="health",
            notes=notes,
            holder_participants=pids[:1],
        )
        for a in agencies
    ]
    conv = add(
        state,
        "conversation",
        {"agency_name": "an agency"},
        agency_name=agencies[0],
        relationship_id=rids[0],
        boundaries_in=notes,
    )
    add(state, "attendee", {"name": "someone"}, conversation_id=conv, name=people[0])
    add(
        state,
        "prompt_answer",
        {"text": "something"},
        conversation_id=conv,
        prompt_id="community-happening",
        text=said,
        tag="challenge",
    )
    add(
        state,
        "action",
        {"what": "something"},
        what=said,
        who_person=people[0],
        who_org=agencies[0],
        conversation_id=conv,
    )
    add(state, "rating", None, relationship_id=rids[0], criterion_id="trust", score=3, why=notes)
    return state


def user_texts(state: SessionState) -> list[str]:
    out = [p.name for p in state.participants.values()]
    for rel in state.relationships.values():
        out += [rel.name, rel.notes]
    out += [a.text for a in state.rows["prompt_answer"].values()]
    return [t for t in out if t]


people_st = st.lists(text, min_size=1, max_size=3)
agencies_st = st.lists(text, min_size=1, max_size=3)


@SETTINGS
@given(people=people_st, agencies=agencies_st, notes=text, said=text)
def test_json_round_trips_any_text(people, agencies, notes, said) -> None:
    state = build(people, agencies, notes, said)
    first = export(state, "json")
    json.loads(first)  # valid JSON, valid UTF-8
    with tempfile.TemporaryDirectory() as folder:
        imported = import_json(first, Path(folder) / "copy.facilitator")
        try:
            assert export(imported.state, "json") == first
            assert imported.state.snapshot() == state.snapshot()
            assert user_texts(imported.state) == user_texts(state)
        finally:
            imported.close()


@SETTINGS
@given(people=people_st, agencies=agencies_st, notes=text, said=text)
def test_csv_always_parses_with_the_right_columns(people, agencies, notes, said) -> None:
    state = build(people, agencies, notes, said)
    with zipfile.ZipFile(io.BytesIO(export(state, "csv"))) as zf:
        files = {name: zf.read(name).decode("utf-8-sig") for name in zf.namelist()}
    for name, columns in COLUMNS.items():
        rows = list(csv.reader(io.StringIO(files[name], newline="")))
        assert tuple(rows[0]) == columns
        assert all(len(row) == len(columns) for row in rows)
        for row in rows:
            assert not any(cell.startswith(FORMULA_STARTS) for cell in row)
    rows = list(csv.reader(io.StringIO(files["relationships.csv"], newline="")))
    names = [row[1] for row in rows[1:]]
    for shown, rel in zip(names, state.relationships.values(), strict=True):
        expected = rel.name
        if expected.startswith(FORMULA_STARTS):
            expected = "'" + expected
        assert shown == expected


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.data: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data) -> None:
        self.data.append(data)


@SETTINGS
@given(people=people_st, agencies=agencies_st, notes=text, said=text)
def test_html_shows_any_text_escaped(people, agencies, notes, said) -> None:
    state = build(people, agencies, notes, said)
    page = export(state, "html").decode("utf-8")
    parser = Collector()
    parser.feed(page)
    parser.close()
    assert "script" not in parser.tags
    assert parser.tags.count("html") == 1
    shown = "".join(parser.data)
    for value in user_texts(state):
        for line in value.split("\n"):
            line = xml_text(line)
            if line.strip():
                assert html.escape(line) in page
                assert line in shown


@SETTINGS
@given(people=people_st, agencies=agencies_st, notes=text, said=text)
def test_graphml_and_svg_parse_with_any_text(people, agencies, notes, said) -> None:
    state = build(people, agencies, notes, said)
    graph = nx.read_graphml(io.BytesIO(export(state, "graphml")))
    assert graph.number_of_nodes() == len(state.relationships) + 1
    for rid, rel in state.relationships.items():
        assert graph.nodes[rid]["name"] == xml_text(rel.name)
    root = ET.fromstring(export(state, "svg"))
    markers = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "marker"]
    assert len(markers) == len(state.relationships)
    md = export(state, "md").decode("utf-8")
    assert md.startswith("# Property test\n")


# -- anonymising: the fast scrubber does exactly what one big regular expression does --------

_NAME_CHARS = st.sampled_from(list("abcKkSsſ\u212aéÉİiAnO'’-\n 李小"))


def _one_expression(entries, text: str) -> str:
    """The scrubber's rule the slow way: every name, as one expression, at every position."""
    import re

    from facilitator.export.namefold import fold_with_origin
    from facilitator.export.scrubber import _TITLE_BEFORE

    ordered = sorted(entries, key=lambda e: -e.length)
    if not ordered:
        return text
    one = re.compile("|".join(f"(?P<n{i}>{e.regex})" for i, e in enumerate(ordered)))
    folded = fold_with_origin(text)
    pieces, pos, last = [], 0, 0
    while pos < len(folded.text):
        found = one.match(folded.text, pos)
        if found is None:
            pos += 1
            continue
        entry = ordered[int(found.lastgroup[1:])]
        start, end = folded.span(text, pos, found.end())
        start = max(start, last)
        if entry.common and text[start:end].islower():
            pos += 1
            continue
        before = text[last:start]
        title = _TITLE_BEFORE.search(before) if entry.person else None
        pieces += [before[: title.start()] if title else before, entry.alias]
        pos, last = found.end(), end
    return "".join(pieces) + text[last:]


@settings(max_examples=300, deadline=None)
@example(names=["kate"], parts=[], text="\u212aate and \u017fam")  # Kelvin sign, long s
@example(names=["sam"], parts=["Ann"], text="ſam met Ann and ann")
@example(names=["李小"], parts=[], text="李小说")
@given(
    names=st.lists(st.text(_NAME_CHARS, min_size=1, max_size=6).map(str.strip), max_size=6),
    parts=st.lists(st.text(_NAME_CHARS, min_size=1, max_size=4).map(str.strip), max_size=3),
    text=st.text(_NAME_CHARS, max_size=60) | st.text(max_size=40),
)
def test_scrubber_matches_the_single_regular_expression(names, parts, text):
    from facilitator.export.scrubber import Scrubber, name_entry

    entries = [
        name_entry(n, f"<P{i}>", whole_word=len(n) < 4, person=i % 2 == 0)
        for i, n in enumerate(n for n in names if n)
    ]
    entries += [
        name_entry(p, f"<Q{i}>", whole_word=True, person=True)
        for i, p in enumerate(p for p in parts if p)
    ]
    entries = [e for e in entries if e is not None]
    assert Scrubber(entries)(text) == _one_expression(entries, text)
