"""Tick boxes whose state reads without colour, in every theme and on a projector.

Textual draws an X in every box and tells on from off by colour alone, which on a
projector (or to a colour-blind eye) can make an unticked "Anonymise" look ticked.
Every tick box in the app is one of these two instead:

* :class:`TickBox`, a single check box: a tick and the word "yes" when on, an empty
  box and the word "no" when off, before its label.
* :class:`TickList`, a list of tick boxes: a tick in the ticked ones, the others
  empty, and how many are ticked, in words, on the list's bottom edge.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

TICK = "✓"
ON_WORD = "yes"
OFF_WORD = "no"
_WORD_WIDTH = max(len(ON_WORD), len(OFF_WORD))


def state_word(on: bool) -> str:
    """The word said beside a tick box: ``yes`` or ``no``, padded to the same width."""
    return (ON_WORD if on else OFF_WORD).ljust(_WORD_WIDTH)


class TickBox(Checkbox):
    """A check box reading ``✓ yes  label`` when on and ``  no   label`` when off."""

    COMPONENT_CLASSES = Checkbox.COMPONENT_CLASSES | {"tickbox--word"}
    DEFAULT_CSS = """
    TickBox {
        & > .toggle--button { color: $foreground; background: $foreground 25%; }
        &.-on > .toggle--button { color: $text-success; background: $foreground 25%; }
        & > .tickbox--word { text-style: none; }
        &.-on > .tickbox--word { text-style: bold; }
    }
    """

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - the name Textual reads
        return TICK if self.value else " "

    def render(self) -> Content:
        label_style = self.get_visual_style("toggle--label")
        word_style = self.get_visual_style("tickbox--word")
        word = Content.styled(f" {state_word(self.value)}", word_style)
        label = self._label.pad(1, 1).stylize_before(label_style)
        return Content.assemble(self._button, word, label)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return super().get_content_width(container, viewport) + 1 + _WORD_WIDTH


class TickList(SelectionList[str]):
    """A list of tick boxes: ✓ in the ticked ones, and "2 of 7 ticked" on its edge."""

    DEFAULT_CSS = """
    TickList {
        border-subtitle-color: $text-muted;
        & > .selection-list--button { color: $foreground; background: $foreground 25%; }
        & > .selection-list--button-highlighted {
            color: $foreground; background: $foreground 25%;
        }
        & > .selection-list--button-selected {
            color: $text-success; background: $foreground 25%; text-style: bold;
        }
        & > .selection-list--button-selected-highlighted {
            color: $text-success; background: $foreground 25%; text-style: bold;
        }
    }
    """

    def __init__(self, *selections: Any, **kw: Any) -> None:
        super().__init__(*selections, **kw)
        self._say_count()

    def render_line(self, y: int) -> Strip:
        """Textual's line, with a tick in a ticked box and nothing in an empty one."""
        strip = super().render_line(y)
        segments = list(strip)
        index = self.scroll_offset.y + y
        if len(segments) < 2 or segments[1].text != Checkbox.BUTTON_INNER:
            return strip
        try:
            value = self.get_option_at_index(index).value
        except OptionDoesNotExist:
            return strip
        mark = TICK if value in self._selected else " "
        segments[1] = Segment(mark, segments[1].style)
        return Strip(segments, strip.cell_length)

    def _message_changed(self) -> None:
        super()._message_changed()
        self._say_count()

    def add_options(self, items: Any) -> TickList:
        super().add_options(items)
        self._say_count()
        return self

    def clear_options(self) -> TickList:
        super().clear_options()
        self._say_count()
        return self

    def _say_count(self) -> None:
        if not hasattr(self, "_options"):  # still being built; __init__ says it after
            return
        self.border_subtitle = ticked_words(len(self._selected), self.option_count)


def ticked_words(ticked: int, total: int) -> str:
    """How many are ticked, in words: ``none ticked``, ``2 of 7 ticked``."""
    if not total:
        return ""
    if not ticked:
        return "none ticked"
    if ticked == total:
        return "all ticked" if total > 1 else "ticked"
    return f"{ticked} of {total} ticked"
