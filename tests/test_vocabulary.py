"""The workshop vocabulary: the packaged file, the checks on bad files, and lookups."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from importlib.resources import files

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.domain.vocabulary import (
    AgencyType,
    Term,
    Vocabulary,
    VocabularyError,
    load_vocabulary,
    parse_vocabulary,
)

# The stable ids, written out in full: saved sessions and exports depend on them.
EXPECTED_IDS: dict[str, list[str]] = {
    "criteria": [
        "mutual-knowledge",
        "understanding",
        "trust",
        "respect",
        "common-language",
        "shared-goals",
        "flexible-roles",
        "follow-through",
    ],
    "agency_types": [
        "local-authority",
        "housing-association",
        "school",
        "health",
        "police",
        "other",
    ],
    "relationship_types": ["powerful-ally", "friend", "client-contractor", "not-sure"],
    "purposes": ["co-design", "sharing", "informal-support", "routes-in", "assets", "funding"],
    "holders": ["worker", "chair", "resident-member", "lto", "non-resident-member", "rep"],
    "roles": [
        "resident-member",
        "non-resident-member",
        "chair",
        "worker",
        "rep",
        "lto",
        "agency-staff",
        "councillor",
        "other",
    ],
    "outcomes": [
        "profile-reputation",
        "strategy-seat",
        "new-connections",
        "practical-help",
        "community-access",
        "local-knowledge",
        "wider-reach",
        "inclusive-practice",
        "investment-levered",
        "human-face",
        "community-assets",
    ],
    "factors": [
        "independent-funding",
        "agency-pressures",
        "engagement-skills",
        "managing-disagreement",
        "agency-language",
        "system-knowledge",
        "local-presence",
        "visible-results",
        "keeping-in-touch",
        "confidence",
        "skills",
        "evidence-lived-experience",
        "paid-capacity",
    ],
    "stages": [
        "setup",
        "criteria",
        "all-relationships",
        "good-relationship",
        "to-develop",
        "conversation",
        "notes",
    ],
    "closeness": ["1", "2", "3", "4"],
    "effort_directions": ["us", "them", "both"],
    "relationship_states": ["active", "dormant", "lost", "wished-for"],
    "venue_modes": ["in-person", "remote", "hybrid"],
    "speakers": ["partnership", "agency", "both"],
    "note_tags": ["challenge", "opportunity", "ask", "agreement"],
    "action_statuses": ["open", "in-progress", "done", "dropped"],
}

EXPECTED_SUBTYPES: dict[str, list[str]] = {
    "local-authority": [
        "county-council",
        "district-council",
        "unitary-council",
        "parish-town-council",
        "department",
        "officer",
        "councillor",
    ],
    "housing-association": ["housing-officer", "community-investment", "tenant-involvement"],
    "school": ["primary", "secondary", "college"],
    "health": [
        "gp-surgery",
        "primary-care-network",
        "commissioning-group",
        "healthy-living-team",
        "hospital-trust",
        "public-health",
    ],
    "police": ["neighbourhood-team", "pcc-office"],
    "other": ["job-centre", "fire-service"],
}

KEBAB = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def packaged_text() -> str:
    return files("facilitator.content").joinpath("vocabulary.toml").read_text(encoding="utf-8")


def all_terms(vocab: Vocabulary) -> list[Term]:
    terms: list[Term] = []
    for kind in vocab.kinds():
        terms.extend(vocab.terms(kind))
    for agency_type in vocab.agency_types:
        terms.extend(agency_type.subtypes)
    return terms


def section_bounds(text: str, kind: str) -> tuple[int, int]:
    """Where the entries of one table start and end in the file text."""
    header = f"[[{kind}]]"
    start = text.index(header)
    last = text.rindex(header)
    end = text.find("\n[[", last + len(header))
    while end != -1 and text.startswith(f"\n[[{kind}.", end):
        end = text.find("\n[[", end + 1)
    return start, len(text) if end == -1 else end


def replace_in(text: str, kind: str, old: str, new: str) -> str:
    """Replace the first ``old`` within one table's entries; the test must change something."""
    start, end = section_bounds(text, kind)
    section = text[start:end]
    assert old in section, f"{old!r} not found in [[{kind}]]"
    return text[:start] + section.replace(old, new, 1) + text[end:]


