"""The room's address as a QR code: text for the terminal, drawn two rows to a line."""

from __future__ import annotations

import segno

_HALVES = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_lines(url: str, border: int = 2) -> list[str]:
    """The QR code of ``url`` as lines of half blocks; a drawn block is a dark module.

    Show it dark on light (black on white), the way phone cameras read QR codes best.
    An address in capitals is encoded more compactly (QR's alphanumeric mode), so the
    code stays small enough for a corner of the screen.
    """
    code = segno.make(url, error="m", micro=False)
    rows = [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=border)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    return [
        "".join(_HALVES[(top, bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]


def join_url(host: str, port: int, code: str) -> str:
    """The address a phone opens (capitals: the QR code is smaller, and phones accept it)."""
    return f"HTTP://{web_host(host)}:{port}/{code}/"


def web_host(host: str) -> str:
    """The host as an address writes it (an IPv6 address goes in brackets)."""
    return f"[{host}]" if ":" in host else host
