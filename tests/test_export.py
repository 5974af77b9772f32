"""The six export formats, anonymising, JSON import and the atomic writer, on the demo."""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import os
import re
import shutil
import stat
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from markdown_it import MarkdownIt

from facilitator.demo import build_demo
from facilitator.domain import commands
from facilitator.domain import events as ev
from facilitator.domain.mapgeometry import UNPLACED_RING, layout, sectors
from facilitator.domain.model import SessionState
from facilitator.export import FORMATS, ExportError, default_suffix, export, write_atomic
from facilitator.export.anonymise import anonymise
from facilitator.export.csvzip import COLUMNS, FORMULA_STARTS
from facilitator.export.importer import JsonImportError
from facilitator.export.markdown import escape
from facilitator.store.errors import SessionFileError
from facilitator.store.importing import import_json

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "docs" / "session.schema.json"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory):
    sf = build_demo(tmp_path_factory.mktemp("demo") / "demo.facilitator")
    yield sf
    sf.close()


@pytest.fixture
def demo(demo_file) -> SessionState:
    """A private copy of the demo's state, safe to change in a test."""
    return copy.deepcopy(demo_file.state)


def change(state: SessionState, events: ev.Event | list[ev.Event]) -> None:
    for event in [events] if isinstance(events, ev.Event) else events:
        ev.apply_event(state, event)


def rel_id(state: SessionState, name: str) -> str:
    return next(rid for rid, r in state.relationships.items() if r.name == name)


def unzip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name).decode("utf-8-sig") for name in zf.namelist()}


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, Any]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(page: str) -> TagCollector:
    parser = TagCollector()
    parser.feed(page)
    parser.close()
    return parser


# -- general --------------------------------------------------------------------------------


def test_unknown_formats_are_refused_with_a_clear_message(demo) -> None:
    with pytest.raises(ExportError, match="Unknown export format 'pdf'"):
        export(demo, "pdf")
    with pytest.raises(ExportError):
        default_suffix("docx")
    assert [default_suffix(f) for f in FORMATS] == [
        ".md",
        ".html",
        ".csv.zip",
        ".json",
        ".graphml",
        ".svg",
    ]


# -- Markdown -------------------------------------------------------------------------------


def md_tokens(text: str):
    return MarkdownIt("commonmark").enable("table").parse(text)


def headings(tokens, tag: str) -> list[str]:
    return [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == tag
    ]


def test_markdown_has_the_title_the_sections_and_the_tables(demo) -> None:
    tokens = md_tokens(export(demo, "md").decode())
    assert headings(tokens, "h1") == [demo.info.title]
    h2 = headings(tokens, "h2")
    for expected in (
        "Who took part",
        "What makes a relationship effective",
        "The map of relationships",
        "Fragile relationships",
        "Stage 2: one good relationship",
        "Stage 3: one relationship to develop",
        "Conversation with Wrenhollow and Dene Primary Care Network",
        "Follow-up conversation with Wrenhollow and Dene Primary Care Network",
        "Time spent",
    ):
        assert expected in h2
    assert len([t for t in tokens if t.type == "table_open"]) >= 8
    h3 = headings(tokens, "h3")
    assert {
        "Challenges",
        "Opportunities",
        "Agreed actions",
        "Looking back at earlier actions",
    } <= set(h3)


def test_markdown_names_only_people_who_agreed(demo) -> None:
    text = export(demo, "md").decode()
    for person in demo.participants.values():
        assert (person.name in text) == person.consent_named, person.name
    assert "a resident member" in text


def table_shapes(tokens) -> list[list[int]]:
    """For each table, the number of cells in each row (header first)."""
    shapes, row, cells = [], None, 0
    for t in tokens:
        if t.type == "table_open":
            shapes.append([])
        elif t.type == "tr_open":
            cells = 0
        elif t.type in ("th_open", "td_open"):
            cells += 1
        elif t.type == "tr_close":
            shapes[-1].append(cells)
    del row
    return shapes


def test_markdown_special_characters_in_user_text_never_break_the_notes(demo) -> None:
    pcn = demo.info.develop_relationship_id
    change(demo, commands.edit(demo, "relationship", pcn, name="*x* | pipe #1 <b>`code`</b>"))
    rating = next(r for r, x in demo.rows["rating"].items() if x.relationship_id == pcn)
    change(demo, commands.edit(demo, "rating", rating, why="a | b\n- c\n1. d [link](http://x)"))
    text = export(demo, "md").decode()
    tokens = md_tokens(text)
    for shape in table_shapes(tokens):
        assert len(set(shape)) == 1, shape  # every row as wide as the header
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "*x* | pipe #1 &lt;b&gt;`code`&lt;/b&gt;" in rendered
    assert "<em>" not in rendered.split("Stage 3")[1].split("</h2>")[0]
    assert "a | b<br>- c<br>1. d [link](http://x)" in rendered
    assert "<a href" not in rendered


