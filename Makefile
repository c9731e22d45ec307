# Two commands do all set-up: `make run` (serve on the bundled model and SQLite) and `make test`.
# Both install the exact versions of requirements.lock; `make lock` refreshes it (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LOCK   := requirements.lock
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install lint test run model bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(LOCK) pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

run: install
	$(BIN)/lapor-nlp serve --bootstrap-key --host $(HOST) --port $(PORT)

# Rebuild the bundled default model from training/data (fixed seeds: same metrics every time).
model: install
	$(BIN)/python training/build_default_model.py

bench: install
	$(BIN)/python benchmarks/preprocess.py
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/predict_speed.py
	$(BIN)/python benchmarks/api_load.py

# Re-resolve requirements.lock from pyproject.toml (Python 3.11, Linux), dev extras included.
# Pins still allowed by pyproject.toml are kept; `make lock UPGRADE=1` moves every pin to the
# newest allowed release.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "pip-tools>=7.4"
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet $(if $(UPGRADE),--upgrade) --extra dev --strip-extras \
		--allow-unsafe --no-emit-index-url --no-emit-find-links --newline lf \
		--output-file $(LOCK) pyproject.toml

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