def drop_table(text: str, kind: str) -> str:
    start, end = section_bounds(text, kind)
    return text[:start] + text[end:]


def drop_entry(text: str, kind: str, term_id: str) -> str:
    start, end = section_bounds(text, kind)
    section = text[start:end]
    match = re.search(
        rf'\[\[{kind}\]\]\nid = "{re.escape(term_id)}"\n.*?(?=\n\[\[|\Z)', section, re.S
    )
    assert match is not None, f"no entry {term_id!r} in [[{kind}]]"
    return text[:start] + section[: match.start()] + section[match.end() :] + text[end:]


def error_for(text: str, source: str = "vocabulary.toml") -> str:
    with pytest.raises(VocabularyError) as caught:
        parse_vocabulary(text, source=source)
    return str(caught.value)


# ---------------------------------------------------------------------------
# The packaged file
# ---------------------------------------------------------------------------


def test_packaged_file_loads_with_the_stable_ids() -> None:
    vocab = load_vocabulary()
    assert set(vocab.kinds()) == set(EXPECTED_IDS)
    for kind, expected in EXPECTED_IDS.items():
        assert [term.id for term in vocab.terms(kind)] == expected, kind


def test_kinds_name_every_tuple_field_in_order() -> None:
    vocab = load_vocabulary()
    names = tuple(f.name for f in dataclasses.fields(Vocabulary) if not f.name.startswith("_"))
    assert vocab.kinds() == names
    assert all(isinstance(getattr(vocab, kind), tuple) for kind in vocab.kinds())


def test_agency_types_have_the_expected_subtypes() -> None:
    vocab = load_vocabulary()
    for agency_type in vocab.agency_types:
        assert isinstance(agency_type, AgencyType)
        sub_ids = [sub.id for sub in agency_type.subtypes]
        assert set(EXPECTED_SUBTYPES[agency_type.id]) <= set(sub_ids), agency_type.id
        assert len(sub_ids) == len(set(sub_ids))


def test_packaged_terms_follow_the_rules() -> None:
    vocab = load_vocabulary()
    for term in all_terms(vocab):
        assert KEBAB.fullmatch(term.id), term.id
        assert term.label and len(term.label) <= 60, term.id
        assert term.description and len(term.description) <= 200, term.id
        assert "\n" not in term.label + term.description, term.id
        assert term.short and len(term.short) <= 12, (term.id, term.short)
        if term.symbol:
            assert len(term.symbol) == 1, term.id
            assert unicodedata.east_asian_width(term.symbol) not in ("W", "F"), term.id


def test_groups_of_outcomes_and_factors() -> None:
    vocab = load_vocabulary()
    by_group: dict[str, list[str]] = {}
    for term in vocab.outcomes:
        by_group.setdefault(term.group or "", []).append(term.id)
    assert by_group == {
        "partnership": ["profile-reputation", "strategy-seat", "new-connections", "practical-help"],
        "agency": ["community-access", "local-knowledge", "wider-reach", "inclusive-practice"],
        "area": ["investment-levered", "human-face", "community-assets"],
    }
    power = [term.id for term in vocab.factors if term.group == "partnership-power"]
    assert power == ["confidence", "skills", "evidence-lived-experience", "paid-capacity"]
    assert {term.group for term in vocab.factors} == {"helps-or-hinders", "partnership-power"}


def test_symbols_and_short_labels_that_screens_rely_on() -> None:
    vocab = load_vocabulary()
    assert [t.symbol for t in vocab.relationship_types] == ["★", "●", "■", "?"]
    assert [t.short for t in vocab.stages] == [
        "Setup",
        "Criteria",
        "Stage 1",
        "Stage 2",
        "Stage 3",
        "Conversation",
        "Notes",
    ]
    assert [t.label for t in vocab.closeness] == ["Close", "Near", "Further", "Distant"]
    assert [t.label for t in vocab.effort_directions] == ["Mostly us", "Mostly them", "Both"]
    assert all(t.symbol for t in vocab.agency_types)
    assert len({t.symbol for t in vocab.agency_types}) == len(vocab.agency_types)
    assert all(t.symbol for t in vocab.relationship_states)


