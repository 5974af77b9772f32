"""The room's keys and limits: join codes, device tokens, CSRF tokens, rate limits.

Everything a phone presents is compared in constant time, and every secret comes from
:mod:`secrets`. Nothing here knows about HTTP: the server calls these with the values
it found in a request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Letters and digits that cannot be mistaken for each other when read off a wall.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

MAX_BODY_BYTES = 4_096  # a form from the room page is a few hundred bytes
MAX_DEVICES = 200  # phones that can join one room
MAX_SUBMISSIONS_REMEMBERED = 500  # per device, for idempotent resubmits

clock: Callable[[], float] = time.monotonic  # tests may replace it


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same(a: str | None, b: str) -> bool:
    """Constant-time comparison of a presented secret with the real one."""
    if not isinstance(a, str):
        return False
    return hmac.compare_digest(a.encode("utf-8", "replace"), b.encode("utf-8"))


def csrf_token(room_secret: bytes, device_token: str) -> str:
    """The CSRF token for a device: tied to it, so another device's is refused."""
    digest = hmac.new(room_secret, device_token.encode(), hashlib.sha256).hexdigest()
    return digest[:40]


@dataclass
class Bucket:
    """A token bucket: ``rate`` requests a second on average, bursts up to ``burst``."""

    rate: float
    burst: float
    tokens: float = -1.0
    stamp: float = field(default_factory=lambda: clock())

    def take(self) -> bool:
        now = clock()
        if self.tokens < 0:
            self.tokens = self.burst
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class RateLimits:
    """Per-device limits for pages and for contributions, and per-address for joining."""

    PAGE = (5.0, 30.0)  # (rate per second, burst)
    POST = (4.0, 20.0)
    NEW_DEVICE = (0.2, 10.0)  # new devices from one network address

    def __init__(self) -> None:
        self._buckets: dict[tuple[str, str], Bucket] = {}

    def allow(self, kind: str, who: str) -> bool:
        rate, burst = getattr(self, kind)
        bucket = self._buckets.get((kind, who))
        if bucket is None:
            if len(self._buckets) > 10 * MAX_DEVICES:
                self._buckets.clear()  # forget old buckets rather than grow without end
            bucket = self._buckets[(kind, who)] = Bucket(rate, burst)
        return bucket.take()
