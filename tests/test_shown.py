"""The one "redraw only if changed" memory used by the TUI's widgets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from facilitator.tui.shown import Shown


def test_first_time_and_each_change_redraw_the_same_value_does_not() -> None:
    shown = Shown()
    assert shown.changed("grid", (3, 4))
    assert not shown.changed("grid", (3, 4))
    assert shown.changed("grid", (3, 5))
    assert shown.changed("legend", (3, 5))  # parts are remembered apart
    assert shown.get("grid") == (3, 5)


def test_forget_one_part_or_all() -> None:
    shown = Shown()
    shown.changed("a", 1)
    shown.changed("b", 2)
    shown.forget("a")
    assert shown.changed("a", 1)
    assert not shown.changed("b", 2)
    shown.forget()
    assert shown.changed("b", 2)


def test_none_is_a_value_like_any_other() -> None:
    shown = Shown()
    assert shown.changed("status", None)  # never drawn before: draw it
    assert not shown.changed("status", None)


def test_memory_is_bounded_and_drops_the_least_recently_used() -> None:
    shown = Shown(size=2)
    shown.changed("a", 1)
    shown.changed("b", 1)
    shown.changed("a", 1)  # a is now the more recent
    shown.changed("c", 1)  # pushes out b
    assert not shown.changed("a", 1)
    assert shown.changed("b", 1)


@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 3))))
def test_changed_answers_whether_the_value_differs_from_the_last_one_drawn(
    calls: list[tuple[str, int]],
) -> None:
    shown = Shown()
    last: dict[str, int] = {}
    for key, value in calls:
        assert shown.changed(key, value) == (last.get(key, -1) != value)
        last[key] = value
