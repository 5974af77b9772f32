"""Where the facilitator was, kept in the session file beside the typing.

Which conversation and step was showing, how long each conversation section has run and
how long the current stage has run since it was last written to the journal: none of it
is a change to the workshop (nothing to undo, nothing to replay), so it lives in the
session file's draft table under keys starting ``view.``, written as it changes and every
few seconds, and read when the session is opened again. A write that fails (a full disk)
is let go: the workshop itself is safe, and the next write tries again.
"""

from __future__ import annotations

import contextlib
from typing import Any

from facilitator.store.errors import SessionFileError

#: How often a running clock is written while nothing else happens, in seconds.
KEEP_EVERY_SECONDS = 5

CONVERSATION_PLACE = "view.conversation"
STAGE_TIME = "view.stage-time"
CONVERSATION_STEPS = ("review", "setup", "prompt", "summary")


def _write(session: Any, key: str, text: str) -> None:
    with contextlib.suppress(SessionFileError):
        session.save_draft(key, text)


def _read(session: Any, key: str) -> str:
    try:
        return session.drafts().get(key, "")
    except SessionFileError:
        return ""


# -- the conversation and step on screen -----------------------------------------------------


def keep_conversation_place(session: Any, conv_id: str | None, step: str) -> None:
    """Remember the open conversation and its step ("" when the list is showing)."""
    place = f"{conv_id} {step}" if conv_id and step in CONVERSATION_STEPS else ""
    if _read(session, CONVERSATION_PLACE) != place:
        _write(session, CONVERSATION_PLACE, place)


def conversation_place(session: Any) -> tuple[str, str] | None:
    """The conversation and step last showing, or None (the list, or nothing kept)."""
    conv_id, _, step = _read(session, CONVERSATION_PLACE).partition(" ")
    if conv_id and step in CONVERSATION_STEPS:
        return conv_id, step
    return None


# -- conversation section clocks -------------------------------------------------------------


def _section_key(conv_id: str, section_id: str) -> str:
    return f"view.section-time.{conv_id}.{section_id}"


def keep_section_seconds(session: Any, conv_id: str, section_id: str, seconds: float) -> None:
    _write(session, _section_key(conv_id, section_id), str(max(0, int(seconds))))


def section_seconds(session: Any, conv_id: str, section_id: str) -> int:
    """Seconds a conversation section had run when last written (0 if never)."""
    text = _read(session, _section_key(conv_id, section_id))
    return int(text) if text.isdigit() else 0


# -- the stage clock ---------------------------------------------------------------------


def keep_stage_seconds(session: Any, stage: str, total_seconds: int) -> None:
    """Remember the whole time spent on a stage, journal and running clock together."""
    _write(session, STAGE_TIME, f"{stage} {max(0, int(total_seconds))}")


def forget_stage_seconds(session: Any) -> None:
    """The time has gone into the journal: nothing is waiting."""
    if _read(session, STAGE_TIME):
        _write(session, STAGE_TIME, "")


def unrecorded_stage_seconds(session: Any) -> tuple[str, int] | None:
    """A stage's whole time as last written, when the app stopped before it reached the
    journal (a killed process); None when nothing is waiting."""
    stage, _, seconds = _read(session, STAGE_TIME).partition(" ")
    if stage and seconds.isdigit():
        return stage, int(seconds)
    return None
