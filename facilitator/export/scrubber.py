"""Replacing names in free text, fast: the engine behind :mod:`.anonymise`.

Names are looked for in the folded text (see :mod:`.namefold`), longest first, and
replaced in the original. The rule is that of one regular expression holding every name
as an alternative, tried at each position in turn (a test checks this), but faster:
with hundreds of names, trying them all at every character took over a minute for a
large session. Only positions holding a character that some name starts with are tried,
found by one character class, and there only the names starting with the two characters
found there (or with that one character, followed by a space or nothing).

Where a name has to stand as a whole word, a *word* is a run of letters: a digit, an
underscore or a mark of punctuation ends it, so ``jo_ng`` holds ``jo`` and ``ng``. Names
in scripts written without spaces between words (Chinese, Japanese, Korean, Thai…) need
no boundary on that side: ``李小龍说`` holds ``李小龍``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from facilitator.export.namefold import HONORIFICS, fold, fold_with_origin

# Given names and surnames that are also everyday English words. Written in lower case
# in a note, such a word is far more likely the word than the person ("we will ask"),
# so only its capitalised and upper-case forms are replaced.
_COMMON_WORDS_TEXT = """
    will may june april august grant mark bill pat rose hope faith joy dawn sue don ray
    art rob jack frank guy gene lane hall wood green brown white black young king page
    price long little hill rich sharp bell moss ward park field hunt cook baker mason
    bishop fox lamb bird gay sunny summer winter autumn holly ivy iris lily daisy ruby
    pearl amber jade crystal heather fern hazel river sky star chase cash penny sandy
    rusty dusty chip buck drew gale glen read reed rush stone street wells north south
    east west marsh brook ford dean march carter miller fisher turner walker hunter
    taylor porter palmer parker ash bay bob ben dick don dot ed al an eve eli mo nick
    norm pete val viv win
"""
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())

_TITLE_BEFORE = re.compile(
    r"(?i)(?<![^\W\d_])(?:" + "|".join(sorted(HONORIFICS)) + r")\.?\s+$",
)
_LETTER_BEFORE = r"(?<![^\W\d_])"
_LETTER_AFTER = r"(?![^\W\d_])"


def _unspaced(ch: str) -> bool:
    """A character of a script that does not put spaces between words."""
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x9FFF  # CJK radicals, kana, CJK ideographs
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
        or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs
        or 0x20000 <= code <= 0x3FFFF  # CJK extensions
        or 0x0E00 <= code <= 0x0EFF  # Thai, Lao
        or 0x1000 <= code <= 0x109F  # Myanmar
        or 0x1780 <= code <= 0x17FF  # Khmer
    )


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One way of writing a name, and what replaces it."""

    regex: str  # on folded text
    first: str  # the folded character it starts with
    second: str  # the one after it, or "" if there is none or it is a space
    length: int
    alias: str
    person: bool  # a person's alias: a title just before it goes too ("Ms Whitlow")
    common: bool  # an everyday word: left alone when written in lower case


def name_entry(name: str, alias: str, *, whole_word: bool, person: bool) -> NameEntry | None:
    """The entry for ``name``: words folded, any run of spaces between them.

    ``whole_word`` names must not have a letter just before or after them, except on a
    side where the name's own letter belongs to a script written without spaces.
    """
    words = fold(name).split()
    if not words:
        return None
    body = r"\s+".join(re.escape(w) for w in words)
    folded = " ".join(words)
    if whole_word:
        before = "" if _unspaced(folded[0]) else _LETTER_BEFORE
        after = "" if _unspaced(folded[-1]) else _LETTER_AFTER
        body = f"{before}{body}{after}"
    common = person and len(words) == 1 and folded in COMMON_WORDS
    second = folded[1] if len(folded) > 1 and folded[1] != " " else ""
    return NameEntry(body, folded[0], second, len(folded), alias, person, common)


class Scrubber:
    """Replaces every name in a text with its alias, longest name first."""

    def __init__(self, entries: list[NameEntry]) -> None:
        ordered = sorted(entries, key=lambda e: -e.length)
        self.entries = ordered
        # Names are tried by their first two characters: most positions that start some
        # name are then passed over with one dictionary look-up, not a regular expression.
        by_one: dict[str, list[int]] = {}  # names with no second character to go by
        by_two: dict[str, list[int]] = {}
        for i, entry in enumerate(ordered):
            if entry.second:
                by_two.setdefault(entry.first + entry.second, []).append(i)
            else:
                by_one.setdefault(entry.first, []).append(i)

        def compiled(found: list[int]) -> re.Pattern[str]:
            return re.compile("|".join(f"(?P<n{i}>{ordered[i].regex})" for i in sorted(found)))

        self.by_one = {first: compiled(found) for first, found in by_one.items()}
        self.by_two = {
            pair: compiled(found + by_one.get(pair[0], [])) for pair, found in by_two.items()
        }
        firsts = {e.first for e in ordered}
        self.starts = (
            re.compile("[" + "".join(re.escape(c) for c in sorted(firsts)) + "]")
            if firsts
            else None
        )

    def __call__(self, text: str) -> str:
        if self.starts is None or not text:
            return text
        folded = fold_with_origin(text)
        ftext = folded.text
        pieces: list[str] = []
        pos = last = 0
        search, entries = self.starts.search, self.entries
        by_one, by_two = self.by_one, self.by_two
        while True:
            candidate = search(ftext, pos)
            if candidate is None:
                break
            pos = candidate.start()
            pattern = by_two.get(ftext[pos : pos + 2]) or by_one.get(ftext[pos])
            found = pattern.match(ftext, pos) if pattern is not None else None
            if found is None:
                pos += 1
                continue
            entry = entries[int(found.lastgroup[1:])]  # type: ignore[index]
            start, end = folded.span(text, pos, found.end())
            start = max(start, last)
            if entry.common and text[start:end].islower():
                pos += 1
                continue
            before = text[last:start]
            if entry.person:
                title = _TITLE_BEFORE.search(before)
                if title is not None:
                    before = before[: title.start()]
            pieces.append(before)
            pieces.append(entry.alias)
            pos, last = found.end(), end
        pieces.append(text[last:])
        return "".join(pieces)
