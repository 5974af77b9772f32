"""The session as spreadsheet tables: a ZIP of CSV files.

Each file is UTF-8 with a byte-order mark (so Excel reads accents and emoji correctly),
comma-separated, with CRLF line ends and quotes only where a cell needs them. Columns
are fixed (see ``docs/export.md`` and :data:`COLUMNS`); vocabulary values come as the
stable id plus a ``_label`` column. Lists are joined with ``"; "``, yes/no as ``yes`` and
``no``. Any cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets a leading ``'`` so a spreadsheet never runs it as a formula. Participants who did
not agree to be named have an empty name.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable

from facilitator.domain import commands
from facilitator.domain.model import SessionState
from facilitator.export import common as c

COLUMNS: dict[str, tuple[str, ...]] = {
    "relationships.csv": (
        "id",
        "name",
        "agency_type",
        "agency_type_label",
        "agency_subtype",
        "agency_subtype_label",
        "rel_type",
        "rel_type_label",
        "closeness",
        "closeness_label",
        "purposes",
        "purposes_labels",
        "holder_roles",
        "holder_roles_labels",
        "holder_participant_ids",
        "holder_participant_names",
        "fragile",
        "effort",
        "effort_label",
        "state",
        "state_label",
        "stage",
        "want_conversation",
        "notes",
        "works_notes",
        "better_looks_like",
    ),
    "actions.csv": (
        "id",
        "what",
        "who_org",
        "who_person",
        "by_when",
        "status",
        "status_label",
        "relationship_id",
        "relationship_name",
        "conversation_id",
        "conversation_agency",
        "last_review_status",
        "last_review_note",
        "notes",
    ),
    "ratings.csv": (
        "id",
        "relationship_id",
        "relationship_name",
        "stage",
        "criterion_id",
        "criterion_label",
        "criterion_position",
        "score",
        "why",
    ),
    "participants.csv": (
        "id",
        "name",
        "consent_named",
        "role",
        "role_label",
        "agency",
        "present",
        "dots_round_1",
        "dots_round_2",
    ),
    "notes.csv": (
        "id",
        "conversation_id",
        "conversation_agency",
        "follows_up_conversation_id",
        "prompt_id",
        "prompt_text",
        "speaker",
        "speaker_label",
        "tag",
        "tag_label",
        "text",
    ),
}
"""Every file in the ZIP and its columns, in order. Columns are only ever added at the end."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# A fixed timestamp inside the ZIP keeps the export byte-for-byte repeatable.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def neutralise(cell: object) -> str:
    """A cell as text, with a ``'`` in front if a spreadsheet could take it for a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _join(values: Iterable[str]) -> str:
    return "; ".join(values)


def _csv(columns: tuple[str, ...], rows: list[dict[str, object]]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row.get(col)) for col in columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8", "replace")


def tables(state: SessionState) -> dict[str, list[dict[str, object]]]:
    """The rows of each file, as dicts keyed by column name (before neutralising)."""
    rels = state.relationships
    convs = state.conversations
    flags = commands.relationship_flags(state)
    out: dict[str, list[dict[str, object]]] = {name: [] for name in COLUMNS}

    for rid, r in rels.items():
        out["relationships.csv"].append(
            {
                "id": rid,
                "name": r.name,
                "agency_type": r.agency_type or "",
                "agency_type_label": c.label("agency_types", r.agency_type),
                "agency_subtype": r.agency_subtype or "",
                "agency_subtype_label": c.subtype_label(r.agency_type, r.agency_subtype),
                "rel_type": r.rel_type or "",
                "rel_type_label": c.label("relationship_types", r.rel_type),
                "closeness": r.closeness if r.closeness is not None else "",
                "closeness_label": c.label("closeness", str(r.closeness))
                if r.closeness is not None
                else "",
                "purposes": _join(r.purposes),
                "purposes_labels": _join(c.labels("purposes", r.purposes)),
                "holder_roles": _join(r.holder_roles),
                "holder_roles_labels": _join(c.labels("holders", r.holder_roles)),
                "holder_participant_ids": _join(r.holder_participants),
                "holder_participant_names": _join(c.holder_names(state, r.holder_participants)),
                "fragile": _yes(any(f.startswith("fragile") for f in flags.get(rid, []))),
                "effort": r.effort or "",
                "effort_label": c.label("effort_directions", r.effort),
                "state": r.state,
                "state_label": c.label("relationship_states", r.state),
                "stage": c.stage_of(state, rid),
                "want_conversation": _yes(r.want_conversation),
                "notes": r.notes,
                "works_notes": r.works_notes,
                "better_looks_like": r.better_looks_like,
            }
        )

    last_review: dict[str, tuple[str, str]] = {}
    for review in state.rows["action_review"].values():
        last_review[review.action_id] = (review.status, review.note)
    for aid, a in state.rows["action"].items():
        review = last_review.get(aid, ("", ""))
        rel = rels.get(a.relationship_id) if a.relationship_id else None
        conv = convs.get(a.conversation_id) if a.conversation_id else None
        out["actions.csv"].append(
            {
                "id": aid,
                "what": a.what,
                "who_org": a.who_org,
                "who_person": c.who_person(state, a),
                "by_when": a.by_when,
                "status": a.status,
                "status_label": c.label("action_statuses", a.status),
                "relationship_id": a.relationship_id or "",
                "relationship_name": rel.name if rel else "",
                "conversation_id": a.conversation_id or "",
                "conversation_agency": conv.agency_name if conv else "",
                "last_review_status": review[0],
                "last_review_note": review[1],
                "notes": a.notes,
            }
        )

    positions = {ch.criterion_id: ch.position for ch in state.rows["criterion_choice"].values()}
    for rating_id, rt in state.rows["rating"].items():
        rel = rels.get(rt.relationship_id)
        out["ratings.csv"].append(
            {
                "id": rating_id,
                "relationship_id": rt.relationship_id,
                "relationship_name": rel.name if rel else "",
                "stage": c.stage_of(state, rt.relationship_id),
                "criterion_id": rt.criterion_id,
                "criterion_label": c.label("criteria", rt.criterion_id),
                "criterion_position": positions.get(rt.criterion_id, ""),
                "score": rt.score if rt.score is not None else "",
                "why": rt.why,
            }
        )

    dots: dict[tuple[str, int], int] = {}
    for vote in state.rows["criterion_vote"].values():
        key = (vote.participant_id, vote.round)
        dots[key] = dots.get(key, 0) + vote.dots
    for pid, p in state.participants.items():
        out["participants.csv"].append(
            {
                "id": pid,
                "name": p.name if p.consent_named else "",
                "consent_named": _yes(p.consent_named),
                "role": p.role,
                "role_label": c.label("roles", p.role),
                "agency": p.agency,
                "present": _yes(p.present),
                "dots_round_1": dots.get((pid, 1), 0),
                "dots_round_2": dots.get((pid, 2), 0),
            }
        )

    for note_id, n in state.rows["prompt_answer"].items():
        conv = convs.get(n.conversation_id)
        out["notes.csv"].append(
            {
                "id": note_id,
                "conversation_id": n.conversation_id,
                "conversation_agency": conv.agency_name if conv else "",
                "follows_up_conversation_id": (conv.previous_id or "") if conv else "",
                "prompt_id": n.prompt_id,
                "prompt_text": c.prompt_text(n.prompt_id),
                "speaker": n.speaker,
                "speaker_label": c.label("speakers", n.speaker),
                "tag": n.tag or "",
                "tag_label": c.label("note_tags", n.tag),
                "text": n.text,
            }
        )
    return out


def to_csv_zip(state: SessionState) -> bytes:
    """The ZIP holding every CSV file, always in the same order."""
    buf = io.BytesIO()
    data = tables(state)
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, columns in COLUMNS.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zf.writestr(info, _csv(columns, data[name]))
    return buf.getvalue()
