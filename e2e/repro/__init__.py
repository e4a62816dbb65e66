"""The user-report tool: a scenario file in, the user's symptom replayed and explained out.

- `scenario`: the scenario format as data (the environment, what FAL did, projects, outcomes, causes).
- `steps`: what the user did, one dataclass per action; `loader`: a scenario file read strictly
  (`table`: one TOML table's checked reads).
- `replay`: runs a scenario in Chromium (`driver`: plays the steps and observes; `page_scripts`: what it
  evaluates in the page) and collects the `evidence`.
- `causes`: the causes the evidence shows; `diagnosis`: all of it against the outcomes, as `diagnosis.md`.
- `triage`: known signatures (`signatures`) in what a user pasted (`pasted`: console log, DevTools export,
  Electron log, HAR), and the scenario that reproduces them.
- `har`: a HAR read for the FAL job, its media and the page's policies; `har2scenario` drafts a scenario.
- `reproduce` (`python -m e2e.repro`): all of it outside pytest, with its own servers and Chromium.
"""
