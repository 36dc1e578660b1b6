"""Benchmark: build N articles, validate them with the default suite, report throughput per stage and peak RSS

The articles are a realistic mix: about 90% clean, 3-5 KB each, all distinct, assembled from paragraphs of the
labelled corpora (when present) or of the bundled sample, with planted defects in the rest (a foreign
paragraph, a consent banner or a lone UI token, a missing date, a malformed source URL). The table is written
in chunks, so building a million articles needs no more memory than building ten thousand.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from validators.schema import ARTICLE_SCHEMA

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "datasets" / "sample" / "articles.jsonl"
DEFAULT_SUITE = REPO / "suites" / "news.yml"
CLEAN_SHARE = 0.9
TEXT_CHARS = (3_000, 5_000)
CHUNK_ROWS = 10_000
# Articles timed one by one, in one process, for the per-detector figures.
DETECTOR_SAMPLE = 1_000
# Self-written page furniture for the sample-based mix (the corpora bring real banners).
UI_TOKENS = ("X", "Share", "Close", "Menu")


@dataclass
class Pools:
    """Paragraphs by language, and boilerplate blocks to plant."""

    paragraphs: dict[str, list[str]]
    boilerplate: list[str]
    origin: str


@dataclass
class BenchResult:
    """Figures of one benchmark run (rates in articles per second)."""

    articles: int
    workers: int
    origin: str
    table_bytes: int
    mean_text_chars: float
    end_to_end_s: float
    stages_s: dict[str, float]
    per_core_rates: dict[str, float] = field(default_factory=dict)
    peak_rss_bytes: int = 0
    failed_articles: int = 0
    # CPU seconds of the validate process tree, and of its main process alone.
    cpu_s: float = 0.0
    main_cpu_s: float = 0.0

    @property
    def articles_per_s(self) -> float:
        """End-to-end throughput: articles over the wall time of the validate run."""
        return self.articles / self.end_to_end_s if self.end_to_end_s else 0.0


def load_pools(corpora: Path | None) -> Pools:
    """Paragraph pools from ``corpora`` (langmix and boilerplate files) or, without it, from the sample."""
    if corpora is not None and (corpora / "langmix.jsonl.gz").exists():
        return _corpora_pools(corpora)
    return _sample_pools()


def _corpora_pools(corpora: Path) -> Pools:
    paragraphs: dict[str, list[str]] = defaultdict(list)
    banners: list[str] = []
    for record in _jsonl(corpora / "langmix.jsonl.gz"):
        if record.get("kind") in ("para", "pure"):
            paragraphs[record["language"]].extend(p for p in record["text"].split("\n\n") if p.strip())
        elif record.get("kind") == "banner_same":
            text = record["text"]
            banners.extend(text[s["start"] : s["end"]] for s in record.get("boilerplate_spans") or [])
    english = corpora / "boilerplate.jsonl.gz"
    if english.exists():
        for record in _jsonl(english):
            if record.get("variant") == "clean_gt":
                paragraphs["en"].extend(p for p in record["text"].split("\n") if len(p) > 40)
    return Pools(dict(paragraphs), [b for b in banners if b.strip()], f"corpora ({corpora})")


def _sample_pools() -> Pools:
    paragraphs: dict[str, list[str]] = defaultdict(list)
    expected = json.loads((SAMPLE.parent / "expected.json").read_text("utf-8"))
    for line in SAMPLE.read_text("utf-8").splitlines():
        record = json.loads(line)
        if expected.get(record["article_id"]) == [] and record.get("language"):
            paragraphs[record["language"]].extend(p for p in record["text"].split("\n\n") if p.strip())
    return Pools(dict(paragraphs), list(UI_TOKENS), "sample")


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rb") as lines:
        for line in lines:
            yield json.loads(line)


def build_table(count: int, out_path: Path, pools: Pools, seed: int = 0) -> float:
    """Write ``count`` distinct articles to ``out_path``; returns the mean length."""
    rng = random.Random(seed)
    languages = sorted(pools.paragraphs)
    # English dominates real news corpora; the other languages share the rest.
    weights = [4.0 if lang == "en" else 1.0 for lang in languages]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    chars = 0
    with pq.ParquetWriter(out_path, ARTICLE_SCHEMA) as writer:
        for chunk_start in range(0, count, CHUNK_ROWS):
            rows = [
                _article(i, rng, pools, languages, weights, start)
                for i in range(chunk_start, min(count, chunk_start + CHUNK_ROWS))
            ]
            chars += sum(len(row["text"]) for row in rows)
            writer.write_table(pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA))
    return chars / max(count, 1)


def _article(
    index: int, rng: random.Random, pools: Pools, languages: list[str], weights: list[float], start: datetime
) -> dict[str, Any]:
    language = rng.choices(languages, weights)[0]
    target = rng.randint(*TEXT_CHARS)
    parts: list[str] = []
    size = 0
    while size < target:
        # Numbered per article: real articles do not share paragraphs, and shared lines would be mined as a
        # site's template lines.
        paragraph = f"{rng.choice(pools.paragraphs[language])} ({index}.{len(parts) + 1})"
        parts.append(paragraph)
        size += len(paragraph) + 2
    published: datetime | None = start + timedelta(minutes=index)
    url: str | None = f"https://news{index % 97}.example.org/{language}/{index}"
    name: str | None = f"News {index % 97}"
    if rng.random() >= CLEAN_SHARE:
        defect = rng.randrange(4)
        if defect == 0:
            foreign = rng.choice([lang for lang in languages if lang != language] or languages)
            parts.append(" ".join(rng.choice(pools.paragraphs[foreign]) for _ in range(3)))
        elif defect == 1:
            parts.append(rng.choice(pools.boilerplate))
        elif defect == 2:
            published = None
        else:
            url, name = f"htp//news {index}.example.org", None
    return {
        "article_id": f"bench-{index:08d}",
        "title": f"Article {index}",
        "text": "\n\n".join(parts),
        "language": language,
        "published_at": published,
        "published_at_raw": published.isoformat() if published else None,
        "source_name": name,
        "source_url": url,
        "extra": None,
    }


class PeakRss:
    """Samples a process and all its descendants: the peak of their summed resident memory, and their CPU time.

    CPU time is each process's own user and system time as last sampled (a process's final fraction of a
    sampling interval is missed), summed over the tree; ``root_cpu_s`` is the watched process's alone.
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def cpu_s(self) -> float:
        """CPU seconds of the whole tree."""
        return sum(self._cpu.values())

    @property
    def root_cpu_s(self) -> float:
        """CPU seconds of the watched process alone."""
        return self._cpu.get(self.pid, 0.0)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._cpu.update(tree_cpu(self.pid))
            self._stop.wait(self.interval)


