"""The BEIR runner's scoring and its offline fusion, which must fuse exactly as the index does."""

import pytest

from eval.beir import _fused_documents, ndcg_at, recall_at
from indexes import IndexSettings, open_index
from tests.indexes.test_store import fake_vector, fill


def test_ndcg_and_recall_score_rankings_against_graded_judgements():
    relevant = {"a": 1, "b": 1}
    assert ndcg_at(["a", "b", "x"], relevant) == pytest.approx(1.0)
    assert 0 < ndcg_at(["x", "a", "b"], relevant) < 1.0
    assert ndcg_at(["x", "y"], relevant) == 0.0
    assert recall_at(["x", "a"], relevant) == 0.5


@pytest.mark.parametrize(("fusion", "rrf_k", "weights"), [("score", 60, (0.35, 0.65)), ("rrf", 2, (1.0, 1.25)), ("rrf", 60, None)])
def test_offline_fusion_orders_documents_as_the_index_does(tmp_path, fusion, rrf_k, weights):
    with open_index(IndexSettings(index_path=tmp_path / "ix", dimension=8, fusion=fusion, rrf_k=rrf_k)) as index:
        fill(index)
        for query in ("the director undertook to address acronyms", "children in care", "no further action"):
            vector = fake_vector(query)
            # Each passage stands for its own document, so the whole fused order is compared.
            branches = [
                [(h.id, h.id, h.score) for h in index.search(dense=vector, query_text=query, mode=mode, limit=10, prefetch_limit=10)]
                for mode in ("dense", "sparse")
            ]
            fused = index.search(dense=vector, query_text=query, limit=10, prefetch_limit=10, weights=weights)
            assert len(fused) > 2
            assert _fused_documents(*branches, fusion, rrf_k, weights) == [h.id for h in fused]
