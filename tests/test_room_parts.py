"""The room's smaller parts: the QR code drawn in text, the address, the socket."""

from __future__ import annotations

import ipaddress
import socket

import pytest
import segno

from facilitator.room.network import bind, lan_address
from facilitator.room.qr import join_url, qr_lines


def test_qr_lines_draw_every_module() -> None:
    url = join_url("192.168.100.200", 54321, "K7M4QP")
    lines = qr_lines(url, border=2)
    code = segno.make(url, error="m", micro=False)
    matrix = [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=2)]
    width = len(matrix[0])
    assert all(len(line) == width for line in lines)
    top = {"▀": (True, False), "▄": (False, True), "█": (True, True), " ": (False, False)}
    drawn = []
    for line in lines:
        drawn.append([top[ch][0] for ch in line])
        drawn.append([top[ch][1] for ch in line])
    assert drawn[: len(matrix)] == matrix
    # Small enough for a corner of an 80x24 screen.
    assert width <= 33 and len(lines) <= 17


def test_lan_address_is_an_address() -> None:
    found = ipaddress.ip_address(lan_address())
    assert found.version == 4 and not found.is_unspecified


def test_bind_takes_a_free_port_and_refuses_a_foreign_address() -> None:
    sock = bind("127.0.0.1")
    try:
        host, port = sock.getsockname()
        assert host == "127.0.0.1" and port > 0
        with socket.create_connection((host, port), timeout=2):
            pass
    finally:
        sock.close()
    with pytest.raises(OSError):
        bind("203.0.113.7")  # not this machine's
