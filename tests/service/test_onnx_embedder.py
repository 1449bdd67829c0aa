"""The service's query embedder gives the vectors ingest's sentence-transformers model gives."""

import numpy as np
import pytest

from indexes import IndexSettings
from service.components.onnx_text_embedder import OnnxTextEmbedder

pytestmark = pytest.mark.slow

TEXTS = [
    "What did the director promise on NFA rates?",
    "closing cases with no further action",
    "Ofsted judged Medway's children's services inadequate in 2019. " * 30,  # longer than the model window
]


def test_onnx_and_sentence_transformers_vectors_agree(tmp_path):
    from sentence_transformers import SentenceTransformer

    model = IndexSettings().model
    onnx = OnnxTextEmbedder(model=model, cache_dir=str(tmp_path))
    reference = SentenceTransformer(model, device="cpu", local_files_only=True).encode(TEXTS, normalize_embeddings=True)
    for text, expected in zip(TEXTS, reference):
        vector = onnx.run(text=text)["embedding"]
        # An array, not a list: the pipeline deep-copies each input, a list float by float.
        assert isinstance(vector, np.ndarray) and vector.dtype == np.float32 and vector.shape == (384,)
        assert float(vector @ expected) > 0.9999


def test_batches_sorted_by_length_give_each_text_its_own_vector(tmp_path):
    from service.onnx_encoder import OnnxEncoder

    encoder = OnnxEncoder(IndexSettings().model, cache_dir=str(tmp_path))
    texts = [TEXTS[2], *TEXTS[:2]] * 7  # more than one batch, longest first
    together = encoder.encode(texts)
    for text, vector in zip(texts, together):
        assert float(vector @ encoder.encode([text])[0]) > 0.9999


def test_a_folder_without_a_tokenizer_is_refused(tmp_path):
    with pytest.raises(ValueError, match="tokenizer.json"):
        OnnxTextEmbedder(model=str(tmp_path))


def test_two_exports_at_once_each_finish_and_leave_no_partial_file(tmp_path, monkeypatch):
    """Two commands started together on a new checkout both export the model to the same cache
    file; neither may take or rename the other's half-written file."""
    import threading

    import torch
    from transformers import AutoModel, AutoTokenizer  # noqa: F401 - its lazy import is not thread-safe

    from service.model_export import export_onnx

    both_writing = threading.Barrier(2, timeout=60)

    def write(module, args, path, **kwargs):
        with open(path, "wb") as out:
            out.write(b"onnx")
        both_writing.wait()  # each has written its own file before either renames

    monkeypatch.setattr(torch.onnx, "export", write)
    target = tmp_path / "cache" / "minilm.onnx"
    errors: list[BaseException] = []

    def export() -> None:
        try:
            export_onnx(IndexSettings().model, target)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=export) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert target.read_bytes() == b"onnx"
    assert sorted(p.name for p in target.parent.iterdir()) == ["minilm.onnx"]
