"""The session notes as a :class:`~facilitator.export.document.Document`.

One description of what the notes say, shared by the Markdown and HTML exports. People
who did not agree to be named appear by their role ("a resident member").
"""

from __future__ import annotations

from facilitator.domain import commands
from facilitator.domain.mapgeometry import NO_TYPE
from facilitator.domain.model import Action, Relationship, SessionState
from facilitator.export import common as c
from facilitator.export.document import Document, Inline, MapPicture, Span, plain


def build_notes(state: SessionState) -> Document:
    """Everything the notes say, in reading order."""
    info = state.info
    doc = Document(info.title or "Workshop notes")
    doc.h(1, doc.title)
    doc.fields(
        [
            ("Area", plain(info.area)),
            ("Date", plain(info.date)),
            ("How we met", plain(c.label("venue_modes", info.venue_mode))),
            ("Facilitator", plain(info.facilitator)),
            ("Stage reached", plain(c.label("stages", info.current_stage))),
            ("Finished", plain("yes" if info.finished else "")),
        ]
    )
    if info.notes:
        doc.p(info.notes)
    _people(doc, state)
    _criteria(doc, state)
    _map(doc, state)
    _fragile(doc, state)
    shown: set[str] = set()
    _stage(doc, state, "good", info.good_relationship_id, shown)
    _stage(doc, state, "develop", info.develop_relationship_id, shown)
    for conv_id in state.conversations:
        _conversation(doc, state, conv_id, shown)
    rest = [(aid, a) for aid, a in state.rows["action"].items() if aid not in shown]
    if rest:
        doc.h(2, "Other actions")
        _actions_table(doc, state, rest)
    _time(doc, state)
    return doc


# -- people -----------------------------------------------------------------------------


def _people(doc: Document, state: SessionState) -> None:
    doc.h(2, "Who took part")
    present = [p for p in state.participants.values() if p.present]
    away = len(state.participants) - len(present)
    if not present:
        doc.p("Nobody has been added to the session yet.")
    else:
        doc.p(f"{len(present)} {'person' if len(present) == 1 else 'people'} took part.")
    items: list[Inline] = []
    for person in present:
        role = c.label("roles", person.role)
        if person.consent_named:
            extra = f" ({role}{', ' + person.agency if person.agency else ''})"
            items.append([Span(person.name, "b"), Span(extra)])
        else:
            items.append(plain(c.role_phrase(person.role)))
    doc.bullets(items)
    if away:
        doc.p(f"{away} more {'was' if away == 1 else 'were'} expected but could not be there.")


# -- criteria ---------------------------------------------------------------------------

_METHODS = {
    "direct": "agreed straight away",
    "vote": "chosen by a dot vote",
    "runoff": "chosen in a run-off vote",
    "decision": "decided by the facilitator",
}


def _criteria(doc: Document, state: SessionState) -> None:
    doc.h(2, "What makes a relationship effective")
    first = commands.vote_totals(state, 1)
    second = commands.vote_totals(state, 2)
    chosen = sorted(state.rows["criterion_choice"].values(), key=lambda ch: ch.position)
    chosen_ids = [ch.criterion_id for ch in chosen]
    voters = {v.participant_id for v in state.rows["criterion_vote"].values() if v.dots}
    if first:
        doc.p(
            f"Each person had {state.info.dots_per_person} dots to place. "
            f"{sum(first.values())} dots were placed by {len(voters)} "
            f"{'person' if len(voters) == 1 else 'people'}."
        )
        order = [t.id for t in c.vocab().terms("criteria")]
        shown = [cid for cid in order if first.get(cid) or second.get(cid) or cid in chosen_ids]
        shown.sort(key=lambda cid: (-first.get(cid, 0), -second.get(cid, 0), order.index(cid)))
        header = ["Criterion", "Dots"] + (["Run-off"] if second else []) + ["Chosen"]
        rows = []
        for cid in shown:
            row = [plain(c.label("criteria", cid)), plain(str(first.get(cid, 0)))]
            if second:
                row.append(plain(str(second.get(cid, 0))))
            pos = chosen_ids.index(cid) + 1 if cid in chosen_ids else 0
            row.append(plain(f"yes ({'first' if pos == 1 else 'second'})" if pos else ""))
            rows.append(row)
        doc.table(header, rows, numeric={1, 2} if second else {1})
    if not chosen:
        doc.p("The group has not chosen its two criteria yet.")
        return
    doc.h(3, "The two criteria, in the group's own words")
    items: list[Inline] = []
    for choice in chosen:
        item: Inline = [Span(c.label("criteria", choice.criterion_id), "b")]
        how = _METHODS.get(choice.method, choice.method)
        item.append(Span(f" ({how})"))
        if choice.own_words:
            item.append(Span(": "))
            item.append(Span(choice.own_words))
        if choice.reason:
            item.append(Span("\nWhy: ", "i"))
            item.append(Span(choice.reason))
        items.append(item)
    doc.bullets(items)


