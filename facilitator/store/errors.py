"""What can go wrong with a session file, as one-line messages a facilitator can act on.

Kept free of heavy imports so that the app can show these before the database
layer has loaded.
"""

from __future__ import annotations

from facilitator.domain.printable import printable


class SessionFileError(Exception):
    """A session file that cannot be opened or written. ``str(err)`` is one clear line."""

    def __init__(self, message: str, path: object = None) -> None:
        # Messages name files, and a file's name may hold anything: shown safely.
        super().__init__(printable(message))
        self.path = path


class NotFoundError(SessionFileError):
    """The file does not exist."""


class ForeignFileError(SessionFileError):
    """The file is not a facilitator session (another program's file, or not SQLite)."""


class CorruptFileError(SessionFileError):
    """The file is ours but damaged. ``backup`` is its newest backup, if one exists."""

    backup = None


class ForeignWalError(SessionFileError):
    """The ``-wal`` file beside a session belongs to another database; both are left alone."""


class NewerVersionError(SessionFileError):
    """The file was written by a newer version of facilitator."""


class LockedError(SessionFileError):
    """Another facilitator window has the session open."""


class WriteError(SessionFileError):
    """A change could not be saved (disk full, folder read-only...). Nothing half-written."""


class ReadOnlyError(WriteError):
    """The file, its folder or the disk cannot be written here: not damage."""


class UpgradeError(SessionFileError):
    """An upgrade step failed; the file is left as it was. ``reason`` is SQLite's word."""

    reason = ""
