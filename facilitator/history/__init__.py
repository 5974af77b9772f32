"""Sessions over time: carrying a session forward, and seeing what changed between them.

Everything here works on session states (:class:`~facilitator.domain.model.SessionState`),
the same plain objects the exports read; only :mod:`facilitator.history.files` opens
session files.
"""
