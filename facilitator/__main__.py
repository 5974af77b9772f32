"""``python -m facilitator`` runs the same program as ``facilitator``."""

from facilitator.launch import main

if __name__ == "__main__":
    main()
