"""Where messages (toasts) appear: never over the box the facilitator is typing in.

Textual shows toasts at the bottom right, which is where the note box, the add box of
Setup and the last field of a dialog are. When the focused widget is in the lower half
of the screen, toasts go to the top right instead (below the stage bar); otherwise they
stay at the bottom.
"""

from __future__ import annotations

from textual.screen import Screen

TOP = "-toasts-top"  # the screen class that moves its toasts up (see app.tcss)


def focus_is_low(screen: Screen) -> bool:
    """True when the focused widget's middle is in the lower half of the screen."""
    focused = screen.focused
    if focused is None or not focused.is_mounted:
        return False
    region = focused.region
    if not region.height:
        return False
    return region.y + region.height / 2 >= screen.size.height / 2


def place_toasts(screen: Screen) -> None:
    """Put the screen's toasts where they cannot cover its focused widget."""
    low = focus_is_low(screen)
    if screen.has_class(TOP) != low:
        screen.set_class(low, TOP)
