"""The answer stage's sentence vectors: each sentence encoded alone by the answer encoder and
rounded to float16, or read from the vectors stored beside the index when the same encoder made
them. A sentence gets the same vector either way, so answers do not depend on whether the
stored vectors exist or are up to date; only their speed does."""

import time
from hashlib import sha256
from pathlib import Path
from typing import Callable

import numpy as np

from indexes import ScrutinyIndex, SentenceVectors, SentenceVectorsError
from indexes.sentence_vectors import sentence_keys
from service.answering.features import split_candidates
from service.onnx_encoder import OnnxEncoder

# Part of every encoder id: raise it when what a stored vector is changes (pooling, rounding,
# batching), so vectors made the old way are not used.
VECTORS_VERSION = 1
# Sentences per encoder call while storing (the vectors do not depend on it: one text per batch).
STORE_STEP = 2000


def encoder_id(encoder: OnnxEncoder) -> str:
    """Names the vectors an encoder makes: its weights' digest, its batch size and VECTORS_VERSION."""
    digest = sha256()
    with Path(encoder.onnx_file).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return f"v{VECTORS_VERSION}:batch{encoder.batch_size}:{digest.hexdigest()[:32]}"


def rounded(vectors: np.ndarray) -> np.ndarray:
    """Vectors as stored (float16), back in float32: encoded and stored vectors then agree exactly."""
    return vectors.astype(np.float16).astype(np.float32)


class SentenceEncoder:
    """Vectors of a question and its candidate sentences for the answer stage.

    Usage:
        encoder = SentenceEncoder(shared_encoder(model, onnx_file=tuned, batch_size=1), index.sentence_vectors_folder)
        vectors = encoder.encode(["What is the NFA rate?", "The NFA rate fell to 12%."])
    """

    def __init__(self, encoder: OnnxEncoder, stored_in: Path | None = None):
        """
        :param stored_in: The index's folder, whose vectors of this encoder are used if any.
        :raises SentenceVectorsError: their file is unreadable.
        """
        self.encoder = encoder
        self.id = encoder_id(encoder)
        self.stored = SentenceVectors.load(stored_in, self.id) if stored_in is not None else None

    def encode(self, texts: list[str]) -> np.ndarray:
        if self.stored is None:
            return rounded(self.encoder.encode(texts))
        vectors, found = self.stored.lookup(texts)
        if not found.all():
            missing = np.flatnonzero(~found)
            vectors[missing] = rounded(self.encoder.encode([texts[i] for i in missing]))
        return vectors


def index_sentences(index: ScrutinyIndex) -> dict[int, str]:
    """Every candidate sentence of every passage in the index, by key."""
    sentences = {}
    for chunk in index.iter_chunks(fields=["text"]):
        text = chunk.get("text") or ""
        candidates, _ = split_candidates([text])
        texts = [text[c.start : c.end] for c in candidates]
        sentences.update(zip(sentence_keys(texts).tolist(), texts))
    return sentences


def store_sentence_vectors(
    index: ScrutinyIndex, encoder: OnnxEncoder, log: Callable[[str], None] = print, save_every: float = 300.0, extend_only: bool = False
) -> SentenceVectors | None:
    """Encode the index's sentences that the stored vectors lack and store them, dropping those of
    passages no longer in the index. Progress is saved every `save_every` seconds, so an
    interrupted run resumes where it stopped. Run after ingesting and after training the answer
    model (the vectors belong to its encoder).

    :param extend_only: Do nothing (and return None) unless vectors of this encoder are stored
        already: an ingest keeps them up to date but does not start them (~20 minutes for 50k
        passages)."""
    made_by = encoder_id(encoder)
    try:
        table = index.sentence_vectors(made_by)
    except SentenceVectorsError as e:
        if extend_only:
            return None
        log(f"replacing it: {e}")
        table = None
    if table is None and extend_only:
        return None
    table = table or SentenceVectors.empty(made_by, index.settings.dimension)
    sentences = index_sentences(index)
    wanted = np.fromiter(sentences, dtype=np.uint64, count=len(sentences))
    missing = wanted[~np.isin(wanted, table.keys)]
    log(f"{len(sentences)} sentences in the index; {len(sentences) - len(missing)} already stored, {len(missing)} to encode")
    started = saved = time.perf_counter()
    for first in range(0, len(missing), STORE_STEP):
        keys = missing[first : first + STORE_STEP]
        table = table.with_rows(keys, rounded(encoder.encode([sentences[int(k)] for k in keys])))
        done = first + len(keys)
        if time.perf_counter() - saved > save_every and done < len(missing):
            table.save(index.sentence_vectors_folder)
            saved = time.perf_counter()
            log(f"{done}/{len(missing)} encoded ({done / (saved - started):.0f}/s), saved")
    table = table.with_rows(np.zeros(0, dtype=np.uint64), np.zeros((0, table.vectors.shape[1])), keep=wanted)
    path = table.save(index.sentence_vectors_folder)
    log(f"stored {len(table)} sentence vectors at {path}")
    return table
