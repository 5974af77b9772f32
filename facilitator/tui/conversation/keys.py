"""The conversation's keys, declared once; each step lists the ones it answers to.

The order here is the order in the Footer and in F1 help, so each step keeps it.
"""

from __future__ import annotations

from textual.binding import Binding

NEXT = Binding("ctrl+down", "next", "Next", tooltip="The next prompt or step")
NEXT_PAGE = Binding("pagedown", "next", "Next", show=False)
BACK = Binding("ctrl+up", "back", "Back", tooltip="The previous prompt or step")
BACK_PAGE = Binding("pageup", "back", "Back", show=False)
PROBE = Binding(
    "ctrl+f", "probe", "Follow-up", tooltip="Show a follow-up question; again for the next"
)
FINISH = Binding("ctrl+f", "finish", "Finish", tooltip="Mark the conversation finished")
REOPEN = Binding("ctrl+f", "reopen", "Reopen", tooltip="Reopen a finished conversation")
ADD_ACTION = Binding(
    "ctrl+n", "add_action", "Action", tooltip="Add an agreed action: what, who, by when"
)
NEW = Binding("ctrl+n", "new_conversation", "New", tooltip="Start a conversation with an agency")
SKIP = Binding("ctrl+o", "skip", "Skip", tooltip="Skip this prompt (it is noted as skipped)")
GUIDANCE = Binding(
    "f12,alt+g",
    "toggle_guidance",
    "Guidance",
    tooltip="Show or hide your facilitator's note (not for the wall)",
)
SPEAKER = Binding(
    "ctrl+b",
    "cycle_speaker",
    "Who said it: kept for later notes (P: A: B: before one note)",
    show=False,
    tooltip="Partnership, agency or both; stays until changed",
)
TAG = Binding(
    "ctrl+y",
    "cycle_tag",
    "Tag the next note (or start it with ! + ? = before a letter or space)",
    show=False,
    tooltip="Challenge, opportunity, ask, agreement or none, for the next note only",
)
TIMER = Binding(
    "alt+t",
    "toggle_timer",
    "Pause timer",
    show=False,
    tooltip="Pause or restart the section timer",
)
# ctrl+e also moves to the end of a text box; End does that as well, and terminals often
# swallow alt keys, so the running tally gets a ctrl key (first even in the note box).
PANEL = Binding(
    "ctrl+e",
    "toggle_panel",
    "So far",
    priority=True,
    tooltip="Show or hide the challenges, opportunities and actions so far",
)
PANEL_ALT = Binding(
    "alt+p",
    "toggle_panel",
    "Challenges, opportunities and actions so far",
    show=False,
    tooltip="Show or hide the running tally beside the prompt (ctrl+e)",
)
TO_SUMMARY = Binding(
    "alt+s",
    "to_summary",
    "Summary: challenges, opportunities, actions, what was agreed",
    show=False,
    tooltip="The conversation's closing summary",
)
STEPS = Binding(
    "escape", "steps", "Steps", tooltip="Jump to a step or section, or back to the list"
)
