"""Run the app on a sessions folder: the one place both entry points (launch, cli) start it."""

from __future__ import annotations

import sys
from pathlib import Path


def run_app(sessions_dir: Path, *, open_path: Path | None = None, **kwargs: object) -> None:
    """Run the app on a sessions folder; exit with its return code if it failed."""
    from facilitator.tui.app import make_app

    app = make_app(sessions_dir=sessions_dir, open_path=open_path, **kwargs)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)