def test_short_defaults_to_label() -> None:
    vocab = load_vocabulary()
    assert vocab.get("criteria", "trust").short == "Trust"
    assert (
        vocab.get("criteria", "common-language").short
        != vocab.get("criteria", "common-language").label
    )


def test_load_from_a_path(tmp_path) -> None:
    path = tmp_path / "words.toml"
    path.write_text(replace_in(packaged_text(), "criteria", 'label = "Trust"', 'label = "Faith"'))
    vocab = load_vocabulary(path)
    assert vocab.label("criteria", "trust") == "Faith"
    assert load_vocabulary(str(path)) == vocab
    assert load_vocabulary(path) != load_vocabulary()


def test_load_from_a_missing_path_names_it(tmp_path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(VocabularyError, match="nowhere.toml"):
        load_vocabulary(path)


def test_load_bad_bytes_names_the_file(tmp_path) -> None:
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe\x00criteria")
    with pytest.raises(VocabularyError, match=r"binary\.toml.*UTF-8"):
        load_vocabulary(path)


# ---------------------------------------------------------------------------
# Bad input: every failure names the file, the entry and the field
# ---------------------------------------------------------------------------


def test_syntax_error_gives_line_and_column() -> None:
    text = packaged_text().replace('id = "trust"', 'id "trust"', 1)
    message = error_for(text, source="my-words.toml")
    assert message.startswith("my-words.toml: ")
    assert re.search(r"line \d+, column \d+", message), message


def test_deeply_nested_toml_is_reported() -> None:
    assert error_for("a = " + "[" * 100_000) == "vocabulary.toml: not valid TOML: nested too deeply"


def test_empty_text_is_a_missing_table() -> None:
    assert error_for("") == "vocabulary.toml: missing table 'criteria'"


def test_missing_table() -> None:
    message = error_for(drop_table(packaged_text(), "venue_modes"))
    assert message == "vocabulary.toml: missing table 'venue_modes'"


def test_unknown_table() -> None:
    message = error_for(packaged_text() + '\n[[colours]]\nid = "red"\n')
    assert "vocabulary.toml: " in message and "'colours'" in message


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        pytest.param(
            lambda t: replace_in(t, "criteria", 'label = "Trust"\n', ""),
            "vocabulary.toml: criteria[2]: missing 'label'",
            id="missing-label",
        ),
        pytest.param(
            lambda t: replace_in(t, "holders", 'id = "chair"\n', ""),
            "vocabulary.toml: holders[1]: missing 'id'",
            id="missing-id",
        ),
        pytest.param(
            lambda t: replace_in(
                t, "purposes", 'description = "Funding going either way', 'note = "Funding'
            ),
            "vocabulary.toml: purposes[5]: unknown field 'note'",
            id="unknown-field",
        ),
        pytest.param(
            lambda t: replace_in(t, "stages", 'description = "What was said', 'x = "'),
            "vocabulary.toml: stages[6]: unknown field 'x'",
            id="missing-description-via-typo",
        ),
        pytest.param(
            lambda t: replace_in(t, "criteria", 'id = "trust"', 'id = "Trust_Me"'),
            "vocabulary.toml: criteria[2]: 'id' 'Trust_Me' is not kebab-case",
            id="id-not-kebab",
        ),
        pytest.param(
            lambda t: replace_in(t, "purposes", 'id = "sharing"', 'id = "co-design"'),
            "vocabulary.toml: purposes[1]: duplicate id 'co-design'",
            id="duplicate-id",
        ),
        pytest.param(
            lambda t: replace_in(t, "criteria", 'label = "Trust"', "label = 3"),
            "vocabulary.toml: criteria[2]: 'label' should be text",
            id="label-wrong-type",
        ),
        pytest.param(
            lambda t: replace_in(t, "note_tags", 'symbol = "!"', "symbol = true"),
            "vocabulary.toml: note_tags[0]: 'symbol' should be text",
            id="symbol-wrong-type",
        ),
        pytest.param(
            lambda t: replace_in(t, "note_tags", 'symbol = "!"', 'symbol = "!!"'),
            "vocabulary.toml: note_tags[0]: 'symbol'",
            id="symbol-too-long",
        ),
        pytest.param(
            lambda t: replace_in(t, "relationship_types", 'symbol = "★"', 'symbol = "🙂"'),
            "vocabulary.toml: relationship_types[0]: 'symbol'",
            id="symbol-emoji",
        ),
        pytest.param(
            lambda t: replace_in(t, "relationship_types", 'symbol = "★"', 'symbol = "全"'),
            "vocabulary.toml: relationship_types[0]: 'symbol'",
            id="symbol-double-width",
        ),
        pytest.param(
            lambda t: replace_in(t, "criteria", 'label = "Trust"', 'label = "' + "a" * 61 + '"'),
            "vocabulary.toml: criteria[2]: 'label' is 61 characters long; the limit is 60",
            id="label-too-long",
        ),
        pytest.param(
            lambda t: replace_in(
                t, "roles", 'description = "Someone who works', 'description = "' + "b" * 190
            ),
            "vocabulary.toml: roles[6]: 'description' is 211 characters long; the limit is 200",
            id="description-too-long",
        ),
        pytest.param(
            lambda t: replace_in(t, "criteria", 'label = "Trust"', 'label = "   "'),
            "vocabulary.toml: criteria[2]: 'label' is empty",
            id="label-blank",
        ),
        pytest.param(
            lambda t: replace_in(t, "criteria", 'label = "Trust"', 'label = "Tr\\nust"'),
            "vocabulary.toml: criteria[2]: 'label' must be one line",
            id="label-two-lines",
        ),
        pytest.param(
            lambda t: replace_in(t, "criteria", 'label = "Trust"', 'label = "\\u001b[31mTrust"'),
            "vocabulary.toml: criteria[2]: 'label' must be one line of plain text",
            id="label-control-code",
        ),
        pytest.param(
            lambda t: replace_in(t, "criteria", 'short = "Knowing"\n', ""),
            "vocabulary.toml: criteria[0]: 'label' is longer than 12 characters, so add a 'short'",
            id="long-label-without-short",
        ),
        pytest.param(
            lambda t: replace_in(t, "criteria", 'short = "Knowing"', 'short = "Knowing folks"'),
            "vocabulary.toml: criteria[0]: 'short' is 13 characters long; the limit is 12",
            id="short-too-long",
        ),
        pytest.param(
            lambda t: replace_in(t, "outcomes", 'group = "partnership"', 'group = "council"'),
            "vocabulary.toml: outcomes[0]: 'group' 'council' is not one of: "
            "partnership, agency, area",
            id="outcome-group-unknown",
        ),
        pytest.param(
            lambda t: replace_in(t, "outcomes", 'group = "area"\n', ""),
            "vocabulary.toml: outcomes[8]: missing 'group'",
            id="outcome-group-missing",
        ),
        pytest.param(
            lambda t: replace_in(t, "factors", 'group = "helps-or-hinders"', 'group = "area"'),
            "vocabulary.toml: factors[0]: 'group' 'area' is not one of",
            id="factor-group-unknown",
        ),
        pytest.param(
            lambda t: replace_in(t, "outcomes", 'group = "partnership"', "group = 1"),
            "vocabulary.toml: outcomes[0]: 'group' should be text",
            id="group-wrong-type",
        ),
        pytest.param(
            lambda t: replace_in(
                t, "agency_types", 'description = "The lower tier', 'label2 = "The lower tier'
            ),
            "vocabulary.toml: agency_types[0].subtypes[1]: unknown field 'label2'",
            id="subtype-unknown-field",
        ),
        pytest.param(
            lambda t: replace_in(t, "agency_types", 'id = "pharmacy"', 'id = "gp-surgery"'),
            "vocabulary.toml: agency_types[3].subtypes[9]: duplicate id 'gp-surgery'",
            id="subtype-duplicate",
        ),
        pytest.param(
            lambda t: replace_in(t, "agency_types", 'id = "pharmacy"', 'id = "Pharmacy"'),
            "vocabulary.toml: agency_types[3].subtypes[9]: 'id' 'Pharmacy' is not kebab-case",
            id="subtype-bad-id",
        ),
        pytest.param(
            lambda t: replace_in(
                t, "agency_types", "[[agency_types.subtypes]]", "[agency_types.subtypes]"
            ),
            "vocabulary.toml: ",
            id="subtypes-not-a-list",
        ),
        pytest.param(
            lambda t: replace_in(t, "agency_types", 'id = "police"', 'id = "constabulary"'),
            "vocabulary.toml: agency_types: missing required id(s) 'police'",
            id="agency-type-missing",
        ),
        pytest.param(
            lambda t: drop_entry(t, "relationship_types", "not-sure"),
            "vocabulary.toml: relationship_types: missing required id(s) 'not-sure'",
            id="relationship-type-missing",
        ),
        pytest.param(
            lambda t: drop_entry(t, "purposes", "funding"),
            "vocabulary.toml: purposes: missing required id(s) 'funding'",
            id="purpose-missing",
        ),
        pytest.param(
            lambda t: drop_entry(drop_entry(t, "holders", "lto"), "holders", "rep"),
            "vocabulary.toml: holders: missing required id(s) 'lto', 'rep'",
            id="holders-missing",
        ),
        pytest.param(
            lambda t: drop_entry(t, "criteria", "shared-goals"),
            "vocabulary.toml: criteria: the 'id's must be exactly",
            id="criteria-one-missing",
        ),
        pytest.param(
            lambda t: replace_in(t, "criteria", 'id = "respect"', 'id = "kindness"'),
            "unexpected 'kindness'",
            id="criteria-unexpected",
        ),
        pytest.param(
            lambda t: replace_in(
                replace_in(t, "criteria", 'id = "trust"', 'id = "placeholder"'),
                "criteria",
                'id = "respect"',
                'id = "trust"',
            ).replace('id = "placeholder"', 'id = "respect"'),
            "(wrong order)",
            id="criteria-wrong-order",
        ),
        pytest.param(
            lambda t: (
                t + '\n[[criteria]]\nid = "kindness"\nlabel = "Kindness"\n'
                'description = "Being kind."\n'
            ),
            "vocabulary.toml: criteria: the 'id's must be exactly",
            id="criteria-ninth",
        ),
        pytest.param(
            lambda t: 'speakers = ["partnership", "agency"]\n' + drop_table(t, "speakers"),
            "vocabulary.toml: speakers[0]: expected a table, got text",
            id="entries-not-tables",
        ),
        pytest.param(
            lambda t: 'speakers = "partnership"\n' + drop_table(t, "speakers"),
            "vocabulary.toml: speakers: expected a list of [[speakers]] entries, got text",
            id="table-not-a-list",
        ),
        pytest.param(
            lambda t: "speakers = []\n" + drop_table(t, "speakers"),
            "vocabulary.toml: speakers: has no entries",
            id="table-empty",
        ),
    ],
)
def test_bad_input_is_reported_clearly(edit, expected: str) -> None:
    text = edit(packaged_text())
    message = error_for(text)
    assert expected in message
    assert message.startswith("vocabulary.toml: ")


