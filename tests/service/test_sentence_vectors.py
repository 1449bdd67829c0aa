"""The answer stage's stored sentence vectors: the same vectors, hence the same answers, as
encoding each sentence when asked, without the encoding."""

import numpy as np
import pytest

from indexes import IndexSettings, SentenceVectors, open_index
from service.answering.sentence_encoder import SentenceEncoder, encoder_id, index_sentences, store_sentence_vectors
from service.components.learned_answerer import LearnedAnswerer
from service.onnx_encoder import OnnxEncoder, shared_encoder

pytestmark = pytest.mark.slow

SENTENCE = "Caseloads fell to 18 children per social worker in 2023."
OTHERS = [
    "The director said the service would report back to the committee in March on progress.",
    "Ofsted judged the council's children's services to be inadequate overall, citing weak management oversight of referrals.",
]


@pytest.fixture(scope="module")
def tuned() -> OnnxEncoder:
    """The shipped answer encoder, one text per call, as the answer stage runs it."""
    return LearnedAnswerer(model=IndexSettings().model).sentence_encoder.encoder


@pytest.fixture
def encoded(tuned, monkeypatch) -> list[list[str]]:
    """Every list of texts the answer encoder is asked to encode during the test."""
    calls = []
    encode = tuned.encode
    monkeypatch.setattr(tuned, "encode", lambda texts: (calls.append(list(texts)), encode(texts))[1])
    return calls


def test_a_sentence_s_vector_does_not_depend_on_what_is_encoded_with_it(tuned):
    encoder = SentenceEncoder(tuned)
    assert tuned.batch_size == 1
    assert np.array_equal(encoder.encode([SENTENCE])[0], encoder.encode(OTHERS + [SENTENCE])[-1])
    # The same int8 weights given several texts per call quantise them together: vectors move.
    batched = OnnxEncoder(IndexSettings().model, onnx_file=str(tuned.onnx_file), batch_size=16)
    assert not np.array_equal(batched.encode([SENTENCE])[0], batched.encode(OTHERS + [SENTENCE])[-1])


def test_an_encoder_s_vectors_are_named_by_its_weights_and_batch_size(tuned):
    base = shared_encoder(IndexSettings().model)
    assert encoder_id(tuned) == encoder_id(OnnxEncoder(IndexSettings().model, onnx_file=str(tuned.onnx_file), batch_size=1))
    assert encoder_id(tuned) != encoder_id(base)
    assert encoder_id(tuned) != encoder_id(OnnxEncoder(IndexSettings().model, onnx_file=str(tuned.onnx_file), batch_size=16))


def test_stored_vectors_are_the_encoded_ones_and_only_sentences_not_stored_are_encoded(sample_index_copy, tuned, encoded):
    with open_index(IndexSettings(index_path=sample_index_copy)) as index:
        store_sentence_vectors(index, tuned, log=lambda line: None)
        sentences = list(index_sentences(index).values())[:30]
    stored = SentenceEncoder(tuned, sample_index_copy)
    plain = SentenceEncoder(tuned)
    assert stored.stored is not None and plain.stored is None
    texts = sentences + ["A sentence that no document holds."]
    encoded.clear()
    from_store = stored.encode(texts)
    assert encoded == [["A sentence that no document holds."]]
    assert np.array_equal(from_store, plain.encode(texts))


def test_storing_again_encodes_only_new_sentences_drops_removed_ones_and_replaces_another_encoder_s(sample_index_copy, tuned, encoded):
    log = []
    with open_index(IndexSettings(index_path=sample_index_copy)) as index:
        first = store_sentence_vectors(index, tuned, log=log.append)
        assert len(first) == len(index_sentences(index)) > 100
        encoded.clear()
        assert np.array_equal(store_sentence_vectors(index, tuned, log=log.append).keys, first.keys)
        assert encoded == []
        document = next(iter(index.iter_documents(fields=["document_id"])))["document_id"]
        index.delete_document(document)
        remaining = index_sentences(index)
        after = store_sentence_vectors(index, tuned, log=log.append)
        assert encoded == [] and len(after) == len(remaining) < len(first)
        base = shared_encoder(IndexSettings().model, batch_size=1)
        replaced = store_sentence_vectors(index, base, log=log.append)
    assert replaced.encoder == encoder_id(base) != first.encoder
    assert len(replaced) == len(remaining)
    assert SentenceVectors.stored_in(sample_index_copy) == [SentenceVectors.path_in(sample_index_copy, encoder_id(base))]


def test_an_interrupted_store_resumes_with_what_it_saved(sample_index_copy, tuned, monkeypatch):
    from service.answering import sentence_encoder

    monkeypatch.setattr(sentence_encoder, "STORE_STEP", 100)
    encode, calls = tuned.encode, []

    def stops_after_two(texts):
        calls.append(len(texts))
        if len(calls) > 2:
            raise KeyboardInterrupt
        return encode(texts)

    with open_index(IndexSettings(index_path=sample_index_copy)) as index:
        monkeypatch.setattr(tuned, "encode", stops_after_two)
        with pytest.raises(KeyboardInterrupt):
            store_sentence_vectors(index, tuned, log=lambda line: None, save_every=0.0)
        assert len(index.sentence_vectors(encoder_id(tuned), tuned.dimension)) == 200
        monkeypatch.setattr(tuned, "encode", encode)
        log = []
        finished = store_sentence_vectors(index, tuned, log=log.append)
        assert len(finished) == len(index_sentences(index))
    assert f"{len(finished) - 200} to encode" in log[0]


