"""Checking a TOML table against the shape a pydantic model declares, one problem at a time.

The vocabulary and the question bank each declare the tables their files hold as
:class:`Table` models (``facilitator.domain.vocabulary_tables``,
``facilitator.domain.question_tables``). :func:`check` validates one table and hands back
either the model or the first problem in reading order (unknown keys first, then the
fields in the order the model declares them), so each file's reader can word the message
its own way and point at the place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

__all__ = ["Problem", "Table", "check", "refuse"]

T = TypeVar("T", bound="Table")

_OWN = "file_rule"


class Table(BaseModel):
    """A table in a TOML file: no keys beyond the declared ones, no conversions."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def refuse(message: str) -> PydanticCustomError:
    """A problem a field's own rule found, worded in full by the rule (raise it)."""
    return PydanticCustomError(_OWN, "{message}", {"message": message})


@dataclass(frozen=True, slots=True)
class Problem:
    """The first thing wrong with a table.

    ``key`` is the table's key the problem is in (None for the table as a whole).
    ``kind`` is ``"unknown"`` (a key the table does not have), ``"missing"``,
    ``"rule"`` (``message`` says it all), ``"too_few"`` (a list that may not be empty)
    or ``"wrong"`` (a value of the wrong type or out of range).
    """

    key: str | None
    kind: str
    message: str = ""


def check(model: type[T], table: dict[str, Any], context: Any = None) -> T | Problem:
    """``table`` as a ``model``, or the first :class:`Problem` with it."""
    try:
        return model.model_validate(table, context=context)
    except ValidationError as exc:
        return _first(model, table, exc)


def _first(model: type[Table], table: dict[str, Any], exc: ValidationError) -> Problem:
    order = {name: n for n, name in enumerate(model.model_fields)}
    keys = list(table)

    def place(error: Any) -> tuple[int, int]:
        key = error["loc"][0] if error["loc"] else None
        if error["type"] == "extra_forbidden":
            return (0, keys.index(key) if key in keys else 0)
        return (1, order.get(key, len(order)) if isinstance(key, str) else -1)

    error = min(exc.errors(), key=place)
    key = error["loc"][0] if error["loc"] and isinstance(error["loc"][0], str) else None
    kind = {
        "extra_forbidden": "unknown",
        "missing": "missing",
        _OWN: "rule",
        "too_short": "too_few",
    }.get(error["type"], "wrong")
    if kind == "too_few" and len(error["loc"]) != 1:
        kind = "wrong"
    return Problem(key, kind, error["msg"] if kind == "rule" else "")
