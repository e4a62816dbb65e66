"""`python -m e2e.repro SCENARIO`: reproduce a user's report and write its diagnosis (see reproduce.py)."""

import sys

from e2e.repro.reproduce import main

sys.exit(main())
