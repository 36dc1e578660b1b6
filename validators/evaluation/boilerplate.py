"""Corpus evaluation and speed benchmark of the boilerplate detector.

Measures, on the labelled corpora (see the corpora README):
- ``boilerplate.jsonl.gz``: article-level P/R/F1 of ``clean_gt`` against ``visible_text`` and against
  ``extractor_recall``, the share of ``clean_gt`` articles flagged, and line-level P/R/F1 per variant
  against ``boilerplate_lines`` (a line is found when spans cover at least half of its non-space
  characters; ``excluded_title_lines`` are not counted), once over every span and once over the counted
  spans only (without ``possible_layout`` and ``repeated``, which are shown but neither flag nor get cut).
  Each variant is validated as its own table: template lines are mined per variant, by ``source_domain``.
- ``snippets.jsonl.gz``: recall and precision of boilerplate snippets per page language.
- ``langmix.jsonl.gz``: recall of the appended cookie banners per banner language, and the share of
  banner-free documents flagged.
"""

from __future__ import annotations

import gzip
import json
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from validators.detectors.boilerplate import (
    BoilerplateLimits,
    BoilerplateResult,
    boilerplate_batch,
    boilerplate_spans,
    has_boilerplate,
)
from validators.detectors.spans import Span
from validators.detectors.template_lines import TemplateLineMiner, TemplateLines

VARIANTS = ("clean_gt", "visible_text", "extractor_recall")