def test_markdown_escape_round_trips_through_a_parser() -> None:
    for raw in (
        "*x*",
        "_y_",
        "# not a heading",
        "- not a list",
        "1. nor this",
        "> quote",
        "&amp;",
        "a\\b",
        "<i>",
    ):
        html_out = MarkdownIt("commonmark").render(escape(raw))
        assert html_out.strip() == f"<p>{html.escape(raw, quote=False)}</p>", raw


# -- HTML -----------------------------------------------------------------------------------


def test_html_escapes_everything_and_runs_nothing(demo) -> None:
    attack = "<script>alert(1)</script>"
    good = demo.info.good_relationship_id
    change(demo, commands.edit(demo, "relationship", good, notes=attack, name=f"Homes {attack}"))
    first = next(iter(demo.conversations))
    change(demo, commands.edit(demo, "conversation", first, summary=f'{attack} & "more"'))
    pid = next(iter(demo.participants))
    change(demo, commands.edit(demo, "participant", pid, name="<img src=x onerror=alert(1)>"))
    page = export(demo, "html").decode()
    parsed = parse_html(page)
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags
    assert "img" not in tags
    assert html.escape(attack) in page
    assert attack in "".join(parsed.text)  # shown as text
    assert page.count(html.escape(attack)) >= 3
    # Self-contained: no links, scripts, frames or anything fetched from elsewhere.
    for tag, attrs in parsed.tags:
        assert tag not in ("link", "iframe", "object", "embed")
        assert not any(k in ("src", "href") for k in attrs), (tag, attrs)
    assert "svg" in tags and "style" in tags


def test_html_has_the_same_sections_as_the_markdown(demo) -> None:
    parsed = parse_html(export(demo, "html").decode())
    assert [t for t, _ in parsed.tags].count("h1") == 1
    text = "".join(parsed.text)
    for section in ("Who took part", "Fragile relationships", "Time spent", "Agreed actions"):
        assert section in text


# -- CSV ------------------------------------------------------------------------------------


def test_csv_zip_holds_every_table_with_its_columns(demo) -> None:
    files = unzip(export(demo, "csv"))
    assert list(files) == list(COLUMNS)
    counts = {
        "relationships.csv": len(demo.relationships),
        "actions.csv": len(demo.rows["action"]),
        "ratings.csv": len(demo.rows["rating"]),
        "participants.csv": len(demo.participants),
        "notes.csv": len(demo.rows["prompt_answer"]),
    }
    for name, text in files.items():
        rows = read_csv(text)
        assert tuple(rows[0]) == COLUMNS[name]
        assert len(rows) - 1 == counts[name]
        assert all(len(r) == len(COLUMNS[name]) for r in rows)
    raw = zipfile.ZipFile(io.BytesIO(export(demo, "csv"))).read("relationships.csv")
    assert raw.startswith(b"\xef\xbb\xbf")


def test_csv_names_participants_only_with_consent(demo) -> None:
    rows = read_csv(unzip(export(demo, "csv"))["participants.csv"])
    header = rows[0]
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    for pid, person in demo.participants.items():
        assert by_id[pid]["name"] == (person.name if person.consent_named else "")
        assert by_id[pid]["consent_named"] == ("yes" if person.consent_named else "no")


def test_csv_cells_are_never_formulas(demo) -> None:
    for name in ('=HYPERLINK("http://example.invalid","click")', "+1", "-2", "@x", "=1+1"):
        change(
            demo, commands.add(demo, "relationship", name=name, notes="-note", agency_type="health")
        )
    files = unzip(export(demo, "csv"))
    rows = read_csv(files["relationships.csv"])
    names = [r[1] for r in rows[1:]]
    assert '\'=HYPERLINK("http://example.invalid","click")' in names
    assert {"'+1", "'-2", "'@x", "'=1+1"} <= set(names)
    for text in files.values():
        for row in read_csv(text):
            for cell in row:
                assert not cell.startswith(FORMULA_STARTS), cell


def test_csv_columns_match_the_session(demo) -> None:
    rows = read_csv(unzip(export(demo, "csv"))["relationships.csv"])
    header = rows[0]
    for row in rows[1:]:
        r = dict(zip(header, row, strict=True))
        rel = demo.relationships[r["id"]]
        assert r["rel_type"] == (rel.rel_type or "")
        assert r["purposes"].split("; ") == rel.purposes
        assert r["closeness"] == ("" if rel.closeness is None else str(rel.closeness))
    ratings = read_csv(unzip(export(demo, "csv"))["ratings.csv"])
    stages = {r[3] for r in ratings[1:]}
    assert stages == {"good", "develop"}


