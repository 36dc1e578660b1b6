"""Tests for the packaged line classifier."""

from __future__ import annotations

import numpy as np

from validators.detectors.boilerplate import PHRASE_FEATURES
from validators.detectors.line_features import FEATURE_NAMES
from validators.detectors.line_model import LineModel, line_model, model_from_dict


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


def test_packaged_model_matches_the_features() -> None:
    model = line_model()
    assert model is not None
    assert model.features == FEATURE_NAMES + PHRASE_FEATURES
    assert model.hidden.shape[0] == len(model.features)
    assert 0.0 < model.threshold < 1.0
