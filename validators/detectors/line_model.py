"""The learned line classifier: a one-hidden-layer network over line features, weights held as data.

The weights live in ``line_model.json`` beside this module (written by
:mod:`validators.evaluation.boilerplate_training`). Inference is two small matrix products per text.
:func:`tail_block` reads the probabilities of a page's lines as a whole: leftovers gather at the end of a
page (related links, an author's bio, calls to action), so the tail is judged by the sum of its lines'
evidence, not line by line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

MODEL_PACKAGE = "validators.detectors"
MODEL_FILE = "line_model.json"


@dataclass(frozen=True, slots=True)
class LineModel:
    """Standardisation, hidden layer (tanh) and logistic output; ``threshold`` marks a line.

    ``tail_threshold``, when set, marks the page's :func:`tail_block` as well.
    """

    features: tuple[str, ...]
    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    hidden: npt.NDArray[np.float64]
    output: npt.NDArray[np.float64]
    bias: float
    threshold: float
    tail_threshold: float | None = None

    def probabilities(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Probability that each row (a line) is boilerplate."""
        if not len(features):
            return np.zeros(0)
        standard = features - self.mean
        standard /= self.scale
        hidden = standard @ self.hidden
        np.tanh(hidden, out=hidden)
        # In place from here: the logits clipped to +-30, then the logistic function.
        values = hidden @ self.output
        values += self.bias
        np.maximum(values, -30.0, out=values)
        np.minimum(values, 30.0, out=values)
        np.negative(values, out=values)
        np.exp(values, out=values)
        values += 1.0
        return np.divide(1.0, values, out=values)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the model."""
        return {
            "features": list(self.features),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "hidden": self.hidden.tolist(),
            "output": self.output.tolist(),
            "bias": self.bias,
            "threshold": self.threshold,
            "tail_threshold": self.tail_threshold,
        }


def model_from_dict(data: dict[str, Any]) -> LineModel:
    """Build a :class:`LineModel` from its JSON form; thresholds outside (0, 1) are refused."""
    model = LineModel(
        features=tuple(data["features"]),
        mean=np.asarray(data["mean"], dtype=np.float64),
        scale=np.asarray(data["scale"], dtype=np.float64),
        hidden=np.asarray(data["hidden"], dtype=np.float64),
        output=np.asarray(data["output"], dtype=np.float64),
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        tail_threshold=None if data.get("tail_threshold") is None else float(data["tail_threshold"]),
    )
    for name in ("threshold", "tail_threshold"):
        value = getattr(model, name)
        if value is not None and not 0.0 < value < 1.0:
            raise ValueError(f"line model: {name} must lie strictly between 0 and 1, not {value}")
    return model


@lru_cache(maxsize=1)
def line_model() -> LineModel | None:
    """The packaged model (cached); None when the data file is absent."""
    entry = resources.files(MODEL_PACKAGE).joinpath(MODEL_FILE)
    if not entry.is_file():
        return None
    return model_from_dict(json.loads(entry.read_text(encoding="utf-8")))


def tail_block(probabilities: npt.NDArray[np.float64], threshold: float, earliest: int = 0) -> npt.NDArray[np.bool_]:
    """The lines of the tail of a page whose evidence, taken together, says boilerplate.

    Each line scores its log-odds minus those of ``threshold``; the tail block is the suffix of the page, starting
    at line ``earliest`` or later, with the highest total score, kept when that total is positive. A line in it
    may be doubtful alone (an author's bio, a closing call to action) while the tail as a whole is clearly page
    furniture. ``earliest`` keeps a likely head (a menu) from pulling the whole article into the block.
    """
    marked = np.zeros(len(probabilities), dtype=np.bool_)
    if earliest >= len(probabilities):
        return marked
    p = np.clip(probabilities[earliest:], 1e-6, 1.0 - 1e-6)
    scores = np.log(p / (1.0 - p)) - np.log(threshold / (1.0 - threshold))
    totals = np.cumsum(scores[::-1])[::-1]  # totals[i]: the score of lines earliest + i .. end
    start = int(np.argmax(totals))
    if totals[start] > 0:
        marked[earliest + start :] = True
    return marked
