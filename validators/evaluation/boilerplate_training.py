"""Training of the line classifier of the boilerplate detector on the labelled boilerplate corpus.

Every non-blank line of every record is one example: label 1 when the line is in the record's
``boilerplate_lines``; lines in ``excluded_title_lines`` are left out. The three variants are trained
together (``clean_gt`` lines are all negatives), with per-variant weights so the rare leftovers of
``extractor_recall`` and the clean bodies count as much as the many lines of ``visible_text``. Pages are
split into folds by a hash of their site (``source_domain``) so a held-out fold measures lines of unseen sites:
pages of one site share templates, and a fold split by page would let the model learn them.

The model's two thresholds are chosen together, on the whole detector's line F1 on ``extractor_recall`` pages
of held-out folds: ``threshold`` marks a line alone, ``tail_threshold`` marks the tail of a page as a block
(:func:`~validators.detectors.line_model.tail_block`). The detector's other evidence (phrases, repeated lines)
already covers some of what the model would mark, so the model is tuned alongside it rather than alone.

Run ``python -m validators.evaluation.boilerplate_training CORPORA_DIR [--write] [--held-out] [--site-halves]``
(``--site-halves``: the held-out figures from two halves of the sites, each scored by a model fitted on the other).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from validators.detectors.boilerplate import (
    PHRASE_FEATURES,
    BoilerplateLimits,
    BoilerplateResult,
    boilerplate_spans,
    has_boilerplate,
    line_evidence,
)
from validators.detectors.line_features import FEATURE_NAMES
from validators.detectors.line_model import MODEL_FILE, LineModel
from validators.evaluation.boilerplate import line_counts, mine_templates, prf, read_jsonl_gz

# Extractor leftovers weigh most: they are what ordinary pages carry, and on held-out sites this weight raised
# their line F1 without lowering the visible-text one or the clean bodies' precision.
VARIANT_WEIGHTS = {"visible_text": 1.0, "extractor_recall": 8.0, "clean_gt": 4.0}
HIDDEN_UNITS = 16
ITERATIONS = 500
LEARNING_RATE = 0.01
FOLDS = 3
SEEDS = 3  # networks trained from different starting weights and joined into one: steadier on unseen sites
THRESHOLDS = tuple(round(0.15 + 0.05 * i, 2) for i in range(8))
TAIL_THRESHOLDS: tuple[float | None, ...] = (None, 0.1, 0.15, 0.2, 0.25, 0.3)  # None: no tail block
Thresholds = tuple[float, float | None]  # a line's threshold and the tail block's one


@dataclass(frozen=True, slots=True)
class LineExamples:
    """Feature rows, labels, variant names and fold numbers of every labelled line."""

    features: npt.NDArray[np.float64]
    labels: npt.NDArray[np.float64]
    variants: npt.NDArray[np.str_]
    folds: npt.NDArray[np.int64]


def site_fold(site: str, folds: int = FOLDS) -> int:
    """The fold of a site (every page of a site, and every variant of a page, shares it)."""
    return int(hashlib.sha256(site.encode("utf-8")).hexdigest()[:8], 16) % folds


def record_site(record: dict[str, Any]) -> str:
    """What a record is grouped by: its ``source_domain``, or its page when the domain is missing."""
    return str(record.get("source_domain") or record.get("page_id") or record["id"])


def line_examples(corpus: Path, folds: int = FOLDS) -> LineExamples:
    """Every labelled line of ``boilerplate.jsonl.gz`` as one example, with the fold of its site."""
    rows: list[npt.NDArray[np.float64]] = []
    labels: list[float] = []
    variants: list[str] = []
    fold_of: list[int] = []
    for record in read_jsonl_gz(corpus):
        text = record.get("text") or ""
        if not text.strip():
            continue
        gold = set(record.get("boilerplate_lines") or [])
        excluded = set(record.get("excluded_title_lines") or [])
        evidence = line_evidence(text)
        keep: list[int] = []
        for i, line in enumerate(evidence.lines):
            line_start = text.rfind("\n", 0, line.start) + 1
            line_end = text.find("\n", line.end)
            raw = text[line_start : line_end if line_end >= 0 else len(text)]
            if raw in excluded:
                continue
            keep.append(i)
            labels.append(1.0 if raw in gold else 0.0)
        rows.append(evidence.features[keep])
        variants.extend([record["variant"]] * len(keep))
        fold_of.extend([site_fold(record_site(record), folds)] * len(keep))
    return LineExamples(np.vstack(rows), np.asarray(labels), np.asarray(variants), np.asarray(fold_of))


def train_line_model(
    features: npt.NDArray[np.float64],
    labels: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64],
    seed: int = 0,
) -> LineModel:
    """Fit the network with weighted logistic loss and Adam (full batch); threshold 0.5 until chosen."""
    rng = np.random.default_rng(seed)
    mean = features.mean(axis=0)
    scale = features.std(axis=0) + 1e-6
    z = ((features - mean) / scale).astype(np.float32)
    y = labels.astype(np.float32)
    w = (weights / weights.sum()).astype(np.float32)
    params: list[npt.NDArray[np.float32]] = [
        rng.normal(0.0, 0.3, (z.shape[1], HIDDEN_UNITS)).astype(np.float32),
        rng.normal(0.0, 0.3, HIDDEN_UNITS).astype(np.float32),
        np.zeros(1, dtype=np.float32),
    ]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    for step in range(1, ITERATIONS + 1):
        hidden = np.tanh(z @ params[0])
        p = 1.0 / (1.0 + np.exp(-(hidden @ params[1] + params[2][0])))
        g = (p - y) * w
        grads = [z.T @ (np.outer(g, params[1]) * (1.0 - hidden * hidden)), hidden.T @ g, np.array([g.sum()])]
        for i, grad in enumerate(grads):
            first[i] = 0.9 * first[i] + 0.1 * grad
            second[i] = 0.999 * second[i] + 0.001 * grad * grad
            corrected = (first[i] / (1 - 0.9**step)) / (np.sqrt(second[i] / (1 - 0.999**step)) + 1e-8)
            params[i] = (params[i] - LEARNING_RATE * corrected).astype(np.float32)
    return LineModel(
        features=FEATURE_NAMES + PHRASE_FEATURES,
        mean=mean,
        scale=scale,
        hidden=params[0].astype(np.float64),
        output=params[1].astype(np.float64),
        bias=float(params[2][0]),
        threshold=0.5,
    )


def joined_model(models: Sequence[LineModel]) -> LineModel:
    """One network whose logit is the mean of the logits of ``models`` (trained on the same rows, so they
    share the standardisation): their hidden units side by side, their output weights divided by their number."""
    first = models[0]
    return LineModel(
        features=first.features,
        mean=first.mean,
        scale=first.scale,
        hidden=np.hstack([m.hidden for m in models]),
        output=np.concatenate([m.output for m in models]) / len(models),
        bias=float(np.mean([m.bias for m in models])),
        threshold=first.threshold,
    )


def train_joined_model(
    features: npt.NDArray[np.float64],
    labels: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64],
    seeds: int = SEEDS,
) -> LineModel:
    """:func:`train_line_model` from ``seeds`` starting points, joined by :func:`joined_model`."""
    return joined_model([train_line_model(features, labels, weights, seed) for seed in range(seeds)])


def _f1(gold: npt.NDArray[np.bool_], hit: npt.NDArray[np.bool_]) -> tuple[float, float, float]:
    tp = float(np.sum(gold & hit))
    fp = float(np.sum(~gold & hit))
    fn = float(np.sum(gold & ~hit))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def line_scores(
    model: LineModel, examples: LineExamples, mask: npt.NDArray[np.bool_], thresholds: Sequence[float]
) -> dict[float, dict[str, tuple[float, float, float]]]:
    """Line P/R/F1 of the model alone per variant, per threshold, on the rows in ``mask``."""
    probabilities = model.probabilities(examples.features[mask])
    gold = examples.labels[mask] > 0.5
    variants = examples.variants[mask]
    out: dict[float, dict[str, tuple[float, float, float]]] = {}
    for threshold in thresholds:
        hit = probabilities >= threshold
        out[threshold] = {v: _f1(gold[variants == v], hit[variants == v]) for v in ("visible_text", "extractor_recall")}
    return out


def _weights(variants: npt.NDArray[np.str_]) -> npt.NDArray[np.float64]:
    return np.array([VARIANT_WEIGHTS.get(str(v), 1.0) for v in variants])


def fit_final(examples: LineExamples, thresholds: Thresholds) -> LineModel:
    """Train on every line, with the thresholds chosen on held-out folds."""
    model = train_joined_model(examples.features, examples.labels, _weights(examples.variants))
    return LineModel(model.features, model.mean, model.scale, model.hidden, model.output, model.bias, *thresholds)


def fold_models(examples: LineExamples, folds: int, seeds: int = SEEDS) -> list[LineModel]:
    """One model per fold of sites, trained on the lines of the other folds."""
    models = []
    for fold in range(folds):
        train = examples.folds != fold
        weights = _weights(examples.variants[train])
        models.append(train_joined_model(examples.features[train], examples.labels[train], weights, seeds))
    return models


def _held_out_runs(
    corpus: Path,
    examples: LineExamples,
    pairs: Sequence[Thresholds],
    folds: int,
    variants: set[str] | None = None,
) -> dict[Thresholds, list[tuple[dict[str, Any], BoilerplateResult]]]:
    """Per pair of thresholds, the whole detector's result on each record (of ``variants``), each fold of sites
    judged by a model trained without it on ``examples`` (split into ``folds``). Template lines are mined per
    variant over the whole corpus, as in the evaluation."""
    models = fold_models(examples, folds)
    records = [r for r in read_jsonl_gz(corpus) if variants is None or r["variant"] in variants]
    templates = {v: mine_templates([r for r in records if r["variant"] == v]) for v in {r["variant"] for r in records}}
    runs: dict[Thresholds, list[tuple[dict[str, Any], BoilerplateResult]]] = {pair: [] for pair in pairs}
    for record in records:
        fitted = models[site_fold(record_site(record), folds)]
        source = templates[record["variant"]].get(record.get("source_domain") or "")
        for pair in pairs:
            model = dataclasses.replace(fitted, threshold=pair[0], tail_threshold=pair[1])
            result = boilerplate_spans(record.get("text"), record.get("language"), source, model=model)
            runs[pair].append((record, result))
    return runs


def detector_scores(
    corpus: Path,
    examples: LineExamples,
    thresholds: Sequence[float] = THRESHOLDS,
    tail_thresholds: Sequence[float | None] = TAIL_THRESHOLDS,
    variant: str = "extractor_recall",
) -> dict[Thresholds, dict[str, float]]:
    """Line P/R/F1 of the whole detector on ``variant`` records of held-out folds (the ``FOLDS`` folds of
    ``examples``), per pair of thresholds."""
    pairs = [(t, tail) for t in thresholds for tail in tail_thresholds]
    scores = {}
    for pair, run in _held_out_runs(corpus, examples, pairs, FOLDS, {variant}).items():
        counts = [line_counts(record, result) for record, result in run]
        scores[pair] = prf(*(sum(c[i] for c in counts) for i in range(3)))
    return scores


def held_out_figures(
    corpus: Path,
    threshold: float,
    limits: BoilerplateLimits | None = None,
    folds: int = FOLDS,
    tail_threshold: float | None = None,
) -> dict[str, Any]:
    """The full detector with a model trained without each fold of sites, scored on that fold's pages.

    This estimates the figures on sites the model has not seen (``folds=2`` gives the two site halves):
    line-level P/R/F1 per variant, the share of ``clean_gt`` articles flagged and article-level P/R/F1 of
    ``clean_gt`` against ``visible_text``.
    """
    limits = limits or BoilerplateLimits()
    pair = (threshold, tail_threshold)
    counts: dict[str, list[int]] = {}
    flagged: dict[str, list[bool]] = {}
    for record, result in _held_out_runs(corpus, line_examples(corpus, folds), [pair], folds)[pair]:
        variant = record["variant"]
        found = line_counts(record, result)
        counts[variant] = [a + b for a, b in zip(counts.get(variant, [0, 0, 0]), found, strict=True)]
        flagged.setdefault(variant, []).append(has_boilerplate(result.share, result.chars, limits, result.kinds))
    clean = flagged.get("clean_gt", [])
    dirty = flagged.get("visible_text", [])
    tp, fp = sum(dirty), sum(clean)
    return {
        "lines": {v: prf(*c) for v, c in sorted(counts.items())},
        "clean_gt_flagged": fp / len(clean) if clean else 0.0,
        "clean_gt_vs_visible_text": prf(tp, fp, len(dirty) - tp),
    }


def main(argv: Sequence[str]) -> dict[str, Any]:
    """Choose the thresholds on held-out folds of sites, then (with ``--write``) fit on everything and write
    the model file.

    The model's thresholds are the ones for ordinary pages (extractor output): the pair with the best
    held-out line F1 of the whole detector on ``extractor_recall``.
    """
    corpora = Path(argv[0]) if argv else Path("../shared/corpora")
    examples = line_examples(corpora / "boilerplate.jsonl.gz")
    scores = detector_scores(corpora / "boilerplate.jsonl.gz", examples)
    chosen = max(scores, key=lambda pair: scores[pair]["f1"])
    report: dict[str, Any] = {
        "held_out_folds": {f"{t} {tail}": s for (t, tail), s in scores.items()},
        "threshold": chosen[0],
        "tail_threshold": chosen[1],
    }
    if "--write" in argv:
        model = fit_final(examples, chosen)
        target = Path(__file__).resolve().parent.parent / "detectors" / MODEL_FILE
        target.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    if "--held-out" in argv:
        report["held_out_figures"] = held_out_figures(
            corpora / "boilerplate.jsonl.gz",
            chosen[0],
            folds=2 if "--site-halves" in argv else FOLDS,
            tail_threshold=chosen[1],
        )
    return report


if __name__ == "__main__":  # pragma: no cover - manual entry point
    import sys

    print(json.dumps(main(sys.argv[1:]), indent=1))
