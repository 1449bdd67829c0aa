# Set-up and everyday commands. `make demo` and `make test` are the README's two commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast serve browser install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch first, pinned: 2.13.0 is the CPU build on this machine's disk (an unpinned torch is a multi-GB CUDA build).
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Index the bundled sample corpus (and its sentences' answer-encoder vectors, which /ask and
## /search read) and answer a sample question.
demo: $(STAMP)
	$(BIN)/scrutiny ingest sample
	$(BIN)/scrutiny index sentence-vectors
	$(BIN)/scrutiny ask "What did the director promise on NFA rates?"

## Debian's Chromium for the browser tests of the web page (needs root or sudo, as on CI).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## The test suite (what CI runs).
test: $(STAMP) browser
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

serve: $(STAMP)
	$(BIN)/scrutiny serve

clean:
	rm -rf var/index .pytest_cache
