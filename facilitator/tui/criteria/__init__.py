"""The criteria stage: the group chooses two of the eight things that make a
relationship work, by picking them directly or by a dot vote.

The pane (pane.py) switches between one widget per view (pick_view.py, vote_view.py);
each view draws itself from the session it is given and posts what the facilitator
changes, which the pane commits.
"""
