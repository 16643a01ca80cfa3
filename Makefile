# Two commands set everything up on a fresh machine with Python 3.11+:
#   make chat   installs into .venv and opens the console chat (no token, no network)
#   make test   installs into .venv (with test tools) and runs the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: chat test check eval bench telegram clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

chat: $(STAMP)
	$(BIN)/python -m bot console

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/python -m faq check

eval: $(STAMP)
	$(BIN)/python -m faq eval tests/data/dev_set.yaml

bench: $(STAMP)
	$(BIN)/python scripts/bench_matcher.py
	$(BIN)/python scripts/bench_startup.py
	$(BIN)/python scripts/bench_review.py

telegram: $(STAMP)
	$(BIN)/python -m bot telegram

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .hypothesis
