"""Comparing two sessions, and following relationships across several: pure functions."""

from __future__ import annotations

import html
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.domain import commands
from facilitator.domain import events as ev
from facilitator.domain.model import SessionState
from facilitator.history.compare import compare
from facilitator.history.report import render_comparison, render_timeline
from facilitator.history.timeline import timeline

TYPES = ("powerful-ally", "friend", "client-contractor", "not-sure")
ROLES = ("chair", "worker", "resident-member")


def session(title: str = "Spring", date: str = "2025-03-01", session_id: str = "s1"):
    state = SessionState()
    for event in commands.update_session(
        state, title=title, date=date, area="Linnet", session_id=session_id
    ):
        ev.apply_event(state, event)
    return state


def do(state: SessionState, events) -> list[str]:
    events = events if isinstance(events, list) else [events]
    for event in events:
        ev.apply_event(state, event)
    return [e.payload.get("id", "") for e in events]


def add_rel(state: SessionState, name: str, **fields) -> str:
    return do(state, commands.add(state, "relationship", name=name, **fields))[0]


def later_of(state: SessionState, *, linked: bool = True) -> SessionState:
    """A copy of the session as the next one would start: same ids, linked to it."""
    later = state.clone()
    fields = {"title": "Autumn", "date": "2025-10-01", "session_id": "s2"}
    if linked:
        fields.update(origin_id=state.info.session_id, origin_title=state.info.title)
    do(later, commands.update_session(later, **fields))
    return later


# -- examples ----------------------------------------------------------------------------


def test_moves_new_gone_type_and_fragility_are_each_reported() -> None:
    a = session()
    council = add_rel(
        a, "Riverside Council", closeness=3, rel_type="friend", holder_roles=["chair"]
    )
    school = add_rel(a, "Riverside School", closeness=1, holder_roles=["chair", "worker"])
    police = add_rel(a, "Police team", closeness=2)
    b = later_of(a)
    do(b, commands.edit(b, "relationship", council, closeness=1, rel_type="powerful-ally"))
    do(b, commands.edit(b, "relationship", council, holder_roles=["chair", "worker"]))
    do(b, commands.edit(b, "relationship", school, closeness=4, holder_roles=["worker"]))
    do(b, commands.remove(b, "relationship", police))
    surgery = add_rel(b, "Bridge Street Surgery", closeness=2)

    cmp = compare(a, b)
    by_name = {r.name: r for r in cmp.relationships}
    assert cmp.linked and cmp.has_changes
    assert by_name["Riverside Council"].movement == "closer"
    assert by_name["Riverside Council"].fragility == "became safe"
    assert (by_name["Riverside Council"].type_before, by_name["Riverside Council"].type_after) == (
        "friend",
        "powerful-ally",
    )
    assert by_name["Riverside School"].movement == "further"
    assert by_name["Riverside School"].fragility == "became fragile"
    assert by_name["Riverside School"].holders_changed
    assert by_name["Police team"].status == "gone"
    assert by_name["Bridge Street Surgery"].status == "new"
    assert by_name["Bridge Street Surgery"].after_id == surgery
    counts = cmp.counts()
    assert (counts["new"], counts["gone"], counts["closer"], counts["further"]) == (1, 1, 1, 1)
    assert (counts["became fragile"], counts["became safe"], counts["type changed"]) == (1, 1, 1)


def test_ratings_up_and_down_keep_both_reasons() -> None:
    a = session()
    rid = add_rel(a, "Riverside Council", closeness=2)
    do(a, commands.rate(a, rid, "trust", 2, "Slow to reply."))
    do(a, commands.rate(a, rid, "respect", 4, "They listen."))
    b = later_of(a)
    do(b, commands.rate(b, rid, "trust", 4, "Replies within the week now."))
    do(b, commands.rate(b, rid, "respect", 3, "A new manager."))
    (change,) = compare(a, b).relationships
    ratings = {r.criterion_id: r for r in change.ratings}
    assert ratings["trust"].direction == "up"
    assert (ratings["trust"].why_before, ratings["trust"].why_after) == (
        "Slow to reply.",
        "Replies within the week now.",
    )
    assert ratings["respect"].direction == "down"
    text = render_comparison(a, b, "md")
    assert "Slow to reply." in text and "Replies within the week now." in text


