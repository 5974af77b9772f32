"""A programme's view across many areas' sessions: the roll-up and the shared database.

:mod:`.tally` counts what a set of sessions holds (pure: session states in, counts out),
and :mod:`.tables` lays the counts out as the report's tables;
:mod:`.loader` reads session files one at a time, read-only, older formats included;
:mod:`.report` turns the counts into CSV tables and one HTML page with charts;
:mod:`.server` copies sessions into a shared PostgreSQL database and reads them back.
Nothing here imports the terminal UI.
"""
