"""The facilitated-conversation question bank: prompts, probes and guidance loaded from TOML.

A bank is a TOML file with a ``[bank]`` table and an array of ``[[section]]`` tables, each
holding ``[[section.prompt]]`` tables. The packaged bank lives in
``facilitator/content/questions.toml``; a facilitator can bring their own (see
``docs/questions.md``). Loading is all or nothing: a bank with any problem raises
:class:`QuestionBankError` naming the file, the line and the field, and nothing is returned.

Pure Python: the standard library only, so the TUI, the CLI and the exports can all use it.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

__all__ = [
    "AGENCY_TYPE_IDS",
    "MAX_TEXT_CHARS",
    "BANK_FILE_NAME",
    "ConversationPrompt",
    "PromptSection",
    "QuestionBank",
    "QuestionBankError",
    "find_bank_in_folder",
    "load_question_bank",
    "parse_question_bank",
]

#: Agency types a prompt can be tailored to (the same ids as in session files and exports).
AGENCY_TYPE_IDS = frozenset(
    {"local-authority", "housing-association", "school", "health", "police", "other"}
)

#: Longest prompt or probe, in characters: it has to fit on a projected slide.
MAX_TEXT_CHARS = 280

#: The name a facilitator's own bank must have to be picked up from the sessions folder.
BANK_FILE_NAME = "questions.toml"

SECTION_MINUTES = (1, 120)
PROMPT_MINUTES = (1, 60)

_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

_TOP_KEYS = ("bank", "section")
_BANK_KEYS = ("id", "title", "version")
_SECTION_KEYS = ("id", "title", "purpose", "minutes", "prompt")
_PROMPT_KEYS = ("id", "text", "probes", "guidance", "minutes", "agency_types")


# --------------------------------------------------------------------------------------
# The bank as the rest of the app sees it
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConversationPrompt:
    """One question for a facilitated conversation, with its follow-ups and a note."""

    id: str
    section_id: str
    text: str
    probes: tuple[str, ...] = ()
    guidance: str = ""
    minutes: int | None = None
    agency_types: frozenset[str] = frozenset()

    def suits(self, agency_type: str | None) -> bool:
        """True if the prompt suits every agency, or is tailored to ``agency_type``."""
        return not self.agency_types or agency_type in self.agency_types


@dataclass(frozen=True, slots=True)
class PromptSection:
    """A stage of the conversation (opening, values, actions…) and its prompts."""

    id: str
    title: str
    purpose: str
    minutes: int
    prompts: tuple[ConversationPrompt, ...]


@dataclass(frozen=True)
class QuestionBank:
    """A validated question bank. ``source`` is the file it came from, or ``"packaged"``."""

    id: str
    title: str
    version: int
    source: str
    sections: tuple[PromptSection, ...]
    _prompts: dict[str, ConversationPrompt] = field(
        init=False, repr=False, compare=False, hash=False
    )
    _sections: dict[str, PromptSection] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_sections", {s.id: s for s in self.sections})
        object.__setattr__(self, "_prompts", {p.id: p for p in self.all_prompts()})

    def prompt(self, prompt_id: str) -> ConversationPrompt:
        """The prompt with this id; ``KeyError`` if the bank has none."""
        return self._prompts[prompt_id]

    def section(self, section_id: str) -> PromptSection:
        """The section with this id; ``KeyError`` if the bank has none."""
        return self._sections[section_id]

    def prompts_for(self, agency_type: str | None) -> tuple[ConversationPrompt, ...]:
        """Prompts that suit a conversation with this type of agency, in bank order."""
        return tuple(p for p in self.all_prompts() if p.suits(agency_type))

    def all_prompts(self) -> tuple[ConversationPrompt, ...]:
        """Every prompt, section by section, in bank order."""
        return tuple(p for s in self.sections for p in s.prompts)


class QuestionBankError(ValueError):
    """A question bank that cannot be used, with where the problem is.

    ``str(err)`` is one line, ``"<file>:<line>: <where>: <problem>"`` (without ``<line>:``
    when no line can be pointed at).
    """

    def __init__(
        self,
        file: str,
        line: int | None,
        where: str,
        problem: str,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.where = where
        self.problem = problem
        self.field = field
        place = f"{file}:{line}" if line is not None else file
        super().__init__(f"{place}: {where}: {problem}")


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------


def load_question_bank(path: str | os.PathLike[str] | None = None) -> QuestionBank:
    """Load a bank from ``path``, or the packaged bank when ``path`` is None (cached)."""
    if path is None:
        return _packaged_bank()
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise QuestionBankError(name, None, "file", f"cannot be read ({reason})") from None
    return parse_question_bank(_decode(data, name), source=name)


def parse_question_bank(text: str, source: str = "<text>") -> QuestionBank:
    """Validate ``text`` as a question bank; ``source`` names it in errors and on the bank."""
    return _BankReader(text, source).read()


def find_bank_in_folder(folder: Path) -> Path | None:
    """A facilitator's own bank in the sessions folder: ``questions.toml``, if it is there."""
    candidate = Path(folder) / BANK_FILE_NAME
    return candidate if candidate.is_file() else None


