"""How each field of an entity is declared: its kind of value, its limits, what it means.

Every field of every entity in :mod:`facilitator.domain.model` is declared once, with one
of the helpers below (``text(...)``, ``vocab(...)``, ``ref(...)``…). The declaration is
kept on the dataclass field as a :class:`Spec`, and everything that needs to know a
field's shape reads it from there: the domain commands' checks
(:mod:`facilitator.domain.commands`), the JSON importer's checks and the published JSON
schema (:mod:`facilitator.export.schema`).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any

SPEC = "spec"
"""The key of a field's :class:`Spec` in its dataclass field metadata."""

ID_PATTERN = r"[A-Za-z0-9._:-]{1,100}"
"""What an entity id looks like in a file."""

TERM_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
"""What a vocabulary id looks like."""

DATE_PATTERN = r"([0-9]{4}-[0-9]{2}-[0-9]{2})?"
"""A date as a session holds it: YYYY-MM-DD, or empty."""


@dataclass(frozen=True, slots=True)
class Spec:
    """The shape of one field.

    ``kind`` is one of: ``text`` (cleaned text up to ``max_len``), ``date``, ``vocab``
    (one id from vocabulary list ``target``), ``vocabs`` (a list of them), ``choice``
    (one of ``choices``), ``int`` (``lo`` to ``hi``), ``bool``, ``ref`` (the id of an
    entity of kind ``target``), ``refs`` (a list of them), ``subtype`` (an agency
    sub-type, checked with the agency type), ``loose`` (text, or a list of text when
    ``many``, checked elsewhere). ``optional`` fields may also be None.
    """

    kind: str
    doc: str = ""
    optional: bool = False
    target: str = ""
    max_len: int = 0
    multiline: bool = False
    required: bool = False
    choices: tuple[str, ...] = ()
    lo: int = 0
    hi: int = 0
    many: bool = False
    label: str = ""
    in_every_file: bool = True  # False for fields added after the file format began

    @property
    def is_list(self) -> bool:
        return self.kind in ("vocabs", "refs") or (self.kind == "loose" and self.many)

    @property
    def value_type(self) -> str:
        """The JSON kind of value: "str", "str?", "int", "int?", "bool" or "list"."""
        if self.is_list:
            return "list"
        base = {"int": "int", "bool": "bool"}.get(self.kind, "str")
        return base + "?" if self.optional else base


def _field(spec: Spec, default: Any = "") -> Any:
    if isinstance(default, list):
        return dataclasses.field(default_factory=list, metadata={SPEC: spec})
    return dataclasses.field(default=default, metadata={SPEC: spec})


def text(
    max_len: int,
    doc: str = "",
    *,
    multiline: bool = False,
    required: bool = False,
    label: str = "",
    in_every_file: bool = True,
    default: str = "",
) -> Any:
    """Text a person types, cleaned; ``required`` text may not be empty."""
    spec = Spec(
        "text",
        doc,
        max_len=max_len,
        multiline=multiline,
        required=required,
        label=label,
        in_every_file=in_every_file,
    )
    return _field(spec, default)


def date(doc: str = "", *, in_every_file: bool = True) -> Any:
    return _field(Spec("date", doc, in_every_file=in_every_file))


def vocab(target: str, doc: str = "", *, default: str | None = None) -> Any:
    """One id from a vocabulary list; optional (may be None) when there is no default."""
    return _field(Spec("vocab", doc, optional=default is None, target=target), default)


def vocabs(target: str, doc: str = "", *, in_every_file: bool = True) -> Any:
    return _field(Spec("vocabs", doc, target=target, in_every_file=in_every_file), [])


def choice(*choices: str, doc: str = "") -> Any:
    """One of a fixed set of values; the first is the default."""
    return _field(Spec("choice", doc, choices=choices), choices[0])


def whole(lo: int, hi: int, doc: str = "", *, default: int | None = None) -> Any:
    """A whole number from ``lo`` to ``hi``; optional (may be None) when there is no default."""
    return _field(Spec("int", doc, optional=default is None, lo=lo, hi=hi), default)


def flag(doc: str = "", *, default: bool = False) -> Any:
    return _field(Spec("bool", doc), default)


def ref(target: str, doc: str = "", *, optional: bool = False) -> Any:
    """The id of another entity, of kind ``target``."""
    return _field(Spec("ref", doc, optional=optional, target=target), None if optional else "")


def refs(target: str, doc: str = "") -> Any:
    return _field(Spec("refs", doc, target=target), [])


def subtype(doc: str = "") -> Any:
    """An agency sub-type id, checked against the field ``agency_type`` beside it."""
    return _field(Spec("subtype", doc, optional=True), None)


def loose(doc: str = "", *, many: bool = False) -> Any:
    """Text (or a list of text) the domain leaves to other rules, such as a prompt id."""
    return _field(Spec("loose", doc, optional=not many, many=many), [] if many else None)


@functools.cache
def specs_of(cls: type) -> dict[str, Spec]:
    """Field name -> :class:`Spec` for one of the model's dataclasses, in field order."""
    out = {}
    for f in dataclasses.fields(cls):
        spec = f.metadata.get(SPEC)
        if spec is None:
            raise TypeError(f"{cls.__name__}.{f.name} has no declared shape")
        out[f.name] = spec
    return out


def json_schema(spec: Spec) -> dict[str, Any]:
    """The JSON schema of one field's value."""
    item: dict[str, Any]
    if spec.kind in ("vocab", "subtype"):
        item = {"$ref": "#/$defs/term_or_null" if spec.optional else "#/$defs/term"}
    elif spec.kind == "ref":
        item = {"$ref": "#/$defs/id_or_null" if spec.optional else "#/$defs/id"}
    elif spec.kind in ("vocabs", "refs"):
        ref_to = "#/$defs/term" if spec.kind == "vocabs" else "#/$defs/id"
        item = {"type": "array", "items": {"$ref": ref_to}, "uniqueItems": True}
    elif spec.kind == "choice":
        item = {"enum": list(spec.choices)}
    elif spec.kind == "int":
        item = {"type": ["integer", "null"] if spec.optional else "integer"}
        item.update(minimum=spec.lo, maximum=spec.hi)
    elif spec.kind == "bool":
        item = {"type": "boolean"}
    elif spec.kind == "date":
        item = {"type": "string", "pattern": f"^{DATE_PATTERN}$"}
    elif spec.kind == "loose" and spec.many:
        item = {"type": "array", "items": {"type": "string"}}
    elif spec.kind == "loose":
        item = {"type": ["string", "null"]}
    else:  # text
        item = {"type": "string"}
        if spec.required:
            item["minLength"] = 1
        item["maxLength"] = spec.max_len
    if spec.doc:
        item["description"] = spec.doc
    return item


def object_schema(cls: type, *, with_id: bool) -> dict[str, Any]:
    """The JSON schema of one entity (or the session's own fields) as a file holds it."""
    properties: dict[str, Any] = {"id": {"$ref": "#/$defs/id"}} if with_id else {}
    required = ["id"] if with_id else []
    for name, spec in specs_of(cls).items():
        properties[name] = json_schema(spec)
        if spec.in_every_file:
            required.append(name)
    doc = (cls.__doc__ or "").strip().split("\n")[0]
    return {
        "type": "object",
        "description": doc,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
