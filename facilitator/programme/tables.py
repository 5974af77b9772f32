"""The roll-up's tables, made from a :class:`~facilitator.programme.tally.ProgrammeTally`.

Each table lists the vocabulary's terms in the vocabulary's order (terms nobody recorded
are left out, except where a zero says something: criteria never chosen, action
statuses), then any term from a newer vocabulary, then what was not recorded.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from facilitator.export import common as c
from facilitator.programme.tally import NOT_RECORDED, STAGES, ProgrammeTally


@dataclass(frozen=True)
class Table:
    """One table of the roll-up: its columns and its rows (dicts keyed by column)."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[dict[str, object]]


def counted_tables(tally: ProgrammeTally) -> list[Table]:
    """Every counted table, in the order the report shows them."""
    return [
        _agency_types(tally),
        _agency_subtypes(tally),
        _holders(tally),
        _counted(
            "holders_per_relationship",
            "How many hold each relationship",
            "holders",
            tally.holder_counts,
            {0: "nobody recorded", 1: "one (fragile)", 2: "two", 3: "three or more"},
        ),
        _vocab_table("purposes", "Purposes", "purposes", tally.purposes),
        _counted(
            "purposes_per_relationship",
            "How many purposes each relationship serves",
            "purposes",
            tally.purpose_counts,
            {0: "none recorded", 1: "one", 2: "two", 3: "three or more"},
        ),
        _vocab_table(
            "relationship_types", "Relationship types", "relationship_types", tally.rel_types
        ),
        _closeness(tally),
        _vocab_table(
            "relationship_states",
            "Where relationships stand",
            "relationship_states",
            tally.rel_states,
        ),
        _criteria_table(tally),
        _fragile_table(tally),
        _fragile_holders_table(tally),
        _actions_table(tally),
        _stage_time_table(tally),
    ]


def _vocab_table(name: str, title: str, kind: str, counts: Counter) -> Table:
    order = [t.id for t in c.vocab().terms(kind)]
    ids = [i for i in order if counts[i]] + sorted(k for k in counts if k not in order)
    rows = [
        {"id": i, "label": c.label(kind, i or None, NOT_RECORDED), "relationships": counts[i]}
        for i in ids
    ]
    return Table(name, title, ("id", "label", "relationships"), rows)


def _counted(name: str, title: str, what: str, counts: Counter, words: dict) -> Table:
    """Relationships by how many of something they have (``words`` in order)."""
    rows = [{what: word, "relationships": counts[k]} for k, word in words.items()]
    return Table(name, title, (what, "relationships"), rows)


def _agency_types(tally: ProgrammeTally) -> Table:
    table = _vocab_table("agency_types", "Agencies by type", "agency_types", tally.agency_types)
    for row in table.rows:
        row["areas"] = tally.agency_type_areas[row["id"]]
    return Table(table.name, table.title, (*table.columns, "areas"), table.rows)


def _agency_subtypes(tally: ProgrammeTally) -> Table:
    rows = []
    for kind in [t.id for t in c.vocab().terms("agency_types")] + [""]:
        subs = sorted((s, n) for (k, s), n in tally.agency_subtypes.items() if k == kind)
        for sub, count in subs:
            rows.append(
                {
                    "agency_type": kind,
                    "agency_type_label": c.label("agency_types", kind or None, NOT_RECORDED),
                    "subtype": sub,
                    "subtype_label": c.subtype_label(kind or None, sub),
                    "relationships": count,
                }
            )
    columns = ("agency_type", "agency_type_label", "subtype", "subtype_label", "relationships")
    return Table("agency_subtypes", "Agencies by more precise type", columns, rows)


def _holders(tally: ProgrammeTally) -> Table:
    rows = []
    order = [t.id for t in c.vocab().terms("holders")]
    for holder in [h for h in order if tally.holder_roles[h]] + sorted(
        h for h in tally.holder_roles if h not in order
    ):
        rows.append(
            {
                "holder": "group",
                "id": holder,
                "label": c.label("holders", holder),
                "relationships": tally.holder_roles[holder],
            }
        )
    roles = [t.id for t in c.vocab().terms("roles")]
    for role in [r for r in roles if tally.holder_people[r]] + sorted(
        r for r in tally.holder_people if r not in roles
    ):
        rows.append(
            {
                "holder": "person",
                "id": role,
                "label": f"A participant: {c.label('roles', role or None, NOT_RECORDED)}",
                "relationships": tally.holder_people[role],
            }
        )
    return Table(
        "holders",
        "Who holds the relationships",
        ("holder", "id", "label", "relationships"),
        rows,
    )


