"""Showing text that came from outside (a file name, a title in a file) safely on a terminal.

A file name can hold anything but "/" and NUL: escape sequences that set the window
title or clear the screen, line breaks that forge a second line of output, bytes that
are not UTF-8. :func:`printable` shows every such character as a visible escape
(``\\x1b``), so the name is still recognisable and nothing reaches the terminal as a
command. Markup (``[bold]``) is a separate matter for whoever renders the text: Rich
callers escape it, Textual widgets here are made with ``markup=False``.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL; the marks that reverse or isolate the direction of text
# (they can make a name read backwards); line and paragraph separators; and lone
# surrogates, which is how Python carries a file name's bytes that are not UTF-8.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` with every control or direction-changing character shown as an escape."""
    return _UNSAFE.sub(_escape, str(text))
