"""``python -m facilitator`` runs the same command line as ``facilitator``."""

from facilitator.cli import main

if __name__ == "__main__":
    main()
