"""Which relationship (or action) in one session is which in another.

When the later session was carried forward from the earlier one, carried entities kept
their ids, so ids match exactly. Whatever is left (and everything, for sessions that
are not linked) is matched by name, ignoring case and spacing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from facilitator.domain.model import SessionInfo


def name_key(name: str) -> str:
    """A name as matching sees it: case and spacing ignored."""
    return " ".join(name.casefold().split())


def linked(before: SessionInfo, after: SessionInfo) -> bool:
    """True when ``after`` was carried forward from ``before``."""
    if after.origin_id:
        return after.origin_id == before.session_id
    return bool(after.origin_title) and (after.origin_title, after.origin_date) == (
        before.title,
        before.date,
    )


def pair_up(
    before: dict[str, Any],
    after: dict[str, Any],
    key: Callable[[Any], str],
    *,
    by_id: bool,
) -> list[tuple[str | None, str | None]]:
    """Pairs (before id, after id): matched ones and new ones in ``after``'s order, then
    the gone ones (``after id`` None) in ``before``'s order."""
    matched: dict[str, str] = {}  # after id -> before id
    if by_id:
        matched = {aid: aid for aid in after if aid in before}
    taken = set(matched.values())
    waiting: dict[str, list[str]] = {}
    for bid, item in before.items():
        if bid not in taken:
            waiting.setdefault(key(item), []).append(bid)
    for aid, item in after.items():
        if aid in matched:
            continue
        queue = waiting.get(key(item))
        if queue:
            matched[aid] = queue.pop(0)
    used = set(matched.values())
    pairs: list[tuple[str | None, str | None]] = [(matched.get(aid), aid) for aid in after]
    pairs.extend((bid, None) for bid in before if bid not in used)
    return pairs