def _closeness(tally: ProgrammeTally) -> Table:
    rows = []
    for ring in sorted(k for k in tally.closeness if k is not None) + [None]:
        if ring is None and not tally.closeness[None]:
            continue
        rows.append(
            {
                "ring": "" if ring is None else ring,
                "label": c.label("closeness", None if ring is None else str(ring), NOT_RECORDED),
                "relationships": tally.closeness[ring],
            }
        )
    return Table("closeness", "How close", ("ring", "label", "relationships"), rows)


def _criteria_table(tally: ProgrammeTally) -> Table:
    methods = ("direct", "vote", "runoff", "decision")
    rows = []
    order = [t.id for t in c.vocab().terms("criteria")]
    for crit in order + sorted(k for k in tally.criteria_chosen if k not in order):
        ratings = tally.rating_counts[crit]
        row: dict[str, object] = {
            "id": crit,
            "label": c.label("criteria", crit),
            "sessions": tally.criteria_chosen[crit],
            "first": tally.criteria_positions[(crit, 1)],
            "second": tally.criteria_positions[(crit, 2)],
        }
        for method in methods:
            row[f"by_{method}"] = tally.criteria_methods[(crit, method)]
        row["ratings"] = ratings
        row["mean_rating"] = f"{tally.rating_sums[crit] / ratings:.1f}" if ratings else ""
        rows.append(row)
    columns = (
        ("id", "label", "sessions", "first", "second")
        + tuple(f"by_{m}" for m in methods)
        + ("ratings", "mean_rating")
    )
    return Table("criteria", "Criteria chosen", columns, rows)


def _fragile_table(tally: ProgrammeTally) -> Table:
    rows = []
    kinds = [t.id for t in c.vocab().terms("agency_types")]
    present = {k for k, _ in tally.fragile_by_type}
    for kind in [k for k in kinds if k in present] + sorted(present - set(kinds)):
        fragile = tally.fragile_by_type[(kind, True)]
        total = fragile + tally.fragile_by_type[(kind, False)]
        rows.append(
            {
                "agency_type": kind,
                "label": c.label("agency_types", kind or None, NOT_RECORDED),
                "relationships": total,
                "fragile": fragile,
                "fragile_percent": round(100 * fragile / total) if total else 0,
            }
        )
    columns = ("agency_type", "label", "relationships", "fragile", "fragile_percent")
    return Table("fragile", "Fragile relationships (one holder) by agency type", columns, rows)


def _fragile_holders_table(tally: ProgrammeTally) -> Table:
    rows = [
        {"held_by": label, "fragile": count}
        for label, count in sorted(tally.fragile_holders.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return Table(
        "fragile_holders", "Who alone holds the fragile ones", ("held_by", "fragile"), rows
    )


def _actions_table(tally: ProgrammeTally) -> Table:
    order = [t.id for t in c.vocab().terms("action_statuses")]
    rows = [
        {
            "status": status,
            "label": c.label("action_statuses", status),
            "actions": tally.actions[status],
            "looked_back_on": tally.actions_reviewed[status],
        }
        for status in order + sorted(s for s in tally.actions if s not in order)
    ]
    return Table(
        "actions",
        "Actions agreed, by where they stand",
        ("status", "label", "actions", "looked_back_on"),
        rows,
    )


def _stage_time_table(tally: ProgrammeTally) -> Table:
    rows = []
    for stage in list(STAGES) + sorted(s for s in tally.stage_times if s not in STAGES):
        timing = tally.stage_times.get(stage)
        if timing is None:
            continue
        rows.append(
            {
                "stage": stage,
                "label": c.label("stages", stage),
                "sessions": timing.sessions,
                "total_minutes": round(timing.seconds / 60),
                "mean_minutes": round(timing.seconds / 60 / timing.sessions, 1),
                "least_minutes": round((timing.least or 0) / 60),
                "most_minutes": round(timing.most / 60),
                "timeboxed": timing.timeboxed,
            }
        )
    columns = (
        "stage",
        "label",
        "sessions",
        "total_minutes",
        "mean_minutes",
        "least_minutes",
        "most_minutes",
        "timeboxed",
    )
    return Table("stage_time", "Time per stage", columns, rows)
