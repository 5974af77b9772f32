"""The mapping stages.

Stage 1 lists and places the partnership's relationships: relationships.py, with the
ring map in map_entries.py, map_layout.py (both pure) and map_widget.py, and the details
form in relationship_dialog.py. Stages 2 and 3 take a closer look at one relationship
each (closer_look.py, with the widgets they share in closer_look_widgets.py): what makes
a good one work, and how to develop a weaker one. Their styles are in stages.tcss.
"""
