"""A complete, made-up workshop to explore the app and its exports with.

Wrenhollow is an invented neighbourhood, and everyone in it is invented too. The
session is built the way a facilitator would build it, one command at a time through
:meth:`SessionFile.apply`, so its journal is real and can be replayed step by step.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from facilitator.domain import commands
from facilitator.domain.events import Event
from facilitator.store.sessionfile import SessionFile

DEMO_TITLE = "Wrenhollow relationship mapping workshop"
DEMO_AREA = "Wrenhollow"
DEMO_DATE = "2024-03-14"
PARTNERSHIP = "Wrenhollow Together"


class _Clock:
    """A clock for the journal that moves on a little with every change."""

    def __init__(self, start: str) -> None:
        self.now = dt.datetime.fromisoformat(start)

    def jump(self, to: str) -> None:
        self.now = dt.datetime.fromisoformat(to)

    def __call__(self) -> str:
        self.now += dt.timedelta(seconds=37)
        return self.now.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Builder:
    def __init__(self, sf: SessionFile) -> None:
        self.sf = sf

    @property
    def state(self):  # type: ignore[no-untyped-def]
        return self.sf.state

    def apply(self, events: Event | list[Event]) -> None:
        self.sf.apply([events] if isinstance(events, Event) else events)

    def add(self, kind: str, **fields: Any) -> str:
        # A relationship's ``state`` field shares its name with the commands' first
        # argument, so it is set on the event after the other fields are checked.
        rel_state = fields.pop("state", None)
        event = commands.add(self.state, kind, **fields)
        if rel_state is not None:
            event.payload["fields"]["state"] = rel_state
        self.apply(event)
        return event.payload["id"]

    def edit(self, kind: str, entity_id: str, **fields: Any) -> None:
        self.apply(commands.edit(self.state, kind, entity_id, **fields))

    def session(self, **fields: Any) -> None:
        self.apply(commands.update_session(self.state, **fields))

    def stage(self, stage: str) -> None:
        self.session(current_stage=stage)


def build_demo(session_file_path: Path) -> SessionFile:
    """Create the demo workshop at ``session_file_path`` and return it, open."""
    clock = _Clock("2024-03-14T09:40:00+00:00")
    sf = SessionFile.create(
        Path(session_file_path), title=DEMO_TITLE, area=DEMO_AREA, date=DEMO_DATE, clock=clock
    )
    try:
        _fill(_Builder(sf), clock)
    except BaseException:
        sf.close()
        raise
    return sf


def _fill(b: _Builder, clock: _Clock) -> None:
    # -- setting up ---------------------------------------------------------------------
    b.session(
        facilitator="Alison Reeve",
        venue_mode="in-person",
        dots_per_person=2,
        notes=(
            "Held in the community hub on Linnet Road, 6 to 8.30pm, with tea and "
            "samosas from the Thursday lunch club.\n"
            "Everyone agreed the map is a working picture for the partnership, not a "
            "report card on any agency."
        ),
    )
    people = {}
    for key, name, role, agency, named in (
        ("maureen", "Maureen Oakley", "chair", "", True),
        ("dev", "Devinder Sandhu", "resident-member", "", True),
        ("kath", "Kathleen Whitlow", "resident-member", "", False),
        ("priya", "Priya Nair", "worker", "", True),
        ("joel", "Joel Castellano", "non-resident-member", "", False),
        ("bernie", "Bernadette Quaye", "rep", "", False),
    ):
        people[key] = b.add("participant", name=name, role=role, agency=agency, consent_named=named)
    b.add("stage_time", entity_id="setup", timebox_minutes=10, spent_seconds=0)
    b.edit("stage_time", "setup", spent_seconds=14 * 60 + 20)

    # -- choosing the two criteria --------------------------------------------------------
    b.stage("criteria")
    b.add("stage_time", entity_id="criteria", timebox_minutes=20)
    votes = {
        "maureen": {"trust": 1, "follow-through": 1},
        "dev": {"trust": 2},
        "kath": {"mutual-knowledge": 1, "trust": 1},
        "priya": {"follow-through": 2},
        "joel": {"shared-goals": 1, "follow-through": 1},
        "bernie": {"mutual-knowledge": 1, "trust": 1},
    }
    for who, dots in votes.items():
        for criterion, n in dots.items():
            b.apply(commands.set_dots(b.state, people[who], criterion, n))
    result = commands.vote_result(b.state)
    b.apply(commands.choose_criteria(b.state, list(result.chosen), "vote"))
    own_words = {
        "trust": (
            "We can be straight with each other. What is said in the room is not used "
            "against us later, and we assume good intentions until we learn otherwise."
        ),
        "follow-through": (
            "When something is agreed, someone on each side has the time and the means to "
            "make it happen, and says so early if they can't."
        ),
    }
    for cid, choice in list(b.state.rows["criterion_choice"].items()):
        b.edit("criterion_choice", cid, own_words=own_words.get(choice.criterion_id, ""))
    b.edit("stage_time", "criteria", spent_seconds=24 * 60 + 5)

    # -- stage 1: every relationship ------------------------------------------------------
    b.stage("all-relationships")
    b.add("stage_time", entity_id="all-relationships", timebox_minutes=45)
    P = people
    rels: dict[str, str] = {}
    for key, fields in (
        (
            "regen",
            dict(
                name="Tarnfield Borough Council regeneration team",
                agency_type="local-authority",
                agency_subtype="department",
                rel_type="powerful-ally",
                closeness=2,
                purposes=["co-design", "assets", "funding"],
                holder_roles=["worker", "chair"],
                effort="both",
                notes=(
                    "Worked together on the plans for the old library site. They listen, "
                    "though decisions can take months."
                ),
            ),
        ),
        (
            "parks",
            dict(
                name="Tarnfield Borough Council parks team",
                agency_type="local-authority",
                agency_subtype="department",
                rel_type="friend",
                closeness=3,
                purposes=["co-design", "sharing"],
                holder_participants=[P["dev"]],
                effort="us",
                notes="Helped with the Linnet Road planters and the spring litter pick.",
            ),
        ),
        (
            "cllr",
            dict(
                name="Councillor Yvonne Marsh",
                agency_type="local-authority",
                agency_subtype="councillor",
                rel_type="friend",
                closeness=1,
                purposes=["informal-support", "routes-in"],
                holder_roles=["chair"],
                holder_participants=[P["maureen"]],
                effort="both",
                notes="Comes to most partnership meetings and opens doors at the town hall.",
            ),
        ),
        (
            "youth",
            dict(
                name="Greyford County Council youth service",
                agency_type="local-authority",
                agency_subtype="county-council",
                rel_type="client-contractor",
                closeness=3,
                purposes=["funding"],
                holder_roles=["worker"],
                effort="us",
                notes="We pay for two youth work sessions a week at the hub.",
            ),
        ),
        (
            "parish",
            dict(
                name="Wrenhollow Parish Council",
                agency_type="local-authority",
                agency_subtype="parish-town-council",
                rel_type="friend",
                closeness=2,
                purposes=["sharing"],
                holder_roles=["resident-member", "chair"],
                effort="both",
                state="dormant",
                notes="Met often during the play area project; quiet since the clerk retired.",
            ),
        ),
        (
            "moorgate",
            dict(
                name="Moorgate Homes",
                agency_type="housing-association",
                agency_subtype="community-investment",
                rel_type="powerful-ally",
                closeness=1,
                purposes=["co-design", "funding", "assets"],
                holder_roles=["worker", "chair", "resident-member"],
                effort="both",
                notes=(
                    "Owns most of the homes on the estate. Their community investment team "
                    "co-funded the hub refurbishment."
                ),
            ),
        ),
        (
            "moorgate_officer",
            dict(
                name="Moorgate Homes neighbourhood officer",
                agency_type="housing-association",
                agency_subtype="housing-officer",
                rel_type="friend",
                closeness=2,
                purposes=["routes-in", "informal-support"],
                holder_participants=[P["dev"]],
                effort="them",
                notes="Walks the estate with us every couple of months.",
            ),
        ),
        (
            "brightwater",
            dict(
                name="Brightwater Housing",
                agency_type="housing-association",
                agency_subtype="tenant-involvement",
                rel_type="not-sure",
                closeness=4,
                purposes=["sharing"],
                holder_roles=["non-resident-member"],
                effort="us",
                state="lost",
                notes="Our contact there left last year and nobody has picked it up.",
            ),
        ),
        (
            "primary",
            dict(
                name="St Aldhelm's Primary School",
                agency_type="school",
                agency_subtype="primary",
                rel_type="friend",
                closeness=2,
                purposes=["co-design", "routes-in"],
                holder_roles=["resident-member", "worker"],
                effort="both",
                notes="The summer fun day started as a one-off and is now a fixture.",
            ),
        ),
        (
            "academy",
            dict(
                name="Tarnfield Academy",
                agency_type="school",
                agency_subtype="secondary",
                rel_type="client-contractor",
                closeness=3,
                purposes=["funding"],
                holder_roles=["worker"],
                effort="us",
                state="dormant",
                notes="We funded a mentoring scheme there in 2022; it ended with the grant.",
            ),
        ),
        (
            "college",
            dict(
                name="Tarnfield College",
                agency_type="school",
                agency_subtype="college",
                rel_type="not-sure",
                purposes=["co-design"],
                state="wished-for",
                notes="Would love adult learning courses at the hub. No contact yet.",
            ),
        ),
        (
            "pcn",
            dict(
                name="Wrenhollow and Dene Primary Care Network",
                agency_type="health",
                agency_subtype="primary-care-network",
                rel_type="not-sure",
                closeness=4,
                purposes=["routes-in"],
                holder_roles=["worker"],
                effort="us",
                notes=(
                    "We have written twice about health events at the hub. Hard to know "
                    "who decides what."
                ),
            ),
        ),
        (
            "surgery",
            dict(
                name="Fernside Surgery",
                agency_type="health",
                agency_subtype="gp-surgery",
                rel_type="friend",
                closeness=3,
                purposes=["sharing"],
                holder_roles=["resident-member"],
                effort="us",
                notes="Puts our posters up in the waiting room.",
            ),
        ),
        (
            "public_health",
            dict(
                name="Tarnfield public health team",
                agency_type="health",
                agency_subtype="public-health",
                rel_type="client-contractor",
                closeness=3,
                purposes=["funding", "co-design"],
                holder_roles=["worker", "lto"],
                effort="them",
                notes="Funds the walking group and the cook-and-eat sessions.",
            ),
        ),
        (
            "link_workers",
            dict(
                name="Dene social prescribing link workers",
                agency_type="health",
                agency_subtype="social-prescribing",
                rel_type="friend",
                closeness=2,
                purposes=["informal-support", "routes-in"],
                holder_roles=["non-resident-member"],
                effort="both",
                notes="Send people to the lunch club and the walking group.",
            ),
        ),
        (
            "police_team",
            dict(
                name="Wrenhollow neighbourhood policing team",
                agency_type="police",
                agency_subtype="neighbourhood-team",
                rel_type="friend",
                closeness=2,
                purposes=["sharing", "routes-in"],
                holder_roles=["chair", "resident-member"],
                effort="both",
                notes="PCSOs drop in to the Thursday lunch club; good for quiet concerns.",
            ),
        ),
        (
            "pcc",
            dict(
                name="Office of the Police and Crime Commissioner",
                agency_type="police",
                agency_subtype="pcc-office",
                rel_type="client-contractor",
                closeness=4,
                purposes=["funding"],
                holder_roles=["lto"],
                effort="us",
                notes="A small grant for the lighting survey, with a lot of paperwork.",
            ),
        ),
        (
            "safety",
            dict(
                name="Tarnfield Community Safety Partnership",
                agency_type="police",
                agency_subtype="community-safety",
                rel_type="powerful-ally",
                closeness=4,
                purposes=["co-design"],
                holder_roles=["chair"],
                effort="them",
                state="dormant",
                notes="Helpful on the underpass project, but we have not heard from them since.",
            ),
        ),
        (
            "jobcentre",
            dict(
                name="Tarnfield Job Centre Plus",
                agency_type="other",
                agency_subtype="job-centre",
                rel_type="friend",
                closeness=3,
                purposes=["routes-in", "sharing"],
                holder_roles=["worker"],
                effort="both",
                notes="A work coach runs a monthly drop-in at the hub.",
            ),
        ),
        (
            "fire",
            dict(
                name="Greyford Fire and Rescue Service",
                agency_type="other",
                agency_subtype="fire-service",
                rel_type="powerful-ally",
                purposes=["co-design"],
                state="wished-for",
                notes="Their youth programme could work well alongside our youth sessions.",
            ),
        ),
    ):
        rels[key] = b.add("relationship", **fields)
    b.edit("stage_time", "all-relationships", spent_seconds=52 * 60 + 40)

    # -- stage 2: a good relationship ---------------------------------------------------------
    b.stage("good-relationship")
    b.add("stage_time", entity_id="good-relationship", timebox_minutes=30)
    good = rels["moorgate"]
    b.apply(commands.pick_for_stage(b.state, "good-relationship", good))
    b.apply(
        commands.rate(
            b.state,
            good,
            "trust",
            5,
            "They told us early when the hub budget was cut, and then found the money elsewhere.",
        )
    )
    b.apply(
        commands.rate(
            b.state,
            good,
            "follow-through",
            4,
            "Nearly always does what it says; things slowed down while they restructured.",
        )
    )
    for beneficiary, outcome_id, text in (
        ("partnership", "strategy-seat", "Two residents now sit on the estate's board."),
        ("partnership", "practical-help", "Their surveyor checked the hub plans for free."),
        ("agency", "community-access", "Much better turnout at their tenant consultations."),
        ("agency", "local-knowledge", "They ask us first before changing anything on the estate."),
        ("area", "community-assets", "The refurbished community hub, open six days a week."),
        ("area", "investment-levered", "Matched funding for the Linnet Road green space."),
    ):
        b.add(
            "outcome",
            relationship_id=good,
            beneficiary=beneficiary,
            outcome_id=outcome_id,
            text=text,
        )
    for factor_id, notes in (
        ("independent-funding", "Bringing our own money made us partners, not petitioners."),
        ("local-presence", "The hub is next door to their estate office."),
        ("keeping-in-touch", "Quarterly walkabouts, including with each new officer."),
        ("visible-results", "Both boards can see the hub full every day."),
    ):
        b.add("factor", relationship_id=good, factor_id=factor_id, effect="helps", notes=notes)
    b.edit(
        "relationship",
        good,
        works_notes=(
            "They serve the whole neighbourhood, not only their tenants. We speak regularly, "
            "there are no surprises, and both sides can point to what it has achieved."
        ),
    )
    b.edit("stage_time", "good-relationship", spent_seconds=28 * 60 + 30)

    # -- stage 3: a relationship to develop --------------------------------------------------
    b.stage("to-develop")
    b.add("stage_time", entity_id="to-develop", timebox_minutes=30)
    pcn = rels["pcn"]
    b.apply(commands.pick_for_stage(b.state, "to-develop", pcn))
    b.apply(
        commands.rate(
            b.state,
            pcn,
            "trust",
            2,
            "Nothing has gone wrong; we simply don't know each other well enough yet.",
        )
    )
    b.apply(
        commands.rate(
            b.state,
            pcn,
            "follow-through",
            1,
            "Two letters and a phone call, but no reply. We think they are stretched thin.",
        )
    )
    for factor_id, effect, notes in (
        ("agency-pressures", "hinders", "GPs and practice staff are under huge pressure."),
        ("system-knowledge", "hinders", "We don't understand how the network makes decisions."),
        ("agency-language", "hinders", "Talk of 'ARRS roles' and 'enhanced access' loses us."),
        (
            "evidence-lived-experience",
            "helps",
            "Our residents' health survey had 240 replies.",
        ),
    ):
        b.add("factor", relationship_id=pcn, factor_id=factor_id, effect=effect, notes=notes)
    b.edit(
        "relationship",
        pcn,
        better_looks_like=(
            "Someone at the network who knows us by name, meets us twice a year, and sees "
            "the hub as a place to reach residents who never come to the surgery."
        ),
        want_conversation=True,
    )
    b.add(
        "action",
        what="Ask the link workers to introduce us to the network's clinical director.",
        who_org=PARTNERSHIP,
        who_person="Priya Nair",
        by_when="end of March 2024",
        relationship_id=pcn,
        status="done",
    )
    b.add(
        "action",
        what="Write a one-page summary of the health survey to share with the network.",
        who_org=PARTNERSHIP,
        who_person="Devinder Sandhu",
        by_when="mid-April 2024",
        relationship_id=pcn,
        status="done",
    )
    b.edit("stage_time", "to-develop", spent_seconds=34 * 60 + 10)
    b.stage("notes")
    b.add("stage_time", entity_id="notes", timebox_minutes=15, spent_seconds=11 * 60)

    # -- a facilitated conversation, five weeks later ------------------------------------------
    clock.jump("2024-04-18T13:55:00+00:00")
    b.stage("conversation")
    b.add("stage_time", entity_id="conversation", timebox_minutes=60)
    agency = "Wrenhollow and Dene Primary Care Network"
    first = b.add(
        "conversation",
        relationship_id=pcn,
        agency_name=agency,
        agency_type="health",
        started_at="2024-04-18T14:00:00Z",
        boundaries_in=(
            "How the partnership and the network could work together on residents' health, "
            "and what each of us can offer."
        ),
        boundaries_out=(
            "Any individual's care, complaints about appointments, and national GP contract "
            "rules that nobody here can change."
        ),
    )
    for side, name, pid in (
        ("partnership", "Maureen Oakley", P["maureen"]),
        ("partnership", "Priya Nair", P["priya"]),
        ("agency", "Dr Hannah Okafor", None),
        ("agency", "Lewis Grant", None),
    ):
        b.add("attendee", conversation_id=first, side=side, name=name, participant_id=pid)
    for prompt_id, speaker, tag, text in (
        (
            "opening-ask-about-words",
            "both",
            "agreement",
            "Everyone agreed to stop and ask about jargon. Lewis offered to explain "
            "'ARRS roles' at the end.",
        ),
        (
            "know-what-you-do",
            "agency",
            None,
            "The network is eight practices working together. Hannah is clinical director "
            "two sessions a week; Lewis is the only manager.",
        ),
        (
            "know-health-structures",
            "agency",
            "challenge",
            "Decisions about extra services go through the network board, which meets "
            "monthly; money comes mostly from national contracts with strict rules.",
        ),
        (
            "community-happening",
            "partnership",
            None,
            "Loneliness among older residents, damp homes, and young families who can't "
            "get to the surgery by bus.",
        ),
        (
            "community-health-priorities",
            "agency",
            "opportunity",
            "The network has to plan work on frailty and on childhood asthma this year, and "
            "would welcome a place to meet residents.",
        ),
        (
            "community-most-pressing",
            "partnership",
            "challenge",
            "People don't know which of the new roles can help them, so they wait for a GP.",
        ),
        (
            "challenges-in-the-way",
            "both",
            "challenge",
            "Clinicians have no spare time in the day; the partnership's volunteers are "
            "mostly free in the evening.",
        ),
        (
            "opportunities-together",
            "both",
            "opportunity",
            "Monthly health drop-ins at the hub, staffed by a link worker and a pharmacist.",
        ),
        (
            "roles-ask-and-offer",
            "partnership",
            "ask",
            "We ask for one named contact at the network. We offer the hub, rent-free, and "
            "our survey findings.",
        ),
        (
            "opportunities-shared-space",
            "agency",
            "opportunity",
            "The asthma nurse could run a family session at the hub in the school holidays.",
        ),
        (
            "actions-who-when",
            "both",
            "agreement",
            "Lewis will be the named contact. Meet again in three months.",
        ),
    ):
        b.add(
            "prompt_answer",
            conversation_id=first,
            prompt_id=prompt_id,
            speaker=speaker,
            tag=tag,
            text=text,
        )
    actions = {}
    for key, what, org, person, when in (
        (
            "survey",
            "Send the full health survey results to the network board.",
            PARTNERSHIP,
            "Priya Nair",
            "2 May 2024",
        ),
        (
            "dropin",
            "Set up a monthly health drop-in at the hub with a link worker.",
            agency,
            "Lewis Grant",
            "end of June 2024",
        ),
        (
            "chart",
            "Share a one-page chart of who does what in the network.",
            agency,
            "Dr Hannah Okafor",
            "end of May 2024",
        ),
        (
            "review",
            "Meet again in three months to see how things are going.",
            PARTNERSHIP,
            "Maureen Oakley",
            "July 2024",
        ),
    ):
        actions[key] = b.add(
            "action",
            what=what,
            who_org=org,
            who_person=person,
            by_when=when,
            relationship_id=pcn,
            conversation_id=first,
        )
    b.edit(
        "conversation",
        first,
        summary=(
            "A warm first meeting. Both sides found they want the same thing, healthier "
            "and less isolated residents, and that the hub could help the network reach "
            "people it rarely sees. Clinicians' time is the main limit."
        ),
        finished=True,
    )
    b.edit("stage_time", "conversation", spent_seconds=65 * 60)

    # -- the follow-up, three months on -------------------------------------------------------
    clock.jump("2024-07-11T09:55:00+00:00")
    second = b.add(
        "conversation",
        relationship_id=pcn,
        agency_name=agency,
        agency_type="health",
        previous_id=first,
        started_at="2024-07-11T10:00:00Z",
        boundaries_in="How the actions from April went, and what to do next.",
        boundaries_out="The network's budget for next year, which is not settled yet.",
    )
    for side, name, pid in (
        ("partnership", "Maureen Oakley", P["maureen"]),
        ("partnership", "Devinder Sandhu", P["dev"]),
        ("agency", "Lewis Grant", None),
        ("agency", "Dr Hannah Okafor", None),
    ):
        b.add("attendee", conversation_id=second, side=side, name=name, participant_id=pid)
    for action_key, status, note in (
        ("survey", "done", "Sent in May; the board discussed it in June."),
        ("dropin", "in-progress", "The first two drop-ins ran; a pharmacist joins from September."),
        (
            "chart",
            "dropped",
            "The network is being reorganised; they will share the new structure instead.",
        ),
        ("review", "done", "This meeting."),
    ):
        b.add(
            "action_review",
            conversation_id=second,
            action_id=actions[action_key],
            status=status,
            note=note,
        )
        b.edit("action", actions[action_key], status=status)
    for prompt_id, speaker, tag, text in (
        (
            "actions-review",
            "both",
            "agreement",
            "Most of what we agreed happened, which surprised both sides.",
        ),
        (
            "sustain-who-holds-it",
            "partnership",
            "challenge",
            "Only Priya holds the link on our side; Devinder will join her.",
        ),
    ):
        b.add(
            "prompt_answer",
            conversation_id=second,
            prompt_id=prompt_id,
            speaker=speaker,
            tag=tag,
            text=text,
        )
    b.add(
        "action",
        what="Invite the asthma nurse to run a family session at the hub in October half-term.",
        who_org=agency,
        who_person="Lewis Grant",
        by_when="October 2024",
        relationship_id=pcn,
        conversation_id=second,
    )
    b.edit("relationship", pcn, closeness=3, rel_type="friend", holder_participants=[P["dev"]])
    b.edit(
        "conversation",
        second,
        summary=(
            "The relationship has moved from letters without replies to a named contact and "
            "a regular drop-in. Next: a family health session and a second person holding "
            "the link on each side."
        ),
        finished=True,
    )
    b.edit("stage_time", "conversation", spent_seconds=65 * 60 + 42 * 60)
    b.stage("notes")
    b.session(finished=True)
