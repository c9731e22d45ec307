# Two commands do all set-up: `make run` (serve on the bundled model and SQLite) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install lint test run model bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

run: install
	$(BIN)/lapor-nlp serve --bootstrap-key

# Rebuild the bundled default model from training/data (fixed seeds: same metrics every time).
model: install
	$(BIN)/python training/build_default_model.py

bench: install
	$(BIN)/python benchmarks/preprocess.py
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/predict_speed.py
	$(BIN)/python benchmarks/api_load.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
