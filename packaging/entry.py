"""The bundle's entry point: the `avatar-studio` command, exactly as `python -m studio` runs it."""

import sys

from studio.cli import main

if __name__ == "__main__":
    sys.exit(main())
