"""Crash safety: the CLI killed with SIGKILL at random points never leaves output a reader would trust.

Each trial starts ``python -m validators ingest|validate`` as a subprocess, kills it after a random delay
between zero and the length of a full run, then checks every output name: it is absent, or it holds a
complete output (the previous run's or this run's, byte for byte equal to a reference run). Temporary files
are hidden (``.<name>.*.tmp``). Finally a rerun must succeed and produce the reference output.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from validators.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "datasets" / "sample"
TRIALS = int(os.environ.get("KILL_TRIALS", "10"))  # per command; 20 in all by default
SENTENCES = [
    "The council approved the new budget after a long debate on Tuesday evening.",
    "Officials said the bridge would reopen to traffic by the end of the month.",
    "Researchers measured the river level every hour during the storm.",
    "The museum will extend its opening hours during the summer festival.",
]


def _articles(count: int, seed: int) -> bytes:
    """A JSONL input of ``count`` articles with a few bad lines, written here (no corpus text)."""
    rng = random.Random(seed)
    lines = []
    for number in range(count):
        text = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(5, 40)))
        record = {
            "article_id": f"{seed}-{number}",
            "title": f"Story {number}",
            "text": text,
            "published_at": f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T08:00:00Z",
            "source_url": f"https://news.example.org/{number}",
        }
        lines.append(json.dumps(record).encode())
        if number % 97 == 0:
            lines.append(b'{"article_id": "broken \xff", "text": ')
    return b"\n".join(lines) + b"\n"


def _cli(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "validators", *args],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _timed_run(*args: str) -> tuple[float, int]:
    started = time.monotonic()
    code = _cli(*args).wait()
    return time.monotonic() - started, code


def _kill_after(delay: float, *args: str, after: tuple[Path, str] | None = None) -> bool:
    """Start the CLI, SIGKILL it ``delay`` seconds later; True when it was still running.

    With ``after=(folder, pattern)`` the delay counts from when a temporary output matching ``pattern``
    appears, so the kill lands while outputs are being written.
    """
    process = _cli(*args)
    if after is not None:
        folder, pattern = after
        while process.poll() is None and not any(folder.glob(pattern)):
            time.sleep(0.005)
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


def _leftovers(folder: Path, outputs: set[str]) -> list[str]:
    """Names in ``folder`` that are neither outputs nor hidden temporaries."""
    hidden = (".tmp", ".old")
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name not in outputs and not (p.name.startswith(".") and p.name.endswith(hidden))
    )


def _ingest_state(folder: Path) -> dict[str, Any]:
    """What a reader of an ingest output folder would take for complete, file by file."""
    state: dict[str, Any] = {}
    for name in ("t.parquet", "t.quarantine.parquet"):
        path = folder / name
        state[name] = pq.read_table(path) if path.exists() else None
    counts = folder / "t.ingest.json"
    state["t.ingest.json"] = json.loads(counts.read_text("utf-8")) if counts.exists() else None
    return state


def _same(state: dict[str, Any], reference: dict[str, Any], name: str) -> bool:
    value, expected = state[name], reference[name]
    return value.equals(expected) if hasattr(value, "equals") else bool(value == expected)


@pytest.mark.slow
def test_ingest_killed_at_random_points(tmp_path: Path, kill_trials: list[dict[str, Any]]) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    variants = {"new": _articles(4000, 1), "old": _articles(1500, 2)}
    references: dict[str, dict[str, Any]] = {}
    duration = 0.0
    for label, data in variants.items():
        (inputs / "in.jsonl").write_bytes(data)
        folder = tmp_path / f"ref-{label}"
        folder.mkdir()
        elapsed, code = _timed_run("ingest", str(inputs / "in.jsonl"), "--out", str(folder / "t.parquet"))
        assert code == 0
        duration = max(duration, elapsed)
        references[label] = _ingest_state(folder)
    (inputs / "in.jsonl").write_bytes(variants["new"])
    rng = random.Random(20240501)
    outputs = {"t.parquet", "t.quarantine.parquet", "t.ingest.json"}
    for trial in range(TRIALS):
        folder = tmp_path / f"trial-{trial}"
        if trial % 2:  # odd trials overwrite a complete older output
            shutil.copytree(tmp_path / "ref-old", folder)
        else:
            folder.mkdir()
        # Half the kills fall anywhere in the run, half while the outputs are being written.
        writing = trial % 4 >= 2
        delay = rng.uniform(0.0, duration / 2 if writing else duration)
        after = (folder, ".t.parquet.*.tmp") if writing else None
        args = ("ingest", str(inputs / "in.jsonl"), "--out", str(folder / "t.parquet"))
        killed = _kill_after(delay, *args, after=after)
        state = _ingest_state(folder)
        allowed = [references["new"]] + ([references["old"]] if trial % 2 else [])
        found = {}
        for name in outputs:
            if state[name] is None:
                found[name] = "absent"
                continue
            matches = [i for i, ref in enumerate(allowed) if _same(state, ref, name)]
            assert matches, f"trial {trial}: {name} is neither absent nor a complete output"
            found[name] = "new" if 0 in matches else "old"
        if trial % 2 == 0 and state["t.ingest.json"] is not None:
            # The counts file is written last: when it is there, both tables are complete.
            assert found["t.parquet"] == found["t.quarantine.parquet"] == "new"
        assert _leftovers(folder, outputs) == []
        assert main(["ingest", str(inputs / "in.jsonl"), "--out", str(folder / "t.parquet")]) == 0
        rerun = _ingest_state(folder)
        assert all(_same(rerun, references["new"], name) for name in outputs)
        kill_trials.append(
            {
                "command": "ingest",
                "while_writing": writing,
                "delay_s": round(delay, 2),
                "killed": killed,
                **found,
            }
        )


def _results_without_run(path: Path) -> dict[str, Any]:
    results = json.loads(path.read_text("utf-8"))
    results.pop("run")
    return dict(results)


def _run_state(run: Path) -> dict[str, Any] | None:
    """A validation run folder as a reader sees it: None when absent, else its results and measures."""
    if not run.exists():
        return None
    report = (run / "report.html").read_text("utf-8")
    assert report.rstrip().endswith("</html>")
    return {
        "results": _results_without_run(run / "results.json"),
        "measures": pq.read_table(run / "measures.parquet"),
    }


@pytest.mark.slow
def test_validate_killed_at_random_points(tmp_path: Path, kill_trials: list[dict[str, Any]]) -> None:
    table = tmp_path / "sample.parquet"
    assert main(["ingest", str(SAMPLE), "--out", str(table)]) == 0
    reference_run = tmp_path / "reference"
    duration, code = _timed_run("validate", str(table), "--out", str(reference_run), "--workers", "1")
    assert code == 1  # the sample has planted defects
    reference = _run_state(reference_run)
    assert reference is not None
    rng = random.Random(20240502)
    for trial in range(TRIALS):
        parent = tmp_path / f"trial-{trial}"
        parent.mkdir()
        if trial % 2:
            shutil.copytree(reference_run, parent / "run")
        writing = trial % 4 >= 2
        delay = rng.uniform(0.0, duration / 2 if writing else duration)
        after = (parent, ".run.*.tmp") if writing else None
        args = ("validate", str(table), "--out", str(parent / "run"), "--workers", "1")
        killed = _kill_after(delay, *args, after=after)
        state = _run_state(parent / "run")
        if state is not None:
            assert state["results"] == reference["results"]
            assert state["measures"].equals(reference["measures"])
        assert _leftovers(parent, {"run"}) == []
        assert main(list(args)) == 1
        rerun = _run_state(parent / "run")
        assert rerun is not None and rerun["results"] == reference["results"]
        assert not (parent / ".run.old").exists(), "the rerun clears a previous run parked by a kill"
        kill_trials.append(
            {
                "command": "validate",
                "while_writing": writing,
                "delay_s": round(delay, 2),
                "killed": killed,
                "run": "absent" if state is None else "complete",
            }
        )


def test_outputs_get_the_default_file_mode(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text('{"article_id": "a", "text": "Some text."}\n', "utf-8")
    previous = os.umask(0o022)
    try:
        assert main(["ingest", str(source), "--out", str(tmp_path / "out" / "a.parquet")]) == 0
    finally:
        os.umask(previous)
    modes = Counter(oct(p.stat().st_mode & 0o777) for p in (tmp_path / "out").iterdir())
    assert modes == Counter({"0o644": 3})
