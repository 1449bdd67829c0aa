"""The hybrid retriever's passages: what the answerers read of their similarity to the query."""

import pytest

from indexes import ChunkRecord, DocumentRecord, IndexSettings, open_index
from indexes.sparse import bm25_encoder
from service.components.hybrid_retriever import HybridRetriever
from service.retrieved import Passages, RetrievedPassage
from tests.indexes.test_store import fake_vector

TEXTS = [
    "Rates of closing cases with no further action were high compared to other areas.",
    "The Director undertook to address the acronyms in the report.",
    "Kent had a much higher number of children in care than its neighbours.",
    "Social worker caseloads fell when agency staff left the service.",
    "The Chairman asked that an update report on recruitment be made.",
    "Unaccompanied asylum seeking children were placed out of county.",
]


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b))


@pytest.fixture(params=["edge", "memory"])
def index(request, tmp_path):
    settings = IndexSettings(index_path=tmp_path / "ix", dimension=8, qdrant_url=":memory:" if request.param == "memory" else None, fusion="score")
    encoder = bm25_encoder(settings.bm25_avg_len)
    with open_index(settings) as opened:
        full = "\n\n".join(TEXTS)
        chunks = []
        for i, text in enumerate(TEXTS):
            start = full.index(text)
            meta = {"authority": "Kent", "date": "2020-01-01", "doc_type": "minutes", "title": "t", "source": "/t.txt"}
            chunks.append(ChunkRecord("doc", i, text, start, start + len(text), fake_vector(text), encoder.embed_document(text), meta))
        opened.put_document(DocumentRecord("doc", full, ["/t.txt"], {"title": "t", "authority": "Kent", "date": "2020-01-01", "doc_type": "minutes"}), chunks)
        yield opened


@pytest.mark.parametrize("exact", [True, False])
def test_passages_only_bm25_found_get_their_exact_similarity_when_asked(index, exact):
    # Two candidates per branch: BM25 finds the passage on acronyms, the dense branch does not.
    query = "report acronyms"
    retriever = HybridRetriever(index=index, top_k=2, prefetch_limit=2, exact_similarity=exact)
    passages = retriever.run(query_embedding=fake_vector(query), query_text=query)["passages"]
    dense = index.search(dense=fake_vector(query), query_text=None, mode="dense", limit=2)
    bm25_only = [p for p in passages if p.id not in {hit.id for hit in dense}]
    assert bm25_only and "acronyms" in bm25_only[0].content
    similarity = cosine(fake_vector(query), fake_vector(bm25_only[0].content))
    if exact:
        for p in passages:
            assert p.meta["dense_score"] == pytest.approx(cosine(fake_vector(query), fake_vector(p.content)), abs=1e-5)
    else:
        # The dense branch's lowest score stands in, not the passage's own.
        assert bm25_only[0].meta["dense_score"] == pytest.approx(dense[-1].score, abs=1e-5)
        assert bm25_only[0].meta["dense_score"] != pytest.approx(similarity, abs=1e-3)
    # Vectors stay out of the passages (nothing downstream reads them), which travel as one
    # read-only `Passages` value, quick for the pipeline to copy.
    assert all(p.embedding is None for p in passages)
    assert isinstance(passages, Passages) and all(isinstance(p, RetrievedPassage) for p in passages)
