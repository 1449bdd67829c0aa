"""The learned answer model: a logistic regression over `FEATURE_NAMES` that gives each sentence
the probability that it states the answer (trained on the train split), and a second one over
answer-level features that gives the probability that the cited answer is right (fitted on the
dev split), with the abstention threshold chosen there. Stored as a small JSON file; inference is
numpy only."""

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from service.answering.features import FEATURE_NAMES

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "answer_model.json"
CONFIDENCE_FEATURES = ("best_logit", "unseen_share", "entities_quote", "entities_context", "cos_passage", "runner_up_gap", "shape_missing", "coverage_quote")


class ModelFileError(ValueError):
    """The answer model file is missing, unreadable or made for other features."""


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class Logistic:
    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probability(self, rows: np.ndarray) -> np.ndarray:
        z = ((rows - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def as_dict(self) -> dict:
        return {"names": list(self.names), "mean": self.mean.tolist(), "scale": self.scale.tolist(), "coef": self.coef.tolist(), "intercept": self.intercept}

    @classmethod
    def from_dict(cls, data: dict, names: tuple[str, ...]) -> "Logistic":
        if tuple(data["names"]) != names:
            raise ModelFileError(f"model features {data['names']} are not the code's {list(names)}: retrain with `scrutiny train-answerer`")
        return cls(names, np.asarray(data["mean"], np.float32), np.asarray(data["scale"], np.float32), np.asarray(data["coef"], np.float32), float(data["intercept"]))


@dataclass(frozen=True)
class AnswerModel:
    sentence: Logistic
    confidence: Logistic
    threshold: float
    provenance: dict
    # The cosine similarity at which a /search passage matches by meaning alone: the highest that
    # off-topic searches reach (eval/data/off_topic_searches.txt); see RelevanceFloor.
    relevance_floor: float | None = None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "sentence": self.sentence.as_dict(),
            "confidence": self.confidence.as_dict(),
            "threshold": self.threshold,
            "relevance_floor": self.relevance_floor,
            "provenance": self.provenance,
        }
        path.write_text(json.dumps(data, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path | None = None) -> "AnswerModel":
        path = Path(path) if path is not None else DEFAULT_MODEL_PATH
        try:
            data = json.loads(path.read_text())
            return cls(
                Logistic.from_dict(data["sentence"], FEATURE_NAMES),
                Logistic.from_dict(data["confidence"], CONFIDENCE_FEATURES),
                float(data["threshold"]),
                data.get("provenance", {}),
                data.get("relevance_floor"),
            )
        except (OSError, KeyError, TypeError, json.JSONDecodeError) as e:
            raise ModelFileError(f"answer model {path}: {e}") from e
