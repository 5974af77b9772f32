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


def test_an_ipv6_address_is_written_in_brackets() -> None:
    assert join_url("::1", 8000, "K7M4QP") == "HTTP://[::1]:8000/K7M4QP/"
    sock = bind("::1")
    try:
        assert sock.family == socket.AF_INET6
    finally:
        sock.close()


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


def test_the_room_package_loads_without_the_terminal_ui_or_the_store() -> None:
    import json
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import importlib, json, pkgutil, sys\n"
        "import facilitator.room as p\n"
        "for info in pkgutil.walk_packages(p.__path__, prefix='facilitator.room.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    modules = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "facilitator.room.server" in modules and "starlette" in modules
    assert not {m for m in modules if m == "textual" or m.startswith("textual.")}
    assert "facilitator.store" not in modules


def test_open_room_options_reach_the_app(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner
    from tui_helpers import new_session_file

    from facilitator import cli

    path = new_session_file(tmp_path)
    seen: dict = {}
    monkeypatch.setattr(cli, "run_app", lambda folder, **kw: seen.update(kw))
    args = ["--sessions-dir", str(tmp_path), "open", str(path), "--room", "--room-host", "::1"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    assert seen["room"] is True and seen["room_host"] == "::1"
    seen.clear()
    CliRunner().invoke(cli.main, ["--sessions-dir", str(tmp_path), "open", str(path)])
    assert "room" not in seen and seen["open_path"] == path.resolve()