def test_error_names_the_given_source() -> None:
    text = replace_in(packaged_text(), "criteria", 'label = "Trust"\n', "")
    assert error_for(text, source="/tmp/area.toml").startswith("/tmp/area.toml: criteria[2]")


def test_parse_rejects_bytes() -> None:
    with pytest.raises(VocabularyError, match="vocabulary.toml"):
        parse_vocabulary(b"criteria = []")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Arbitrary input never escapes as another exception
# ---------------------------------------------------------------------------


def parse_or_error(text: str) -> None:
    try:
        result = parse_vocabulary(text)
    except VocabularyError as exc:
        assert str(exc).startswith("vocabulary.toml: ")
    else:
        assert isinstance(result, Vocabulary)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_loads_or_raises_vocabulary_error(text: str) -> None:
    parse_or_error(text)


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(
        r"(\[\[?(criteria|holders|agency_types(\.subtypes)?)\]\]?\n"
        r"((id|label|short|symbol|group|description|subtypes) = "
        r'("[^"\\\n]{0,70}"|\d+|true|\[\]|\{\})\n){0,6}){0,6}',
        fullmatch=True,
    )
)
def test_toml_shaped_text_loads_or_raises_vocabulary_error(text: str) -> None:
    parse_or_error(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_edited_packaged_file_loads_or_raises_vocabulary_error(data: st.DataObject) -> None:
    lines = packaged_text().splitlines(keepends=True)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        index = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "replace", "insert", "cut"]))
        if action == "delete":
            del lines[index]
        elif action == "cut":
            lines[index] = lines[index][: data.draw(st.integers(0, len(lines[index])))]
        else:
            new = data.draw(
                st.one_of(
                    st.text(max_size=40).map(lambda s: s + "\n"),
                    st.sampled_from(
                        [
                            'id = "trust"\n',
                            "label = 7\n",
                            'group = "area"\n',
                            'symbol = "xx"\n',
                            "[[criteria]]\n",
                            "[[agency_types.subtypes]]\n",
                            'short = "a very long short label"\n',
                            "subtypes = []\n",
                        ]
                    ),
                )
            )
            if action == "replace":
                lines[index] = new
            else:
                lines.insert(index, new)
        if not lines:
            break
    parse_or_error("".join(lines))