def _descendants(pid: int) -> Iterator[int]:
    """``pid`` and every living descendant (Linux ``/proc``)."""
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            children = " ".join(p.read_text() for p in Path(f"/proc/{current}/task").glob("*/children"))
        except OSError:
            continue
        yield current
        stack.extend(int(child) for child in children.split())


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants (Linux ``/proc``; 0 where unavailable)."""
    total = 0
    for current in _descendants(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def tree_cpu(pid: int) -> dict[int, float]:
    """User plus system CPU seconds of ``pid`` and each descendant, by process id (Linux ``/proc``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds: dict[int, float] = {}
    for current in _descendants(pid):
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
        except OSError:
            continue
        # Fields after the parenthesised command name; utime and stime are the 14th and 15th of the line.
        fields = stat.rsplit(")", 1)[1].split()
        seconds[current] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else 0.0


def time_read(table_path: Path) -> tuple[int, float]:
    """Rows and seconds to stream the table's detector columns."""
    from validators.measures import iter_batches

    started = time.perf_counter()
    rows = sum(batch.num_rows for batch in iter_batches(table_path))
    return rows, time.perf_counter() - started


def detector_rates(table_path: Path, limit: int = DETECTOR_SAMPLE) -> dict[str, float]:
    """Articles per second on one core for each detector and for the whole ``measure_batch``.

    The boilerplate check runs once per batch, as the measures run it, but with each article's declared
    language and without template lines; ``measure_batch`` runs everything exactly as a validation does.
    """
    from validators.detectors import boilerplate, dates, language, sources
    from validators.measures import iter_batches, measure_batch

    batches: list[pa.RecordBatch] = []
    taken = 0
    for batch in iter_batches(table_path):
        batches.append(batch.slice(0, limit - taken))
        taken += batches[-1].num_rows
        if taken >= limit:
            break
    chunks = [(batch, batch.to_pylist()) for batch in batches]
    Rows = list[dict[str, Any]]

    def each(stage: Callable[[dict[str, Any]], object]) -> Callable[[pa.RecordBatch, Rows], object]:
        return lambda _, rows: [stage(row) for row in rows]

    stages: dict[str, Callable[[pa.RecordBatch, Rows], object]] = {
        "language": each(lambda row: language.language_profile(row["text"] or "")),
        "boilerplate": lambda _, rows: boilerplate.boilerplate_batch(
            [row["text"] or "" for row in rows], [row.get("language") for row in rows]
        ),
        "dates": each(
            lambda row: (
                dates.date_state(row.get("published_at"), row.get("published_at_raw")),
                row.get("published_at") or dates.suggest_published_at(row.get("source_url"), row["text"] or "", None),
            )
        ),
        "sources": each(
            lambda row: (
                sources.url_host(row.get("source_url")),
                sources.source_problem(row.get("source_name"), row.get("source_url")),
                sources.source_domain_mismatch(row.get("source_name"), row.get("source_url")),
            )
        ),
        "all detectors (measure_batch)": lambda batch, _: measure_batch(batch),
    }
    rates = {}
    for name, stage in stages.items():
        # Timed on the second pass: the first pays for page faults and first-use set-up, as a long run does not.
        for _ in range(2):
            started = time.perf_counter()
            for batch, rows in chunks:
                stage(batch, rows)
        rates[name] = _rate(taken, time.perf_counter() - started)
    return rates


def run_bench(
    articles: int,
    corpora: Path | None = None,
    workers: int | None = None,
    work: Path | None = None,
    suite_path: Path = DEFAULT_SUITE,
    seed: int = 0,
) -> BenchResult:
    """Build ``articles`` articles, run ``article-validators validate`` on them once and return the figures.

    The validation runs as its own process, as a user would run it, so its peak RSS is that of the
    validator's process tree alone. A table built earlier in ``work`` with the same size and seed is reused.
    ``corpora`` defaults to ``../shared/corpora`` beside the repository when it exists.
    """
    if corpora is None:
        default = REPO.parent / "shared" / "corpora"
        corpora = default if default.exists() else None
    workers = workers or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="av-bench-") as scratch:
        folder = work or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        table, origin, mean_chars = _table(folder, articles, corpora, seed)
        _, read_s = time_read(table)
        run_dir = folder / "run"
        command = [
            sys.executable,
            "-m",
            "validators",
            "validate",
            str(table),
            "--out",
            str(run_dir),
            "--suite",
            str(suite_path),
            "--workers",
            str(workers),
        ]
        started = time.perf_counter()
        with subprocess.Popen(command, stdout=subprocess.DEVNULL) as process, PeakRss(process.pid) as peak:
            code = process.wait()
        end_to_end = time.perf_counter() - started
        if code not in (0, 1):
            raise RuntimeError(f"validate exited with {code}: {' '.join(command)}")
        results = json.loads((run_dir / "results.json").read_text("utf-8"))
        rates = detector_rates(table)
        return BenchResult(
            articles=articles,
            workers=workers,
            origin=origin,
            table_bytes=table.stat().st_size,
            mean_text_chars=mean_chars,
            end_to_end_s=end_to_end,
            stages_s={
                "read (one core)": read_s,
                **{k: float(v) for k, v in results["run"]["durations_s"].items()},
            },
            per_core_rates=rates,
            peak_rss_bytes=peak.peak,
            failed_articles=len(results["articles_failed"]),
            cpu_s=peak.cpu_s,
            main_cpu_s=peak.root_cpu_s,
        )


