"""Workshop dates: always written YYYY-MM-DD, as they are in file names and exports."""

from __future__ import annotations

import datetime as dt
import re

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def day_problem(text: str) -> str | None:
    """Why ``text`` is not a day written YYYY-MM-DD (one line), or None if it is one.

    Stricter than :meth:`datetime.date.fromisoformat`, which also takes ``20240101``
    and week dates: those would make file names that sort and read differently.
    """
    if not _DAY.fullmatch(text):
        return f"Dates are written YYYY-MM-DD (for example 2026-03-14), not {text!r}."
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return f"There is no such day as {text}."
    return None
