"""`python -m permanence` runs the same command line as `permanence`."""

import sys

from permanence.cli import main

sys.exit(main())
