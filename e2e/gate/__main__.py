"""`python -m e2e.gate`: the gate's fast proof or full table (e2e/gate/proof.py)."""

import sys

from e2e.gate.proof import main

sys.exit(main())
