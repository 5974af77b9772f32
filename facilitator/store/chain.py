"""The journal's hash chain: each entry's digest covers the one before it.

A byte changed anywhere in the journal (a failing disk, a bad copy, a hand edit)
breaks the chain from that entry on, so it is noticed when the file is opened.
"""

from __future__ import annotations

import hashlib

GENESIS = ""  # the "digest" before the first entry


def link(prev: str, seq: int, txn: int, at: str, stage: str, kind: str, payload: str) -> str:
    """The digest of one journal entry, given the digest of the entry before it."""
    text = "\x1f".join((prev, str(seq), str(txn), at, stage, kind, payload))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
