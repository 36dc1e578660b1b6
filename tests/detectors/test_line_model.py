"""Tests for the packaged line classifier."""

from __future__ import annotations

import numpy as np
import pytest

from validators.detectors.boilerplate import PHRASE_FEATURES
from validators.detectors.line_features import FEATURE_NAMES
from validators.detectors.line_model import LineModel, line_model, model_from_dict, tail_block


def _tiny_model() -> LineModel:
    return LineModel(
        features=("a", "b"),
        mean=np.zeros(2),
        scale=np.ones(2),
        hidden=np.array([[1.0], [-1.0]]),
        output=np.array([4.0]),
        bias=0.0,
        threshold=0.5,
    )


def test_probabilities_follow_the_weights() -> None:
    model = _tiny_model()
    p = model.probabilities(np.array([[2.0, 0.0], [0.0, 2.0], [1.0, 1.0]]))
    assert p[0] > 0.9 and p[1] < 0.1 and abs(p[2] - 0.5) < 1e-9
    assert model.probabilities(np.zeros((0, 2))).shape == (0,)


def test_json_round_trip() -> None:
    model = _tiny_model()
    again = model_from_dict(model.to_dict())
    assert again.features == model.features
    assert np.array_equal(again.hidden, model.hidden)
    assert again.threshold == model.threshold
    assert again.tail_threshold is None
    with_edges = model_from_dict({**model.to_dict(), "tail_threshold": 0.2})
    assert with_edges.tail_threshold == 0.2
    assert model_from_dict(with_edges.to_dict()).tail_threshold == 0.2


def test_tail_block_keeps_a_tail_whose_evidence_adds_up() -> None:
    body = [0.05] * 6
    # The tail's middle line is doubtful alone but not as part of the block; the likely head is left alone.
    probabilities = np.array([0.8, 0.5, *body, 0.6, 0.15, 0.9])
    assert tail_block(probabilities, 0.2).tolist() == [False] * 8 + [True, True, True]


def test_tail_block_starts_no_earlier_than_asked() -> None:
    probabilities = np.array([0.9, 0.9, 0.05, 0.3, 0.9])
    assert tail_block(probabilities, 0.2).tolist() == [True] * 5  # the likely head pays for the body
    assert tail_block(probabilities, 0.2, earliest=1).tolist() == [False, True, True, True, True]
    assert tail_block(probabilities, 0.2, earliest=2).tolist() == [False, False, False, True, True]
    assert not tail_block(probabilities, 0.2, earliest=5).any()


def test_thresholds_outside_the_unit_interval_are_refused() -> None:
    data = _tiny_model().to_dict()
    for field, value in (("threshold", 1.0), ("tail_threshold", 0.0)):
        with pytest.raises(ValueError, match=field):
            model_from_dict({**data, field: value})


def test_tail_block_leaves_a_page_without_a_likely_tail_alone() -> None:
    assert not tail_block(np.array([0.1, 0.05, 0.3, 0.05, 0.1]), 0.2).any()  # one likely line inside the body
    assert not tail_block(np.array([0.05, 0.05, 0.19]), 0.2).any()
    assert tail_block(np.zeros(0), 0.2).shape == (0,)


def test_packaged_model_matches_the_features() -> None:
    model = line_model()
    assert model is not None
    assert model.features == FEATURE_NAMES + PHRASE_FEATURES
    assert model.hidden.shape[0] == len(model.features)
    assert 0.0 < model.threshold < 1.0
    assert model.tail_threshold is None or 0.0 < model.tail_threshold < 1.0
