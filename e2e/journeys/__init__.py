"""Random user journeys through the reference app, checked against a model of what the user should see.

- `model.py`: the user's view as data (projects, items and their storage state, filters, toasts allowed).
- `machine.py`: a Hypothesis state machine whose rules are user actions done with the page objects and whose
  invariants compare the page with the model after every step.
- `scenario_writer.py`: a failing journey, shrunk, written as a scenario that `python -m e2e.repro` replays.
- `profiles.py`: the Hypothesis settings profiles, `ci` (fixed seed, bounded) and `explore`.
"""
