"""Tests for validators.evaluation.langmix."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from validators.detectors.language import MixedLanguageLimits
from validators.evaluation.langmix import bench_language, evaluate_langmix, format_langmix

ENGLISH = (
    "The library will close for two weeks in August while the heating system is replaced and the reading"
    " rooms are repainted. Books can still be returned through the slot by the main door."
)
ENGLISH_2 = (
    "Staff said the work had been planned for several years and that the building would reopen with"
    " longer evening hours and a new study area for students on the first floor."
)
GERMAN = (
    "Die Bibliothek bleibt im August zwei Wochen lang geschlossen, weil die Heizung erneuert und die"
    " Lesesäle gestrichen werden."
)


def _write_corpus(path: Path) -> None:
    pure = "\n\n".join([ENGLISH, ENGLISH_2] * 2)
    mixed = "\n\n".join([ENGLISH, ENGLISH_2, GERMAN])
    start = mixed.index(GERMAN)
    records = [
        {
            "id": "p1",
            "kind": "pure",
            "language": "en",
            "text": pure,
            "mixed": False,
            "foreign_fraction": 0.0,
            "foreign_spans": [],
        },
        {
            "id": "m1",
            "kind": "para_end",
            "language": "en",
            "text": mixed,
            "mixed": True,
            "foreign_fraction": len(GERMAN) / len(mixed),
            "foreign_spans": [{"start": start, "end": start + len(GERMAN), "lang": "de"}],
        },
        {
            "id": "x1",
            "kind": "para",
            "language": "de",
            "text": GERMAN,
            "mixed": False,
            "foreign_fraction": 0.0,
            "foreign_spans": [],
        },
    ]
    payload = b"\n".join(json.dumps(r, ensure_ascii=False).encode("utf-8") for r in records) + b"\n"
    path.write_bytes(gzip.compress(payload))


def test_evaluate_small_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "langmix.jsonl.gz"
    _write_corpus(corpus)
    result = evaluate_langmix(corpus)
    assert result["documents"] == 2  # the "para" record is left out
    assert result["overall"]["tp"] == 1
    assert result["overall"]["fp"] == 0
    assert result["span_char_recall"] == pytest.approx(1.0)
    assert result["by_kind"]["para_end"]["flagged"] == 1
    table = format_langmix(result)
    assert "para_end" in table and "span-level character recall" in table


def test_limits_change_the_verdict(tmp_path: Path) -> None:
    corpus = tmp_path / "langmix.jsonl.gz"
    _write_corpus(corpus)
    lenient = evaluate_langmix(
        corpus,
        MixedLanguageLimits(max_foreign_fraction=0.9, max_foreign_run=10_000, max_confident_run=10_000),
    )
    assert lenient["overall"]["tp"] == 0
    assert lenient["overall"]["fn"] == 1


def test_bench_reports_throughput() -> None:
    result = bench_language(n_articles=40)
    assert result["articles"] == 40
    assert result["articles_per_second"] > 0


@pytest.mark.corpora
def test_langmix_corpus_targets(corpora_dir: Path) -> None:
    result = evaluate_langmix(corpora_dir / "langmix.jsonl.gz")
    assert result["pure_flagged"] <= 1
    assert result["recall_at_least_5pct"] >= 0.97
    assert result["overall"]["f1"] >= 0.93
    assert result["without_banners"]["f1"] >= 0.93
    assert result["banner_foreign"]["precision"] >= 0.99
    assert result["banner_foreign"]["recall"] >= 0.99
    assert result["banner_same_flagged"] == 0
    assert result["span_char_recall"] >= 0.9
    assert result["dominant_accuracy"] >= 0.99