# -- the map ----------------------------------------------------------------------------


def _type_keys(state: SessionState) -> list[str]:
    order = [t.id for t in c.vocab().terms("agency_types")]
    present = {r.agency_type if r.agency_type in order else NO_TYPE for r in _rels(state)}
    keys = [k for k in order if k in present]
    return keys + ([NO_TYPE] if NO_TYPE in present else [])


def _rels(state: SessionState) -> list[Relationship]:
    return list(state.relationships.values())


def _type_name(key: str) -> str:
    return c.label("agency_types", key) if key else "No agency type yet"


def _map(doc: Document, state: SessionState) -> None:
    doc.h(2, "The map of relationships")
    rels = state.relationships
    if not rels:
        doc.p("No relationships have been put on the map yet.")
        return
    doc.blocks.append(MapPicture())
    doc.p(f"The map holds {len(rels)} relationship{'s' if len(rels) != 1 else ''} with agencies.")
    rel_order = [t.id for t in c.vocab().terms("relationship_types")]
    rel_cols = [r for r in rel_order if any(x.rel_type == r for x in rels.values())]
    unset = any(x.rel_type not in rel_order for x in rels.values())
    header = ["Agency type"] + [c.label("relationship_types", r) for r in rel_cols]
    header += (["Not set yet"] if unset else []) + ["Total"]
    rows: list[list[Inline]] = []
    keys = _type_keys(state)

    def key_of(rel: Relationship) -> str:
        return rel.agency_type if rel.agency_type in keys else NO_TYPE

    def count_row(name: str, group: list[Relationship]) -> list[Inline]:
        row = [plain(name)]
        row += [plain(str(sum(1 for x in group if x.rel_type == r))) for r in rel_cols]
        if unset:
            row.append(plain(str(sum(1 for x in group if x.rel_type not in rel_order))))
        row.append(plain(str(len(group))))
        return row

    for key in keys:
        rows.append(count_row(_type_name(key), [x for x in rels.values() if key_of(x) == key]))
    rows.append(count_row("All", list(rels.values())))
    doc.table(header, rows, numeric=set(range(1, len(header))))

    for key in keys:
        doc.h(3, _type_name(key))
        doc.bullets([_rel_item(state, rid, rel) for rid, rel in rels.items() if key_of(rel) == key])


def _rel_item(state: SessionState, rid: str, rel: Relationship) -> Inline:
    bits: list[str] = []
    sub = c.subtype_label(rel.agency_type, rel.agency_subtype)
    if rel.rel_type:
        bits.append(c.label("relationship_types", rel.rel_type))
    if rel.closeness:
        bits.append(f"ring {rel.closeness} ({c.label('closeness', str(rel.closeness)).lower()})")
    else:
        bits.append("not placed on a ring yet")
    bits.append(c.label("relationship_states", rel.state).lower())
    if rel.purposes:
        bits.append("for " + ", ".join(p.lower() for p in c.labels("purposes", rel.purposes)))
    holders = c.holder_descriptions(state, rel.holder_roles, rel.holder_participants)
    if holders:
        bits.append("held by " + holders)
    if rel.effort:
        bits.append("effort: " + c.label("effort_directions", rel.effort).lower())
    stage = c.stage_of(state, rid)
    if stage:
        bits.append("stage 2's good relationship" if stage == "good" else "stage 3's to develop")
    item: Inline = [Span(rel.name, "b")]
    if sub:
        item.append(Span(f" ({sub})"))
    item.append(Span(": " + "; ".join(bits) + "."))
    if rel.notes:
        item.append(Span("\n"))
        item.append(Span(rel.notes))
    return item