# -- GraphML --------------------------------------------------------------------------------


def test_graphml_reads_back_with_networkx(demo) -> None:
    graph = nx.read_graphml(io.BytesIO(export(demo, "graphml")))
    n = len(demo.relationships)
    assert graph.number_of_nodes() == n + 1
    assert graph.number_of_edges() == n
    assert graph.nodes["partnership"]["kind"] == "partnership"
    ratings = {(r.relationship_id, r.criterion_id): r.score for r in demo.rows["rating"].values()}
    for rid, rel in demo.relationships.items():
        node = graph.nodes[rid]
        assert node["name"] == rel.name
        assert node["agency_type"] == rel.agency_type
        assert node["agency_subtype"] == rel.agency_subtype
        assert node["state"] == rel.state
        edge = graph.edges["partnership", rid]
        assert edge["rel_type"] == rel.rel_type
        assert edge.get("closeness") == rel.closeness
        assert edge["purposes"] == ",".join(rel.purposes)
        stage = {
            demo.info.good_relationship_id: "good",
            demo.info.develop_relationship_id: "develop",
        }
        assert edge.get("stage", "") == stage.get(rid, "")
        for cid in ("trust", "follow-through"):
            assert edge.get(f"rating_{cid}") == ratings.get((rid, cid))


def test_graphml_declares_every_key_with_a_type(demo) -> None:
    root = ET.fromstring(export(demo, "graphml"))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    keys = root.findall(f"{ns}key")
    assert keys and all(k.get("attr.type") in ("string", "int") for k in keys)
    used = {d.get("key") for d in root.iter(f"{ns}data")}
    assert used <= {k.get("id") for k in keys}


# -- SVG ------------------------------------------------------------------------------------


def test_svg_is_xml_with_one_marker_per_relationship(demo) -> None:
    root = ET.fromstring(export(demo, "svg"))
    assert root.tag == f"{SVG}svg"
    markers = [g for g in root.iter(f"{SVG}g") if g.get("class") == "marker"]
    assert len(markers) == len(demo.relationships)
    assert {g.get("data-relationship-id") for g in markers} == set(demo.relationships)
    for g in markers:
        rel = demo.relationships[g.get("data-relationship-id")]
        assert g.find(f"{SVG}title").text.split("\n")[0] == rel.name
        assert len(g.find(f"{SVG}text").text) <= 24
    texts = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Key" in texts and demo.info.title in texts and demo.info.date in texts


def test_svg_escapes_names_and_drops_what_xml_cannot_hold(demo) -> None:
    rid = next(iter(demo.relationships))
    demo.relationships[rid].name = 'A & B <C> "D" ]]> \x01\ufffe'
    root = ET.fromstring(export(demo, "svg"))
    marker = next(g for g in root.iter(f"{SVG}g") if g.get("data-relationship-id") == rid)
    assert marker.find(f"{SVG}title").text.startswith('A & B <C> "D" ]]> ')


def test_layout_groups_relationships_by_agency_type(demo) -> None:
    placements = layout(demo)
    assert [p.relationship_id for p in placements] == list(demo.relationships)
    secs = sectors(demo)
    assert secs[0].start_degrees == 0 and abs(secs[-1].end_degrees - 360) < 1e-9
    for p in placements:
        rel = demo.relationships[p.relationship_id]
        sec = next(s for s in secs if s.agency_type == p.sector_agency_type)
        assert sec.start_degrees <= p.angle_degrees <= sec.end_degrees
        assert p.ring == (rel.closeness or UNPLACED_RING)
        assert p.sector_agency_type == rel.agency_type
    assert layout(SessionState()) == []


# -- JSON and import ------------------------------------------------------------------------


def test_json_export_import_export_is_identical(demo_file, tmp_path: Path) -> None:
    first = export(demo_file.state, "json")
    imported = import_json(first, tmp_path / "copy.facilitator")
    try:
        assert export(imported.state, "json") == first
        assert imported.reload().snapshot() == demo_file.state.snapshot()
        assert ev.replay(imported.journal).snapshot() == demo_file.state.snapshot()
    finally:
        imported.close()


def test_json_is_sorted_and_ends_with_a_newline(demo) -> None:
    text = export(demo, "json").decode()
    doc = json.loads(text)
    assert text.endswith("}\n")
    assert doc["format"] == "facilitator-session" and doc["schema_version"] == 1
    assert "journal" not in doc and "exported_at" not in doc
    assert [p["id"] for p in doc["participants"]] == list(demo.participants)
    assert json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n" == text