@functools.cache
def _packaged_bank() -> QuestionBank:
    resource = resources.files("facilitator") / "content" / BANK_FILE_NAME
    text = _decode(resource.read_bytes(), str(resource))
    return replace(parse_question_bank(text, source=str(resource)), source="packaged")


def _decode(data: bytes, name: str) -> str:
    # TOML is UTF-8; a byte-order mark (some Windows editors add one) is dropped.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise QuestionBankError(
            name, line, "file", "is not UTF-8 text; save it as UTF-8 and try again"
        ) from None


# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------


def _show(value: object, limit: int = 40) -> str:
    """A user-supplied name quoted and escaped so that an error message stays on one line."""
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 4] + "…" + shown[-1]


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def _suggest(name: str, known: tuple[str, ...] | frozenset[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _BankReader:
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
            line, problem = _syntax_error_line(str(exc), self.text)
            self.fail(line, "not valid TOML", problem)
        except RecursionError:
            self.fail(None, "not valid TOML", "values are nested too deeply")
        self.lines = _SourceLines(self.text)

        for key, value in data.items():
            if key not in _TOP_KEYS:
                kind = "table" if isinstance(value, dict | list) else "field"
                self.fail(
                    self.lines.top_level(key),
                    "top level",
                    f"unknown {kind} {_show(key)}{_suggest(key, _TOP_KEYS)}",
                    key,
                )
        bank_id, title, version = self.read_bank(data.get("bank"))
        sections = self.read_sections(data.get("section"))
        return QuestionBank(bank_id, title, version, self.source, sections)

    # The [bank] table ------------------------------------------------------------------

    def read_bank(self, bank: Any) -> tuple[str, str, int]:
        where = "[bank]"
        if bank is None:
            self.fail(None, "top level", "there is no [bank] table", "bank")
        if not isinstance(bank, dict):
            self.fail(
                self.lines.top_level("bank"),
                "top level",
                "'bank' must be a table, written as [bank] with id, title and version under it",
                "bank",
            )

        def line(name: str | None = None) -> int | None:
            return self.lines.bank(name)

        self.reject_unknown(bank, _BANK_KEYS, where, line)
        bank_id = self.kebab_id(bank, where, line)
        title = self.required_text(bank, "title", where, line)
        version = bank.get("version")
        if "version" not in bank:
            self.fail(line(), where, "missing field 'version'", "version")
        if not _is_whole(version) or version < 1:
            self.fail(
                line("version"),
                where,
                "field 'version' must be a whole number, 1 or more",
                "version",
            )
        return bank_id, title, version

    # The [[section]] tables ------------------------------------------------------------

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
        sections = []
        for index, table in enumerate(raw):
            sections.append(self.read_section(index, table, seen_sections, seen_prompts))
        return tuple(sections)

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

        self.reject_unknown(table, _SECTION_KEYS, where, line)
        section_id = self.kebab_id(table, where, line)
        if section_id in seen_sections:
            self.fail(
                line("id"),
                where,
                f"field 'id' must be unique, but {section_id!r} is already used by section "
                f"{seen_sections[section_id]}",
                "id",
            )
        seen_sections[section_id] = index + 1
        title = self.required_text(table, "title", where, line)
        purpose = self.required_text(table, "purpose", where, line)
        if "minutes" not in table:
            self.fail(line(), where, "missing field 'minutes'", "minutes")
        minutes = self.minutes(table, SECTION_MINUTES, where, line)
        assert minutes is not None

        raw_prompts = table.get("prompt")
        if raw_prompts is None or raw_prompts == []:
            self.fail(
                line(),
                where,
                "has no prompts; add at least one [[section.prompt]] under it",
                "prompt",
            )
        if not isinstance(raw_prompts, list) or not all(isinstance(p, dict) for p in raw_prompts):
            self.fail(
                line("prompt"),
                where,
                "prompts must each start with a [[section.prompt]] header",
                "prompt",
            )
        prompts = tuple(
            self.read_prompt(index, section_id, number, prompt, seen_prompts)
            for number, prompt in enumerate(raw_prompts)
        )
        return PromptSection(section_id, title, purpose, minutes, prompts)

    # The [[section.prompt]] tables -----------------------------------------------------

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

        self.reject_unknown(table, _PROMPT_KEYS, where, line)
        prompt_id = self.kebab_id(table, where, line)
        if prompt_id in seen_prompts:
            self.fail(
                line("id"),
                where,
                "field 'id' must be unique across the whole bank, but "
                f"{prompt_id!r} is already used by {seen_prompts[prompt_id]}",
                "id",
            )
        seen_prompts[prompt_id] = where
        text = self.required_text(table, "text", where, line)
        self.check_length(text, "text", where, line)

        probes = table.get("probes", [])
        if not isinstance(probes, list) or not all(isinstance(p, str) for p in probes):
            self.fail(
                line("probes"),
                where,
                'field \'probes\' must be a list of text, like ["First?", "Second?"]',
                "probes",
            )
        for probe in probes:
            if not probe.strip():
                self.fail(line("probes"), where, "field 'probes' has an empty probe", "probes")
            self.check_length(probe, "probes", where, line)

        guidance = table.get("guidance", "")
        if not isinstance(guidance, str):
            self.fail(
                line("guidance"),
                where,
                f"field 'guidance' must be text, not {_type_name(guidance)}",
                "guidance",
            )

        minutes = self.minutes(table, PROMPT_MINUTES, where, line)

        agency_types = table.get("agency_types", [])
        if not isinstance(agency_types, list) or not all(isinstance(a, str) for a in agency_types):
            self.fail(
                line("agency_types"),
                where,
                "field 'agency_types' must be a list of agency type ids, like [\"health\"]",
                "agency_types",
            )
        for agency_type in agency_types:
            if agency_type not in AGENCY_TYPE_IDS:
                self.fail(
                    line("agency_types"),
                    where,
                    f"field 'agency_types' has unknown agency type {_show(agency_type)}"
                    f"{_suggest(agency_type, AGENCY_TYPE_IDS)}; "
                    f"use any of: {', '.join(sorted(AGENCY_TYPE_IDS))}",
                    "agency_types",
                )

        return ConversationPrompt(
            id=prompt_id,
            section_id=section_id,
            text=text.strip(),
            probes=tuple(p.strip() for p in probes),
            guidance=guidance.strip(),
            minutes=minutes,
            agency_types=frozenset(agency_types),
        )

    # Shared checks ---------------------------------------------------------------------

    def reject_unknown(
        self,
        table: dict[str, Any],
        known: tuple[str, ...],
        where: str,
        line: Callable[[str | None], int | None],
    ) -> None:
        for key in table:
            if key not in known:
                self.fail(
                    line(key), where, f"unknown field {_show(key)}{_suggest(key, known)}", key
                )

    def required_text(
        self,
        table: dict[str, Any],
        name: str,
        where: str,
        line: Callable[[str | None], int | None],
    ) -> str:
        if name not in table:
            self.fail(line(None), where, f"missing field {name!r}", name)
        value = table[name]
        if not isinstance(value, str):
            self.fail(
                line(name), where, f"field {name!r} must be text, not {_type_name(value)}", name
            )
        if not value.strip():
            self.fail(line(name), where, f"field {name!r} is empty", name)
        return value.strip()

    def kebab_id(
        self,
        table: dict[str, Any],
        where: str,
        line: Callable[[str | None], int | None],
    ) -> str:
        value = self.required_text(table, "id", where, line)
        if not _is_kebab(value):
            self.fail(
                line("id"),
                where,
                "field 'id' must be lower-case letters and digits joined by hyphens, "
                f"like 'opening-welcome' (not {_show(value)})",
                "id",
            )
        return value

    def minutes(
        self,
        table: dict[str, Any],
        bounds: tuple[int, int],
        where: str,
        line: Callable[[str | None], int | None],
    ) -> int | None:
        if "minutes" not in table:
            return None
        value = table["minutes"]
        low, high = bounds
        if not _is_whole(value) or not low <= value <= high:
            self.fail(
                line("minutes"),
                where,
                f"field 'minutes' must be a whole number from {low} to {high}",
                "minutes",
            )
        return value

    def check_length(
        self,
        value: str,
        name: str,
        where: str,
        line: Callable[[str | None], int | None],
    ) -> None:
        length = len(value.strip())
        if length > MAX_TEXT_CHARS:
            self.fail(
                line(name),
                where,
                f"field {name!r} has {length} characters; keep it to {MAX_TEXT_CHARS} or fewer",
                name,
            )


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_kebab(value: object) -> bool:
    return isinstance(value, str) and _KEBAB.fullmatch(value) is not None


# --------------------------------------------------------------------------------------
# Line numbers: tomllib reports none for a valid document, so find them in the text
# --------------------------------------------------------------------------------------

_SYNTAX_AT = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")
_SYNTAX_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
_HEADER = re.compile(r"\s*(\[\[?)\s*([A-Za-z0-9_\-.\s\"']+?)\s*\]\]?\s*(?:#.*)?")


def _syntax_error_line(message: str, text: str) -> tuple[int | None, str]:
    """The line tomllib reports in ``message``, and the message without the position."""
    found = _SYNTAX_AT.search(message)
    if found:
        return int(found.group(1)), message[: found.start()]
    found = _SYNTAX_AT_END.search(message)
    if found:
        return text.count("\n") + 1, message[: found.start()]
    return None, message


def _key_path(raw: str) -> str:
    return re.sub(r"[\s\"']", "", raw)


class _SourceLines:
    """Best-effort map from the bank's tables and fields to line numbers in its text.

    It follows the usual layout (``[bank]``, ``[[section]]``, ``[[section.prompt]]``
    headers, one ``key = value`` a line). Anything it cannot follow gives ``None`` or the
    nearest header, never an exception.
    """

    def __init__(self, text: str) -> None:
        # tomllib counts lines by "\n" only, so do the same.
        self.lines = text.split("\n")
        self.headers: list[tuple[int, str]] = []  # (line number, key path)
        quote: str | None = None
        for number, line in enumerate(self.lines, start=1):
            if quote is not None:  # inside a multi-line string
                if line.count(quote) % 2 == 1:
                    quote = None
                continue
            header = _HEADER.fullmatch(line)
            if header:
                self.headers.append((number, _key_path(header.group(2))))
                continue
            for candidate in ('"""', "'''"):
                if line.count(candidate) % 2 == 1:
                    quote = candidate
                    break
        self.bank_header = next((n for n, path in self.headers if path == "bank"), None)
        self.section_headers: list[int] = []
        self.prompt_headers: list[list[int]] = []
        for number, path in self.headers:
            if path == "section":
                self.section_headers.append(number)
                self.prompt_headers.append([])
            elif path == "section.prompt" and self.prompt_headers:
                self.prompt_headers[-1].append(number)

    def _block_end(self, start: int) -> int:
        """The last line of the table whose header is on line ``start``."""
        return next((n - 1 for n, _ in self.headers if n > start), len(self.lines))

    def _field(self, start: int | None, name: str | None) -> int | None:
        """The line of ``name = …`` in the table headed on ``start``, else ``start``."""
        if start is None or name is None:
            return start
        pattern = re.compile(rf"\s*[\"']?{re.escape(name)}[\"']?\s*[=.]")
        for number in range(start + 1, self._block_end(start) + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        # A sub-table written with its own header, like [section.prompt.extra].
        for number, path in self.headers:
            if number <= start:
                continue
            if path in ("bank", "section", "section.prompt"):
                break
            if path.rsplit(".", 1)[-1] == name:
                return number
        return start

    def top_level(self, name: str) -> int | None:
        for number, path in self.headers:
            if path.split(".", 1)[0] == name:
                return number
        first_header = self.headers[0][0] if self.headers else len(self.lines) + 1
        pattern = re.compile(rf"\s*[\"']?{re.escape(name)}[\"']?\s*[=.]")
        for number in range(1, first_header):
            if pattern.match(self.lines[number - 1]):
                return number
        return None

    def bank(self, name: str | None) -> int | None:
        return self._field(self.bank_header, name)

    def section(self, index: int, name: str | None) -> int | None:
        if index >= len(self.section_headers):
            return None
        return self._field(self.section_headers[index], name)

    def prompt(
        self, section_index: int, number: int, name: str | None, prompt_id: object
    ) -> int | None:
        if section_index < len(self.prompt_headers):
            headers = self.prompt_headers[section_index]
            if number < len(headers):
                return self._field(headers[number], name)
        # Prompts not written with [[section.prompt]] headers: look for their id instead.
        if isinstance(prompt_id, str):
            pattern = re.compile(rf"""\bid\s*=\s*(["']){re.escape(prompt_id)}\1""")
            for line_number, line in enumerate(self.lines, start=1):
                if pattern.search(line):
                    return line_number
        return None
