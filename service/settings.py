"""Settings of the query service (environment prefix `SCRUTINY_`), composed with the index's."""

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from councils.access import Role
from indexes import IndexSettings
from indexes.settings import PROJECT_ROOT
from service.answering.policy import AnswerPolicy

# The answer stages: the learned one, and the previous hand-weighted one kept to compare against.
Answerer = Literal["learned", "rules"]


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SCRUTINY_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    index: IndexSettings = Field(default_factory=IndexSettings)
    default_k: int = Field(default=10, ge=1, le=100)
    # Passages the answerer reads; 8 beat 5 and 6 on the known-answer set (eval/README.md).
    answer_passages: int = Field(default=8, ge=1, le=20)
    # Passages the learned answerer ranks to choose those it reads (AnswerPolicy.passages_ranked);
    # 16-50 gave the same dev answers within a question, 24 was best on train (eval/README.md).
    answer_passages_ranked: int = Field(default=24, ge=1, le=50)
    # "learned": sentences chosen by the model trained on the train split, abstention by the
    # answerability model fitted on train and dev (service/models/answer_model.json). "rules": the previous
    # hand-weighted answerer, kept to compare against (`scrutiny eval --compare-answerers`).
    answerer: Answerer = "learned"
    # Search matches reordered by their closest sentence to the query under the answer encoder
    # (service/components/passage_reranker.py); 0 keeps retrieval's order. On dev, the first 24
    # put the answering passage first for 0.656 of questions against 0.564 (10: 0.639, 50: 0.656).
    search_reranked: int = Field(default=24, ge=0, le=50)
    # Overrides the answerer's abstention threshold (learned: the one chosen on train and dev; rules: 0.47).
    min_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    semantic_weight: float = Field(default=0.5, ge=0.0, le=1.0)
    # Overrides the least cosine similarity a search result has (default: the floor calibrated
    # with the answer model; -1 shows every passage).
    relevance_floor: float | None = Field(default=None, ge=-1.0, le=1.0)
    prefetch_limit: int = Field(default=50, ge=1, le=1000)
    # Weights of the (dense, BM25) branches in the fusion (SCRUTINY_FUSION: rrf or score); None = equal.
    fusion_weights: tuple[float, float] | None = None
    max_question_chars: int = Field(default=500, ge=10)

    # -- access control (service/auth.py) --
    # API keys, stored as digests; with none, the service is open and bound to loopback only.
    keys_file: Path = PROJECT_ROOT / "var" / "keys.json"
    # The role of every caller of an open service: its operator, who can read the index anyway.
    open_role: Role = "officer"
    # Serve an open service on a non-loopback address (refused otherwise).
    allow_open: bool = False
    # Requests per key: a burst, refilled at this rate (429 with Retry-After beyond it).
    rate_limit_per_minute: int = Field(default=120, ge=1)
    rate_limit_burst: int = Field(default=30, ge=1)

    # -- HTTP hardening (service/middleware.py) --
    # Host names the service answers for besides the loopback names (127.0.0.1, localhost, ::1,
    # always answered: local clients and the container's health check) and `host` when it names
    # one address; comma-separated ("name", "*.example.org", "*"). Any other Host gets 400, so
    # behind a proxy list the public name.
    trusted_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Largest request body (413 beyond): /ask and /compare bodies are a question and filters.
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # Requests doing query work at once (more wait their turn); default: one per CPU core.
    max_concurrent_queries: int = Field(default_factory=lambda: os.cpu_count() or 2, ge=1)

    @field_validator("trusted_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value):
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value

    def allowed_hosts(self) -> list[str]:
        loopback = ["127.0.0.1", "localhost", "::1"]
        bound = [] if self.host in ("0.0.0.0", "::", "", *loopback) else [self.host]
        return list(dict.fromkeys([*loopback, *bound, *self.trusted_hosts]))

    def answer_policy(self) -> AnswerPolicy:
        """The answer stage's policy with these passage counts (served and trained alike)."""
        return AnswerPolicy(passages_read=self.answer_passages, passages_ranked=self.answer_passages_ranked)


@lru_cache(maxsize=1)
def get_settings() -> ServiceSettings:
    return ServiceSettings()