# ---------------------------------------------------------------------------
# Lookups
# ---------------------------------------------------------------------------


def test_get_and_subtype() -> None:
    vocab = load_vocabulary()
    ally = vocab.get("relationship_types", "powerful-ally")
    assert ally.id == "powerful-ally" and ally.symbol == "★"
    councillor = vocab.subtype("local-authority", "councillor")
    assert councillor.id == "councillor" and councillor.label
    assert isinstance(vocab.get("agency_types", "health"), AgencyType)


def test_unknown_lookups_raise_key_error_naming_the_id() -> None:
    vocab = load_vocabulary()
    with pytest.raises(KeyError, match="'enemy'"):
        vocab.get("relationship_types", "enemy")
    with pytest.raises(KeyError, match="'colours'"):
        vocab.get("colours", "red")
    with pytest.raises(KeyError, match="'colours'"):
        vocab.terms("colours")
    with pytest.raises(KeyError, match="'colours'"):
        vocab.ids("colours")
    with pytest.raises(KeyError, match="'bakery'"):
        vocab.subtype("health", "bakery")
    with pytest.raises(KeyError, match="'hospital'"):
        vocab.subtype("hospital", "ward")


def test_ids() -> None:
    vocab = load_vocabulary()
    assert vocab.ids("venue_modes") == frozenset({"in-person", "remote", "hybrid"})
    assert isinstance(vocab.ids("criteria"), frozenset)


def test_label_lookups() -> None:
    vocab = load_vocabulary()
    assert vocab.label("criteria", "trust") == "Trust"
    assert vocab.label("relationship_types", "powerful-ally") == "Powerful ally"
    assert vocab.label("criteria", "no-such-thing") == "no-such-thing"
    assert vocab.label("criteria", "no-such-thing", "Unknown") == "Unknown"
    assert vocab.label("criteria", None) == ""
    assert vocab.label("criteria", None, "None yet") == "None yet"
    assert vocab.label("colours", "red") == "red"


@given(
    kind=st.one_of(st.text(max_size=20), st.sampled_from(list(EXPECTED_IDS)), st.none()),
    term_id=st.one_of(
        st.none(),
        st.text(max_size=20),
        st.sampled_from([i for ids in EXPECTED_IDS.values() for i in ids]),
        st.integers(),
        st.lists(st.text(max_size=3), max_size=2),
        st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    ),
    default=st.text(max_size=10),
)
def test_label_never_raises(kind, term_id, default: str) -> None:
    result = load_vocabulary().label(kind, term_id, default)
    assert isinstance(result, str)
    if term_id is None:
        assert result == default
