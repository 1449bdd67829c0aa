"""The query model as ONNX: exported once from the local sentence-transformers weights, so the
query service embeds questions with ONNX Runtime instead of torch. No Haystack import here:
`scrutiny serve` calls this before deciding whether torch can stay unloaded."""

import hashlib
import logging
import tempfile
from pathlib import Path

from indexes.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

DEFAULT_CACHE = PROJECT_ROOT / "var" / "models"


def _fingerprint(model: str) -> str:
    weights = Path(model) / "model.safetensors"
    stat = weights.stat()
    return hashlib.sha256(f"{weights.resolve()}:{stat.st_size}:{int(stat.st_mtime)}".encode()).hexdigest()[:16]


def export_onnx(model: str, target: Path) -> Path:
    """Export the sentence-transformers model's transformer to ONNX (from the local weights; no
    download). Needs torch and transformers, which ingest installs anyway."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model)
    transformer = AutoModel.from_pretrained(model).eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    example = tokenizer(["an example query"], return_tensors="pt")
    axes = {0: "batch", 1: "tokens"}
    target.parent.mkdir(parents=True, exist_ok=True)
    # A partial file of its own: two commands started together on a new checkout both export, and
    # each must rename only its own finished file into place.
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=target.stem + ".", suffix=".partial", delete=False) as handle:
        partial = Path(handle.name)
    try:
        torch.onnx.export(
            LastHiddenState(transformer),
            (example["input_ids"], example["attention_mask"], example["token_type_ids"]),
            str(partial),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)  # nothing half-written is left behind
    return target


def ensure_exported(model: str, cache_dir: str | None = None) -> Path:
    """The ONNX file for `model`, exported on first use."""
    cache = Path(cache_dir) if cache_dir else DEFAULT_CACHE
    onnx_file = cache / f"minilm-{_fingerprint(model)}.onnx"
    if not onnx_file.exists():
        logger.info("exporting %s to ONNX at %s (once)", model, onnx_file)
        export_onnx(model, onnx_file)
    return onnx_file


