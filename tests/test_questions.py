"""The facilitated-conversation question bank: packaged content, the docs example, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.domain.questions import (
    AGENCY_TYPE_IDS,
    MAX_TEXT_CHARS,
    ConversationPrompt,
    QuestionBank,
    QuestionBankError,
    find_bank_in_folder,
    load_question_bank,
    parse_question_bank,
)

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "questions.md"

SECTION_IDS = (
    "opening",
    "positive-intent",
    "getting-to-know",
    "values",
    "community",
    "challenges-opportunities",
    "roles",
    "sustaining",
    "actions",
    "closing",
)
TAILORED_TYPES = ("local-authority", "housing-association", "school", "health")


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_question_bank()


def doc_example() -> str:
    blocks = re.findall(r"^```toml\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.S | re.M)
    assert len(blocks) == 1, "docs/questions.md should hold exactly one ```toml example"
    return blocks[0]


# ---------------------------------------------------------------------------------------
# The packaged bank
# ---------------------------------------------------------------------------------------


def test_packaged_bank_loads(bank: QuestionBank) -> None:
    assert bank.source == "packaged"
    assert bank.id == "standard"
    assert bank.version >= 1


def test_packaged_sections_are_the_ten_in_order(bank: QuestionBank) -> None:
    assert tuple(s.id for s in bank.sections) == SECTION_IDS


def test_packaged_bank_is_big_enough(bank: QuestionBank) -> None:
    assert len(bank.all_prompts()) >= 35
    for section in bank.sections:
        assert len(section.prompts) >= 3, section.id
        assert all(p.section_id == section.id for p in section.prompts)


@pytest.mark.parametrize("agency_type", TAILORED_TYPES)
def test_packaged_bank_has_tailored_prompts(bank: QuestionBank, agency_type: str) -> None:
    tailored = [p for p in bank.all_prompts() if agency_type in p.agency_types]
    assert len(tailored) >= 2


def test_community_section_has_the_three_anchor_questions_for_everyone(
    bank: QuestionBank,
) -> None:
    anchors = [
        bank.prompt(pid)
        for pid in (
            "community-happening",
            "community-most-pressing",
            "community-biggest-difference",
        )
    ]
    assert all(p.section_id == "community" and p.suits("health") for p in anchors)
    assert all(p.suits("school") and p.suits(None) for p in anchors)


def test_prompts_for_health_keeps_health_and_drops_school_only(bank: QuestionBank) -> None:
    for_health = bank.prompts_for("health")
    health_ids = {p.id for p in bank.all_prompts() if "health" in p.agency_types}
    school_only = {p.id for p in bank.all_prompts() if p.agency_types == {"school"}}
    assert health_ids and school_only
    assert health_ids <= {p.id for p in for_health}
    assert not school_only & {p.id for p in for_health}
    # Bank order is kept.
    order = [p.id for p in bank.all_prompts()]
    assert [p.id for p in for_health] == sorted((p.id for p in for_health), key=order.index)


def test_prompts_for_none_gives_only_general_prompts(bank: QuestionBank) -> None:
    general = bank.prompts_for(None)
    assert general
    assert all(not p.agency_types for p in general)
    assert len(general) < len(bank.all_prompts())


def test_most_prompts_have_probes_and_guidance(bank: QuestionBank) -> None:
    prompts = bank.all_prompts()
    with_probes = [p for p in prompts if 1 <= len(p.probes) <= 3]
    with_guidance = [p for p in prompts if p.guidance]
    assert len(with_probes) >= 0.75 * len(prompts)
    assert len(with_guidance) >= 0.75 * len(prompts)
    assert all(len(p.probes) <= 3 for p in prompts)


def test_packaged_text_is_unique_and_fits(bank: QuestionBank) -> None:
    texts = [p.text for p in bank.all_prompts()]
    assert len(set(texts)) == len(texts)
    assert all(len(t) <= MAX_TEXT_CHARS for t in texts)


def test_general_prompt_minutes_fit_their_section(bank: QuestionBank) -> None:
    for section in bank.sections:
        general = sum(p.minutes or 0 for p in section.prompts if not p.agency_types)
        assert general <= section.minutes, section.id


def test_packaged_bank_uses_british_spelling(bank: QuestionBank) -> None:
    words = " ".join(
        part
        for s in bank.sections
        for p in s.prompts
        for part in (s.title, s.purpose, p.text, p.guidance, *p.probes)
    ).lower()
    for american in ("organiz", "neighbor", "behavior", "color", "center", "recogniz", "program "):
        assert american not in words


def test_lookup_by_id(bank: QuestionBank) -> None:
    prompt = bank.prompt("opening-welcome")
    assert prompt.section_id == "opening"
    assert bank.section("roles").title
    with pytest.raises(KeyError):
        bank.prompt("no-such-prompt")
    with pytest.raises(KeyError):
        bank.section("no-such-section")


def test_suits() -> None:
    general = ConversationPrompt(id="a", section_id="s", text="?")
    school = ConversationPrompt(
        id="b", section_id="s", text="?", agency_types=frozenset({"school"})
    )
    assert general.suits(None) and general.suits("police")
    assert school.suits("school")
    assert not school.suits("health") and not school.suits(None)


# ---------------------------------------------------------------------------------------
# The docs: the example loads, and the messages it quotes are the real ones
# ---------------------------------------------------------------------------------------


def test_doc_example_loads() -> None:
    bank = parse_question_bank(doc_example(), source="docs/questions.md")
    assert len(bank.sections) == 2
    assert len(bank.all_prompts()) == 4
    assert bank.prompt("actions-school-event").agency_types == {"school"}
    assert bank.prompt("opening-boundaries").probes == (
        "Where could that topic be picked up instead?",
        "Who will take it there?",
    )


def test_doc_messages_are_the_loaders_own() -> None:
    example = doc_example()
    mutations = [
        example.replace("probes = [\n", "probe = [\n", 1),
        example.replace("minutes = 4", "minutes = 90", 1),
        re.sub(r'text = "Could each[^\n]*\n', "", example, count=1),
        example.replace('id = "opening-boundaries"', 'id = "opening-welcome"', 1),
        example.replace('agency_types = ["school"]', 'agency_types = ["nhs"]', 1),
    ]
    messages = []
    for text in mutations:
        with pytest.raises(QuestionBankError) as caught:
            parse_question_bank(text, source="my-questions.toml")
        messages.append(str(caught.value))
    doc = DOC.read_text(encoding="utf-8")
    # The full worked example, word for word.
    assert messages[0] in doc
    # Every message quoted in a bullet of "When something is wrong".
    wrong = doc.split("## When something is wrong", 1)[1].split("\n## ", 1)[0]
    quoted = re.findall(r"^- `([^`]+)`", wrong, re.M)
    assert len(quoted) >= 4
    for fragment in quoted:
        if fragment.startswith("not valid TOML"):
            continue
        assert any(fragment in message for message in messages), fragment


# ---------------------------------------------------------------------------------------
# Invalid files: file name, line and field in every message
# ---------------------------------------------------------------------------------------

VALID = """\
# A bank for the error tests.
[bank]
id = "test-bank"
title = "Test bank"
version = 1

