"""`python -m studio` runs the `avatar-studio` command."""

import sys

from studio.cli import main

sys.exit(main())
