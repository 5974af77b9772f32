"""facilitator: run participatory relationship-mapping workshops from the terminal."""

__version__ = "0.1.0"
