"""The one-line Why box shows the start of a long reason, not only its end."""

from __future__ import annotations

from facilitator.domain import commands
from facilitator.store.sessionfile import SessionFile
from tests.test_focus_screens import make_session, pane2
from tests.tui_helpers import app_on, fixed_clock, wait_for_workshop

LONG_WHY = (
    "Start of reason: they came to every meeting last year and sorted the hall keys, end of reason"
)


def _shown(widget) -> str:
    return "".join(segment.text for segment in widget.render_line(0))


async def test_a_long_reason_shows_its_start_when_the_box_is_not_being_typed_in(tmp_path):
    path = make_session(tmp_path, stage="good-relationship", stage2="r02")
    with SessionFile.open(path, clock=fixed_clock) as s:
        s.apply(commands.rate(s.state, "r02", "trust", 4, LONG_WHY))
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workshop(pilot)
        why = pane2(app).query_one("#why-1")
        assert why.value == LONG_WHY
        assert "Start of reason" in _shown(why)
        why.focus()  # typing goes on at the end
        await pilot.pause()
        assert why.cursor_position == len(LONG_WHY)
        assert "end of reason" in _shown(why)
        await pilot.press("exclamation_mark")  # adds to the reason, replaces nothing
        assert why.value == LONG_WHY + "!"
        await pilot.press("tab")  # leaving it shows the start again
        await pilot.pause()
        assert "Start of reason" in _shown(why)
        assert why.tooltip == LONG_WHY + "!"  # and the whole reason on hover
