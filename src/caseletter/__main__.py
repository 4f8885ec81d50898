"""``python -m caseletter``: the same command as ``caseletter``."""

import sys

from caseletter.cli import main

sys.exit(main())
