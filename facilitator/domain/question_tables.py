"""The shape of a question bank file, declared once, and the reader that checks it.

Each table of the file is a model below: ``[bank]``, every ``[[section]]`` and every
``[[section.prompt]]``. The reader validates them in file order and turns the first
problem into a :class:`~facilitator.domain.questions.QuestionBankError` naming the file,
the line, the table and the field. Imported only when a bank is read, so that modules
needing the bank's types alone do not load pydantic.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, NoReturn

from pydantic import AfterValidator, Field, ValidationInfo

from facilitator.domain.questions import (
    AGENCY_TYPE_IDS,
    MAX_TEXT_CHARS,
    PROMPT_MINUTES,
    SECTION_MINUTES,
    ConversationPrompt,
    PromptSection,
    QuestionBank,
    QuestionBankError,
)
from facilitator.domain.text import describe_value
from facilitator.domain.tomllines import SourceLines, syntax_error_line
from facilitator.domain.tomlshape import Problem, Table, check, refuse

_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _show(value: object, limit: int = 40) -> str:
    """A user-supplied name quoted and escaped so that an error message stays on one line."""
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 4] + "…" + shown[-1]


def _suggest(name: str, known: tuple[str, ...] | frozenset[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# -- the rules of single fields -----------------------------------------------------------


def _filled(value: str, info: ValidationInfo) -> str:
    if not value.strip():
        raise refuse(f"field {info.field_name!r} is empty")
    return value.strip()


def _kebab(value: str) -> str:
    if not _KEBAB.fullmatch(value):
        raise refuse(
            "field 'id' must be lower-case letters and digits joined by hyphens, "
            f"like 'opening-welcome' (not {_show(value)})"
        )
    return value


def _fits(value: str, info: ValidationInfo) -> str:
    if len(value) > MAX_TEXT_CHARS:
        raise refuse(
            f"field {info.field_name!r} has {len(value)} characters; "
            f"keep it to {MAX_TEXT_CHARS} or fewer"
        )
    return value


def _probe(value: str) -> str:
    if not value.strip():
        raise refuse("field 'probes' has an empty probe")
    if len(value.strip()) > MAX_TEXT_CHARS:
        raise refuse(
            f"field 'probes' has {len(value.strip())} characters; "
            f"keep it to {MAX_TEXT_CHARS} or fewer"
        )
    return value.strip()


def _agency_type(value: str) -> str:
    if value not in AGENCY_TYPE_IDS:
        raise refuse(
            f"field 'agency_types' has unknown agency type {_show(value)}"
            f"{_suggest(value, AGENCY_TYPE_IDS)}; use any of: {', '.join(sorted(AGENCY_TYPE_IDS))}"
        )
    return value


Text = Annotated[str, AfterValidator(_filled)]
Id = Annotated[str, AfterValidator(_filled), AfterValidator(_kebab)]
SlideText = Annotated[str, AfterValidator(_filled), AfterValidator(_fits)]


# -- the tables ---------------------------------------------------------------------------


class BankTable(Table):
    """``[bank]``: the bank's id, title and version."""

    id: Id
    title: Text
    version: int = Field(ge=1)

    WRONG: ClassVar[dict[str, str]] = {
        "version": "field 'version' must be a whole number, 1 or more",
    }


class SectionTable(Table):
    """``[[section]]``: a stage of the conversation, with its prompts."""

    id: Id
    title: Text
    purpose: Text
    minutes: int = Field(ge=SECTION_MINUTES[0], le=SECTION_MINUTES[1])
    prompt: list[dict[str, Any]] = Field(min_length=1)

    WRONG: ClassVar[dict[str, str]] = {
        "minutes": "field 'minutes' must be a whole number from {} to {}".format(*SECTION_MINUTES),
        "prompt": "prompts must each start with a [[section.prompt]] header",
    }


class PromptTable(Table):
    """``[[section.prompt]]``: one question, its follow-ups and a note for the facilitator."""

    id: Id
    text: SlideText
    probes: list[Annotated[str, AfterValidator(_probe)]] = []
    guidance: str = ""
    minutes: int | None = Field(None, ge=PROMPT_MINUTES[0], le=PROMPT_MINUTES[1])
    agency_types: list[Annotated[str, AfterValidator(_agency_type)]] = []

    WRONG: ClassVar[dict[str, str]] = {
        "probes": 'field \'probes\' must be a list of text, like ["First?", "Second?"]',
        "minutes": "field 'minutes' must be a whole number from {} to {}".format(*PROMPT_MINUTES),
        "agency_types": "field 'agency_types' must be a list of agency type ids, like [\"health\"]",
    }


_TOP_KEYS = ("bank", "section")


# -- the reader ---------------------------------------------------------------------------


