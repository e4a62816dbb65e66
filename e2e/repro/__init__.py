"""The user-report tool: a scenario file in, the user's symptom replayed and explained out.

- `scenario`: the scenario format (what the user did, what FAL returned, the environment, the outcomes).
- `replay`: drives the app through a scenario's steps and collects the evidence.
- `diagnosis`: evidence against the scenario's outcomes, as `diagnosis.md`.
- `triage`: known signatures in a pasted console log, and the scenario that reproduces them.
- `har2scenario`: a scenario drafted from a HAR saved in DevTools.
- `reproduce` (`python -m e2e.repro`): all of it outside pytest, with its own servers and Chromium.
"""