def _table(folder: Path, articles: int, corpora: Path | None, seed: int) -> tuple[Path, str, float]:
    """The benchmark table in ``folder``: built now, or reused from an earlier run with the same inputs."""
    table = folder / f"bench-{articles}-seed{seed}.parquet"
    about = table.with_suffix(".json")
    if table.exists() and about.exists():
        built = json.loads(about.read_text("utf-8"))
        return table, str(built["origin"]), float(built["mean_text_chars"])
    pools = load_pools(corpora)
    mean_chars = build_table(articles, table, pools, seed)
    about.write_text(json.dumps({"origin": pools.origin, "mean_text_chars": mean_chars}), "utf-8")
    return table, pools.origin, mean_chars


def format_bench(result: BenchResult) -> str:
    """The figures as a plain-text table."""
    lines = [
        f"articles: {result.articles:,} from {result.origin}; workers: {result.workers}; "
        f"table {result.table_bytes / 1e6:,.0f} MB; mean text {result.mean_text_chars:,.0f} chars",
        f"articles with findings: {result.failed_articles:,} ({result.failed_articles / max(result.articles, 1):.1%})",
        f"end to end (validate, one process tree): {result.end_to_end_s:,.1f} s = "
        f"{result.articles_per_s:,.0f} articles/s",
        f"peak RSS of the process tree: {result.peak_rss_bytes / 2**20:,.0f} MiB",
        f"CPU time of the process tree: {result.cpu_s:,.1f} s = {_rate(result.articles, result.cpu_s):,.0f} "
        f"articles per CPU second (main process {result.main_cpu_s:,.1f} s)",
        "",
        f"{'stage':<34} {'seconds':>9} {'articles/s':>11} {'share':>6}",
    ]
    # Shares are of the end-to-end wall time; what the stages leave is start-up (imports, workers) and exit.
    total = result.end_to_end_s or 1.0
    stages = dict(result.stages_s)
    timed = sum(v for k, v in stages.items() if not k.startswith("read"))
    stages["start-up and other"] = max(result.end_to_end_s - timed, 0.0)
    for name, seconds in stages.items():
        share = "" if name.startswith("read") else f"{seconds / total:.0%}"
        lines.append(f"{name:<34} {seconds:>9.2f} {_rate(result.articles, seconds):>11,.0f} {share:>6}")
    lines += ["", f"{'detector, one core':<34} {'articles/s':>21}"]
    lines += [f"{name:<34} {rate:>21,.0f}" for name, rate in result.per_core_rates.items()]
    return "\n".join(lines)
