# Collaborative Working: the two commands a newcomer needs are `make lab` and `make test`.
# Every target sets up .venv first; a second run reuses it unless pyproject.toml changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8866
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
# Strict nbval: every stored output is compared; a stalled cell fails after 60 s.
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
          --nbval-cell-timeout=60 -p no:cacheprovider

.PHONY: help setup lab test quick lint unit nbval browser hub notebooks content present bench stall clean

help:
	@echo "make lab        open JupyterLab on the workshop notebooks"
	@echo "make test       lint, unit tests, strict nbval, browser and hub tests"
	@echo "make quick      lint and the unit tests without the slow load and crash tests"
	@echo "make hub        a real JupyterHub with 10 learner accounts (needs root)"
	@echo "make notebooks  re-execute every notebook against an empty answer store"
	@echo "make content    check every data/ file against its schema and record that it passed"
	@echo "make present    show the notebooks with Voila (code hidden), for a projector"
	@echo "make bench      run every benchmark, print one table (benchmarks/results/latest.json)"
	@echo "make stall      execute the session notebooks 200 times, counting kernel stalls"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "); run e.g. make PYTHON=python3.12 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,present,hub]'
	@touch $(STAMP)

setup: $(STAMP)

# axe-core, for the accessibility audits of the browser tests, and configurable-http-proxy,
# JupyterHub's proxy (npm; package-lock.json pins both).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the accessibility and hub tests: install Node.js 18+ (Debian/Ubuntu: sudo apt-get install nodejs npm; macOS: brew install node)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(AXE)

lab: setup
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(ALLOW_ROOT)

lint: setup
	$(BIN)/ruff check partnership_lib tests scripts benchmarks deploy
	$(BIN)/ruff format --check partnership_lib tests scripts benchmarks deploy
	$(BIN)/lint-imports

# The unit tests run on every core (pytest-xdist); make quick leaves out the slow ones.
unit: setup
	$(BIN)/pytest -m "not browser and not hub" -n auto

quick: lint
	$(BIN)/pytest -m "not browser and not hub and not slow" -n auto

nbval: setup
	PARTNERSHIP_DATA_DIR=$$(mktemp -d) $(BIN)/pytest $(NBVAL) notebooks

# The browser tests spend their time in Chromium, the servers and the kernels, so they run
# on every core too (each worker has its own Chromium, JupyterLab and Voila; at most 4).
# A worker takes the next test as soon as it is free (worksteal): the culling test alone
# takes minutes.
browser: setup $(AXE)
	$(BIN)/pytest -m browser tests/browser -n auto --maxprocesses 4 --dist worksteal

# Needs root: it creates Unix accounts (removed afterwards); skipped otherwise, fails under CI.
hub: setup $(AXE)
	$(BIN)/pytest -m hub tests/hub

test: lint unit nbval browser hub

notebooks: setup
	$(BIN)/python scripts/execute_notebooks.py notebooks

# After editing data/ or data/schemas/: validate and record (data/schemas/validated.json).
content: setup
	$(BIN)/python scripts/record_content.py

# Voila reads its settings (kernel culling, see "Leaving Voila running all day" in README.md) from
# deploy/voila/voila.py and no other Voila config file. VOILA_ARGS adds or overrides
# settings for one run: make present VOILA_ARGS=--MappingKernelManager.cull_idle_timeout=1800
VOILA_CONFIG ?= deploy/voila
VOILA_ARGS   ?=
present: setup
	$(BIN)/voila --port=$(PORT) --no-browser --Voila.config_file_paths=$(VOILA_CONFIG) $(VOILA_ARGS) notebooks

# BENCH_ARGS="--only grid --quick" runs part of it, fast.
bench: setup
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# RUNS=... and KERNEL_PYTHON=... (another venv's interpreter) change the defaults.
RUNS          ?= 200
KERNEL_PYTHON ?= $(BIN)/python
stall: setup
	$(BIN)/python benchmarks/stall.py --runs $(RUNS) --python $(KERNEL_PYTHON)

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache tests/artifacts