[[section]]
id = "opening"
title = "Opening"
purpose = "Start well."
minutes = 10

[[section.prompt]]
id = "opening-welcome"
text = "Who is here?"
probes = ["Anyone missing?"]
guidance = "Go round."
minutes = 3

[[section.prompt]]
id = "opening-hopes"
text = "What do you hope for?"
agency_types = ["health"]

[[section]]
id = "roles"
title = "Roles"
purpose = "Who does what."
minutes = 15

[[section.prompt]]
id = "roles-ask"
text = "What can you ask of each other?"
minutes = 5
"""


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the ``occurrence``-th line containing ``needle``."""
    hits = [n for n, line in enumerate(text.split("\n"), start=1) if needle in line]
    return hits[occurrence - 1]


# (case id, old, new, line marker (needle, occurrence) or None, field, message fragment)
ERROR_CASES = [
    (
        "toml-syntax",
        'title = "Opening"',
        'title = "Opening',
        ('title = "Opening', 1),
        None,
        "not valid TOML",
    ),
    (
        "unknown-top-level-table",
        '[[section]]\nid = "roles"',
        '[[sections]]\nid = "roles"',
        ("[[sections]]", 1),
        "sections",
        "unknown table 'sections' (did you mean 'section'?)",
    ),
    (
        "missing-bank",
        '[bank]\nid = "test-bank"\ntitle = "Test bank"\nversion = 1\n',
        "",
        None,
        "bank",
        "there is no [bank] table",
    ),
    (
        "unknown-top-level-field",
        "# A bank for the error tests.",
        'bnak = "oops"',
        ('bnak = "oops"', 1),
        "bnak",
        "top level: unknown field 'bnak' (did you mean 'bank'?)",
    ),
    (
        "bank-version-not-a-number",
        "version = 1",
        'version = "one"',
        ("version =", 1),
        "version",
        "field 'version' must be a whole number",
    ),
    (
        "bank-id-missing",
        'id = "test-bank"\n',
        "",
        ("[bank]", 1),
        "id",
        "missing field 'id'",
    ),
    (
        "bank-unknown-field",
        'title = "Test bank"',
        'titel = "Test bank"',
        ("titel", 1),
        "titel",
        "unknown field 'titel' (did you mean 'title'?)",
    ),
    (
        "no-sections",
        VALID[VALID.index("[[section]]") :],
        "",
        None,
        "section",
        "there are no sections",
    ),
    (
        "section-id-not-kebab",
        'id = "roles"',
        'id = "Roles And Asks"',
        ('id = "Roles And Asks"', 1),
        "id",
        "field 'id' must be lower-case letters and digits joined by hyphens",
    ),
    (
        "section-id-duplicate",
        'id = "roles"',
        'id = "opening"',
        ('id = "opening"', 2),
        "id",
        "field 'id' must be unique, but 'opening' is already used by section 1",
    ),
    (
        "section-minutes-out-of-range",
        "minutes = 15",
        "minutes = 500",
        ("minutes = 500", 1),
        "minutes",
        "field 'minutes' must be a whole number from 1 to 120",
    ),
    (
        "section-purpose-missing",
        'purpose = "Who does what."\n',
        "",
        ("[[section]]", 2),
        "purpose",
        "missing field 'purpose'",
    ),
    (
        "section-title-not-text",
        'title = "Opening"',
        "title = 7",
        ("title = 7", 1),
        "title",
        "field 'title' must be text, not a number",
    ),
    (
        "section-without-prompts",
        '[[section.prompt]]\nid = "roles-ask"\ntext = "What can you ask of each other?"\n'
        "minutes = 5\n",
        "",
        ("[[section]]", 2),
        "prompt",
        "has no prompts",
    ),
    (
        "section-unknown-field",
        'purpose = "Start well."',
        'purpose = "Start well."\nnotes = "x"',
        ('notes = "x"', 1),
        "notes",
        "section 'opening': unknown field 'notes'",
    ),
    (
        "prompt-text-missing",
        'text = "What do you hope for?"\n',
        "",
        ("[[section.prompt]]", 2),
        "text",
        "section 'opening' prompt 2 ('opening-hopes'): missing field 'text'",
    ),
    (
        "prompt-text-empty",
        'text = "What do you hope for?"',
        'text = "   "',
        ('text = "   "', 1),
        "text",
        "field 'text' is empty",
    ),
    (
        "prompt-text-too-long",
        'text = "What do you hope for?"',
        f'text = "{"Why? " * 60}"',
        ('text = "Why? Why?', 1),
        "text",
        "field 'text' has 299 characters; keep it to 280 or fewer",
    ),
    (
        "prompt-id-duplicate-across-sections",
        'id = "roles-ask"',
        'id = "opening-welcome"',
        ('id = "opening-welcome"', 2),
        "id",
        "field 'id' must be unique across the whole bank, but 'opening-welcome' is already used "
        "by section 'opening' prompt 1",
    ),
    (
        "prompt-id-not-kebab",
        'id = "opening-hopes"',
        'id = "opening_hopes"',
        ('id = "opening_hopes"', 1),
        "id",
        "section 'opening' prompt 2: field 'id' must be lower-case",
    ),
    (
        "prompt-minutes-out-of-range",
        "minutes = 5",
        "minutes = 0",
        ("minutes = 0", 1),
        "minutes",
        "section 'roles' prompt 1 ('roles-ask'): field 'minutes' must be a whole number from 1 "
        "to 60",
    ),
    (
        "prompt-minutes-not-whole",
        "minutes = 3",
        "minutes = 2.5",
        ("minutes = 2.5", 1),
        "minutes",
        "field 'minutes' must be a whole number from 1 to 60",
    ),
    (
        "prompt-minutes-boolean",
        "minutes = 3",
        "minutes = true",
        ("minutes = true", 1),
        "minutes",
        "field 'minutes' must be a whole number from 1 to 60",
    ),
    (
        "prompt-probes-not-a-list",
        'probes = ["Anyone missing?"]',
        'probes = "Anyone missing?"',
        ('probes = "Anyone missing?"', 1),
        "probes",
        "field 'probes' must be a list of text",
    ),
    (
        "prompt-probe-empty",
        'probes = ["Anyone missing?"]',
        'probes = ["Anyone missing?", ""]',
        ("probes = [", 1),
        "probes",
        "field 'probes' has an empty probe",
    ),
    (
        "prompt-guidance-not-text",
        'guidance = "Go round."',
        "guidance = [1, 2]",
        ("guidance = [1, 2]", 1),
        "guidance",
        "field 'guidance' must be text, not a list",
    ),
    (
        "prompt-unknown-agency-type",
        'agency_types = ["health"]',
        'agency_types = ["helth"]',
        ('agency_types = ["helth"]', 1),
        "agency_types",
        "unknown agency type 'helth' (did you mean 'health'?)",
    ),
    (
        "prompt-agency-types-not-a-list",
        'agency_types = ["health"]',
        'agency_types = "health"',
        ('agency_types = "health"', 1),
        "agency_types",
        "field 'agency_types' must be a list of agency type ids",
    ),
    (
        "prompt-unknown-field",
        'probes = ["Anyone missing?"]',
        'probe = ["Anyone missing?"]',
        ('probe = ["Anyone missing?"]', 1),
        "probe",
        "section 'opening' prompt 1 ('opening-welcome'): unknown field 'probe' "
        "(did you mean 'probes'?)",
    ),
]


