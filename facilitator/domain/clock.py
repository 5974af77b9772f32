"""The current time, as the session file and the domain write it."""

from __future__ import annotations

import datetime as dt


def utc_now(timespec: str = "milliseconds") -> str:
    """Now, in UTC, as ISO 8601 text ending in ``Z`` ("2024-03-14T09:40:00.000Z").

    ``timespec`` is as for :meth:`datetime.datetime.isoformat`: the journal stamps its
    entries to the millisecond, a conversation's start to the second.
    """
    return dt.datetime.now(dt.UTC).isoformat(timespec=timespec).replace("+00:00", "Z")
