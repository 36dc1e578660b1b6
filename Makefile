# Every target works from a fresh clone: the ones that need Python run `setup` first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= datasets/out
SUITE ?= suites/news.yml

.PHONY: setup setup-spark validate gate test lint eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

SPARK_STAMP := $(VENV)/.installed-spark

$(SPARK_STAMP): $(STAMP)
	command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless)
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $(SPARK_STAMP)

## The Spark engine and its tests: pyspark (through GX's extra); needs Java 17 on the machine.
setup-spark: $(SPARK_STAMP)

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

lint: $(STAMP)
	$(BIN)/ruff check validators tests
	$(BIN)/ruff format --check validators tests
	$(BIN)/mypy

## Throughput per stage and peak RSS on N built articles (make bench ARTICLES=100000).
ARTICLES ?= 20000
bench: $(STAMP)
	$(BIN)/article-validators bench --articles $(ARTICLES)

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
