# The two commands of the README: `make letter` and `make test`. Each sets up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.test-extras-stamp
CASE ?= cases/sts-calcinosis.yaml

.PHONY: letter test lint bench bench-compare system-packages clean

letter: $(STAMP)
	$(BIN)/caseletter build $(CASE)

test: $(TEST_STAMP) system-packages lint
	$(BIN)/python -m pytest

# The code's shape: ruff (pyflakes, import order, docstrings, 120 columns) and the import
# contracts of pyproject.toml (stages import only downward, no cycles inside a package).
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Debian programs the tests use: chromium for the browser test (Playwright's own browser download
# is not used), tesseract-ocr for reading text burned into figures, and iproute2's ip to give the
# offline build test a loopback of its own. Installed when run as root.
SYSTEM_PROGRAMS := chromium tesseract ip
system-packages:
	@missing=""; for p in $(SYSTEM_PROGRAMS); do command -v $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  pkgs=$$(echo "$$missing" | sed 's/tesseract/tesseract-ocr/; s/\bip\b/iproute2/'); \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null; \
	  else \
	    echo "The tests need Debian's$$pkgs: sudo apt-get install$$pkgs"; exit 1; \
	  fi; \
	fi

# What a letter needs (the kit, installed editable from this checkout) ...
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "caseletter needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(STAMP)

# ... and what the tests, the linters and the benchmarks add.
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(TEST_STAMP)

# Medians of 5 runs, the kit against the plain papermill + nbconvert path; writes benchmarks/results.md,
# and the preview's save-to-page time and memory to benchmarks/preview_results.md.
bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/preview.py

# The working tree against another commit (REF=...), the two timed turn about; writes benchmarks/comparison.md.
bench-compare: $(TEST_STAMP)
	$(BIN)/python benchmarks/compare.py $(REF)

clean:
	rm -rf build
