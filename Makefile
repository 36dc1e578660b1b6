# Every target works from a fresh clone: the ones that need Python run `setup` first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= datasets/out
SUITE ?= suites/news.yml

.PHONY: setup validate gate test lint eval bench clean fuzz

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

## The strict CI gate: exits 1 when an error-severity check fails (the sample fails by design).
gate: $(OUT)/sample.parquet
	$(BIN)/article-validators validate $(OUT)/sample.parquet --suite $(SUITE) --out $(OUT)/sample-gate

test: $(STAMP)
	$(BIN)/python -m pytest

## Long property-based fuzzing of every ingest format and the suite loader: at least 100,000 generated cases.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/reliability/test_fuzz_ingest.py \
		tests/reliability/test_fuzz_suite.py

lint: $(STAMP)
	$(BIN)/ruff check validators tests
	$(BIN)/ruff format --check validators tests
	$(BIN)/mypy

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
