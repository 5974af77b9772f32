"""The Textual app: one screen per file, styles in ``app.tcss``."""