def test_earlier_actions_are_followed_to_done_under_way_dropped_and_not_followed() -> None:
    a = session()
    ids = {}
    for what in ("Send papers", "Book the hall", "Print leaflets", "Call the vicar", "Old one"):
        ids[what] = do(a, commands.add(a, "action", what=what))[0]
    do(a, commands.edit(a, "action", ids["Old one"], status="done"))
    b = later_of(a)
    do(b, commands.edit(b, "action", ids["Send papers"], status="done"))
    do(b, commands.edit(b, "action", ids["Book the hall"], status="in-progress"))
    do(b, commands.edit(b, "action", ids["Print leaflets"], status="dropped"))
    do(b, commands.remove(b, "action", ids["Call the vicar"]))
    do(b, commands.remove(b, "action", ids["Old one"]))  # done before: nothing to follow
    do(b, commands.add(b, "action", what="Start a newsletter"))
    outcomes = {a.what: a.outcome for a in compare(a, b).actions}
    assert outcomes == {
        "Send papers": "done",
        "Book the hall": "under way",
        "Print leaflets": "dropped",
        "Call the vicar": "not followed up",
        "Start a newsletter": "new",
    }


def test_unlinked_sessions_match_by_name_ignoring_case_and_spacing() -> None:
    a = session()
    add_rel(a, "Riverside  Council", closeness=3)
    b = session("Autumn", "2025-10-01", "other")
    add_rel(b, "riverside council", closeness=1)
    cmp = compare(a, b)
    assert not cmp.linked
    (change,) = cmp.relationships
    assert change.movement == "closer"


def test_linked_sessions_match_by_id_even_after_a_rename() -> None:
    a = session()
    rid = add_rel(a, "Riverside Council", closeness=3)
    b = later_of(a)
    do(b, commands.edit(b, "relationship", rid, name="Riverside Borough Council"))
    (change,) = compare(a, b).relationships
    assert change.status == "changed"
    assert change.changes() == ["was called Riverside Council"]
    # Unlinked, the renamed one is a different agency: one gone, one new.
    unlinked = later_of(a, linked=False)
    do(unlinked, commands.edit(unlinked, "relationship", rid, name="Riverside Borough Council"))
    assert sorted(r.status for r in compare(a, unlinked).relationships) == ["gone", "new"]


def test_a_timeline_follows_each_relationship_across_three_sessions() -> None:
    a = session()
    council = add_rel(a, "Council", closeness=4)
    add_rel(a, "School", closeness=2)
    b = later_of(a)
    do(b, commands.edit(b, "relationship", council, closeness=3))
    do(b, commands.edit(b, "relationship", council, name="Borough Council"))
    add_rel(b, "Surgery", closeness=2)
    c = later_of(b)
    do(c, commands.update_session(c, session_id="s3", origin_id="s2", date="2026-03-01"))
    do(c, commands.edit(c, "relationship", council, closeness=1))
    school = next(rid for rid, r in c.relationships.items() if r.name == "School")
    do(c, commands.remove(c, "relationship", school))
    tl = timeline([a, b, c])
    rows = {r.name: r for r in tl.relationships}
    assert [p.ring if p else None for p in rows["Borough Council"].points] == [4, 3, 1]
    assert rows["Borough Council"].trend() == "closer"
    assert rows["School"].trend() == "gone"
    assert rows["Surgery"].trend() == "new"
    assert [p is None for p in rows["Surgery"].points] == [True, False, False]
    doc = json.loads(render_timeline(tl, "json"))
    assert len(doc["relationships"]) == 3
    assert "Borough Council" in render_timeline(tl, "md")


def test_user_text_is_escaped_in_the_html_comparison() -> None:
    a = session()
    add_rel(a, "<script>alert(1)</script>", closeness=2)
    b = later_of(a)
    add_rel(b, "Fish & <b>Chips</b>", closeness=1)
    page = render_comparison(a, b, "html")
    assert "<script>alert" not in page and "<b>Chips" not in page
    assert "&lt;script&gt;" in page
    assert page.count("<svg") == 1 and 'marker-end="url(#arrow)"' not in page.split("<svg")[0]


def test_json_comparison_spells_out_every_change() -> None:
    a = session()
    rid = add_rel(a, "Council", closeness=3)
    b = later_of(a)
    do(b, commands.edit(b, "relationship", rid, closeness=2))
    doc = json.loads(render_comparison(a, b, "json"))
    assert doc["format"] == "facilitator-comparison"
    assert doc["linked"] is True
    (rel,) = doc["relationships"]
    assert (rel["status"], rel["movement"], rel["ring_before"], rel["ring_after"]) == (
        "changed",
        "closer",
        3,
        2,
    )
    assert doc["counts"]["closer"] == 1


# -- properties --------------------------------------------------------------------------

names = st.lists(
    st.text(alphabet="abcdefgh ", min_size=1, max_size=8).filter(lambda s: s.strip()),
    min_size=0,
    max_size=8,
    unique_by=lambda s: " ".join(s.casefold().split()),
)
rings = st.one_of(st.none(), st.integers(1, 4))
relationship = st.fixed_dictionaries(
    {
        "closeness": rings,
        "rel_type": st.one_of(st.none(), st.sampled_from(TYPES)),
        "holder_roles": st.lists(st.sampled_from(ROLES), unique=True, max_size=3),
    }
)


