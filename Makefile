# Every target works from a fresh clone: the ones that need Python run `setup` first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= datasets/out
SUITE ?= suites/news.yml

.PHONY: setup validate gate test lint eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

$(OUT)/sample.parquet: $(STAMP) $(wildcard datasets/sample/*)
	$(BIN)/article-validators ingest datasets/sample --out $(OUT)/sample.parquet

## Validate the bundled sample; planted defects are expected, so this target does not fail on them.
validate: $(OUT)/sample.parquet
	$(BIN)/article-validators validate $(OUT)/sample.parquet --suite $(SUITE) --out $(OUT)/sample-run || [ $$? -eq 1 ]

## The strict CI gate (docs/gate.md): exit 0 pass, 1 data failed (the sample fails by design), 2 tool error.
## FAIL_ON=warning makes warnings fail; BASELINE=run/results.json fails only on regressions against it.
FAIL_ON ?= error
BASELINE ?=
gate: $(OUT)/sample.parquet
	$(BIN)/article-validators validate $(OUT)/sample.parquet --suite $(SUITE) --out $(OUT)/sample-gate \
		--fail-on $(FAIL_ON) $(if $(BASELINE),--baseline $(BASELINE))

test: $(STAMP)
	$(BIN)/python -m pytest

CORPORA ?= ../shared/corpora

## Detection quality on the labelled corpora (precision, recall, F1; see each detector's eval).
eval: $(STAMP)
	@test -d $(CORPORA) || { echo "no corpora at $(CORPORA) (set CORPORA=...)"; exit 2; }
	$(BIN)/article-validators eval langmix $(CORPORA)
	$(BIN)/article-validators eval boilerplate $(CORPORA)
	$(BIN)/article-validators eval dates $(CORPORA)

lint: $(STAMP)
	$(BIN)/ruff check validators tests
	$(BIN)/ruff format --check validators tests
	$(BIN)/mypy

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
