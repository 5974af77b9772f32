"""The conversation stage: a facilitated conversation with one agency, step by step.

The pane (pane.py) switches between one widget per step; each step draws itself from the
session it is given and posts what the facilitator changes, which the pane commits.
"""
