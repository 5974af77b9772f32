"""The published JSON schema is the one the model's field declarations make."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from facilitator.demo import build_demo
from facilitator.domain.fields import specs_of
from facilitator.domain.model import ENTITY_TYPES, SessionInfo
from facilitator.export import export
from facilitator.export.schema import schema_text, session_schema

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "session.schema.json"


def test_the_committed_schema_is_the_generated_one() -> None:
    """Regenerate with: python -m facilitator.export.schema > docs/session.schema.json"""
    assert SCHEMA.read_text(encoding="utf-8") == schema_text()


@pytest.mark.parametrize("kind", ["session", *ENTITY_TYPES])
def test_every_declared_field_is_in_the_schema(kind: str) -> None:
    cls = SessionInfo if kind == "session" else ENTITY_TYPES[kind]
    described = session_schema()["$defs"][kind]["properties"]
    assert set(described) - {"id"} == set(specs_of(cls))


def test_a_declared_limit_reaches_the_schema(tmp_path: Path) -> None:
    """The schema refuses what the declarations refuse: an over-long name, a score of 6."""
    validator = jsonschema.Draft202012Validator(session_schema())
    with build_demo(tmp_path / "demo.facilitator") as demo:
        doc = json.loads(export(demo.state, "json"))
    validator.validate(doc)
    too_long = json.loads(json.dumps(doc))
    too_long["participants"][0]["name"] = "x" * 501
    assert not validator.is_valid(too_long)
    bad_score = json.loads(json.dumps(doc))
    bad_score["ratings"][0]["score"] = 6
    assert not validator.is_valid(bad_score)


def test_the_import_adds_what_an_entity_refers_to_first() -> None:
    """The import's order follows the references the model declares (a conversation's
    earlier conversation is linked once all conversations exist)."""
    from facilitator.export.importer import IMPORT_ORDER

    assert sorted(IMPORT_ORDER) == sorted(ENTITY_TYPES)
    for position, kind in enumerate(IMPORT_ORDER):
        for spec in specs_of(ENTITY_TYPES[kind]).values():
            if spec.kind in ("ref", "refs") and spec.target != kind:
                assert IMPORT_ORDER.index(spec.target) < position, (kind, spec.target)


@pytest.mark.parametrize("kind", ["session", *ENTITY_TYPES])
def test_each_declared_shape_agrees_with_the_python_type(kind: str) -> None:
    """A field typed ``int | None`` must be declared as an optional whole number, and so on."""
    import dataclasses

    cls = SessionInfo if kind == "session" else ENTITY_TYPES[kind]
    specs = specs_of(cls)
    for f in dataclasses.fields(cls):
        written = str(f.type).replace(" ", "")
        expected = {"str|None": "str?", "int|None": "int?", "list[str]": "list"}.get(
            written, written
        )
        assert specs[f.name].value_type == expected, f.name