def test_valid_base_for_error_cases_loads() -> None:
    bank = parse_question_bank(VALID, source="base.toml")
    assert [p.id for p in bank.all_prompts()] == ["opening-welcome", "opening-hopes", "roles-ask"]
    assert bank.prompt("opening-welcome").minutes == 3
    assert bank.prompt("opening-hopes").minutes is None
    assert bank.source == "base.toml"


@pytest.mark.parametrize(
    ("old", "new", "marker", "field", "fragment"),
    [pytest.param(*case[1:], id=case[0]) for case in ERROR_CASES],
)
def test_invalid_bank_names_file_line_and_field(
    old: str, new: str, marker: tuple[str, int] | None, field: str | None, fragment: str
) -> None:
    assert old in VALID, "the case must change the valid base"
    text = VALID.replace(old, new, 1)
    with pytest.raises(QuestionBankError) as caught:
        parse_question_bank(text, source="my-bank.toml")
    err = caught.value
    message = str(err)
    assert len(message.splitlines()) == 1
    assert err.file == "my-bank.toml"
    assert err.field == field
    assert fragment in message
    if marker is None:
        assert err.line is None
        assert message.startswith("my-bank.toml: ")
    else:
        expected = _line_of(text, *marker)
        assert err.line == expected
        assert message.startswith(f"my-bank.toml:{expected}: ")
    if field is not None:
        assert re.search(rf"\b{re.escape(field)}\b", message.split(": ", 1)[1])


