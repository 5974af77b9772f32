"""The demo's second workshop: Wrenhollow a year later, carried forward from the first.

It starts the way a facilitator would start it, from the earlier session (see
:mod:`facilitator.history.carry`), and then records a year's real changes: some
relationships moved closer and some further out, one is new, two have gone, one became
fragile and one safe again, ratings went up and down, and the follow-up conversation
looks back at the actions still open from last year (one done, one dropped).
Comparing the two demo files shows all of it.
"""

from __future__ import annotations

from pathlib import Path

from facilitator.demo import PARTNERSHIP, _Builder, _Clock
from facilitator.domain import commands
from facilitator.domain import conversation as conv_rules
from facilitator.history.files import create_carried
from facilitator.store.sessionfile import SessionFile

LATER_TITLE = "Wrenhollow relationship mapping, a year on"
LATER_DATE = "2025-03-20"


def later_path(first: Path) -> Path:
    """Where the second workshop goes beside the first: ``<name>-a-year-on.facilitator``."""
    first = Path(first)
    return first.with_name(f"{first.stem}-a-year-on{first.suffix}")


def build_demo_later(first: Path, target: Path | None = None) -> SessionFile:
    """Create the second workshop, carried forward from the demo at ``first``; return it open."""
    clock = _Clock("2025-03-20T09:35:00+00:00")
    sf, _summary = create_carried(
        Path(first),
        Path(target) if target else later_path(first),
        title=LATER_TITLE,
        date=LATER_DATE,
        clock=clock,
    )
    try:
        _fill(_Builder(sf), clock)
    except BaseException:
        sf.close()
        raise
    return sf


def _fill(b: _Builder, clock: _Clock) -> None:
    state = b.state
    people = {p.name.split()[0].lower(): pid for pid, p in state.participants.items()}
    rels = {r.name: rid for rid, r in state.relationships.items()}

    # -- setting up: consent asked again, one newcomer, one away --------------------------
    b.session(
        notes=(
            "Back in the community hub a year on. We started from last year's map and "
            "asked, agency by agency, what has changed."
        )
    )
    for name in ("maureen", "devinder", "priya", "kathleen"):
        b.edit("participant", people[name], consent_named=True)
    b.edit("participant", people["joel"], present=False)
    amina = b.add("participant", name="Amina Farah", role="resident-member", consent_named=True)

    # -- criteria: the group keeps last year's two ----------------------------------------
    b.stage("criteria")
    b.apply(
        commands.choose_criteria(
            b.state, list(b.state.info.origin_criteria), "direct", "Kept from last year."
        )
    )

    # -- stage 1: the map as it is now ---------------------------------------------------
    b.stage("all-relationships")
    b.edit(
        "relationship",
        rels["Wrenhollow and Dene Primary Care Network"],
        closeness=2,
        holder_participants=[people["devinder"], people["priya"]],
        notes="Monthly drop-in at the hub since last summer; Lewis is our named contact.",
    )
    b.edit(
        "relationship",
        rels["Tarnfield Borough Council parks team"],
        closeness=2,
        holder_participants=[people["devinder"], amina],
        notes="Amina now co-runs the planters group with the parks officer.",
    )
    b.edit(
        "relationship",
        rels["Tarnfield Borough Council regeneration team"],
        closeness=3,
        holder_roles=["chair"],
        notes="The officer who led the library site plans left in the autumn.",
    )
    b.edit(
        "relationship",
        rels["Tarnfield College"],
        closeness=4,
        rel_type="friend",
        state="active",
        holder_roles=["worker"],
        effort="us",
        notes="Ran a first adult learning taster at the hub in January.",
    )
    for gone in ("Brightwater Housing", "Tarnfield Academy"):
        b.apply(commands.remove(b.state, "relationship", rels[gone]))
    b.add(
        "relationship",
        name="Greyford Library Service",
        agency_type="local-authority",
        agency_subtype="department",
        rel_type="friend",
        closeness=3,
        purposes=["assets", "sharing"],
        holder_roles=["resident-member", "worker"],
        effort="both",
        notes="Their mobile library stops at the hub every other Tuesday.",
    )
    pcn = rels["Wrenhollow and Dene Primary Care Network"]
    moorgate = rels["Moorgate Homes"]
    regen = rels["Tarnfield Borough Council regeneration team"]
    for rid, criterion, score, why in (
        (pcn, "trust", 4, "They came back to us every time this year, even with bad news."),
        (pcn, "follow-through", 3, "The drop-in happened; the asthma session did not."),
        (moorgate, "trust", 4, "Still straight with us, but the new director is an unknown."),
        (moorgate, "follow-through", 5, "Every repair they promised at the hub got done."),
        (regen, "trust", 3, "Fine with the people we know; most of them have gone."),
        (regen, "follow-through", 2, "The library site plans have stalled since the autumn."),
    ):
        b.apply(commands.rate(b.state, rid, criterion, score, why))

    # -- stages 2 and 3 -----------------------------------------------------------------
    b.stage("good-relationship")
    b.apply(commands.pick_for_stage(b.state, "good-relationship", pcn))
    b.edit("relationship", pcn, works_notes="A named person on each side, and a regular slot.")
    b.stage("to-develop")
    b.apply(commands.pick_for_stage(b.state, "to-develop", regen))
    b.edit(
        "relationship",
        regen,
        want_conversation=True,
        better_looks_like="A lead officer who knows the estate, and dates for the library site.",
    )

    # -- the follow-up conversation with the network ------------------------------------
    b.stage("conversation")
    clock.jump("2025-03-20T11:05:00+00:00")
    earlier = conv_rules.earlier_conversations(
        b.state, "Wrenhollow and Dene Primary Care Network", pcn
    )
    talk = b.add(
        "conversation",
        relationship_id=pcn,
        agency_name="Wrenhollow and Dene Primary Care Network",
        agency_type="health",
        previous_id=earlier[0][0],
        started_at="2025-03-20T11:10:00Z",
        boundaries_in="The drop-in, and the family health session we talked about.",
    )
    for aid, _action in conv_rules.previous_actions(b.state, talk):
        what = b.state.rows["action"][aid].what
        status, note = (
            ("done", "Monthly since last July; about twelve people each time.")
            if "drop-in" in what
            else ("dropped", "The asthma nurse post was not filled; they will tell us if it is.")
        )
        b.apply(conv_rules.review_events(b.state, talk, aid, status, note))
    b.add(
        "action",
        what="Ask a pharmacist to join the drop-in once a quarter.",
        who_org="Wrenhollow and Dene Primary Care Network",
        who_person="Lewis Grant",
        by_when="June 2025",
        relationship_id=pcn,
        conversation_id=talk,
    )
    b.add(
        "action",
        what="Write to the regeneration team's new head asking for a meeting.",
        who_org=PARTNERSHIP,
        who_person="Maureen Oakley",
        by_when="April 2025",
        relationship_id=regen,
    )
    b.edit(
        "conversation",
        talk,
        summary="A year of steady work: the drop-in is a fixture. Next: a pharmacist.",
        finished=True,
    )
    b.stage("notes")
    b.session(finished=True)
