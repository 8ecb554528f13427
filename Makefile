# make book: build the sample book into dist/.   make test: lint, type-check and run the tests.
# Both set up everything first: Debian packages (fonts, Pango, Java for epubcheck) when missing,
# and a virtual environment in .venv with the pinned Python packages.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Runtime: Pango and HarfBuzz's subsetter for WeasyPrint, fonts with glyphs for every script in the sample.
DEBIAN_BUILD := fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
# To install the Python packages: PyICU (CLDR's quotation marks) is built against the system's ICU.
DEBIAN_PYTHON := libicu-dev pkg-config g++
# Tests: Java for epubcheck, poppler for reading the PDF the way a viewer does, Chromium for DAISY Ace
# and the download-page test, Node.js for Ace when the machine has none.
DEBIAN_TEST := default-jre-headless poppler-utils chromium
ACE := .tools/ace/node_modules/.bin/ace-cli
# axe-core, injected into Debian's Chromium by the web edition's accessibility tests (tests/test_web_browser.py).
AXE := .tools/axe/node_modules/axe-core/axe.min.js
# make-book's own modules compiled once: the environment may set PYTHONDONTWRITEBYTECODE, and then
# every build compiled them again as it started (0.06 s before the first layout could begin).
BYTECODE := ebook/__pycache__/.compiled

.PHONY: book test test-fast check lint bench clean debian-build debian-test

book: $(VENV)/.installed $(BYTECODE) debian-build
	$(BIN)/make-book

check: $(VENV)/.installed
	$(BIN)/make-book check

test: $(VENV)/.installed $(BYTECODE) debian-build debian-test $(ACE) $(AXE) lint
	$(BIN)/pytest -q -p no:cacheprovider --durations=15

# The edit loop: no lint, no validators' set-up, no builds of real books (-m "not slow").
test-fast: $(VENV)/.installed
	$(BIN)/pytest -q -p no:cacheprovider -m "not slow"

lint: $(VENV)/.installed
	$(BIN)/ruff check ebook tests scripts benchmarks
	$(BIN)/ruff format --check ebook tests scripts benchmarks
	$(BIN)/mypy

# Timings against pandoc and at ten times the size; prints a table (about 15 minutes).
bench: $(VENV)/.installed $(BYTECODE) debian-build
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py

$(VENV)/.installed: pyproject.toml
	@sh scripts/debian-install.sh $(DEBIAN_PYTHON)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(BYTECODE): $(VENV)/.installed $(shell find ebook -name "*.py")
	$(BIN)/python -m compileall -q ebook
	touch $@

# Installs only what is missing, so a machine that has everything is not touched.
debian-build:
	@sh scripts/debian-install.sh $(DEBIAN_BUILD)

debian-test:
	@sh scripts/debian-install.sh $(DEBIAN_TEST)

# DAISY Ace from npm, offline-safe: Puppeteer's own browser download is skipped, Debian's Chromium is used.
$(ACE):
	command -v npm >/dev/null || sh scripts/debian-install.sh nodejs npm
	PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund --prefix .tools/ace @daisy/ace-cli@1.4.6

$(AXE):
	command -v npm >/dev/null || sh scripts/debian-install.sh nodejs npm
	npm install --silent --no-audit --no-fund --prefix .tools/axe axe-core@4.14.1

clean:
	rm -rf dist $(VENV) .tools .mypy_cache .ruff_cache .hypothesis ebook/__pycache__
