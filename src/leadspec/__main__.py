"""`python -m leadspec` runs the same command as `leadspec`."""

import sys

from leadspec.cli import main

sys.exit(main())
