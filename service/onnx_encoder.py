"""The all-MiniLM-L6-v2 weights run by ONNX Runtime: one session per process, shared by the query
embedder; and the answer stage's sentence encoder (MiniLM fine-tuned on the train split, an int8
ONNX file beside the answer model), which has the same tokenizer."""

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from service.model_export import ensure_exported

# Sentences sorted by length go in batches of this many (unless an encoder is given its own).
MAX_BATCH = 16
DIMENSION = 384  # all-MiniLM-L6-v2 and the answer encoder fine-tuned from it


class OnnxEncoder:
    """Mean-pooled, L2-normalised MiniLM vectors (the same as sentence-transformers gives).

    Usage:
        encoder = shared_encoder("/path/to/all-MiniLM-L6-v2")
        vectors = encoder.encode(["NFA rates", "caseloads"])  # (2, 384) float32
    """

    def __init__(
        self, model: str, cache_dir: str | None = None, threads: int = 2, onnx_file: str | None = None, batch_size: int = MAX_BATCH, spinning: bool = False
    ):
        """
        :param model: Folder of the sentence-transformers model (its tokenizer, and its weights
            unless `onnx_file` is given).
        :param onnx_file: An ONNX export of a model fine-tuned from `model` to run instead.
        :param batch_size: Texts per model call. 1 makes an int8 model's vector of a text depend on
            that text alone (its activations are quantised per call), at no cost in speed on this
            machine for sentences.
        :param spinning: Whether the session's threads spin between calls, waiting for the next:
            faster for many calls in a row (storing sentence vectors: ~25% more a second at one
            sentence a call), slower for a service, where the query embedder's and the answer
            encoder's threads compete for two cores (measured in process: /ask p50 44-47 ms with
            spinning, 24-28 ms without; eval/README.md).
        :raises ValueError: for a batch size below 1.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.batch_size = batch_size
        self.dimension = DIMENSION
        self.tokenizer_file = Path(model) / "tokenizer.json"
        import onnxruntime
        from tokenizers import Tokenizer

        onnx_file = onnx_file or ensure_exported(model, cache_dir)
        self.onnx_file = Path(onnx_file)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
        self._session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        max_tokens = json.loads((Path(model) / "sentence_bert_config.json").read_text()).get("max_seq_length", 256)
        self._tokenizer = Tokenizer.from_file(str(self.tokenizer_file))
        self._tokenizer.enable_truncation(max_tokens)
        self._tokenizer.no_padding()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors of `texts`, shape (len(texts), 384)."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(texts)
        # Batches of similar length: padding every sentence to the longest of all costs more
        # than the model itself (masked mean pooling makes the result the same either way for a
        # float model; the int8 answer encoder quantises activations per batch, so its vectors
        # move slightly, ~0.01 cosine, with their batch-mates, unless batch_size is 1).
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for first in range(0, len(order), self.batch_size):
            rows = order[first : first + self.batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(rows):
                ids[row, : len(encodings[i].ids)] = encodings[i].ids
                mask[row, : len(encodings[i].ids)] = 1
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out[rows] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return out

@lru_cache(maxsize=4)
def shared_encoder(
    model: str, cache_dir: str | None = None, threads: int = 2, onnx_file: str | None = None, batch_size: int = MAX_BATCH, spinning: bool = False
) -> OnnxEncoder:
    """One encoder per model (or ONNX file), cache folder, batch size and thread habit in a process."""
    return OnnxEncoder(model, cache_dir, threads, onnx_file, batch_size, spinning)
