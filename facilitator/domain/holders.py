"""Who holds a relationship: counting holders once, however they were ticked.

A relationship's holders are ticked two ways: by role ("Chair") and by name (Maureen).
When Maureen is the chair, ticking both still means one holder. Every place that
counts holders (the fragile flag, the map, the exports) uses :func:`holder_count`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol


class _HasRole(Protocol):
    role: str


def holder_count(
    roles: Iterable[str],
    people: Iterable[str],
    participants: Mapping[str, _HasRole],
) -> int:
    """How many different holders: each named person, plus each role no named person has.

    ``roles`` are holder role ids, ``people`` participant ids, and ``participants`` the
    session's participants by id. A named person who is no longer in the session still
    counts as one holder, but says nothing about roles.
    """
    named = list(dict.fromkeys(people))
    covered = {participants[pid].role for pid in named if pid in participants}
    extra_roles = {role for role in roles if role not in covered}
    return len(named) + len(extra_roles)


def is_fragile(
    roles: Iterable[str], people: Iterable[str], participants: Mapping[str, _HasRole]
) -> bool:
    """One holder alone: if that person leaves, the relationship may go with them."""
    return holder_count(roles, people, participants) == 1
