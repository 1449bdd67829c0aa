"""The all-MiniLM-L6-v2 weights run by ONNX Runtime: one session per process, shared by the query
embedder and the answer stage (which embeds the sentences of the passages it reads)."""

import json
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from service.model_export import ensure_exported

# Sentences are short; padding a batch to its longest member wastes little below this.
MAX_BATCH = 64


class OnnxEncoder:
    """Mean-pooled, L2-normalised MiniLM vectors (the same as sentence-transformers gives).

    Usage:
        encoder = shared_encoder("/path/to/all-MiniLM-L6-v2")
        vectors = encoder.encode(["NFA rates", "caseloads"])  # (2, 384) float32
    """

    def __init__(self, model: str, cache_dir: str | None = None, threads: int = 2):
        import onnxruntime
        from tokenizers import Tokenizer

        onnx_file = ensure_exported(model, cache_dir)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        self._session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        max_tokens = json.loads((Path(model) / "sentence_bert_config.json").read_text()).get("max_seq_length", 256)
        self._tokenizer = Tokenizer.from_file(str(Path(model) / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_tokens)
        self._tokenizer.no_padding()
        # The tokenizer object is not safe to reconfigure across threads; encoding is read-only.
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors of `texts`, shape (len(texts), 384)."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        out = []
        for first in range(0, len(texts), MAX_BATCH):
            encodings = self._tokenizer.encode_batch(texts[first : first + MAX_BATCH])
            width = max(len(e.ids) for e in encodings)
            ids = np.zeros((len(encodings), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, encoding in enumerate(encodings):
                ids[row, : len(encoding.ids)] = encoding.ids
                mask[row, : len(encoding.ids)] = 1
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out.append(pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None))
        return np.concatenate(out).astype(np.float32)


@lru_cache(maxsize=2)
def shared_encoder(model: str, cache_dir: str | None = None, threads: int = 2) -> OnnxEncoder:
    """One encoder per model and cache folder in a process."""
    return OnnxEncoder(model, cache_dir, threads)