def test_json_validates_against_the_published_schema(demo_file) -> None:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(json.loads(export(demo_file.state, "json")))
    validator.validate(json.loads(export(demo_file.state, "json", journal=demo_file.journal)))
    validator.validate(json.loads(export(demo_file.state, "json", anonymise=True)))


def broken(demo_file, mutate) -> bytes:
    doc = json.loads(export(demo_file.state, "json"))
    mutate(doc)
    return json.dumps(doc).encode()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["relationships"][3].update(rel_type="ally"),
            "relationships[3].rel_type: unknown value 'ally'",
        ),
        (lambda d: d.update(format="other"), "format: expected 'facilitator-session'"),
        (lambda d: d.update(schema_version=2), "schema_version: this file is version 2"),
        (lambda d: d.pop("session"), "session: missing"),
        (
            lambda d: d["participants"][0].update(colour="red"),
            "participants[0].colour: unknown field",
        ),
        (
            lambda d: d["participants"][1].update(id=d["participants"][0]["id"]),
            "participants[1].id: duplicate id",
        ),
        (
            lambda d: d["ratings"][0].update(score="five"),
            "ratings[0].score: expected a whole number or null",
        ),
        (lambda d: d["ratings"][0].update(score=9), "ratings[0].score: Score must be from 1 to 5."),
        (
            lambda d: d["actions"][0].update(conversation_id="nope"),
            "actions[0].conversation_id: No such conversation",
        ),
        (
            lambda d: d["relationships"][0].update(purposes=["co-design", "gossip"]),
            "relationships[0].purposes[1]: unknown value 'gossip'",
        ),
        (
            lambda d: d["relationships"][0].update(agency_subtype="gp-surgery"),
            "relationships[0].agency_subtype: unknown value 'gp-surgery'",
        ),
        (
            lambda d: d["conversations"][1].update(previous_id="missing"),
            "conversations[1].previous_id: no conversation",
        ),
        (lambda d: d["session"].update(title=""), "session.title: Title cannot be empty."),
        (
            lambda d: d["session"].update(good_relationship_id="nope"),
            "session.good_relationship_id",
        ),
        (lambda d: d.update(relationships={}), "relationships: expected a list"),
        (lambda d: d.update(extra=1), "extra: unknown key"),
    ],
)
def test_import_refuses_bad_files_naming_the_place(demo_file, tmp_path, mutate, message) -> None:
    target = tmp_path / "bad.facilitator"
    with pytest.raises(JsonImportError) as caught:
        import_json(broken(demo_file, mutate), target)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not target.exists()


def test_import_refuses_what_is_not_json(tmp_path: Path) -> None:
    for data in (b"\xff\xfe", b"{not json", b"[1, 2]", b'{"format": NaN}'):
        with pytest.raises(JsonImportError):
            import_json(data, tmp_path / "bad.facilitator")
    assert not list(tmp_path.iterdir())


def test_import_never_writes_over_an_existing_session(demo_file, tmp_path: Path) -> None:
    target = tmp_path / "taken.facilitator"
    target.write_bytes(b"precious")
    with pytest.raises(SessionFileError):
        import_json(export(demo_file.state, "json"), target)
    assert target.read_bytes() == b"precious"


# -- anonymising ----------------------------------------------------------------------------


def secret_names(state: SessionState) -> set[str]:
    """Every full name of a person, agency, place or facilitator in the session."""
    names = {p.name for p in state.participants.values()}
    names |= {r.name for r in state.relationships.values()}
    names |= {c.agency_name for c in state.conversations.values()}
    names |= {a.name for a in state.rows["attendee"].values()}
    names |= {state.info.area, state.info.facilitator}
    return {n for n in names if n}


def given_and_family_names(state: SessionState) -> set[str]:
    people = [p.name for p in state.participants.values()]
    people += [a.name for a in state.rows["attendee"].values()] + [state.info.facilitator]
    return {w for name in people for w in name.split() if len(w) > 2 and w not in ("Dr",)}


