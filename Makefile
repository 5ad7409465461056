# Two commands do everything: `make run` (set up + start the whole service) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: setup run test test-unit test-api test-integration test-browser test-reliability lint models eval-models eval bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# The CPU wheel first: any other torch spec would pull GBs of CUDA packages.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

run: setup
	$(PY) -m scripts.stack

test: setup
	$(PY) -m pytest -q

test-unit: setup
	$(PY) -m pytest -q tests/unit

test-api: setup
	$(PY) -m pytest -q tests/api

test-integration: setup
	$(PY) -m pytest -q tests/integration

# The editors' page in Debian's headless chromium (apt-get install chromium); screenshots in var/test-output/browser.
test-browser: setup
	$(PY) -m pytest -q -s tests/browser

# Faults, hostile input, schemathesis and the 10,000-document load test (opt-in elsewhere: RELIABILITY_LOAD=1).
test-reliability: setup
	RELIABILITY_LOAD=1 $(PY) -m pytest -q tests/reliability

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy service workers training scripts bench client

# Rebuilds every model in models/ from ../shared/data (SHARED_DATA overrides). Hours; not part of CI.
models: setup
	$(PY) -m pip install -q -e '.[train]'
	$(PY) -m training.all

# EVAL_ARGS="--only gsd,sentiment" scores some parts again and keeps the card's other scores.
eval-models: setup
	$(PY) -m training.evaluate $(EVAL_ARGS)

eval: setup
	$(PY) -m workers.events.evaluate

# Every benchmark part (bench/run.py): one table, a dated section appended to bench/RESULTS.md. Run it on a quiet
# machine; BENCH_ARGS=--quick is a smoke run that writes nothing.
bench: setup
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf var/redis var/*.log
