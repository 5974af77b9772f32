"""Line numbers in a TOML file, for error messages that say where a problem is.

tomllib reports a line only for a syntax error; for a document that parses but breaks a
rule, :class:`SourceLines` finds the line of a table or a field in the text itself.
"""

from __future__ import annotations

import re

_SYNTAX_AT = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")
_SYNTAX_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
_HEADER = re.compile(r"\s*(\[\[?)\s*([A-Za-z0-9_\-.\s\"']+?)\s*\]\]?\s*(?:#.*)?")


def syntax_error_line(message: str, text: str) -> tuple[int | None, str]:
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


class SourceLines:
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
