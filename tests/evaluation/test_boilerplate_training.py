"""Tests for the training of the line classifier (on small synthetic examples)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np

from validators.evaluation.boilerplate_training import (
    LineExamples,
    detector_scores,
    fold_models,
    held_out_figures,
    joined_model,
    line_examples,
    line_scores,
    record_site,
    site_fold,
    train_line_model,
)


def _examples(rng: np.random.Generator, n: int) -> LineExamples:
    width = 34
    features = rng.normal(size=(n, width))
    features[:, 0] = 1.0
    labels = (features[:, 1] + 0.5 * features[:, 2] > 0.3).astype(np.float64)
    variants = np.array(["visible_text", "extractor_recall"] * (n // 2))
    return LineExamples(features, labels, variants, np.zeros(n, dtype=np.int64))


def test_model_learns_a_separable_rule() -> None:
    rng = np.random.default_rng(1)
    examples = _examples(rng, 600)
    model = train_line_model(examples.features, examples.labels, np.ones(600))
    scores = line_scores(model, examples, np.ones(600, dtype=bool), (0.5,))
    for _, _, f1 in scores[0.5].values():
        assert f1 > 0.9


def test_joined_model_averages_the_logits_of_its_members() -> None:
    rng = np.random.default_rng(2)
    examples = _examples(rng, 400)
    first = train_line_model(examples.features, examples.labels, np.ones(400), seed=0)
    second = train_line_model(examples.features, examples.labels, np.ones(400), seed=1)
    joined = joined_model([first, second])
    assert joined.hidden.shape[1] == first.hidden.shape[1] + second.hidden.shape[1]

    def logit(p: np.ndarray) -> np.ndarray:
        return np.log(p / (1.0 - p))

    rows = examples.features[:50]
    expected = (logit(first.probabilities(rows)) + logit(second.probabilities(rows))) / 2
    assert np.allclose(logit(joined.probabilities(rows)), expected, atol=1e-6)


def test_fold_models_never_saw_their_fold() -> None:
    rng = np.random.default_rng(3)
    base = _examples(rng, 600)
    folds = np.arange(600) % 2
    # Fold 1 carries the opposite rule: a model that never saw it gets it wrong.
    labels = np.where(folds == 1, 1.0 - base.labels, base.labels)
    examples = LineExamples(base.features, labels, base.variants, folds)
    models = fold_models(examples, 2, seeds=1)
    hit = models[1].probabilities(base.features[folds == 1]) >= 0.5
    assert np.mean(hit == (labels[folds == 1] > 0.5)) < 0.2


def test_site_fold_is_stable_and_in_range() -> None:
    folds = {site_fold(f"site-{i}.example") for i in range(50)}
    assert folds == {0, 1, 2}
    assert site_fold("site-7.example") == site_fold("site-7.example")
    assert {site_fold(f"site-{i}.example", folds=2) for i in range(50)} == {0, 1}


def test_pages_of_one_site_share_a_fold() -> None:
    first = {"id": "a#clean_gt", "page_id": "a", "source_domain": "news.example"}
    second = {"id": "b#visible_text", "page_id": "b", "source_domain": "news.example"}
    assert record_site(first) == record_site(second) == "news.example"
    assert record_site({"id": "c#clean_gt", "page_id": "c", "source_domain": None}) == "c"


def _write_corpus(path: Path) -> None:
    body = [f"Paragraph {i} of the report describes the council budget and what residents said." for i in range(9)]
    menu = ["Home", "News", "Sport", "Contact"]
    records = []
    for page in range(6):
        clean = "\n".join(body)
        dirty = "\n".join(menu + body + menu)
        for variant, text, lines in (
            ("clean_gt", clean, []),
            ("visible_text", dirty, menu),
            ("extractor_recall", clean + "\nShare", ["Share"]),
        ):
            records.append(
                {
                    "id": f"p{page}#{variant}",
                    "page_id": f"p{page}",
                    "variant": variant,
                    "url": f"https://example.org/{page}",
                    "source_domain": f"site{page}.example",
                    "text": text,
                    "language": "en",
                    "boilerplate": bool(lines),
                    "boilerplate_lines": lines,
                }
            )
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(json.dumps(r) for r in records) + "\n")


def test_held_out_figures_score_every_variant(tmp_path: Path) -> None:
    corpus = tmp_path / "boilerplate.jsonl.gz"
    _write_corpus(corpus)
    figures = held_out_figures(corpus, threshold=0.5)
    assert set(figures["lines"]) == {"clean_gt", "visible_text", "extractor_recall"}
    assert 0.0 <= figures["clean_gt_flagged"] <= 1.0
    assert figures["clean_gt_vs_visible_text"]["tp"] + figures["clean_gt_vs_visible_text"]["fn"] == 6


def test_detector_scores_cover_every_pair_of_thresholds(tmp_path: Path) -> None:
    corpus = tmp_path / "boilerplate.jsonl.gz"
    _write_corpus(corpus)
    scores = detector_scores(corpus, line_examples(corpus), thresholds=(0.3, 0.5), tail_thresholds=(None, 0.2))
    assert set(scores) == {(0.3, None), (0.3, 0.2), (0.5, None), (0.5, 0.2)}
    for figures in scores.values():
        assert figures["tp"] + figures["fn"] == 6  # one "Share" line on each of the six extractor pages
    # Each pair is applied: a line threshold that marks nearly everything marks body lines too.
    loose = detector_scores(corpus, line_examples(corpus), thresholds=(1e-9, 0.99), tail_thresholds=(None,))
    assert loose[1e-9, None]["fp"] > loose[0.99, None]["fp"]
