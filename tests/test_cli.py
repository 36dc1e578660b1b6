"""End to end through the command line: ingest, validate, exit codes, outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from validators.cli import main
from validators.report import embedded_data

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "datasets" / "sample"
FOUR = ["mixed_language", "boilerplate", "missing_date", "missing_source"]


def _results(run: Path) -> dict:
    return json.loads((run / "results.json").read_text("utf-8"))


def test_seed_fails_exactly_the_four_checks_with_spans_on_the_turkish_text(
    seed_article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "seed.parquet"
    assert main(["ingest", str(seed_article), "--out", str(table)]) == 0
    assert main(["validate", str(table), "--out", str(tmp_path / "run")]) == 1
    results = _results(tmp_path / "run")
    failed = [c["id"] for c in results["checks"] if not c["success"]]
    assert failed == FOUR
    [article] = results["articles_failed"]
    assert article["failed_checks"] == FOUR
    text = pq.read_table(table).column("text")[0].as_py()
    body_end = text.index("\nX\n")
    turkish_start = body_end + len("\nX\n")
    for check in ("mixed_language", "boilerplate"):
        spans = [s for s in article["spans"] if s["check"] == check]
        assert spans, check
        assert all(s["start"] >= body_end for s in spans), f"{check} span touches the English body"
        covered = set()
        for span in spans:
            covered.update(range(span["start"], span["end"]))
        turkish = [i for i in range(turkish_start, len(text)) if not text[i].isspace()]
        assert len(covered.intersection(turkish)) / len(turkish) > 0.95, check
    report = embedded_data((tmp_path / "run" / "report.html").read_text("utf-8"))
    [row] = report["rows"]["rows"]
    [embedded] = report["texts"]
    span_checks = {report["rows"]["checks"][span[0]] for span in embedded["p"]}
    assert row[0] == article["article_id"] and {"mixed_language", "boilerplate"} <= span_checks
    assert "report: " in capsys.readouterr().out


def test_seed_body_with_date_and_source_passes(seed_article: Path, tmp_path: Path) -> None:
    text = seed_article.read_text("utf-8")
    title, _, body = text.partition("\n")
    body = body[: body.index("\nX\n")]
    record = {
        "article_id": "body",
        "title": title,
        "text": body,
        "published_at": "2025-11-01T09:00:00+09:00",
        "source_url": "https://www.aa.com.tr/en/asia-pacific/lee-expects-to-resume-ties/1",
    }
    source = tmp_path / "body.jsonl"
    source.write_text(json.dumps(record) + "\n", "utf-8")
    assert main(["ingest", str(source), "--out", str(tmp_path / "body.parquet")]) == 0
    assert main(["validate", str(tmp_path / "body.parquet"), "--out", str(tmp_path / "run")]) == 0
    results = _results(tmp_path / "run")
    assert results["success"] is True
    assert all(c["success"] for c in results["checks"] if c["id"] in FOUR)


def test_sample_fails_what_was_planted(tmp_path: Path) -> None:
    table = tmp_path / "sample.parquet"
    assert main(["ingest", str(SAMPLE), "--out", str(table)]) == 0
    assert main(["validate", str(table), "--out", str(tmp_path / "run")]) == 1
    results = _results(tmp_path / "run")
    expected = json.loads((SAMPLE / "expected.json").read_text("utf-8"))
    found = {a["article_id"]: sorted(a["failed_checks"]) for a in results["articles_failed"]}
    mismatches = {
        article_id: {"planted": sorted(planted), "found": found.get(article_id, [])}
        for article_id, planted in expected.items()
        if sorted(planted) != found.get(article_id, [])
    }
    assert not mismatches
    assert results["articles"] == len(expected)
    assert (tmp_path / "run" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html").exists()


def test_unknown_check_is_exit_2_naming_file_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = tmp_path / "broken.yml"
    suite.write_text("name: broken\nchecks:\n  - id: mixed_language\n  - id: no_such_check\n", "utf-8")
    table = tmp_path / "t.parquet"
    source = tmp_path / "a.jsonl"
    source.write_text('{"article_id": "a", "text": "Some text here."}\n', "utf-8")
    main(["ingest", str(source), "--out", str(table)])
    assert main(["validate", str(table), "--suite", str(suite), "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert f"{suite}:4" in err and "no_such_check" in err
    assert not (tmp_path / "run").exists()


def test_table_missing_required_columns_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pyarrow as pa

    table = tmp_path / "wrong.parquet"
    pq.write_table(pa.table({"id": ["a"], "body": ["x"]}), table)
    assert main(["validate", str(table), "--out", str(tmp_path / "run")]) == 2
    assert "missing required column(s): article_id, text" in capsys.readouterr().err


def test_unreadable_input_is_exit_2(tmp_path: Path) -> None:
    assert main(["ingest", str(tmp_path / "absent.jsonl"), "--out", str(tmp_path / "o.parquet")]) == 2
