# tenure: the two commands of a fresh machine are `make run` and `make test`.
# Each creates its own virtualenv (.venv) with pinned dependencies on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck layers bench bench-memory bench-cli bench-documents bench-mail simulate clean

$(STAMP): pyproject.toml
	sh .ci/system-packages
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==26.3
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: tenure on its embedded default: the API with its in-process billing worker on SQLite
## (./tenure.sqlite), a demo vendor with the CloudCRM catalog, demo customers and an API key;
## webhooks may go to private addresses (the demo receiver of docs/api.md listens on loopback)
run: $(STAMP)
	TENURE_WEBHOOK_ALLOW_PRIVATE=1 $(BIN)/tenure serve

## simulate: play the bundled example scenarios and check them against their expected results
simulate: $(STAMP)
	$(BIN)/tenure simulate examples/scenarios/redconnect-cancel-quarter.yaml
	$(BIN)/tenure simulate --check examples/scenarios/*.yaml

## test: the whole suite: lint, types, layer contract, unit, property and scenario tests
test: lint typecheck layers
	$(BIN)/pytest -n auto

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

## bench: API throughput and latency against a bare FastAPI endpoint (needs PostgreSQL)
bench: $(STAMP)
	$(BIN)/python bench/api_bench.py

## bench-memory: seeding and billing 2,000 and 20,000 contracts on the in-memory store
bench-memory: $(STAMP)
	$(BIN)/python bench/memory_billing.py

## bench-cli: start-up time of `tenure --help` and `tenure invoices list` (median of 7 processes)
bench-cli: $(STAMP)
	$(BIN)/python bench/cli_startup.py

## bench-documents: complete Factur-X + XRechnung documents per second on one core, against a
## one-line fpdf2 page; then the PDF and the XMLs apart
bench-documents: $(STAMP)
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/documents_pdf.py
	$(BIN)/python bench/einvoice_bench.py

## bench-mail: e-mails per second composed, through an SMTP server on loopback, and as .eml files
bench-mail: $(STAMP)
	$(BIN)/python bench/mail_bench.py
	$(BIN)/python bench/mail_delivery.py

