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

.PHONY: install run ingest serve test test-fast eval bench reliability clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[st,llm,dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

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
