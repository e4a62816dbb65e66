"""Hypothesis settings profiles for the journeys: `ci` (the default here) and `explore` (on request).

`ci` is deterministic and bounded: a fixed seed (`derandomize`) and an example budget that keeps the
stateful test near two minutes on two cores. `explore` (`--hypothesis-profile explore`) runs many more and
longer journeys from fresh randomness, and keeps what it found under reports/ for the next run.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "reports" / "hypothesis"
# Hypothesis' own files (its example database, its caches) go with the other run artifacts, not into a
# .hypothesis/ in the clone, which its pytest plugin would warn about (and warnings are errors here).
set_hypothesis_home_dir(HOME)
# A journey drives a browser: slow by Hypothesis' standards, and each example takes seconds.
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=8,
    stateful_step_count=10,
    deadline=None,
    suppress_health_check=SLOW,
    print_blob=False,
)
settings.register_profile(
    "explore",
    derandomize=False,
    database=DirectoryBasedExampleDatabase(str(HOME / "examples")),
    max_examples=200,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=SLOW,
)
settings.load_profile("ci")

# On a real build each step costs seconds (its editor is about 10 MB of lazy chunks, loaded anew with every
# project): its journeys are capped so that a failure found there shrinks within Hypothesis' five minutes.
REAL_BUILD_STEPS = 6


def journey_settings(real_build: bool) -> settings:
    """The loaded profile's settings; on a real build, with journeys of at most REAL_BUILD_STEPS steps."""
    loaded = settings()
    if not real_build:
        return loaded
    return settings(loaded, stateful_step_count=min(loaded.stateful_step_count, REAL_BUILD_STEPS))
