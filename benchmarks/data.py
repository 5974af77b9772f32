"""Large, realistic sessions for the benchmarks, built through the domain commands."""

from __future__ import annotations

import random
from pathlib import Path

from facilitator.domain import commands
from facilitator.domain.vocabulary import load_vocabulary
from facilitator.store.sessionfile import SessionFile

WORDS = [
    "community",
    "centre",
    "library",
    "youth",
    "club",
    "food",
    "bank",
    "allotment",
    "surgery",
    "academy",
    "council",
    "housing",
    "estate",
    "park",
    "police",
    "team",
    "college",
    "pharmacy",
    "church",
    "mosque",
    "market",
    "hall",
    "garden",
]


def _note(rng: random.Random, words: int = 18) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def build_large_session(
    path: Path, *, relationships: int = 500, notes: int = 2000, seed: int = 7
) -> Path:
    """A session with many participants, relationships, ratings and conversation notes."""
    rng = random.Random(seed)
    vocab = load_vocabulary()
    session = SessionFile.create(path, title="Large benchmark workshop", area="Benchmark Vale")
    state = session.state

    def apply(events):
        session.apply(events if isinstance(events, list) else [events])

    people = []
    for i in range(12):
        event = commands.add(state, "participant", name=f"Person {i}", role="resident-member")
        apply(event)
        people.append(event.payload["id"])
    apply(commands.choose_criteria(state, ["trust", "shared-goals"], "direct"))
    types = [t for t in vocab.agency_types]
    batch = []
    for i in range(relationships):
        agency = rng.choice(types)
        batch.append(
            commands.add(
                state,
                "relationship",
                name=f"{agency.label} {i}",
                agency_type=agency.id,
                agency_subtype=rng.choice(agency.subtypes).id if agency.subtypes else None,
                rel_type=rng.choice([t.id for t in vocab.relationship_types]),
                closeness=rng.randint(1, 4),
                purposes=rng.sample([t.id for t in vocab.purposes], rng.randint(0, 3)),
                holder_roles=rng.sample([t.id for t in vocab.holders], rng.randint(1, 2)),
                holder_participants=rng.sample(people, rng.randint(0, 2)),
                notes=_note(rng),
            )
        )
        if len(batch) == 25:
            apply(batch)
            batch = []
    if batch:
        apply(batch)
    rel_ids = list(state.relationships)
    apply(commands.pick_for_stage(state, "good-relationship", rel_ids[0]))
    apply(commands.pick_for_stage(state, "to-develop", rel_ids[1]))
    for rid in rel_ids[:2]:
        for criterion in ("trust", "shared-goals"):
            apply(commands.rate(state, rid, criterion, rng.randint(1, 5), _note(rng, 8)))
    conv = commands.add(
        state,
        "conversation",
        agency_name=state.relationships[rel_ids[1]].name,
        relationship_id=rel_ids[1],
    )
    apply(conv)
    conv_id = conv.payload["id"]
    tags = [None, "challenge", "opportunity", "ask", "agreement"]
    batch = []
    for i in range(notes):
        batch.append(
            commands.add(
                state,
                "prompt_answer",
                conversation_id=conv_id,
                prompt_id=f"prompt-{i % 40}",
                text=_note(rng, 30),
                speaker=rng.choice(["partnership", "agency", "both"]),
                tag=rng.choice(tags),
            )
        )
        if len(batch) == 50:
            apply(batch)
            batch = []
    if batch:
        apply(batch)
    for i in range(20):
        apply(
            commands.add(
                state,
                "action",
                what=f"Action {i}: {_note(rng, 6)}",
                who_org="Partnership",
                by_when="next month",
                conversation_id=conv_id,
            )
        )
    session.close()
    return path


def build_long_journal(path: Path, *, events: int = 10_000, seed: int = 11) -> Path:
    """A session whose journal holds about ``events`` events, one small change each."""
    rng = random.Random(seed)
    session = SessionFile.create(path, title="Long journal", area="Replay Vale")
    state = session.state
    ids: list[str] = []
    while len(session.journal) < events:
        roll = rng.random()
        if roll < 0.5 or not ids:
            event = commands.add(state, "relationship", name=f"Agency {len(ids)}")
            session.apply([event])
            ids.append(event.payload["id"])
        elif roll < 0.9:
            rid = rng.choice(ids)
            session.apply(commands.edit(state, "relationship", rid, notes=_note(rng, 6)))
        else:
            rid = ids.pop(rng.randrange(len(ids)))
            session.apply(commands.remove(state, "relationship", rid))
    session.close()
    return path


def build_small_sessions(folder: Path, count: int = 20) -> None:
    """``count`` ordinary session files, for the start-up benchmark's home screen."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        session = SessionFile.create(
            folder / f"2026-01-{i + 1:02d}-workshop-{i}.facilitator",
            title=f"Workshop {i}",
            area=f"Area {i}",
        )
        for j in range(8):
            session.apply([commands.add(session.state, "relationship", name=f"Agency {j}")])
        session.close()
