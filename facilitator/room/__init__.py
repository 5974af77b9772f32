"""The room page: participants join from their phones on the hall's Wi-Fi.

A small web server runs inside the app itself while the facilitator has the room on.
Nothing here imports the terminal UI: :mod:`facilitator.room.server` builds the web
app, :mod:`facilitator.room.hub` holds the room's devices and contributions, and the
TUI (``facilitator.tui.room``) commits what arrives through the same domain commands
and journal as the keyboard. The security model is described in docs/room.md.
"""