def test_inline_prompts_still_get_a_line() -> None:
    text = VALID.replace(
        '[[section.prompt]]\nid = "roles-ask"\ntext = "What can you ask of each other?"\n'
        "minutes = 5\n",
        'prompt = [{ id = "roles-ask", text = "Ask?", minutes = 99 }]\n',
    )
    with pytest.raises(QuestionBankError) as caught:
        parse_question_bank(text, source="inline.toml")
    assert caught.value.line == _line_of(text, 'id = "roles-ask"')
    assert caught.value.field == "minutes"


# ---------------------------------------------------------------------------------------
# Files and folders
# ---------------------------------------------------------------------------------------


def test_load_from_file_names_the_file(tmp_path: Path) -> None:
    good = tmp_path / "ours.toml"
    good.write_text(doc_example(), encoding="utf-8")
    assert load_question_bank(good).source == str(good)
    assert load_question_bank(str(good)).id == "short-conversation"

    bad = tmp_path / "broken.toml"
    bad.write_text(doc_example().replace("version = 1", "version = 0"), encoding="utf-8")
    with pytest.raises(QuestionBankError, match=re.escape(f"{bad}:4: [bank]")):
        load_question_bank(bad)
    # A bad file leaves the packaged bank untouched.
    assert load_question_bank().source == "packaged"