def _fragile(doc: Document, state: SessionState) -> None:
    flags = commands.relationship_flags(state)
    fragile = [rid for rid, fl in flags.items() if any(f.startswith("fragile") for f in fl)]
    doc.h(2, "Fragile relationships")
    if fragile:
        doc.p(
            "These relationships rest on one person. If they move on, the link could be lost, "
            "so it may be worth bringing someone else in."
        )
        items: list[Inline] = []
        for rid in fragile:
            rel = state.relationships[rid]
            who = c.holder_descriptions(state, rel.holder_roles, rel.holder_participants)
            items.append([Span(rel.name, "b"), Span(f": held only by {who}.")])
        doc.bullets(items)
    else:
        doc.p("No relationship on the map rests on one person alone.")
    others: list[Inline] = []
    for rid, found in flags.items():
        rest = [f for f in found if not f.startswith("fragile")]
        if rest:
            others.append([Span(state.relationships[rid].name, "b"), Span(": " + "; ".join(rest))])
    if others:
        doc.h(3, "Also worth checking")
        doc.bullets(others)


# -- stages 2 and 3 ---------------------------------------------------------------------


def _score(score: int | None) -> str:
    return f"{score} out of 5" if score is not None else "not rated"


def _stage(doc: Document, state: SessionState, which: str, rid: str | None, shown: set) -> None:
    good = which == "good"
    doc.h(2, "Stage 2: one good relationship" if good else "Stage 3: one relationship to develop")
    rel = state.relationships.get(rid) if rid else None
    if rel is None:
        doc.p("No relationship was chosen for this stage.")
        return
    sub = c.subtype_label(rel.agency_type, rel.agency_subtype)
    doc.p(
        Span("The group looked closely at "),
        Span(rel.name, "b"),
        Span(f" ({sub or _type_name(rel.agency_type or '')})."),
    )
    ratings = [r for r in state.rows["rating"].values() if r.relationship_id == rid]
    if ratings:
        order = c.rated_criteria(state)
        ratings.sort(key=lambda r: order.index(r.criterion_id))
        doc.h(3, "How it rates on the two criteria")
        doc.table(
            ["Criterion", "Score", "Why"],
            [
                [plain(c.label("criteria", r.criterion_id)), plain(_score(r.score)), plain(r.why)]
                for r in ratings
            ],
        )
    outcomes = [o for o in state.rows["outcome"].values() if o.relationship_id == rid]
    if outcomes:
        doc.h(3, "What it has led to")
        items: list[Inline] = []
        for who in ("partnership", "agency", "area"):
            for o in outcomes:
                if o.beneficiary != who:
                    continue
                item: Inline = [Span(f"For the {who}: ")]
                if o.outcome_id:
                    item.append(Span(c.label("outcomes", o.outcome_id), "b"))
                    if o.text:
                        item.append(Span(": "))
                if o.text:
                    item.append(Span(o.text))
                items.append(item)
        doc.bullets(items)
    for effect, title in (("helps", "What helps"), ("hinders", "What holds it back")):
        found = [
            f
            for f in state.rows["factor"].values()
            if f.relationship_id == rid and f.effect == effect
        ]
        if found:
            doc.h(3, title)
            doc.bullets([_factor_item(f.factor_id, f.notes) for f in found])
    if rel.works_notes:
        doc.h(3, "What makes it work")
        doc.p(rel.works_notes)
    if rel.better_looks_like:
        doc.h(3, "What better would look like")
        doc.p(rel.better_looks_like)
    if not good:
        doc.p(
            "The group would like a facilitated conversation with them."
            if rel.want_conversation
            else "The group did not ask for a facilitated conversation with them yet."
        )
    actions = [
        (aid, a)
        for aid, a in state.rows["action"].items()
        if a.relationship_id == rid and aid not in shown and a.conversation_id is None
    ]
    if actions:
        doc.h(3, "Actions")
        _actions_table(doc, state, actions)
        shown.update(aid for aid, _ in actions)


def _factor_item(factor_id: str | None, notes: str) -> Inline:
    item: Inline = []
    if factor_id:
        item.append(Span(c.label("factors", factor_id), "b"))
        if notes:
            item.append(Span(": "))
    if notes:
        item.append(Span(notes))
    return item


def _actions_table(doc: Document, state: SessionState, actions: list[tuple[str, Action]]) -> None:
    rows = []
    for _aid, a in actions:
        who = c.who_person(state, a)
        if a.who_org:
            who = f"{who} ({a.who_org})" if who else a.who_org
        what: Inline = plain(a.what)
        if a.notes:
            what = [Span(a.what), Span("\n"), Span(a.notes, "i")]
        rows.append(
            [what, plain(who), plain(a.by_when), plain(c.label("action_statuses", a.status))]
        )
    doc.table(["What", "Who", "By when", "Status"], rows)


# -- conversations ----------------------------------------------------------------------


