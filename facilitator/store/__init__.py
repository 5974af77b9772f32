"""The session file: one SQLite file per workshop, every change journalled.

Import :mod:`facilitator.store.sessionfile` for reading and writing sessions; it
loads the database layer, which is slow to import, so the app does it off the path
to its first frame. :mod:`facilitator.store.catalog` and
:mod:`facilitator.store.errors` are light.
"""

FILE_SUFFIX = ".facilitator"
APPLICATION_ID = 0x46414331  # "FAC1": marks a SQLite file as a facilitator session
SCHEMA_VERSION = 3  # 2: the journal carries a hash chain; 3: session id and origin
