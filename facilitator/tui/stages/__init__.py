"""The mapping stages.

Stage 1 lists and places the partnership's relationships: relationships.py, with the
ring map in map_entries.py, map_layout.py (both pure) and map_widget.py, and the details
form in relationship_dialog.py. Stages 2 and 3 take a closer look at one relationship
each: closer_look.py is what they share, good_relationship.py is stage 2 (what makes a
good one work) and develop.py stage 3 (how to develop a weaker one), with the widgets
of closer_look_widgets.py. Their styles are in stages.tcss.
"""
