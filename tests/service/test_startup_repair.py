"""What a service does before it answers: removes what an interrupted ingest left behind, and
reads every passage once so the first searches are not the slow ones."""

from fastapi.testclient import TestClient


def test_orphan_chunks_are_removed_before_the_service_answers(sample_index_copy):
    from indexes import ChunkRecord, IndexSettings, open_index
    from indexes.backends.base import PointData
    from indexes.schema import SPARSE_VECTOR
    from service.app import create_app
    from service.settings import ServiceSettings

    settings = IndexSettings(index_path=sample_index_copy)
    text = "Zorblax caseloads were reported to the committee by the director."
    with open_index(settings) as index:
        # What a kill -9 between a document's chunks and its record leaves: chunks, no record.
        orphan = ChunkRecord("0" * 64, 0, text, 0, len(text), [1.0] + [0.0] * 383, index.sparse_encoder.embed_document(text),
                             {"authority": "Medway", "doc_type": "minutes", "access": "public", "title": "half-written"})
        index.backend.upsert("chunks", [PointData(id=orphan.id, payload=orphan.payload(), dense=orphan.dense, sparse={SPARSE_VECTOR: orphan.sparse})])
        assert not index.integrity().is_clean

    with TestClient(create_app(ServiceSettings(index=settings))) as client:
        body = client.get("/search", params={"q": "Zorblax caseloads"}).json()
        assert all("Zorblax" not in passage["quote"] for passage in body["results"])
        listed = client.get("/documents", params={"limit": 500}).json()["documents"]
        assert client.get("/health").json()["chunks"] == sum(d["n_chunks"] for d in listed)

    with open_index(settings) as index:
        assert index.integrity().is_clean


def test_the_service_reads_every_passage_before_it_answers(sample_index_copy, monkeypatch):
    from indexes import IndexSettings, ScrutinyIndex, open_index
    from service.app import create_app
    from service.settings import ServiceSettings

    settings = IndexSettings(index_path=sample_index_copy, qdrant_url=None)
    with open_index(settings) as index:
        chunks = sum(1 for _ in index.iter_chunks())
    read = []
    warm = ScrutinyIndex.warm
    monkeypatch.setattr(ScrutinyIndex, "warm", lambda self: read.append(warm(self)) or read[-1])
    with TestClient(create_app(ServiceSettings(index=settings))) as client:
        assert read == [chunks] and chunks > 0  # before the first request
        assert client.get("/search", params={"q": "caseloads"}).status_code == 200
    assert read == [chunks]
