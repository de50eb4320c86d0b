"""The fitted part of the answering path: the features of an answer unit, and the linear
evidence model fitted on them from the dev questions by `policyqa fit`.

A model is a versioned JSON file in assistant/data/: feature names, standardisation, weights.
Scoring is a dot product and a logistic function, so answering needs no scikit-learn; fitting
does (see evals/fit.py)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# What describes one candidate unit (a sentence or bullet of a retrieved passage) for a question.
EVIDENCE_FEATURES = (
    "coverage",  # weighted share of the question's concepts in the unit, its context, its document
    "unit_coverage",  # the same, counting the unit's own words only
    "key_in_unit",  # share of the question's two most specific concepts in the unit itself
    "type_fit",  # the unit has the kind of answer asked for (0..1)
    "rank",  # 1 / (1 + passage rank)
    "passage_dense",  # cosine of question and passage (0 when the passage came from BM25 only)
    "lexical",  # the passage's BM25 score relative to the best passage's
    "has_number",  # the unit states a quantity
    "entity_in_unit",  # share of the question's names/years/numbers in the unit itself
    "first_in_passage",  # the passage's first unit (often a heading or lead)
    "log_words",  # log of the unit's length in words
    "asks_amount_x_change",  # an amount question, and the unit's number is a change
    "asks_amount_x_total",  # an amount question, and the unit's number is a total
    "asks_change_x_change",  # the question asks for a change, and the unit states one
    "asks_target_x_goal",  # a target question, and the unit is phrased as a goal
    "restates_question",  # most of the unit's words are the question's ("forslag til mål for X")
    "same_language",  # the unit's document is in the question's language
)

@dataclass(frozen=True)
class LinearModel:
    """A logistic model over named features, standardised with the fitting data's mean/scale."""

    name: str
    version: int
    fitted_on: str
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    metrics: Mapping[str, float] | None = None  # cross-validated figures recorded at fit time

    def prob(self, x: Sequence[float]) -> float:
        z = self.bias + sum(w * (v - m) / s for w, v, m, s in zip(self.weights, x, self.mean, self.scale))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> str:
        return json.dumps({
            "name": self.name, "version": self.version, "fitted_on": self.fitted_on,
            "features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
            "weights": list(self.weights), "bias": self.bias,
            "metrics": dict(self.metrics or {}),
        }, indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str, expect: Sequence[str]) -> LinearModel:
        d = json.loads(text)
        if tuple(d["features"]) != tuple(expect):
            raise ValueError(f"model '{d.get('name')}' was fitted on other features; run `policyqa fit`")
        return cls(d["name"], int(d["version"]), d["fitted_on"], tuple(d["features"]),
                   tuple(d["mean"]), tuple(d["scale"]), tuple(d["weights"]), float(d["bias"]),
                   d.get("metrics") or {})


MODEL_FILES = {"evidence": ("evidence_model.json", EVIDENCE_FEATURES)}


@lru_cache(maxsize=None)
def load_model(name: str) -> LinearModel | None:
    """The fitted model shipped with the package; None before the first `policyqa fit`."""
    filename, expect = MODEL_FILES[name]
    path = resources.files("assistant") / "data" / filename
    if not path.is_file():
        return None
    return LinearModel.from_json(path.read_text(encoding="utf-8"), expect)
