"""Exports: pure functions from a session to the bytes of a file, and one safe writer.

Nothing here touches the screen, and nothing but :func:`write_atomic` touches the disk.
The formats are described in ``docs/export.md``.

``export(state, "md")`` gives the session notes as Markdown; ``"html"`` a printable page
with the map; ``"csv"`` a ZIP of spreadsheet tables; ``"json"`` a complete copy that
:func:`facilitator.store.importing.import_json` reads back; ``"graphml"`` the network for
graph tools; ``"svg"`` the map picture. ``anonymise=True`` takes names out first (see
:mod:`facilitator.export.anonymise`).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from facilitator.domain.events import JournalEntry
from facilitator.domain.model import SessionState

FORMATS: tuple[str, ...] = ("md", "html", "csv", "json", "graphml", "svg")
"""Every export format, by the name used on the command line."""

_SUFFIXES = {
    "md": ".md",
    "html": ".html",
    "csv": ".csv.zip",
    "json": ".json",
    "graphml": ".graphml",
    "svg": ".svg",
}


class ExportError(Exception):
    """An export that could not be made or written, with a one-line message to show."""


def default_suffix(fmt: str) -> str:
    """The file name ending for a format, for example ``.md`` (``.csv.zip`` for csv)."""
    try:
        return _SUFFIXES[fmt]
    except KeyError:
        raise ExportError(_unknown(fmt)) from None


_DATE_START = re.compile(r"(\d{4}-\d{2}-\d{2})(?:-|$)")


def export_file_name(session_path: Path | str, fmt: str, *, anonymise: bool = False) -> str:
    """The name an export of the session file at ``session_path`` gets unless told otherwise.

    ``<session file name><suffix>``, for example ``2024-03-14-wrenhollow.md``. An
    anonymised export must not carry the title (which may name somebody) in its name,
    so it is called by the session's date alone: ``2024-03-14-anonymised.md``
    (``session-anonymised.md`` when the file name does not start with a date).
    """
    suffix = default_suffix(fmt)
    name = Path(session_path).name
    stem = name.removesuffix(SESSION_SUFFIX) if name.endswith(SESSION_SUFFIX) else Path(name).stem
    if not anonymise:
        return f"{stem}{suffix}"
    dated = _DATE_START.match(stem)
    return f"{dated.group(1) if dated else 'session'}-anonymised{suffix}"


def _unknown(fmt: object) -> str:
    return f"Unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}."


def export(
    state: SessionState,
    fmt: str,
    *,
    anonymise: bool = False,
    journal: Sequence[JournalEntry] | None = None,
) -> bytes:
    """The bytes of an export of ``state`` in format ``fmt``.

    ``journal`` is only used by the JSON format, which then includes it; it is left out
    when anonymising, since it holds everything as it was typed.
    """
    if fmt not in FORMATS:
        raise ExportError(_unknown(fmt))
    if anonymise:
        from facilitator.export.anonymise import anonymise as _anonymise

        state = _anonymise(state)
        journal = None
    if fmt == "md":
        from facilitator.export.markdown import to_markdown

        text = to_markdown(state)
    elif fmt == "html":
        from facilitator.export.htmlpage import to_html

        text = to_html(state)
    elif fmt == "csv":
        from facilitator.export.csvzip import to_csv_zip

        return to_csv_zip(state)
    elif fmt == "json":
        from facilitator.export.jsonfile import to_json

        text = to_json(state, journal)
    elif fmt == "graphml":
        from facilitator.export.graphml import to_graphml

        text = to_graphml(state)
    else:
        from facilitator.export.svgmap import to_svg

        text = to_svg(state)
    # Lone surrogates cannot be written as UTF-8; the domain never stores them, but a
    # state built some other way might hold one.
    return text.encode("utf-8", "replace")


def write_atomic(path: Path | str, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` all at once: a reader sees the old file or the new one.

    The bytes go to a temporary file in the same folder, which is flushed to disk and
    then renamed over ``path``; the folder is flushed too, so the new name survives a
    power cut. An existing file is only replaced with ``force``. New files can be read
    by their owner only (mode 0600). Raises :class:`ExportError` with a one-line
    message; on failure the old file, if any, is left as it was.
    """
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name to export to.")
    _refuse_to_replace(path, force=force)
    if not folder.is_dir():
        raise ExportError(f"Cannot write {path}: the folder {folder} does not exist.")
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_folder(folder)
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise ExportError(f"Cannot write {path}: {reason}.") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path


SQLITE_HEADER = b"SQLite format 3\x00"
SESSION_SUFFIX = ".facilitator"


def _refuse_to_replace(path: Path, *, force: bool) -> None:
    """Raise :class:`ExportError` unless writing ``path`` can harm nothing.

    Never replaced, even with ``force``: a session file or any other database (an
    export written over a session would destroy it), and anything that is not an
    ordinary file (a link, a device such as /dev/null, a pipe), which the rename would
    swap for a plain file.
    """
    if path.name.endswith(tuple(SESSION_SUFFIX + end for end in ("", "-wal", "-shm", "-journal"))):
        raise ExportError(f"{path} is a session file name; an export never writes over a session.")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ExportError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    if not stat.S_ISREG(info.st_mode):
        raise ExportError(
            f"{path} is not an ordinary file (a link, a device or a pipe); choose another name."
        )
    with contextlib.suppress(OSError), open(path, "rb") as fh:
        if fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
            raise ExportError(
                f"{path} is a database; an export never writes over one. Choose another name."
            )
    if not force:
        raise ExportError(
            f"{path} already exists; choose another name or use --force to replace it."
        )


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some systems cannot open a folder; the rename itself has happened
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = [
    "FORMATS",
    "ExportError",
    "default_suffix",
    "export",
    "export_file_name",
    "write_atomic",
]
