"""Evaluate the mixed-language check on the labelled langmix corpus, and benchmark its speed."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from validators.detectors.language import (
    LanguageProfile,
    MixedLanguageLimits,
    is_mixed_language,
    language_profiles,
)
from validators.detectors.spans import Span, merge_spans

# Single paragraphs carry no mixing signal of their own: they are left out of document scoring.
EXCLUDED_KINDS = frozenset({"para"})
PURE_KINDS = ("pure", "banner_same")
DEFAULT_LIMITS = MixedLanguageLimits()
BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("<5%", 0.0, 0.05),
    ("5-10%", 0.05, 0.10),
    ("10-20%", 0.10, 0.20),
    (">=20%", 0.20, float("inf")),
)


def read_langmix(path: Path) -> Iterator[dict[str, Any]]:
    """Records of the gzipped JSON Lines corpus, split on ``\\n`` bytes (texts may hold U+2028)."""
    with gzip.open(path, "rb") as handle:
        data = handle.read()
    for line in data.split(b"\n"):
        if line.strip():
            yield json.loads(line)


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int | None]:
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall
        else None
    )
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def _overlap(predicted: list[Span], start: int, end: int) -> int:
    return sum(max(0, min(end, s.end) - max(start, s.start)) for s in predicted)


def _bucket(fraction: float) -> str:
    for name, low, high in BUCKETS:
        if low <= fraction < high:
            return name
    return BUCKETS[-1][0]


def evaluate_langmix(
    path: Path, limits: MixedLanguageLimits = DEFAULT_LIMITS, first_pass: bool = True, workers: int = 1
) -> dict[str, Any]:
    """Document- and span-level scores of the mixed-language check on a langmix corpus file.

    ``first_pass=False`` scores the per-segment analysis alone, without the CLD2 first pass.
    """
    records = [r for r in read_langmix(path) if r.get("kind") not in EXCLUDED_KINDS]
    profiles = language_profiles((r.get("text") for r in records), workers=workers, first_pass=first_pass)
    return score_langmix(records, profiles, limits)


def score_langmix(
    records: list[dict[str, Any]], profiles: list[LanguageProfile], limits: MixedLanguageLimits
) -> dict[str, Any]:
    """Scores for records already profiled (one profile per record, same order)."""
    kinds: dict[str, dict[str, int]] = {}
    buckets: dict[str, dict[str, int]] = {name: {"n": 0, "flagged": 0} for name, _, _ in BUCKETS}
    tp = fp = fn = tn = 0
    plain_tp = plain_fp = plain_fn = 0
    banner_tp = banner_fp = banner_fn = 0
    foreign_chars = foreign_found = predicted_chars = predicted_true = 0
    dominant_right = 0
    false_positives: list[str] = []
    for record, profile in zip(records, profiles, strict=True):
        kind = str(record.get("kind"))
        truth = bool(record.get("mixed"))
        flagged = is_mixed_language(
            profile.foreign_fraction, profile.longest_foreign_run, limits, profile.longest_confident_run
        )
        row = kinds.setdefault(kind, {"n": 0, "flagged": 0})
        row["n"] += 1
        row["flagged"] += flagged
        dominant_right += profile.dominant == record.get("language")
        if truth:
            tp += flagged
            fn += not flagged
            bucket = buckets[_bucket(float(record.get("foreign_fraction") or 0.0))]
            bucket["n"] += 1
            bucket["flagged"] += flagged
        else:
            fp += flagged
            tn += not flagged
            if flagged:
                false_positives.append(str(record.get("id")))
        if not kind.startswith("banner_"):
            plain_tp += flagged and truth
            plain_fp += flagged and not truth
            plain_fn += truth and not flagged
        if kind == "banner_foreign":
            banner_tp += flagged
            banner_fn += not flagged
        elif kind == "banner_same":
            banner_fp += flagged
        predicted = merge_spans(list(profile.spans))
        predicted_chars += sum(s.length for s in predicted)
        for true_span in record.get("foreign_spans") or []:
            start, end = int(true_span["start"]), int(true_span["end"])
            foreign_chars += end - start
            found = _overlap(predicted, start, end)
            foreign_found += found
            predicted_true += found
    pure_docs = sum(kinds.get(k, {}).get("n", 0) for k in PURE_KINDS)
    pure_flagged = sum(kinds.get(k, {}).get("flagged", 0) for k in PURE_KINDS)
    at_least_5 = [b for name, b in buckets.items() if name != "<5%"]
    return {
        "limits": {
            "max_foreign_fraction": limits.max_foreign_fraction,
            "max_foreign_run": limits.max_foreign_run,
            "max_confident_run": limits.max_confident_run,
        },
        "documents": len(records),
        "overall": _prf(tp, fp, fn) | {"tn": tn},
        # Mixed and pure articles without appended banners.
        "without_banners": _prf(plain_tp, plain_fp, plain_fn),
        "by_kind": {kind: row | {"rate": _ratio(row["flagged"], row["n"])} for kind, row in sorted(kinds.items())},
        "by_bucket": {name: b | {"recall": _ratio(b["flagged"], b["n"])} for name, b in buckets.items()},
        "recall_at_least_5pct": _ratio(sum(b["flagged"] for b in at_least_5), sum(b["n"] for b in at_least_5)),
        "span_char_recall": _ratio(foreign_found, foreign_chars),
        "span_char_precision": _ratio(predicted_true, predicted_chars),
        "pure_documents": pure_docs,
        "pure_flagged": pure_flagged,
        "fp_per_1000_pure": _ratio(1000 * pure_flagged, pure_docs),
        "banner_foreign": _prf(banner_tp, banner_fp, banner_fn),
        "banner_same_flagged": kinds.get("banner_same", {}).get("flagged", 0),
        "dominant_accuracy": _ratio(dominant_right, len(records)),
        "false_positive_ids": false_positives,
    }


def _pct(value: float | None) -> str:
    return "   n/a" if value is None else f"{100 * value:6.1f}"


def format_langmix(result: dict[str, Any]) -> str:
    """A readable plain-text table of :func:`evaluate_langmix` output."""
    overall = result["overall"]
    banner = result["banner_foreign"]
    plain = result["without_banners"]
    lines = [
        f"langmix: {result['documents']} documents, limits {result['limits']}",
        "",
        f"{'all mixed':<16} P {_pct(overall['precision'])}  R {_pct(overall['recall'])}  "
        f"F1 {_pct(overall['f1'])}   (tp {overall['tp']}, fp {overall['fp']}, fn {overall['fn']})",
        f"{'without banners':<16} P {_pct(plain['precision'])}  R {_pct(plain['recall'])}  "
        f"F1 {_pct(plain['f1'])}   (tp {plain['tp']}, fp {plain['fp']}, fn {plain['fn']})",
        f"{'banner_foreign':<16} P {_pct(banner['precision'])}  R {_pct(banner['recall'])}  F1 {_pct(banner['f1'])}",
        "",
        f"{'kind':<16}{'docs':>6}{'flagged':>9}{'rate %':>9}",
    ]
    for kind, row in result["by_kind"].items():
        lines.append(f"{kind:<16}{row['n']:>6}{row['flagged']:>9}{_pct(row['rate']):>9}")
    lines += ["", f"{'foreign share':<16}{'docs':>6}{'flagged':>9}{'recall %':>9}"]
    for name, row in result["by_bucket"].items():
        lines.append(f"{name:<16}{row['n']:>6}{row['flagged']:>9}{_pct(row['recall']):>9}")
    lines += [
        "",
        f"recall, mixed docs with >= 5% foreign: {_pct(result['recall_at_least_5pct'])} %",
        f"span-level character recall:          {_pct(result['span_char_recall'])} %",
        f"span-level character precision:       {_pct(result['span_char_precision'])} %",
        f"pure documents flagged:               {result['pure_flagged']} of {result['pure_documents']}"
        f" ({result['fp_per_1000_pure']:.1f} per 1,000)"
        if result["fp_per_1000_pure"] is not None
        else "",
        f"banner_same flagged as mixed:         {result['banner_same_flagged']}",
        f"dominant language accuracy:           {_pct(result['dominant_accuracy'])} %",
    ]
    if result["false_positive_ids"]:
        lines.append("false positives: " + ", ".join(result["false_positive_ids"]))
    return "\n".join(lines)


# Written for the benchmark: short clean paragraphs in a few languages, and a foreign block to splice in.
_BENCH_PARAGRAPHS: dict[str, tuple[str, ...]] = {
    "en": (
        "The city council met on Tuesday evening to discuss the new budget for road repairs and public"
        " transport. Several residents spoke about the state of the bridges near the old market.",
        "Officials said the work would start in the spring and take about two years to finish. They"
        " expect some delays on the main roads while the crews replace the worn surfaces.",
        "Local shop owners welcomed the plan but asked for clear signs and parking during the works,"
        " since many of their customers arrive by car from nearby villages.",
    ),
    "de": (
        "Der Stadtrat hat am Dienstagabend über den neuen Haushalt für Straßenreparaturen und den"
        " öffentlichen Nahverkehr beraten. Mehrere Anwohner sprachen über den Zustand der Brücken.",
        "Die Arbeiten sollen im Frühjahr beginnen und etwa zwei Jahre dauern. Auf den Hauptstraßen"
        " werden einige Verzögerungen erwartet, während die Fahrbahnen erneuert werden.",
    ),
    "es": (
        "El ayuntamiento se reunió el martes por la noche para debatir el nuevo presupuesto destinado a"
        " la reparación de carreteras y al transporte público de la ciudad.",
        "Según los responsables, las obras comenzarán en primavera y durarán unos dos años. Se esperan"
        " algunos retrasos en las calles principales mientras se renuevan los firmes.",
    ),
    "tr": (
        "Belediye meclisi salı akşamı yol onarımları ve toplu taşıma için ayrılan yeni bütçeyi görüşmek"
        " üzere toplandı. Birçok vatandaş eski çarşı yakınındaki köprülerin durumunu anlattı.",
        "Yetkililer çalışmaların ilkbaharda başlayacağını ve yaklaşık iki yıl süreceğini söyledi. Ana"
        " yollarda bazı gecikmeler bekleniyor.",
    ),
}


def _bench_articles(n_articles: int, path: Path | None) -> list[str]:
    if path is not None:
        records = [r for r in read_langmix(path) if r.get("kind") not in EXCLUDED_KINDS]
        pure = [r["text"] for r in records if not r.get("mixed")]
        mixed = [r["text"] for r in records if r.get("mixed")]
    else:
        pure, mixed = [], []
        languages = list(_BENCH_PARAGRAPHS)
        for i, language in enumerate(languages):
            body = list(_BENCH_PARAGRAPHS[language]) * 3
            pure.append("\n\n".join(body))
            foreign = _BENCH_PARAGRAPHS[languages[(i + 1) % len(languages)]][0]
            mixed.append("\n\n".join([*body[:3], foreign, *body[3:]]))
    if not pure or not mixed:
        raise ValueError("benchmark needs pure and mixed articles")
    # About 90% pure, interleaved so that no worker gets only one kind.
    return [mixed[i % len(mixed)] if i % 10 == 9 else pure[i % len(pure)] for i in range(n_articles)]


def bench_language(
    n_articles: int = 2000,
    workers: int = 1,
    path: Path | None = None,
    first_pass: bool = True,
    repeat: int = 3,
) -> dict[str, Any]:
    """Articles per second of the language profile alone on a ~90%-pure langmix-like mix.

    Articles come from the corpus at ``path`` when given, else from built-in paragraphs. The best of
    ``repeat`` runs is reported (the machine may be shared); CPU time is given for one worker only,
    where it is the throughput per core.
    """
    articles = _bench_articles(n_articles, path)
    language_profiles(articles[:4])  # load the model outside the timed part
    best_wall = best_cpu = float("inf")
    for _ in range(max(1, repeat)):
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        language_profiles(articles, workers=workers, first_pass=first_pass)
        best_wall = min(best_wall, time.perf_counter() - wall_start)
        best_cpu = min(best_cpu, time.process_time() - cpu_start)
    return {
        "articles": len(articles),
        "workers": workers,
        "first_pass": first_pass,
        "seconds": best_wall,
        "articles_per_second": len(articles) / best_wall if best_wall else None,
        "articles_per_cpu_second": len(articles) / best_cpu if best_cpu and workers == 1 else None,
        "mean_chars": sum(len(a) for a in articles) / len(articles),
    }
