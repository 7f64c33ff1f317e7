# rectify: `make run` and `make test` do all the set-up on a fresh Debian machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= warehouse/rectification.duckdb
HOST ?= 127.0.0.1
PORT ?= 8050
SHARED ?= ../shared
PIP := $(BIN)/pip --disable-pip-version-check -q
# Cache compiled modules and pytest's rewritten test modules (__pycache__, ignored by git):
# without them every run and every test worker compiles the whole tree again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install warehouse run test test-fast lint eval bench system-deps clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	touch $@

install: $(STAMP)

# The bundled sample reports, loaded into the warehouse (idempotent: a reload replaces them).
warehouse: install
	$(BIN)/rectify load data/samples --db $(DB) --quiet

# Chart images need chromium and a Chinese font (fonts-noto-cjk), as the tests do.
# `make run PORT=8080 HOST=0.0.0.0` serves elsewhere.
run: warehouse system-deps
	$(BIN)/rectify serve --db $(DB) --host $(HOST) --port $(PORT)

# Debian's chromium (browser tests, chart images) and CJK fonts, when missing.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  echo "installing$$missing"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The fast lane: unit, warehouse and page-callback tests, no browser, no servers (target 30 s),
# spread over the machine's cores (pytest-xdist).
test-fast: install
	$(BIN)/pytest -n auto -m "not browser and not slow"

# Everything, as CI runs it: lint, the fast lane, then the browser and slow tests.
test: warehouse system-deps lint test-fast
	$(BIN)/pytest -m "browser or slow"

eval: install
	$(BIN)/rectify eval $(SHARED)/gold/seed.gold.json $(SHARED)/seeds/000_ea4a386f79e332ee.txt
	$(BIN)/rectify eval $(SHARED)/reports/index.json $(SHARED)/reports/r*.txt

bench: install
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/ledger.py
	$(BIN)/python benchmarks/dashboard.py
	$(BIN)/python benchmarks/exports.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/hostile.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
