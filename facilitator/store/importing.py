"""A new session file made from a JSON export.

The export is read and checked in full by :mod:`facilitator.export.importer` before
anything is written. A journal in the file is kept when it replays to exactly the session
in it (see :mod:`facilitator.export.importjournal` and :mod:`.kept_journal`); otherwise the
new file starts its own journal, and the session goes in as one transaction of the
domain's own events, keeping every id.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from facilitator.domain import events as ev
from facilitator.domain.model import SessionInfo, SessionState, to_dict
from facilitator.export.importer import build_events, parse, session_events
from facilitator.export.importjournal import JournalRefused, kept_journal
from facilitator.store.kept_journal import create_with_journal
from facilitator.store.sessionfile import SessionFile


def import_json(
    data: bytes | str, target_path: Path, *, tell: Callable[[str], None] | None = None
) -> SessionFile:
    """Create a new session file at ``target_path`` from a JSON export and open it.

    A journal in the file is kept, hash chain and all, when it replays to exactly the
    session in the file; otherwise the new file starts its own journal and ``tell`` is
    given one line saying why.

    Raises :class:`~facilitator.export.importer.JsonImportError` for a file that does not
    pass the checks (nothing is created then), and the store's ``SessionFileError`` if the
    target exists or cannot be written (a half-made file is removed).
    """
    doc = parse(data)
    events, session = build_events(doc)
    target_path = Path(target_path)

    def not_kept(reason: object) -> None:
        if tell is not None:
            tell(
                f"The journal in the file was not kept ({reason}): "
                "the new file's journal starts at the import."
            )

    try:
        journal = kept_journal(doc)
    except JournalRefused as refused:
        journal = None
        not_kept(refused)
    if journal is not None:
        try:
            return create_with_journal(target_path, journal)
        except (ValueError, TypeError) as exc:  # its tables did not come out as it says
            not_kept(exc)
    sf = SessionFile.create(
        target_path,
        title=session.get("title", "") or "Imported session",
        area=session.get("area", ""),
        date=session.get("date") or None,
    )
    try:
        for event in events:
            ev.validate(event)
        scratch = _replay_on(sf.state, events)
        sf.apply(events + session_events(scratch, session))
    except BaseException:
        sf.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(str(target_path) + suffix).unlink()
        raise
    return sf


def _replay_on(state: SessionState, events: list[ev.Event]) -> SessionState:
    """A new state with ``state``'s info and ``events`` applied (the new file has no rows yet)."""
    copy = SessionState(info=SessionInfo(**to_dict(state.info)))
    for event in events:
        ev.apply_event(copy, event)
    return copy
