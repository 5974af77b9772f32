"""Names as the anonymiser compares them: folded text, and the parts of a person's name.

Text is *folded* before names are looked for in it: upper and lower case become one,
accents and other marks go (``SIOBHÁN`` reads as ``siobhan``, ``José`` as ``jose``),
compatibility forms become plain letters (full-width ``Ｊｏ`` as ``jo``), and every
apostrophe and dash reads as ``'`` and ``-`` (so ``O’Connor`` is ``o'connor``). A folded
text remembers where each of its characters came from, so a name found in it is
replaced in the original.

A person's name is split into *parts*: given names, surnames, each half of a double
surname and a nickname in brackets or quotes, leaving out titles (``Ms``, ``Dr``) and
initials. ``Mary (Molly) Smith-Jones`` has the parts ``Mary``, ``Molly``,
``Smith-Jones``, ``Smith`` and ``Jones``, and can also be written ``Mary Smith-Jones``
or ``Molly Smith-Jones``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

_TITLES = "dr mr mrs ms miss mx cllr councillor prof professor rev revd sir dame lord lady"
HONORIFICS = frozenset(_TITLES.split())

# Letters that carry no separate accent to take off, but are read as plain ones.
_PLAIN = str.maketrans(
    {"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"}
)
_APOSTROPHES = "\u2019\u2018\u02bc\u02bb\u2032\u00b4\u0060\uff07"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"


@functools.lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """One character folded: lower case, no accents, one kind of apostrophe and dash."""
    if ch.isascii():
        return "'" if ch == "`" else ch.lower()
    if ch in _APOSTROPHES:
        return "'"
    if ch in _DASHES:
        return "-"
    decomposed = unicodedata.normalize("NFKD", ch.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.casefold().translate(_PLAIN)


def fold(text: str) -> str:
    """The folded text alone (for names and for comparing)."""
    if text.isascii() and "`" not in text:
        return text.lower()
    return "".join(map(fold_char, text))


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded text and, unless it is the same length, where each character came from."""

    text: str
    origin: tuple[int, ...] | None  # origin[i]: index in the original of folded char i

    def span(self, original: str, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that folded ``[start, end)`` came from."""
        if self.origin is None:
            return start, end
        first = self.origin[start]
        last = self.origin[end - 1] + 1
        # Marks that folded to nothing belong with the letter before them.
        while last < len(original) and not fold_char(original[last]):
            last += 1
        return first, last


def fold_with_origin(text: str) -> Folded:
    """The folded text, with the way back to the original."""
    if text.isascii() and "`" not in text:
        return Folded(text.lower(), None)
    pieces = list(map(fold_char, text))
    if all(len(p) == 1 for p in pieces):
        return Folded("".join(pieces), None)
    origin: list[int] = []
    for index, piece in enumerate(pieces):
        origin.extend([index] * len(piece))
    return Folded("".join(pieces), tuple(origin))


# -- the parts of a person's name -----------------------------------------------------------

_BRACKETED = re.compile(r"[(\[{\"“”«»]\s*([^()\[\]{}\"“”«»]+?)\s*[)\]}\"“”«»]")
_EDGES = ".,;:!?()[]{}\"'“”‘’«»"


def _clean(word: str) -> str:
    return word.strip(_EDGES + _APOSTROPHES)


def _is_part(word: str) -> bool:
    """A word that can stand for a person: not a title, not an initial, not a number."""
    folded = fold(word)
    return len(folded) >= 2 and folded not in HONORIFICS and any(c.isalpha() for c in folded)


@dataclass(frozen=True, slots=True)
class PersonName:
    """How one person's name may be written."""

    words: tuple[str, ...]  # the name without nickname or title, as written
    nicknames: tuple[str, ...]
    forms: tuple[str, ...]  # whole-name variants: as written, without nickname, nickname+surname
    parts: tuple[str, ...]  # words that stand for the person on their own

    @property
    def key(self) -> tuple[str, ...]:
        """The name folded, as a tuple of words, for telling whether two names are one."""
        return tuple(fold(w) for w in self.words)


@functools.lru_cache(maxsize=4096)
def person_name(name: str) -> PersonName:
    """Split a person's name into the ways it may be written (see the module's notes)."""
    nicknames = tuple(n.strip() for n in _BRACKETED.findall(name) if _clean(n))
    bare = _BRACKETED.sub(" ", name)
    words = tuple(w for w in (_clean(w) for w in bare.split()) if w)
    while words and fold(words[0]).rstrip(".") in HONORIFICS and len(words) > 1:
        words = words[1:]
    forms = [" ".join(name.split())]
    if words:
        forms.append(" ".join(words))
        if nicknames and len(words) > 1:
            forms += [f"{nick} {words[-1]}" for nick in nicknames]
    parts: list[str] = []
    if len(words) > 1 or nicknames:
        for word in (*words, *(w for n in nicknames for w in n.split())):
            word = _clean(word)
            candidates = [word]
            if "-" in fold(word):
                candidates += re.split(r"[-\u2010-\u2015\u2212]", word)
            if "'" in fold(word):
                candidates.append(re.sub(f"['{_APOSTROPHES}]", "", word))
            parts += [c for c in candidates if _is_part(c)]
    unique_forms = tuple(dict.fromkeys(f for f in forms if f))
    return PersonName(words, nicknames, unique_forms, tuple(dict.fromkeys(parts)))


def same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two folded names (word tuples) are one person's, allowing initials.

    ``("k.", "whitlow")`` and ``("kathleen", "whitlow")`` are; so are two names that
    differ only by accents or case (already folded away). One word alone never matches
    a longer name.
    """
    if len(a) != len(b) or len(a) < 2:
        return a == b
    for x, y in zip(a, b, strict=True):
        x, y = x.rstrip("."), y.rstrip(".")
        if x == y:
            continue
        if len(x) == 1 and y.startswith(x) or len(y) == 1 and x.startswith(y):
            continue
        return False
    return a[-1].rstrip(".") == b[-1].rstrip(".")
