# Two commands on a machine with only Python: `make run` and `make test`. Both install exactly the
# versions in requirements*.txt (hashes checked); `make lock` moves them on purpose (tools/lock.py).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCKED := $(BIN)/python -m pip install --quiet --require-hashes --no-deps
# quiz itself, editable, built with the locked setuptools rather than whatever an isolated build fetches
PROJECT := $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .

.PHONY: run test lock lock-check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt pyproject.toml | $(BIN)/python
	$(LOCKED) -r requirements.txt
	$(PROJECT)
	touch $@

$(VENV)/.test: requirements-test.txt pyproject.toml | $(BIN)/python
	$(LOCKED) -r requirements-test.txt
	$(PROJECT)
	touch $@

$(VENV)/.bench: requirements-bench.txt pyproject.toml | $(BIN)/python
	$(LOCKED) -r requirements-bench.txt
	$(PROJECT)
	touch $@

lock-check:
	$(PYTHON) tools/lock.py --check

run: lock-check $(VENV)/.runtime
	$(BIN)/python main.py

test: lock-check $(VENV)/.test
	$(BIN)/ruff check quiz tests benchmarks tools main.py
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -v

bench: lock-check $(VENV)/.bench
	$(BIN)/python benchmarks/run.py

lock: | $(BIN)/python
	$(LOCKED) -r requirements-uv.txt
	$(BIN)/python tools/lock.py

clean:
	rm -rf $(VENV) .pytest_cache
