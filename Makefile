# Two commands a newcomer needs: `make e2e` (the end-to-end suite) and `make test` (everything).
# Each sets up what it needs on a fresh machine; a second run reuses it.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
JS_DIR := fake_fal/tests/js
# pytest-xdist workers: `auto` is one per core. Override with `make e2e N=1`.
N      ?= auto
# Real-build lanes side by side in `make test` and `make real-builds`.
LANES  ?= 2
PYTEST := $(PY) -m pytest -n $(N)

.PHONY: setup chromium qcut-builds e2e test gate gate-table real-builds real-journeys scenarios repro lint format clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(JS_DIR)/node_modules/.installed: $(JS_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is required for the @fal-ai/client conformance test (install Node.js 18+)"; exit 1; }
	npm ci --prefix $(JS_DIR) --no-audit --no-fund --loglevel=error
	touch $@

chromium: $(VENV)/.installed
	$(PY) -m e2e.chromium ensure

## Build the real QCut snapshots of ../shared/qcut (or $$QCUT_SRC) into a cache outside the clone, one at a
## time; a second run reuses them. Without a snapshot it says where it looked and succeeds.
qcut-builds: $(VENV)/.installed
	$(PY) -m qcut_builds build

setup: $(VENV)/.installed $(JS_DIR)/node_modules/.installed chromium qcut-builds
	$(PY) -m fixtures.media > /dev/null

## The end-to-end suite; reports in reports/ (junit.xml, report.html, artifacts of failing tests).
e2e: setup
	$(PYTEST) e2e

## Everything the project tests: lint, the fake's conformance tests, the e2e suite and the gate's fast proof;
## beside them, the suite against the real QCut builds (its browser tests mostly wait on the app, so the
## two share the cores well): its report follows theirs, its whole output is in reports/real-builds/run.log.
test: setup lint
	@mkdir -p reports/real-builds
	@echo "the real-build lanes run beside the suite: python -m e2e.build_gate -n $(N) --lanes $(LANES)"
	@$(PY) -m e2e.build_gate -n $(N) --lanes $(LANES) > reports/real-builds/run.log 2>&1 & lanes=$$!; \
	$(PYTEST) fake_fal/tests qcut_builds/tests media_app/tests e2e; suite=$$?; \
	$(PY) -m e2e.gate -n $(N); gate=$$?; \
	echo "waiting for the real-build lanes (reports/real-builds/run.log) ..."; \
	wait $$lanes; real=$$?; cat reports/real-builds/run.log; \
	echo "make test: suite exit $$suite, gate exit $$gate, real-build lanes exit $$real"; \
	test $$suite -eq 0 && test $$gate -eq 0 && test $$real -eq 0

## The gate's fast proof: each legacy switch (and `legacy`) against the tests that caught it in the last full
## table (e2e/gate_table.json), fastest first, up to the first catch; the whole suite for a switch they miss.
## Fails, naming the switch, if a switch goes uncaught.
gate: setup
	$(PY) -m e2e.gate -n $(N)

## The whole table: the suite on the fixed app, then once per legacy switch and once for `legacy`; rewrites
## e2e/gate_table.json when the fixed app passes and every switch is caught.
gate-table: setup
	$(PY) -m e2e.gate --table -n $(N)

## The suite against every real QCut build (and 7e2231ef with the desktop shell's headers): what it caught
## per build, by cause, checked against e2e/expectations/. Reports in reports/real-builds/.
real-builds: setup
	$(PY) -m e2e.build_gate -n $(N) --lanes $(LANES)

## The stateful test's journeys against every real build, with the rules and checks its DOM supports: each
## finding shrunk and written as a scenario (reports/journeys/journey_qcut_<commit>_<cause>.toml). Minutes
## per build, most of it Hypothesis shrinking what it found.
real-journeys: setup
	$(PY) -m e2e.build_gate --journeys

## Every user-report scenario: the fixed app shows the video, the user's conditions reproduce the symptom.
scenarios: setup
	$(PYTEST) e2e -m scenario

## Reproduce one scenario with a diagnosis: `make repro S=ltx_console_v2` (reports/repro/<name>/);
## FIXED=1 replays it on the fixed app, HEADED=1 shows the browser. Without S=, list the scenarios.
repro: $(if $(S),setup,$(VENV)/.installed)
ifdef S
	$(PY) -m e2e.repro $(S) $(if $(FIXED),--fixed) $(if $(HEADED),--headed)
else
	@$(PY) -m e2e.repro --list
	@echo "Pick one: make repro S=<name>   (FIXED=1: on the fixed app; HEADED=1: watch it)"
endif

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) $(JS_DIR)/node_modules fixtures/media reports/*
	touch reports/.gitkeep
