"""The learned answer model. A sentence model gives each candidate sentence the probability that
it states the answer: linear in `FEATURE_NAMES`, trained on the train split to rank a question's
answering sentence first among its own candidates, then scaled to a probability. Two answer-level
logistic models over `CONFIDENCE_FEATURES`, fitted on the train and dev splits, give the
probability that the cited answer is right (the confidence users see) and the probability that
the question is answerable, judged from its answer and the passages read (the answer stage
declines below the threshold chosen with it). Stored as a small JSON file beside the sentence encoder it was trained
with (MiniLM fine-tuned on the train split, int8 ONNX, named and hashed in the JSON); inference is
numpy and ONNX Runtime only."""

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from service.answering.features import FEATURE_NAMES

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "answer_model.json"
CONFIDENCE_FEATURES = ("best_logit", "unseen_share", "entities_quote", "entities_context", "cos_passage", "runner_up_gap", "shape_missing", "coverage_quote")


def encoder_file(model_path: Path) -> Path:
    """Where a model's encoder lives: beside it, named after it, so two models in one folder
    never share (or overwrite) an encoder."""
    return model_path.with_name(model_path.stem + ".encoder.onnx")


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
    # The fine-tuned sentence encoder the sentence model's similarity features were computed
    # with (an ONNX file beside the model file); None: the base MiniLM.
    encoder_path: Path | None = None
    # Whether the question is answerable, judged from the passages read; `threshold` applies to it. Declining on
    # this rather than on `confidence` turns away more unanswerable questions for the same share
    # of answerable ones: an answerable question answered wrongly looks like an unanswerable one
    # to the confidence model, and those set its threshold. None (older files): `confidence`.
    answerable: Logistic | None = None

    @property
    def abstention(self) -> Logistic:
        """The model whose probability `threshold` applies to."""
        return self.answerable if self.answerable is not None else self.confidence

    def save(self, path: Path) -> None:
        """Write the model JSON to `path`; the encoder file (if any) is copied beside it and
        recorded with its SHA-256, so a model is never paired with another encoder. Both files are
        written whole (to a temporary name, then renamed)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        encoder = None
        if self.encoder_path is not None:
            target = encoder_file(path)
            if Path(self.encoder_path).resolve() != target.resolve():
                partial = target.with_suffix(".partial")
                partial.write_bytes(Path(self.encoder_path).read_bytes())
                partial.replace(target)
            encoder = {"file": target.name, "sha256": file_sha256(target)}
        data = {
            "encoder": encoder,
            "sentence": self.sentence.as_dict(),
            "confidence": self.confidence.as_dict(),
            "answerable": self.answerable.as_dict() if self.answerable is not None else None,
            "threshold": self.threshold,
            "relevance_floor": self.relevance_floor,
            "provenance": self.provenance,
        }
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(data, indent=1) + "\n")
        partial.replace(path)

    @classmethod
    def load(cls, path: Path | None = None) -> "AnswerModel":
        path = Path(path) if path is not None else DEFAULT_MODEL_PATH
        try:
            data = json.loads(path.read_text())
            encoder_path = None
            if data.get("encoder"):
                encoder_path = path.parent / data["encoder"]["file"]
                if not encoder_path.is_file():
                    raise ModelFileError(f"answer model {path}: its encoder {encoder_path.name} is missing: retrain with `scrutiny train-answerer`")
                if file_sha256(encoder_path) != data["encoder"]["sha256"]:
                    raise ModelFileError(f"answer model {path}: {encoder_path.name} is not the encoder it was trained with (SHA-256 differs): retrain with `scrutiny train-answerer`")
            return cls(
                Logistic.from_dict(data["sentence"], FEATURE_NAMES),
                Logistic.from_dict(data["confidence"], CONFIDENCE_FEATURES),
                float(data["threshold"]),
                data.get("provenance", {}),
                data.get("relevance_floor"),
                encoder_path,
                Logistic.from_dict(data["answerable"], CONFIDENCE_FEATURES) if data.get("answerable") else None,
            )
        except (OSError, KeyError, TypeError, json.JSONDecodeError) as e:
            raise ModelFileError(f"answer model {path}: {e}") from e


def stored_relevance_floor(path: Path | None = None) -> float | None:
    """The search floor stored with the model, read without loading (or checking) the encoder:
    search and the rules answerer do not need it."""
    path = Path(path) if path is not None else DEFAULT_MODEL_PATH
    try:
        return json.loads(path.read_text()).get("relevance_floor")
    except (OSError, json.JSONDecodeError) as e:
        raise ModelFileError(f"answer model {path}: {e}") from e


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
