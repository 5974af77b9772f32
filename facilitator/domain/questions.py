"""The facilitated-conversation question bank: prompts, probes and guidance loaded from TOML.

A bank is a TOML file with a ``[bank]`` table and an array of ``[[section]]`` tables, each
holding ``[[section.prompt]]`` tables. The packaged bank lives in
``facilitator/content/questions.toml``; a facilitator can bring their own (see
``docs/questions.md``). Loading is all or nothing: a bank with any problem raises
:class:`QuestionBankError` naming the file, the line and the field, and nothing is returned.

The tables a bank file holds are declared once, as models, in
:mod:`facilitator.domain.question_tables`, which also reads and checks a file; this module
holds what the rest of the app uses (and loads pydantic only when a bank is read). No
terminal UI and no database, so the TUI, the CLI and the exports can all use it.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

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
    """Validate ``text`` as a question bank; ``source`` names it in errors and on the bank.

    The file's shape is declared in :mod:`facilitator.domain.question_tables`.
    """
    from facilitator.domain.question_tables import BankReader

    return BankReader(text, source).read()


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
