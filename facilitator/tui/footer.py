"""A Footer that always fits the terminal's width: no key is ever cut mid-word.

Textual's Footer lays every shown key in one row and lets the row run off the right
edge, so at 80 columns a stage with many keys loses its last ones halfway through a word
("^q Qui"). This Footer leaves out the least important keys whole when they do not all
fit. What counts most: F1 help (short, and it lists everything left out) and Esc (the
way back out of wherever the facilitator is); then the keys of the focused widget and
the stage (the ones a facilitator needs now); then the workshop's own keys (undo,
stages); then the rest of the app's (quit). The command palette key keeps its place on
the right: it finds every action by name.

A widget or pane can name actions of its own that must show whatever else is left out:
``FOOTER_FIRST = {"action_name", ...}`` on its class.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Columns between one key and the next (the margin set in app.tcss).
GAP = 1


@dataclass(frozen=True)
class FooterItem:
    """One key the Footer could show, with how much it matters (0 = most)."""

    binding: Binding
    enabled: bool
    tooltip: str
    rank: int
    order: int
    width: int


def key_width(key_display: str, description: str) -> int:
    """Columns a FooterKey takes ("^z Undo"), with the gap after it.

    The palette key on the right takes the same: a border and a space before it
    instead of the gap after it.
    """
    if description:
        return cell_len(key_display) + 1 + cell_len(description) + GAP
    return cell_len(key_display) + GAP


def choose_keys(items: Iterable[FooterItem], width: int) -> list[FooterItem]:
    """The items that fit in ``width`` columns, most important first, shown in order.

    A key that does not fit is left out whole; a less important, shorter one after it
    may still fit.
    """
    kept: list[FooterItem] = []
    room = width
    for item in sorted(items, key=lambda i: (i.rank, i.order)):
        if item.width <= room:
            kept.append(item)
            room -= item.width
    return sorted(kept, key=lambda i: i.order)


class SpacedKey(FooterKey):
    """A Footer key drawn as "^z Undo": the key, one space, the description."""

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        if self.description:
            text = Text.assemble(
                (self.key_display + " ", key_style), (self.description, description_style)
            )
        else:
            text = Text.assemble((self.key_display, key_style))
        text.stylize_before(self.rich_style)
        return text


class FittedFooter(Footer):
    """The keys for the screen, leaving out whole keys rather than cutting any."""

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)

    def on_resize(self) -> None:
        if self._bindings_ready:
            self.call_after_refresh(self.recompose)

    def _rank(self, namespace: object, binding: Binding) -> int:
        if binding.action == "help" or "escape" in binding.key.split(","):
            return 0
        if binding.action in getattr(namespace, "FOOTER_FIRST", ()):
            return 0
        if not binding.description:
            return 4
        if namespace is self.app:
            return 3
        if namespace is self.screen:
            return 2
        return 1

    def candidates(self) -> list[FooterItem]:
        """Every shown key of the screen, one per action, ranked."""
        items: list[FooterItem] = []
        seen: set[str] = set()
        palette = self.app.COMMAND_PALETTE_BINDING
        for key, (namespace, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if not binding.show or binding.action in seen or key == palette:
                continue
            seen.add(binding.action)
            display = self.app.get_key_display(binding)
            items.append(
                FooterItem(
                    binding,
                    enabled,
                    tooltip,
                    self._rank(namespace, binding),
                    len(items),
                    key_width(display, binding.description),
                )
            )
        return items

    def _palette_width(self) -> int:
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return 0
        active = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if active is None:
            return 0
        display = self.app.get_key_display(active.binding)
        return key_width(display, active.binding.description)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        width = (self.size.width or self.app.size.width) - self._palette_width()
        for item in choose_keys(self.candidates(), width):
            binding = item.binding
            yield SpacedKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not item.enabled,
                tooltip=item.tooltip,
            )
        active = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if self._palette_width() and active is not None:
            yield SpacedKey(
                active.binding.key,
                self.app.get_key_display(active.binding),
                active.binding.description,
                active.binding.action,
                classes="-command-palette",
                disabled=not active.enabled,
                tooltip=active.binding.tooltip or active.binding.description,
            )
