# Two commands set everything up on a fresh machine with Python 3.11+:
#   make chat   installs into .venv and opens the console chat (no token; network only to install)
#   make test   installs into .venv (with test tools) and runs the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: chat test check eval bench telegram clean systemd-analyze

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

chat: $(STAMP)
	$(BIN)/python -m bot console

# Both cores (pytest-xdist): the suite takes about 3 minutes instead of 5 on a 2-core machine.
test: $(STAMP) systemd-analyze
	$(BIN)/python -m pytest -n 2

# tests/test_deploy.py runs `systemd-analyze verify` on deploy/net-faq-bot.service. It comes
# with Debian's systemd package: installed here when missing and we may (root with apt-get);
# otherwise that one test is skipped, saying why.
systemd-analyze:
	@command -v systemd-analyze >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd) \
	      >/dev/null || echo "could not install systemd-analyze; its test will be skipped"; \
	  else echo "systemd-analyze not found (Debian package systemd); its test will be skipped"; fi; }

check: $(STAMP)
	$(BIN)/python -m faq check
	$(BIN)/python -m bot check

eval: $(STAMP)
	$(BIN)/python -m faq eval corpus/heldout-*.yaml

bench: $(STAMP)
	$(BIN)/python scripts/bench_matcher.py
	$(BIN)/python scripts/bench_startup.py
	$(BIN)/python scripts/bench_review.py

telegram: $(STAMP)
	$(BIN)/python -m bot telegram

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .hypothesis
