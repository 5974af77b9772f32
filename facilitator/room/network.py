"""Running the room's web server inside the app's own event loop.

The socket is bound here (not by uvicorn), so a busy port is an ordinary error for the
facilitator rather than uvicorn ending the process, and closing the room closes the
socket: after that, phones get "connection refused". uvicorn installs no signal
handlers (the app has its own) and writes no logs to the terminal the TUI draws on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator
from typing import Any

import uvicorn

# A private address: "connecting" a UDP socket to it sends nothing, but makes the
# system choose the interface (and so the address) it would use on the local network.
_PROBE = ("10.254.254.254", 9)


def lan_address() -> str:
    """The laptop's address on the local network, or 127.0.0.1 if it has none."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(_PROBE)
        found = s.getsockname()[0]
        if found and not found.startswith("0."):
            return found
    return "127.0.0.1"


def bind(host: str, port: int = 0) -> socket.socket:
    """A listening socket on host:port (port 0: any free one). OSError if refused."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(64)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


class _QuietServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # the app keeps its own SIGTERM/SIGHUP handling


def _silence() -> None:
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi"):
        log = logging.getLogger(name)
        log.handlers[:] = [logging.NullHandler()]
        log.propagate = False


class RoomServer:
    """One run of the web server: start, then stop (a new one for each opening)."""

    def __init__(self, app: Any, host: str, port: int = 0) -> None:
        self.app = app
        self.sock = bind(host, port)
        self.host, self.port = self.sock.getsockname()[:2]
        _silence()
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=False,
            lifespan="off",
            ws="none",
            server_header=False,
            date_header=False,
            timeout_keep_alive=5,
            limit_concurrency=200,
            h11_max_incomplete_event_size=16 * 1024,
        )
        self.server = _QuietServer(config)
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(
            self.server.serve(sockets=[self.sock]), name="room-server"
        )

    async def started(self) -> None:
        while not self.server.started:
            if self.task is not None and self.task.done():
                self.task.result()  # raise what stopped it
                return
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        self.server.should_exit = True
        self.server.force_exit = True  # do not wait for phones that keep connections open
        if self.task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self.task, timeout=3)
        with contextlib.suppress(OSError):
            self.sock.close()

    def stop_soon(self) -> None:
        """Stop from code that cannot wait (the app closing): the socket closes now."""
        self.server.should_exit = True
        self.server.force_exit = True
        for listening in getattr(self.server, "servers", []):
            listening.close()
        with contextlib.suppress(OSError):
            self.sock.close()
