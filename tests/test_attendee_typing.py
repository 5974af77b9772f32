"""Who is here: Tab completes a name from the room, and typing never vanishes."""

from __future__ import annotations

from facilitator.domain import conversation as cv
from facilitator.tui.pickers import PickDialog
from tests.test_conversation_screen import typed, workshop_file
from tests.tui_helpers import app_on, wait_for_workshop


async def _who_is_here(pilot) -> None:
    await wait_for_workshop(pilot)
    await pilot.press("f7")
    await pilot.pause()
    await pilot.press("ctrl+n")
    await pilot.pause()
    await pilot.press("enter")  # stage 3's relationship
    await pilot.pause()
    assert pilot.app.focused.id == "attendee-partnership"


async def test_tab_completes_the_suggested_name_then_typing_on_a_list_is_kept(tmp_path):
    path = workshop_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _who_is_here(pilot)
        box = app.screen.query_one("#attendee-partnership")
        await typed(pilot, "Jo")
        await pilot.pause()
        await pilot.press("tab")  # takes "Jo Bloggs", the suggestion from the room
        await pilot.pause()
        assert box.value == "Jo Bloggs" and box.has_focus
        await pilot.press("enter")
        await pilot.pause()
        conv_id = next(iter(app.session.state.conversations))
        people = cv.attendees(app.session.state, conv_id, "partnership")
        assert [(a.name, a.participant_id) for _, a in people] == [("Jo Bloggs", "p1")]

        # Nothing to complete: Tab moves on (to the agency's empty list), and the
        # letters typed there land in the agency's name box rather than vanish.
        await typed(pilot, "Zed")
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused.id == "attendees-agency"
        assert box.value == "Zed"  # kept where it was typed
        await typed(pilot, "Marcus Lee")
        await pilot.pause()
        agency_box = app.screen.query_one("#attendee-agency")
        assert agency_box.has_focus and agency_box.value == "Marcus Lee"
        await pilot.press("enter")
        await pilot.pause()
        agency = cv.attendees(app.session.state, conv_id, "agency")
        assert [a.name for _, a in agency] == ["Marcus Lee"]


async def test_typing_in_the_pick_list_finds_a_name_and_shows_what_was_typed(tmp_path):
    path = workshop_file(tmp_path / "sessions")
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _who_is_here(pilot)
        await pilot.press("enter")  # an empty box: pick from the room
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickDialog)
        assert picker.options[0][1].startswith("Jo Bloggs")
        await typed(pilot, "sam")
        assert str(picker.query_one("#pick-find").render()) == "Find: sam"
        await typed(pilot, "x")
        assert "nothing matches" in str(picker.query_one("#pick-find").render())
        await pilot.press("backspace")
        await pilot.press("enter")
        await pilot.pause()
        conv_id = next(iter(app.session.state.conversations))
        people = cv.attendees(app.session.state, conv_id, "partnership")
        assert [(a.name, a.participant_id) for _, a in people] == [("Sam Okafor", "p2")]