def decoded(fmt: str, data: bytes) -> str:
    if fmt == "csv":
        return "\n".join(unzip(data).values())
    return (
        html.unescape(data.decode("utf-8")) if fmt in ("html", "svg", "graphml") else data.decode()
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_anonymised_exports_hold_no_names(demo, fmt) -> None:
    text = decoded(fmt, export(demo, fmt, anonymise=True))
    folded = text.casefold()
    leaks = [name for name in secret_names(demo) if name.casefold() in folded]
    assert not leaks, leaks
    # Given names and surnames on their own, as words with a capital ("Grant", not "grant").
    leaks = [w for w in given_and_family_names(demo) if re.search(rf"\b{re.escape(w)}\b", text)]
    assert not leaks, leaks
    # The same export without anonymising does hold them, so the check can fail.
    plain_text = decoded(fmt, export(demo, fmt)).casefold()
    assert demo.info.area.casefold() in plain_text


def test_anonymise_gives_stable_aliases_and_leaves_the_original_alone(demo) -> None:
    before = copy.deepcopy(demo.snapshot())
    anon = anonymise(demo)
    assert demo.snapshot() == before
    assert [p.name for p in anon.participants.values()] == [
        f"Participant {n}" for n in range(1, len(demo.participants) + 1)
    ]
    pcn = demo.info.develop_relationship_id
    alias = anon.relationships[pcn].name
    assert alias.startswith("Health ") and alias[-1].isupper()
    assert all(c.agency_name == alias for c in anon.conversations.values())
    agency_actions = [a for a in anon.rows["action"].values() if a.conversation_id]
    assert alias in {a.who_org for a in agency_actions}
    attendees = {a.name for a in anon.rows["attendee"].values()}
    assert {"Participant 1", "Agency attendee 1", "Agency attendee 2"} <= attendees
    assert anon.info.area == "the area" and anon.info.facilitator == "the facilitator"
    assert anon.info.title.startswith("The area")
    types = {r.agency_type for r in demo.relationships.values()}
    assert len({r.name for r in anon.relationships.values()}) == len(demo.relationships)
    assert len(types) == 6
    assert anon.relationships[pcn].notes  # free text is kept, only names go


def test_anonymise_replaces_names_inside_free_text(demo) -> None:
    good = demo.info.good_relationship_id
    change(
        demo,
        commands.edit(
            demo,
            "relationship",
            good,
            notes="MAUREEN OAKLEY met moorgate homes in wrenhollow with Priya; "
            "Alison Reeve chaired.",
        ),
    )
    notes = anonymise(demo).relationships[good].notes
    assert notes.startswith(
        "Participant 1 met Housing association A in the area with Participant 4;"
    )
    assert "the facilitator chaired" in notes


# -- writing files --------------------------------------------------------------------------


def test_write_atomic_creates_private_files_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    write_atomic(target, b"first")
    assert target.read_bytes() == b"first"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(ExportError, match="already exists") as caught:
        write_atomic(target, b"second")
    assert "\n" not in str(caught.value)
    assert target.read_bytes() == b"first"
    write_atomic(target, b"second", force=True)
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]


def test_write_atomic_leaves_the_old_file_when_the_rename_fails(
    tmp_path: Path, monkeypatch
) -> None:
    target = tmp_path / "map.svg"
    target.write_bytes(b"old map")

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError, match="No space left on device"):
        write_atomic(target, b"new map", force=True)
    assert target.read_bytes() == b"old map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.svg"]  # no temporary file left


def test_write_atomic_reports_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        write_atomic(tmp_path / "nowhere" / "x.md", b"x")
    with pytest.raises(ExportError, match="folder"):
        write_atomic(tmp_path, b"x")


def test_write_atomic_never_replaces_a_session_a_database_a_link_or_a_pipe(
    tmp_path: Path, demo_file
) -> None:
    """Not even with force: each would be destroyed (or, for a link or a device such as
    /dev/null, swapped for a plain file) by the rename."""
    session = tmp_path / "live.facilitator"
    shutil.copyfile(demo_file.path, session)
    database = tmp_path / "other.db"
    shutil.copyfile(demo_file.path, database)
    pointed_at = tmp_path / "kept.md"
    pointed_at.write_bytes(b"kept")
    link = tmp_path / "link.md"
    link.symlink_to(pointed_at)
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    cases = {
        session: "session file",
        tmp_path / "new.facilitator": "session file",
        tmp_path / "live.facilitator-wal": "session file",  # (its committed changes)
        tmp_path / "live.facilitator-shm": "session file",
        database: "is a database",
        link: "not an ordinary file",
        pipe: "not an ordinary file",
    }
    before = {p: (p.read_bytes() if p.is_file() else None) for p in (session, database)}
    for target, message in cases.items():
        with pytest.raises(ExportError, match=message):
            write_atomic(target, b"# notes", force=True)
    assert {p: p.read_bytes() for p in (session, database)} == before
    assert link.is_symlink() and pointed_at.read_bytes() == b"kept"
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert not (tmp_path / "new.facilitator").exists()