def _conversation(doc: Document, state: SessionState, conv_id: str, shown: set) -> None:
    conv = state.conversations[conv_id]
    previous = state.conversations.get(conv.previous_id) if conv.previous_id else None
    title = "Follow-up conversation" if previous else "Conversation"
    doc.h(2, f"{title} with {conv.agency_name}")
    doc.fields(
        [
            ("Kind of agency", plain(c.label("agency_types", conv.agency_type))),
            ("Started", plain(conv.started_at.replace("T", " ").removesuffix("Z"))),
            (
                "Follows up",
                plain(
                    f"the conversation started {previous.started_at[:10]}"
                    if previous and previous.started_at
                    else ("an earlier conversation" if previous else "")
                ),
            ),
            ("Finished", plain("yes" if conv.finished else "not yet")),
        ]
    )
    attendees = [a for a in state.rows["attendee"].values() if a.conversation_id == conv_id]
    if attendees:
        doc.h(3, "Who was there")
        items: list[Inline] = []
        for side, name in (("partnership", "From the partnership"), ("agency", "From the agency")):
            people = []
            for a in attendees:
                if a.side != side:
                    continue
                people.append(c.attendee_name(state, a))
            if people:
                items.append([Span(name + ": ", "b"), Span(", ".join(people))])
        doc.bullets(items)
    if conv.boundaries_in or conv.boundaries_out:
        doc.h(3, "What we agreed to talk about")
        doc.fields(
            [
                ("We will talk about", plain(conv.boundaries_in)),
                ("We will leave aside", plain(conv.boundaries_out)),
            ]
        )
    answers = [a for a in state.rows["prompt_answer"].values() if a.conversation_id == conv_id]
    if answers:
        doc.h(3, "What was said")
        first_seen: dict[str, int] = {}
        for n, a in enumerate(answers):
            first_seen.setdefault(a.prompt_id, n)
        prompts = sorted(first_seen, key=lambda p: (c.prompt_order(p), first_seen[p]))
        for pid in prompts:
            doc.p(Span(c.prompt_text(pid), "b"))
            doc.bullets([_answer_item(a) for a in answers if a.prompt_id == pid])
    for tag, heading in (("challenge", "Challenges"), ("opportunity", "Opportunities")):
        tagged = [a for a in answers if a.tag == tag]
        if tagged:
            doc.h(3, heading)
            doc.bullets([plain(a.text) for a in tagged])
    actions = [
        (aid, a)
        for aid, a in state.rows["action"].items()
        if a.conversation_id == conv_id and aid not in shown
    ]
    if actions:
        doc.h(3, "Agreed actions")
        _actions_table(doc, state, actions)
        shown.update(aid for aid, _ in actions)
    reviews = [r for r in state.rows["action_review"].values() if r.conversation_id == conv_id]
    if reviews:
        doc.h(3, "Looking back at earlier actions")
        rows = []
        for r in reviews:
            action = state.rows["action"].get(r.action_id)
            rows.append(
                [
                    plain(action.what if action else "(an action since removed)"),
                    plain(c.label("action_statuses", r.status)),
                    plain(r.note),
                ]
            )
        doc.table(["Action", "How it stands", "Note"], rows)
    if conv.summary:
        doc.h(3, "Summary")
        doc.p(conv.summary)


def _answer_item(answer) -> Inline:  # type: ignore[no-untyped-def]
    who = c.label("speakers", answer.speaker)
    tag = c.label("note_tags", answer.tag) if answer.tag else ""
    return [Span(answer.text), Span(f" ({who}{', ' + tag.lower() if tag else ''})", "i")]


# -- time -------------------------------------------------------------------------------


def _time(doc: Document, state: SessionState) -> None:
    times = state.rows["stage_time"]
    if not times:
        return
    doc.h(2, "Time spent")
    order = [t.id for t in c.vocab().terms("stages")]
    ids = sorted(times, key=lambda s: (order.index(s) if s in order else len(order), s))
    rows = []
    total_box = total_spent = 0
    for sid in ids:
        t = times[sid]
        total_box += t.timebox_minutes or 0
        total_spent += t.spent_seconds
        rows.append(
            [
                plain(c.label("stages", sid)),
                plain(c.minutes_text(t.timebox_minutes * 60) if t.timebox_minutes else "none set"),
                plain(c.minutes_text(t.spent_seconds)),
            ]
        )
    rows.append(
        [
            plain("All stages"),
            plain(c.minutes_text(total_box * 60)),
            plain(c.minutes_text(total_spent)),
        ]
    )
    doc.table(["Stage", "Time planned", "Time spent"], rows, numeric={1, 2})
