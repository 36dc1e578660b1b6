# Every target works from a fresh clone: the ones that need Python run `setup` first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= datasets/out
SUITE ?= suites/news.yml

.PHONY: setup setup-spark setup-browser validate gate test lint eval bench fuzz clean

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

## The report's browser tests drive the distribution's Chromium (Playwright never downloads a browser here).
setup-browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

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

## Every test, including the Spark engine and the report in a real browser (both installed on first use).
test: $(SPARK_STAMP) setup-browser
	$(BIN)/python -m pytest

CORPORA ?= ../shared/corpora

## Detection quality on the labelled corpora (precision, recall, F1; see each detector's eval).
eval: $(STAMP)
	@test -d $(CORPORA) || { echo "no corpora at $(CORPORA) (set CORPORA=...)"; exit 2; }
	$(BIN)/article-validators eval langmix $(CORPORA)
	$(BIN)/article-validators eval boilerplate $(CORPORA)
	$(BIN)/article-validators eval dates $(CORPORA)

## Long property-based fuzzing of every ingest format and the suite loader: at least 100,000 generated cases.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/reliability/test_fuzz_ingest.py \
		tests/reliability/test_fuzz_suite.py

lint: $(STAMP)
	$(BIN)/ruff check validators tests
	$(BIN)/ruff format --check validators tests
	$(BIN)/mypy

## Throughput per stage and peak RSS on N built articles (make bench ARTICLES=100000).
ARTICLES ?= 20000
bench: $(STAMP)
	$(BIN)/python -m validators.evaluation.detector_bench $(CORPORA)
	$(BIN)/article-validators bench --articles $(ARTICLES)

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
