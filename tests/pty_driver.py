"""Run the real `facilitator` program in a pseudo-terminal, type into it, read its screen."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

ANSI = re.compile(
    r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-B]|\x1b."
)


class PtyApp:
    """A facilitator process on a pty of a fixed size, with everything it printed kept."""

    def __init__(
        self,
        args: list[str],
        *,
        cwd: Path,
        cols: int = 80,
        rows: int = 24,
        argv: list[str] | None = None,
    ) -> None:
        """Start ``python -m facilitator ARGS`` (or ``argv`` as given) on a pty."""
        env = dict(os.environ)
        env.update(TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
        env.pop("TEXTUAL", None)
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the app
            os.chdir(cwd)
            command = argv or [sys.executable, "-m", "facilitator", *args]
            os.execvpe(command[0], command, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self._chunks: list[bytes] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)  # notified on every new chunk
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.1)
                if ready:
                    data = os.read(self.fd, 65536)
                    if not data:
                        return
                    with self._arrived:
                        self._chunks.append(data)
                        self._arrived.notify_all()
            except OSError:
                return

    def text(self) -> str:
        """Everything printed so far, escape sequences removed."""
        with self._lock:
            raw = b"".join(self._chunks).decode("utf-8", "replace")
        return ANSI.sub("", raw)

    def wait_for(self, needle: str, timeout: float = 20.0) -> bool:
        """Wait until ``needle`` has been printed; wakes on every chunk, so the moment
        it returns is within a millisecond or so of the text arriving."""
        deadline = time.monotonic() + timeout
        seen = -1
        while True:
            with self._arrived:
                count = len(self._chunks)
                if count == seen:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return False
                    self._arrived.wait(min(left, 0.1))
                    continue
            seen = count
            if needle in self.text():
                return True

    def type(self, text: str, delay: float = 0.02) -> None:
        for ch in text:
            os.write(self.fd, ch.encode())
            time.sleep(delay)

    def kill(self, sig: int = signal.SIGKILL) -> int:
        os.kill(self.pid, sig)
        return self.wait()

    def hang_up(self, timeout: float = 10.0) -> int | None:
        """Close the terminal, as closing its window does (the kernel sends SIGHUP, and
        writing to it fails from then on). The exit status, or None if the program was
        still running ``timeout`` seconds later (it is then killed)."""
        self._close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return status
            time.sleep(0.02)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return None

    def wait(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self._close()
                return status
            time.sleep(0.02)
        os.kill(self.pid, signal.SIGKILL)
        _, status = os.waitpid(self.pid, 0)
        self._close()
        return status

    def _close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)
