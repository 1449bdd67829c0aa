"""The answer stage's stored sentence vectors: the same vectors, hence the same answers, as
encoding each sentence when asked, without the encoding."""

import numpy as np
import pytest

from indexes import IndexSettings, SentenceVectors, open_index
from service.answering.sentence_encoder import SentenceEncoder, encoder_id, index_sentences, store_sentence_vectors
from service.components.learned_answerer import LearnedAnswerer
from service.onnx_encoder import OnnxEncoder, shared_encoder

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
    assert [a.model_dump() for a in after] == [b.model_dump() for b in before]
    assert any(not b.abstained for b in before)
    assert encoded and all(len(texts) == 1 for texts in encoded)  # the question alone


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
        stored = index.sentence_vectors(encoder_id(tuned))
    assert np.isin(np.fromiter(sentences, dtype=np.uint64), stored.keys).all()
    assert len(stored) == len(sentences)
