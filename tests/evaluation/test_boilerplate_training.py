"""Tests for the training of the line classifier (on small synthetic examples)."""

from __future__ import annotations

import numpy as np

from validators.evaluation.boilerplate_training import (
    LineExamples,
    choose_threshold,
    line_scores,
    page_fold,
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


def test_threshold_choice_takes_the_best_f1_of_the_variant() -> None:
    scores = {0.3: {"a": (0.5, 0.5, 0.5), "b": (0.5, 0.5, 0.4)}, 0.5: {"a": (0.9, 0.9, 0.9), "b": (0.1, 0.1, 0.1)}}
    assert choose_threshold(scores, "a") == 0.5
    assert choose_threshold(scores, "b") == 0.3


def test_page_fold_is_stable_and_in_range() -> None:
    folds = {page_fold(f"page-{i}") for i in range(50)}
    assert folds == {0, 1, 2}
    assert page_fold("page-7") == page_fold("page-7")
