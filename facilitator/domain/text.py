"""Cleaning text that people type, so that it is safe to store, show and export."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 control characters, DEL, and the Unicode line/paragraph separators,
# except tab and newline which are kept in multi-line text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_SPACES = re.compile(r"[ \t]+")

NAME_MAX = 500
LINE_MAX = 1_000
NOTE_MAX = 20_000


class TextError(ValueError):
    """Text that cannot be accepted, with a message fit to show a facilitator."""


def clean_text(
    value: object,
    *,
    what: str = "text",
    max_len: int = NOTE_MAX,
    multiline: bool = True,
    required: bool = False,
) -> str:
    """Return ``value`` as clean text, or raise TextError saying why not.

    Line endings become ``\\n``, control characters are dropped, the text is put in
    NFC form and trimmed. Single-line text has its line breaks and tabs folded to
    spaces. Over-long text is refused rather than cut, so nothing typed is lost
    silently.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise TextError(f"{what.capitalize()} must be text.")
    text = _LINE_BREAKS.sub("\n", value)
    # Controls go before spaces are folded, so that cleaning clean text changes nothing.
    text = _CONTROL.sub("", text)
    if not multiline:
        text = _SPACES.sub(" ", text.replace("\n", " "))
    # Lone surrogates cannot be stored as UTF-8; replace rather than fail.
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFC", text).strip()
    if required and not text:
        raise TextError(f"{what.capitalize()} cannot be empty.")
    if len(text) > max_len:
        raise TextError(
            f"{what.capitalize()} is {len(text):,} characters long; the limit is {max_len:,}."
        )
    return text


def shorten(text: str, width: int) -> str:
    """One line of at most ``width`` characters, with an ellipsis if it was cut."""
    line = " ".join(text.split())
    if width <= 0:
        return ""
    return line if len(line) <= width else line[: max(width - 1, 0)] + "…"


_SLUG = re.compile(r"[^a-z0-9]+")


def _words(text: str) -> list[str]:
    """Runs of letters, marks and digits in any script (a vowel sign stays with its word)."""
    words, word = [], []
    for ch in unicodedata.normalize("NFC", text).lower():
        kind = unicodedata.category(ch)[0]
        if kind in "LN" or (kind == "M" and word):
            word.append(ch)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return words


def slugify(text: str, max_len: int = 40) -> str:
    """A file-name-safe slug: lower-case ASCII letters, digits and dashes.

    A title most of whose letters have no ASCII form (Arabic, say, or Japanese) keeps
    its own letters and digits instead, joined by dashes, rather than becoming a
    nameless "session" or keeping only its few Latin letters.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG.sub("-", ascii_text.lower()).strip("-")[:max_len].strip("-")
    letters = sum(1 for ch in text if ch.isalpha())
    if sum(1 for ch in slug if ch.isalpha()) * 2 < letters:
        slug = "-".join(_words(text))[:max_len].strip("-")
    return slug or "session"


def describe_value(value: object, mapping: str = "a table") -> str:
    """What kind of value a file holds, in words for an error message ("text", "a list"…).

    ``mapping`` names a table of keys: "a table" in TOML, "an object" in JSON. TOML's own
    dates and times, the only other values a file can hold, are "a date or time".
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return mapping
    return "a date or time"