@st.composite
def sessions(draw):
    state = session()
    for name in draw(names):
        add_rel(state, name, **draw(relationship))
    return state


@st.composite
def edits(draw, state: SessionState):
    """Per relationship: keep, change fields, or remove; plus some new ones."""
    plan = {}
    for rid in state.relationships:
        plan[rid] = draw(st.one_of(st.just("keep"), st.just("remove"), relationship))
    extra = draw(st.integers(0, 3))
    return plan, extra


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_a_session_compared_with_itself_has_no_changes(state: SessionState) -> None:
    cmp = compare(state, state)
    assert not cmp.has_changes
    assert all(r.status == "same" for r in cmp.relationships)
    assert len(cmp.relationships) == len(state.relationships)
    assert not any(cmp.counts().values())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.booleans())
def test_compare_reports_exactly_the_edits_made(data, linked: bool) -> None:
    before = data.draw(sessions())
    after = later_of(before, linked=linked)
    plan, extra = data.draw(edits(before))
    expected_moves, expected_types, removed = {}, set(), set()
    for rid, action in plan.items():
        old = before.relationships[rid]
        if action == "keep":
            continue
        if action == "remove":
            do(after, commands.remove(after, "relationship", rid))
            removed.add(old.name)
            continue
        do(after, commands.edit(after, "relationship", rid, **action))
        a, b = old.closeness, action["closeness"]
        if a != b:
            expected_moves[old.name] = (
                "placed"
                if a is None
                else "unplaced"
                if b is None
                else "closer"
                if b < a
                else "further"
            )
        if old.rel_type != action["rel_type"]:
            expected_types.add(old.name)
    added = {f"new {n}" for n in range(extra)}
    for name in added:
        add_rel(after, name, closeness=2)

    cmp = compare(before, after)
    assert cmp.linked is linked
    assert {r.name for r in cmp.with_status("new")} == added
    assert {r.name for r in cmp.with_status("gone")} == removed
    assert {r.name: r.movement for r in cmp.relationships if r.movement} == expected_moves
    assert {
        r.name
        for r in cmp.relationships
        if r.type_before != r.type_after and r.after_id and r.before_id
    } == expected_types
    assert len(cmp.relationships) == len(before.relationships) + len(added)
    assert cmp.has_changes == bool(added or removed or any(r.changes() for r in cmp.relationships))
    for fmt in ("md", "json", "html"):
        assert render_comparison(before, after, fmt)


_SKELETON = ""  # the HTML page's own markup, filled in below


def _skeleton() -> str:
    a = session()
    rid = add_rel(a, "Alpha", closeness=3)
    do(a, commands.rate(a, rid, "trust", 2, "first"))
    b = later_of(a)
    do(b, commands.edit(b, "relationship", rid, closeness=1))
    do(b, commands.rate(b, rid, "trust", 5, "second"))
    return render_comparison(a, b, "html").split("<body>", 1)[1]


user_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(user_text, user_text, user_text)
def test_any_names_and_reasons_are_carried_safely_into_every_format(name, why_a, why_b) -> None:
    global _SKELETON
    _SKELETON = _SKELETON or _skeleton()
    a = session()
    try:
        rid = add_rel(a, name, closeness=3)
        do(a, commands.rate(a, rid, "trust", 2, why_a))
        b = later_of(a)
        do(b, commands.edit(b, "relationship", rid, closeness=1))
        do(b, commands.rate(b, rid, "trust", 5, why_b))
    except commands.DomainError:
        return  # the domain refuses it (say, a name of control characters only)
    kept = b.relationships[rid].name
    doc = json.loads(render_comparison(a, b, "json"))
    (rel,) = doc["relationships"]
    assert rel["name"] == kept and rel["movement"] == "closer"
    (rating,) = rel["ratings"]
    assert (rating["why_before"], rating["why_after"]) == (
        a.rows["rating"][next(iter(a.rows["rating"]))].why,
        b.rows["rating"][next(iter(b.rows["rating"]))].why,
    )
    page = render_comparison(a, b, "html")
    body = page.split("<body>", 1)[1]
    whys = [r.why for s_ in (a, b) for r in s_.rows["rating"].values()]
    for text in (kept, *whys):
        shown = "<br>".join(html.escape(line) for line in text.split("\n"))
        assert shown in body  # shown, escaped (a new line as a line break)
        # Raw, it must not be there, unless the page's own markup happens to hold it
        # (a reason of just "<" is in every tag).
        if "<" in text and text not in _SKELETON:
            assert text not in body
    markdown = render_comparison(a, b, "md")
    assert markdown.startswith("# What changed")
