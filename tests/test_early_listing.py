"""The sessions folder read ahead on its own thread: the listing, or the error it met."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.store.errors import SessionFileError
from facilitator.tui import home
from facilitator.tui.home import EarlyListing
from tests.tui_helpers import new_session_file


def test_early_listing_returns_the_sessions(tmp_path) -> None:
    path = new_session_file(tmp_path / "sessions")
    assert [Path(s.path).name for s in EarlyListing(tmp_path / "sessions").result()] == [path.name]


def test_early_listing_raises_what_the_reading_raised(tmp_path, monkeypatch) -> None:
    def fail(_folder):
        raise SessionFileError("cannot read the folder")

    monkeypatch.setattr(home, "list_sessions", fail)
    with pytest.raises(SessionFileError, match="cannot read the folder"):
        EarlyListing(tmp_path).result()