def read_jsonl_gz(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a gzipped JSON Lines file, split on newline bytes (texts may hold U+2028)."""
    with gzip.open(path, "rb") as handle:
        for raw in handle.read().split(b"\n"):
            if raw.strip():
                yield json.loads(raw)


def _non_space(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def covered_non_space(text: str, start: int, end: int, spans: tuple[Span, ...]) -> int:
    """Non-space characters of ``text[start:end]`` inside ``spans`` (sorted, non-overlapping)."""
    total = 0
    for span in spans:
        if span.end <= start:
            continue
        if span.start >= end:
            break
        total += _non_space(text[max(start, span.start) : min(end, span.end)])
    return total


def found(text: str, start: int, end: int, spans: tuple[Span, ...]) -> bool:
    """Whether spans cover at least half of the non-space characters of ``text[start:end]``."""
    size = _non_space(text[start:end])
    return size > 0 and 2 * covered_non_space(text, start, end, spans) >= size


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 (0 where undefined)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def mine_templates(records: list[dict[str, Any]]) -> dict[str, TemplateLines]:
    """Template lines per ``source_domain`` of the records (one table's worth)."""
    miner = TemplateLineMiner()
    for record in records:
        miner.add(record.get("source_domain"), record.get("url"), record.get("text"))
    return miner.result()


def line_counts(record: dict[str, Any], result: BoilerplateResult) -> tuple[int, int, int]:
    """Found, wrongly flagged and missed boilerplate lines of one record."""
    text = record.get("text") or ""
    gold = set(record.get("boilerplate_lines") or [])
    excluded = set(record.get("excluded_title_lines") or [])
    tp = fp = fn = 0
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip() or line in excluded:
            continue
        hit = found(text, start, end, result.spans)
        is_gold = line in gold
        tp += hit and is_gold
        fp += hit and not is_gold
        fn += is_gold and not hit
    return tp, fp, fn


def evaluate_boilerplate_corpus(path: Path, limits: BoilerplateLimits | None = None) -> dict[str, Any]:
    """Article- and line-level scores on ``boilerplate.jsonl.gz``."""
    limits = limits or BoilerplateLimits()
    by_variant: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in read_jsonl_gz(path):
        by_variant[record["variant"]].append(record)
    flagged: dict[str, list[tuple[bool, bool]]] = {}
    lines: dict[str, dict[str, float]] = {}
    counted_lines: dict[str, dict[str, float]] = {}
    for variant, records in by_variant.items():
        templates = mine_templates(records)
        pairs: list[tuple[bool, bool]] = []
        tp = fp = fn = 0
        counted = [0, 0, 0]
        for record in records:
            result = boilerplate_spans(
                record.get("text"), record.get("language"), templates.get(record.get("source_domain") or "")
            )
            pairs.append(
                (bool(record.get("boilerplate")), has_boilerplate(result.share, result.chars, limits, result.kinds))
            )
            a, b, c = line_counts(record, result)
            tp, fp, fn = tp + a, fp + b, fn + c
            sure = BoilerplateResult(result.share, result.counted_spans)
            counted = [x + y for x, y in zip(counted, line_counts(record, sure), strict=True)]
        flagged[variant] = pairs
        lines[variant] = prf(tp, fp, fn)
        counted_lines[variant] = prf(*counted)
    clean = flagged.get("clean_gt", [])
    articles = {}
    for variant in ("visible_text", "extractor_recall"):
        pairs = clean + flagged.get(variant, [])
        tp = sum(1 for gold, hit in pairs if gold and hit)
        fp = sum(1 for gold, hit in pairs if not gold and hit)
        fn = sum(1 for gold, hit in pairs if gold and not hit)
        articles[f"clean_gt_vs_{variant}"] = prf(tp, fp, fn)
    clean_flagged = sum(1 for _, hit in clean if hit) / len(clean) if clean else 0.0
    return {"articles": articles, "clean_gt_flagged": clean_flagged, "lines": lines, "counted_lines": counted_lines}


def evaluate_snippets(path: Path) -> dict[str, dict[str, float]]:
    """Per page language: recall and precision of flagging boilerplate snippets on their own."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for record in read_jsonl_gz(path):
        text = record.get("text") or ""
        lang = record.get("page_language") or "unknown"
        result = boilerplate_spans(text, lang)
        hit = found(text, 0, len(text), result.spans)
        gold = bool(record.get("boilerplate"))
        for key in (lang, "all"):
            counts[key][0] += hit and gold
            counts[key][1] += hit and not gold
            counts[key][2] += gold and not hit
    return {lang: prf(*c) for lang, c in sorted(counts.items())}


def evaluate_langmix(path: Path) -> dict[str, Any]:
    """Per banner language: banners found and missed; and banner-free documents flagged."""
    banners: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    clean_docs = clean_flagged = 0
    for record in read_jsonl_gz(path):
        text = record.get("text") or ""
        result = boilerplate_spans(text, record.get("language"))
        spans = record.get("boilerplate_spans") or []
        if not spans:
            clean_docs += 1
            clean_flagged += bool(result.spans)
            continue
        lang = record["language"]
        if record.get("kind") == "banner_foreign":
            lang = record["id"].split("-")[-2]
        for span in spans:
            hit = found(text, span["start"], span["end"], result.spans)
            banners[lang][0 if hit else 1] += 1
    per_lang = {lang: {"found": f, "missed": m} for lang, (f, m) in sorted(banners.items())}
    return {
        "banners": per_lang,
        "max_missed": max((v["missed"] for v in per_lang.values()), default=0),
        "clean_docs_with_spans": clean_flagged / clean_docs if clean_docs else 0.0,
    }


def evaluate_boilerplate(corpora_dir: Path) -> dict[str, Any]:
    """Every boilerplate figure on the corpora in ``corpora_dir``."""
    corpora_dir = Path(corpora_dir)
    return {
        "boilerplate": evaluate_boilerplate_corpus(corpora_dir / "boilerplate.jsonl.gz"),
        "snippets": evaluate_snippets(corpora_dir / "snippets.jsonl.gz"),
        "langmix": evaluate_langmix(corpora_dir / "langmix.jsonl.gz"),
    }


def _fmt(scores: dict[str, float]) -> str:
    return f"P {scores['precision']:.3f}  R {scores['recall']:.3f}  F1 {scores['f1']:.3f}"


def format_boilerplate(result: dict[str, Any]) -> str:
    """A plain-text report of :func:`evaluate_boilerplate`."""
    out = ["boilerplate corpus, article level:"]
    corpus = result["boilerplate"]
    for name, scores in corpus["articles"].items():
        out.append(f"  {name:<34} {_fmt(scores)}")
    out.append(f"  clean_gt flagged: {corpus['clean_gt_flagged']:.2%}")
    out.append("boilerplate corpus, line level:")
    for variant, scores in sorted(corpus["lines"].items()):
        out.append(f"  {variant:<34} {_fmt(scores)}  (tp {scores['tp']}, fp {scores['fp']}, fn {scores['fn']})")
    out.append("boilerplate corpus, line level, counted spans only (what flags an article and what export-clean cuts):")
    for variant, scores in sorted(corpus["counted_lines"].items()):
        out.append(f"  {variant:<34} {_fmt(scores)}  (tp {scores['tp']}, fp {scores['fp']}, fn {scores['fn']})")
    out.append("snippets, per page language (boilerplate snippets):")
    for lang, scores in result["snippets"].items():
        n = scores["tp"] + scores["fn"]
        out.append(f"  {lang:<10} {_fmt(scores)}  (n {n})")
    mix = result["langmix"]
    out.append(f"langmix banners (max missed in one language: {mix['max_missed']}):")
    for lang, counts in mix["banners"].items():
        out.append(f"  {lang:<4} found {counts['found']:>3}  missed {counts['missed']}")
    out.append(f"  banner-free documents with any span: {mix['clean_docs_with_spans']:.2%}")
    return "\n".join(out)


def _synthetic_article(i: int) -> str:
    body = " ".join(
        f"Sentence {j} of article {i} reports on the council budget and what residents said about it." for j in range(6)
    )
    paragraphs = [f"Headline number {i}", body, body, body, "Share", "Read more", "All rights reserved."]
    return "\n\n".join(paragraphs)


BENCH_BATCH = 1_000  # texts per call: the measures' batch size


def bench_boilerplate(n: int = 5000, corpora_dir: Path | None = None) -> dict[str, float]:
    """Articles per second on one core (wall clock and process CPU time): real ``extractor_recall`` texts when
    ``corpora_dir`` is given."""
    texts: list[str] = []
    if corpora_dir is not None and (Path(corpora_dir) / "boilerplate.jsonl.gz").exists():
        texts = [
            r.get("text") or ""
            for r in read_jsonl_gz(Path(corpora_dir) / "boilerplate.jsonl.gz")
            if r.get("variant") == "extractor_recall"
        ]
    if not texts:
        texts = [_synthetic_article(i) for i in range(200)]
    sample = [texts[i % len(texts)] for i in range(n)]
    boilerplate_spans(sample[0], "en")  # load the phrase tables outside the timing
    began, began_cpu = time.perf_counter(), time.process_time()
    # In batches, as the measures call it.
    for first in range(0, n, BENCH_BATCH):
        chunk = sample[first : first + BENCH_BATCH]
        boilerplate_batch(chunk, ["en"] * len(chunk))
    elapsed = time.perf_counter() - began
    # Process CPU time: what one core does, whatever else the machine runs.
    cpu = time.process_time() - began_cpu
    chars = sum(len(t) for t in sample)
    return {
        "articles": float(n),
        "seconds": elapsed,
        "articles_per_second": n / elapsed if elapsed else float("inf"),
        "articles_per_cpu_second": n / cpu if cpu else float("inf"),
        "mean_chars": chars / n if n else 0.0,
    }


if __name__ == "__main__":  # pragma: no cover - manual entry point
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/corpora")
    print(format_boilerplate(evaluate_boilerplate(target)))
    print(bench_boilerplate(2000, target))