class BankReader:
    """Turns a TOML document into a :class:`QuestionBank` or raises at the first problem."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source

    def fail(
        self, line: int | None, where: str, problem: str, field: str | None = None
    ) -> NoReturn:
        raise QuestionBankError(self.source, line, where, problem, field)

    def read(self) -> QuestionBank:
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            line, problem = syntax_error_line(str(exc), self.text)
            self.fail(line, "not valid TOML", problem)
        except RecursionError:
            self.fail(None, "not valid TOML", "values are nested too deeply")
        self.lines = SourceLines(self.text)
        for key, value in data.items():
            if key not in _TOP_KEYS:
                kind = "table" if isinstance(value, dict | list) else "field"
                self.fail(
                    self.lines.top_level(key),
                    "top level",
                    f"unknown {kind} {_show(key)}{_suggest(key, _TOP_KEYS)}",
                    key,
                )
        bank = self.read_bank(data.get("bank"))
        sections = self.read_sections(data.get("section"))
        return QuestionBank(bank.id, bank.title, bank.version, self.source, sections)

    def table(
        self,
        model: type[Any],
        table: dict[str, Any],
        where: str,
        line: Callable[[str | None], int | None],
    ) -> Any:
        """The table as its model, or fail with the first problem, worded and placed."""
        found = check(model, table)
        if not isinstance(found, Problem):
            return found
        key = found.key
        if found.kind == "unknown":
            assert key is not None
            known = tuple(model.model_fields)
            self.fail(line(key), where, f"unknown field {_show(key)}{_suggest(key, known)}", key)
        if found.kind in ("missing", "too_few") and key == "prompt":
            self.fail(
                line(None),
                where,
                "has no prompts; add at least one [[section.prompt]] under it",
                key,
            )
        if found.kind == "missing":
            self.fail(line(None), where, f"missing field {key!r}", key)
        if found.kind == "rule":
            self.fail(line(key), where, found.message, key)
        wrong = model.WRONG.get(key)
        if wrong is None:
            wrong = f"field {key!r} must be text, not {describe_value(table.get(key))}"
        self.fail(line(key), where, wrong, key)

    def read_bank(self, bank: Any) -> BankTable:
        if bank is None:
            self.fail(None, "top level", "there is no [bank] table", "bank")
        if not isinstance(bank, dict):
            self.fail(
                self.lines.top_level("bank"),
                "top level",
                "'bank' must be a table, written as [bank] with id, title and version under it",
                "bank",
            )
        return self.table(BankTable, bank, "[bank]", self.lines.bank)

    def read_sections(self, raw: Any) -> tuple[PromptSection, ...]:
        if raw is None or raw == []:
            self.fail(
                None, "top level", "there are no sections; add at least one [[section]]", "section"
            )
        if not isinstance(raw, list) or not all(isinstance(s, dict) for s in raw):
            self.fail(
                self.lines.top_level("section"),
                "top level",
                "sections must each start with a [[section]] header (two pairs of brackets)",
                "section",
            )
        seen_sections: dict[str, int] = {}
        seen_prompts: dict[str, str] = {}
        return tuple(
            self.read_section(index, table, seen_sections, seen_prompts)
            for index, table in enumerate(raw)
        )

    def read_section(
        self,
        index: int,
        table: dict[str, Any],
        seen_sections: dict[str, int],
        seen_prompts: dict[str, str],
    ) -> PromptSection:
        raw_id = table.get("id")
        where = f"section {raw_id!r}" if _is_kebab(raw_id) else f"section {index + 1}"

        def line(name: str | None = None) -> int | None:
            return self.lines.section(index, name)

        section = self.table(SectionTable, table, where, line)
        if section.id in seen_sections:
            self.fail(
                line("id"),
                where,
                f"field 'id' must be unique, but {section.id!r} is already used by section "
                f"{seen_sections[section.id]}",
                "id",
            )
        seen_sections[section.id] = index + 1
        prompts = tuple(
            self.read_prompt(index, section.id, number, prompt, seen_prompts)
            for number, prompt in enumerate(section.prompt)
        )
        return PromptSection(section.id, section.title, section.purpose, section.minutes, prompts)

    def read_prompt(
        self,
        section_index: int,
        section_id: str,
        number: int,
        table: dict[str, Any],
        seen_prompts: dict[str, str],
    ) -> ConversationPrompt:
        raw_id = table.get("id")
        where = f"section {section_id!r} prompt {number + 1}"
        if _is_kebab(raw_id):
            where += f" ({raw_id!r})"

        def line(name: str | None = None) -> int | None:
            return self.lines.prompt(section_index, number, name, raw_id)

        prompt = self.table(PromptTable, table, where, line)
        if prompt.id in seen_prompts:
            self.fail(
                line("id"),
                where,
                "field 'id' must be unique across the whole bank, but "
                f"{prompt.id!r} is already used by {seen_prompts[prompt.id]}",
                "id",
            )
        seen_prompts[prompt.id] = where
        return ConversationPrompt(
            id=prompt.id,
            section_id=section_id,
            text=prompt.text,
            probes=tuple(prompt.probes),
            guidance=prompt.guidance.strip(),
            minutes=prompt.minutes,
            agency_types=frozenset(prompt.agency_types),
        )


def _is_kebab(value: object) -> bool:
    return isinstance(value, str) and _KEBAB.fullmatch(value) is not None
