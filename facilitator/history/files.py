"""The one place the history features touch session files: reading sessions to compare,
and creating a session carried forward from an earlier one.

Reading never changes a file. A file in an older format is read through an upgraded
copy in a temporary folder, so comparing an old session leaves it as it was.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from facilitator.domain.model import SessionState
from facilitator.history.carry import CarrySummary, carry_events


@dataclass(frozen=True)
class LoadedSession:
    """A session read for comparing: its state and the file it came from."""

    path: Path
    state: SessionState


def read_session(path: Path, *, verify: bool = True) -> LoadedSession:
    """A session's state, read without changing its file.

    ``verify=False`` reads the state from the file's tables without checking them
    against its journal (SQLite's own quick check still runs): quicker, for comparing.
    Raises :class:`~facilitator.store.errors.SessionFileError` with a one-line message.
    """
    from facilitator.store import SCHEMA_VERSION
    from facilitator.store.catalog import inspect_file
    from facilitator.store.sessionfile import SessionFile
    from facilitator.store.upgrade import copy_database

    path = Path(path)
    summary = inspect_file(path, check=not verify)
    if summary.schema_version >= SCHEMA_VERSION:
        with SessionFile.open(path, readonly=True, verify=verify) as session:
            return LoadedSession(path, session.state)
    with tempfile.TemporaryDirectory(prefix="facilitator-read-") as folder:
        copy = copy_database(path, Path(folder), path.stem, path.suffix)
        with SessionFile.open(copy, backups_dir=Path(folder) / "backups") as session:
            return LoadedSession(path, session.state)


def read_sessions(paths: Sequence[Path], *, verify: bool = True) -> list[LoadedSession]:
    return [read_session(Path(p), verify=verify) for p in paths]


def in_date_order(sessions: Sequence[LoadedSession]) -> list[LoadedSession]:
    """Earliest first (by workshop date; sessions without a date keep their place last)."""
    return sorted(sessions, key=lambda s: (not s.state.info.date, s.state.info.date))


def find_origin(state: SessionState, folder: Path) -> Path | None:
    """The file of the session ``state`` was carried forward from, if it is in ``folder``.

    The file name recorded when carrying is tried first; failing that (the file was
    renamed), every session in the folder is looked at for the recorded id.
    """
    from facilitator.store import FILE_SUFFIX
    from facilitator.store.errors import SessionFileError

    info = state.info
    if not (info.origin_id or info.origin_file):
        return None
    candidates = [Path(folder) / info.origin_file] if info.origin_file else []
    candidates += sorted(Path(folder).glob(f"*{FILE_SUFFIX}"))
    for path in dict.fromkeys(candidates):
        if not path.is_file():
            continue
        if not info.origin_id and path.name == info.origin_file:
            return path
        try:
            found = read_session(path).state.info
        except SessionFileError:
            continue
        if info.origin_id and found.session_id == info.origin_id:
            return path
    return None


def create_carried(
    old_path: Path,
    new_path: Path,
    *,
    title: str,
    area: str = "",
    date: str | None = None,
    clock=None,  # type: ignore[no-untyped-def]
):  # type: ignore[no-untyped-def]
    """Create ``new_path`` carried forward from the session in ``old_path``; return it open.

    Returns ``(SessionFile, CarrySummary)``. The earlier file is only read. If carrying
    fails, the new file is removed again.
    """
    from facilitator.store.sessionfile import SessionFile

    old = read_session(old_path)
    extra = {"clock": clock} if clock is not None else {}
    session = SessionFile.create(new_path, title=title, area=area, date=date, **extra)
    try:
        events, summary = carry_events(old.state, session.state, origin_file=Path(old_path).name)
        session.apply(events)
    except BaseException:
        session.close()
        Path(new_path).unlink(missing_ok=True)
        raise
    return session, summary


__all__ = [
    "CarrySummary",
    "LoadedSession",
    "create_carried",
    "find_origin",
    "read_session",
    "read_sessions",
]
