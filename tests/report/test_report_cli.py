"""``article-validators report DIR`` and ``--baseline`` on ``validate`` and ``report``."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from tests.report.conftest import Run
from validators.cli import main
from validators.report import ReportLimits, embedded_data


def _ids(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row[0] for row in list(csv.reader(handle))[1:]]


def test_validate_writes_report_and_complete_failure_lists(sample_run: Run) -> None:
    results = sample_run.results
    html = sample_run.report.read_text("utf-8")
    rows = embedded_data(html)["rows"]["rows"]
    assert [r[0] for r in rows] == [a["article_id"] for a in results["articles_failed"]]
    for check in results["checks"]:
        assert _ids(sample_run.out_dir / "failures" / f"{check['id']}.csv") == check["failed_ids"]
    assert _ids(sample_run.out_dir / "failures" / "all.csv") == [a["article_id"] for a in results["articles_failed"]]
    assert "href='gx/uncommitted/data_docs/local_site/index.html'" in html


def test_report_rerenders_with_a_trend_and_keeps_results(sample_run: Run, tmp_path: Path) -> None:
    run = tmp_path / "copy"
    shutil.copytree(sample_run.out_dir, run)
    (run / "report.html").unlink()
    results_before = (run / "results.json").read_text("utf-8")
    baseline = json.loads(results_before)
    changed = baseline["checks"][0]
    changed["failed_ids"] = [*changed["failed_ids"][1:], "gone-article"]
    (tmp_path / "previous.json").write_text(json.dumps(baseline), "utf-8")
    code = main(["report", str(run), "--baseline", str(tmp_path / "previous.json"), "--full-text-articles", "0"])
    assert code == 0
    html = (run / "report.html").read_text("utf-8")
    assert "id='trend'" in html
    trend = list(csv.reader((run / "failures" / "trend.csv").open(encoding="utf-8")))
    first = sample_run.results["checks"][0]
    assert ["new", first["failed_ids"][0]] in [r[1:] for r in trend]
    assert ["fixed", "gone-article"] in [r[1:] for r in trend]
    assert (run / "results.json").read_text("utf-8") == results_before
    window = ReportLimits().window_chars
    for entry in embedded_data(html)["texts"]:  # no full texts: only windows around spans, or an excerpt
        near = {p for _, s, e, _ in entry["p"] for p in range(s - window, e + window)}
        for start, piece in entry["x"]:
            shown = set(range(start, start + len(piece)))
            assert shown <= near if entry["p"] else shown <= set(range(window))


def test_validate_with_a_baseline_reports_the_trend(sample_run: Run, tmp_path: Path) -> None:
    out = tmp_path / "rerun"
    baseline = sample_run.out_dir / "results.json"
    args = [
        "validate",
        str(sample_run.table),
        "--out",
        str(out),
        "--workers",
        "1",
        "--baseline",
        str(baseline),
    ]
    assert main(args) in (0, 1)
    assert "id='trend'" in (out / "report.html").read_text("utf-8")
    assert _ids(out / "failures" / "trend.csv") == []  # same input: nothing new, nothing fixed


def test_unreadable_baseline_is_a_usage_error(
    sample_run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", "utf-8")
    assert main(["report", str(sample_run.out_dir), "--baseline", str(bad)]) == 2
    assert "not a results.json" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "missing-run")]) == 2
