"""The one kind of table the app uses: what it shows is text, never markup.

Textual's ``DataTable`` reads a plain string as Rich markup, so a name typed as
"Residents [north]" would lose its brackets, and "[/x]" would stop the screen from
drawing at all. Every table here shows people's words exactly as typed.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable


def plain(value: Any) -> Any:
    """A string as literal text; anything else (already styled text, numbers) as it is."""
    return Text(value, end="") if isinstance(value, str) else value


class PlainTable(DataTable):
    """A ``DataTable`` whose string cells are shown literally."""

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().add_row(*(plain(cell) for cell in cells), **kwargs)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().update_cell(row_key, column_key, plain(value), **kwargs)