def test_a_file_of_another_width_is_reported_and_replaced(sample_index_copy, tuned, caplog):
    wrong = SentenceVectors.empty(encoder_id(tuned), 4).with_rows(np.array([1], dtype=np.uint64), np.ones((1, 4)))
    wrong.save(sample_index_copy)
    answerer = LearnedAnswerer(model=IndexSettings().model, sentence_vectors=str(sample_index_copy))
    assert answerer.sentence_encoder.stored is None
    assert "float16" in caplog.text
    with open_index(IndexSettings(index_path=sample_index_copy)) as index:
        log = []
        table = store_sentence_vectors(index, tuned, log=log.append)
    assert table.vectors.shape[1] == tuned.dimension and "replacing it" in log[0]


def test_a_qdrant_server_s_collections_keep_their_vectors_apart(tmp_path):
    from indexes import ScrutinyIndex

    def folder(**settings) -> str:
        return str(ScrutinyIndex(None, IndexSettings(index_path=tmp_path, **settings)).sentence_vectors_folder)

    assert folder() == str(tmp_path)
    server = {folder(qdrant_url="http://qdrant:6333", collection=c) for c in ("scrutiny", "access")}
    assert len(server) == 2 and str(tmp_path) not in server


def test_answers_are_the_same_with_stored_vectors_and_only_the_question_is_encoded(sample_index_copy, tuned, encoded):
    from service.engine import QueryEngine
    from service.schemas import AskRequest
    from service.settings import ServiceSettings

    questions = [
        "What did the director promise on NFA rates?",
        "How many children were in care?",
        "What did Ofsted say about management oversight?",
    ]
    settings = ServiceSettings(index=IndexSettings(index_path=sample_index_copy))
    with open_index(settings.index) as index:
        before = [QueryEngine(index, settings).ask(AskRequest(question=q)) for q in questions]
        store_sentence_vectors(index, tuned, log=lambda line: None)
        engine = QueryEngine(index, settings)
        engine.ask_pipeline.warm_up()
        assert engine.ask_pipeline.get_component("answerer").sentence_encoder.stored is not None
        encoded.clear()
        after = [engine.ask(AskRequest(question=q)) for q in questions]
    # The answers are the same. The passages shown beside them are not: once the vectors are
    # stored they are reranked as /search reranks (without them, retrieval's order).
    assert [a.model_dump(exclude={"passages"}) for a in after] == [b.model_dump(exclude={"passages"}) for b in before]
    assert any(not b.abstained for b in before)
    # The question alone (by the answer stage, and by the reranker of the passages shown).
    assert encoded and all(len(call) == 1 for call in encoded) and {call[0] for call in encoded} == set(questions)


def test_an_unreadable_file_is_reported_and_answers_go_on_without_it(sample_index_copy, tuned, caplog):
    path = SentenceVectors.path_in(sample_index_copy, encoder_id(tuned))
    path.write_text("not numpy")
    answerer = LearnedAnswerer(model=IndexSettings().model, sentence_vectors=str(sample_index_copy))
    assert answerer.sentence_encoder.stored is None
    assert str(path) in caplog.text


def test_an_ingest_extends_stored_vectors_and_does_not_start_them(tmp_path, tuned, capsys):
    from cli.main import main
    from tests.conftest import FIXTURES, SAMPLE

    kept, plain = tmp_path / "kept", tmp_path / "plain"
    for index in (kept, plain):
        assert main(["ingest", str(SAMPLE / "seeds"), "--index", str(index)]) == 0
    assert main(["index", "sentence-vectors", "--index", str(kept)]) == 0
    for index in (kept, plain):
        assert main(["ingest", str(FIXTURES / "news_article.html"), "--index", str(index)]) == 0
    assert "sentence vectors:" in capsys.readouterr().err
    assert not SentenceVectors.stored_in(plain)
    with open_index(IndexSettings(index_path=kept)) as index:
        sentences = index_sentences(index)
        stored = index.sentence_vectors(encoder_id(tuned), tuned.dimension)
    assert np.isin(np.fromiter(sentences, dtype=np.uint64), stored.keys).all()
    assert len(stored) == len(sentences)


def test_an_ingest_whose_vectors_cannot_be_saved_still_succeeds_and_says_so(tmp_path, tuned, capsys, monkeypatch):
    import json

    from cli.main import main
    from tests.conftest import FIXTURES, SAMPLE

    index = tmp_path / "index"
    assert main(["ingest", str(SAMPLE / "seeds"), "--index", str(index)]) == 0
    assert main(["index", "sentence-vectors", "--index", str(index)]) == 0
    before = SentenceVectors.stored_in(index)[0].read_bytes()
    capsys.readouterr()

    def disk_full(self, folder):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SentenceVectors, "save", disk_full)
    assert main(["ingest", str(FIXTURES / "news_article.html"), "--index", str(index), "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["written"] > 0
    assert "not updated" in out.err
    assert SentenceVectors.stored_in(index)[0].read_bytes() == before