def test_load_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + doc_example().encode("utf-8"))
    assert load_question_bank(path).title == "A short first conversation"


def test_load_rejects_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(doc_example().replace("today", "caf\xe9").encode("latin-1"))
    with pytest.raises(QuestionBankError, match="not UTF-8") as caught:
        load_question_bank(path)
    assert caught.value.line == _line_of(doc_example(), "today")


def test_load_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(QuestionBankError, match=re.escape(f"{path}: file: cannot be read")):
        load_question_bank(path)


def test_find_bank_in_folder(tmp_path: Path) -> None:
    assert find_bank_in_folder(tmp_path) is None
    (tmp_path / "questions.toml").mkdir()
    assert find_bank_in_folder(tmp_path) is None  # a folder of that name is not a bank
    (tmp_path / "questions.toml").rmdir()
    (tmp_path / "questions.toml").write_text(doc_example(), encoding="utf-8")
    found = find_bank_in_folder(tmp_path)
    assert found == tmp_path / "questions.toml"
    assert load_question_bank(found).id == "short-conversation"


def test_agency_type_ids_match_the_domain() -> None:
    assert {
        "local-authority",
        "housing-association",
        "school",
        "health",
        "police",
        "other",
    } == AGENCY_TYPE_IDS


# ---------------------------------------------------------------------------------------
# Properties: any text either loads or fails with a one-line QuestionBankError
# ---------------------------------------------------------------------------------------


def _loads_or_explains(text: str) -> None:
    try:
        parse_question_bank(text, source="prop.toml")
    except QuestionBankError as err:
        assert len(str(err).splitlines()) == 1
        assert str(err).startswith("prop.toml")
        if err.line is not None:
            assert 1 <= err.line <= text.count("\n") + 1


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_loads_or_raises_question_bank_error(text: str) -> None:
    _loads_or_explains(text)


_VALID_LINES = VALID.split("\n")
_ODD_VALUES = st.sampled_from(
    [
        '""',
        '"x"',
        "0",
        "-1",
        "61",
        "1.5",
        "true",
        "[]",
        '["health", "nhs"]',
        '[1, "a"]',
        "{}",
        '{ id = "x" }',
        "1979-05-27",
        '"Two\\nlines"',
        '"\\u2028"',
        '"""\nmulti\n"""',
    ]
)


@st.composite
def _mutated_banks(draw: st.DrawFn) -> str:
    """The valid base with lines dropped, repeated or given odd values."""
    lines = list(_VALID_LINES)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "value", "key"]))
        if action == "drop":
            del lines[index]
        elif action == "repeat":
            lines.insert(index, lines[index])
        elif action == "value" and "=" in lines[index]:
            key = lines[index].split("=", 1)[0]
            lines[index] = f"{key}= {draw(_ODD_VALUES)}"
        elif action == "key" and "=" in lines[index]:
            value = lines[index].split("=", 1)[1]
            key = draw(st.sampled_from(["idd", "prompt", "probe", "minute", "section", "bank"]))
            lines[index] = f"{key} ={value}"
    return "\n".join(lines)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated_banks())
def test_mutated_bank_loads_or_raises_question_bank_error(text: str) -> None:
    _loads_or_explains(text)
