"""The answer stage's sentence vectors: each sentence encoded alone by the answer encoder and
rounded to float16, or read from the vectors stored for the index when the same encoder made
them. A sentence gets the same vector either way, so answers do not depend on whether the stored
vectors exist or are up to date; only their speed does."""

import time
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

import numpy as np
import onnxruntime
from haystack import logging

from indexes import ScrutinyIndex, SentenceVectors, SentenceVectorsError
from indexes.sentence_vectors import sentence_keys
from service.answering.features import Candidate, split_candidates
from service.answering.model import AnswerModel, file_sha256
from service.onnx_encoder import OnnxEncoder, shared_encoder

logger = logging.getLogger(__name__)

# Part of every encoder id: raise it when what a stored vector is changes (pooling, rounding,
# batching), so vectors made the old way are not used.
VECTORS_VERSION = 1
# Sentences per encoder call while storing (the vectors do not depend on it: one text per batch).
STORE_STEP = 2000


def encoder_id(encoder: OnnxEncoder) -> str:
    """Names the vectors an encoder makes: its weights, tokenizer, batch size, the ONNX Runtime
    release that runs it (its int8 kernels) and VECTORS_VERSION. The CPU's int8 instructions can
    round differently too, so vectors are best made on the machine that serves them."""
    return (
        f"v{VECTORS_VERSION}:batch{encoder.batch_size}:ort{onnxruntime.__version__}:"
        f"{file_sha256(encoder.onnx_file)[:32]}:{file_sha256(encoder.tokenizer_file)[:16]}"
    )


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
        :param stored_in: The folder of the index's stored vectors, used if `encoder` made them.
        :raises SentenceVectorsError: their file is unreadable.
        """
        self.encoder = encoder
        self.stored = SentenceVectors.load(stored_in, self.id, encoder.dimension) if stored_in is not None else None

    @cached_property
    def id(self) -> str:
        return encoder_id(self.encoder)

    def encode_passages(self, question: str, texts: list[str]) -> tuple[list[Candidate], list[list[tuple[int, int]]], np.ndarray]:
        """The candidate sentences of passages `texts`, each passage's sentence spans, and the
        vectors of the question (row 0) and of each candidate (rows 1 on)."""
        candidates, spans = split_candidates(texts)
        return candidates, spans, self.encode([question] + [texts[c.passage_index][c.start : c.end] for c in candidates])

    def encode(self, texts: list[str]) -> np.ndarray:
        """Float32 vectors of `texts`, float16-rounded; stored ones looked up, the rest encoded."""
        if self.stored is None:
            return rounded(self.encoder.encode(texts))
        vectors, found = self.stored.lookup(texts)
        if not found.all():
            missing = np.flatnonzero(~found)
            vectors[missing] = rounded(self.encoder.encode([texts[i] for i in missing]))
        return vectors


def answer_sentence_encoder(model: str, onnx_file: Path | None, stored_in: str | Path | None) -> SentenceEncoder:
    """The answer stage's sentence encoder (the fine-tuned ONNX file, or base MiniLM for None), one
    text per call so that a sentence's vector is its own and can be stored, reading the vectors
    stored in `stored_in` when this encoder made them. Answers and rankings are the same without
    them, only slower, so unreadable or missing vectors are logged, not raised."""
    encoder = shared_encoder(model, onnx_file=str(onnx_file) if onnx_file else None, batch_size=1)
    if not stored_in:
        return SentenceEncoder(encoder)
    try:
        sentence_encoder = SentenceEncoder(encoder, Path(stored_in))
    except SentenceVectorsError as e:
        logger.error("not using the stored sentence vectors: {error}", error=str(e))
        return SentenceEncoder(encoder)
    if sentence_encoder.stored is None:
        # News, not a warning (`make demo` has none).
        logger.info(
            "no sentence vectors of the answer encoder in {path}: each answer encodes its sentences "
            "(~100 for 24 passages); `scrutiny index sentence-vectors` stores them",
            path=str(stored_in),
        )
    else:
        logger.info("read {count} stored sentence vectors of the answer encoder", count=len(sentence_encoder.stored))
    return sentence_encoder


def storing_encoder(model: str) -> OnnxEncoder:
    """The shipped answer model's encoder as `answer_sentence_encoder` runs it, for encoding many
    sentences in a row: its threads spin between calls (faster in bulk, slower beside a service's
    other session). Its vectors are the same, and so is its `encoder_id`."""
    onnx_file = AnswerModel.load(None).encoder_path
    return shared_encoder(model, onnx_file=str(onnx_file) if onnx_file else None, batch_size=1, spinning=True)


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
    passages no longer in the index, then remove other encoders' vectors (the service reads only
    its own encoder's). Progress is saved every `save_every` seconds, so an interrupted run
    resumes where it stopped; nothing is written when nothing changed. Run after ingesting and
    after training the answer model.

    :param extend_only: Do nothing (and return None) unless vectors of this encoder are stored
        already: an ingest keeps them up to date but does not start them (~20 minutes for 50k
        passages).
    :raises OSError: the file could not be written (what was stored before is kept).
    """
    made_by, folder = encoder_id(encoder), index.sentence_vectors_folder
    try:
        table = index.sentence_vectors(made_by, encoder.dimension)
    except SentenceVectorsError as e:
        log(f"{e}: {'left as it is' if extend_only else 'replacing it'}")
        if extend_only:
            return None
        table = None
    if table is None and extend_only:
        if SentenceVectors.stored_in(folder):
            log("the stored vectors are another encoder's: run `scrutiny index sentence-vectors` to make this one's")
        return None
    if table is None:
        table = SentenceVectors.empty(made_by, encoder.dimension)
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
            table.save(folder)
            saved = time.perf_counter()
            log(f"{done}/{len(missing)} encoded ({done / (saved - started):.0f}/s), saved")
    path = SentenceVectors.path_in(folder, made_by)
    kept = table.only(wanted)
    if len(missing) or len(kept) != len(table) or not path.exists():
        path = kept.save(folder)
        log(f"stored {len(kept)} sentence vectors at {path}")
    for other in SentenceVectors.stored_in(folder):
        if other != path:
            other.unlink(missing_ok=True)
    return kept
