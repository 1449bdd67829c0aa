import numpy as np
import pytest

from indexes import SentenceVectors, SentenceVectorsError
from indexes.sentence_vectors import sentence_keys


def _table(texts: list[str], encoder: str = "enc-a") -> SentenceVectors:
    vectors = np.arange(len(texts) * 4, dtype=np.float32).reshape(len(texts), 4) / 7
    return SentenceVectors.empty(encoder, 4).with_rows(sentence_keys(texts), vectors)


def test_a_stored_sentence_is_found_by_its_exact_text_and_others_are_not():
    table = _table(["Caseloads fell.", "The rate rose."])
    vectors, found = table.lookup(["The rate rose.", "The rate rose", "Caseloads fell."])
    assert found.tolist() == [True, False, True]
    assert np.array_equal(vectors[0], (np.arange(4, 8, dtype=np.float32) / 7).astype(np.float16).astype(np.float32))
    assert not vectors[1].any()
    assert vectors.dtype == np.float32


def test_new_rows_replace_old_ones_and_only_drops_the_rest():
    table = _table(["a b c d", "e f g h"])
    replaced = table.with_rows(sentence_keys(["a b c d"]), np.full((1, 4), 9.0))
    assert len(replaced) == 2
    assert replaced.lookup(["a b c d"])[0][0].tolist() == [9.0] * 4
    kept = table.only(sentence_keys(["e f g h"])).with_rows(sentence_keys(["i j k l"]), np.ones((1, 4)))
    assert kept.lookup(["a b c d", "e f g h", "i j k l"])[1].tolist() == [False, True, True]


def test_the_file_round_trips_and_each_encoder_has_its_own(tmp_path):
    table = _table(["Caseloads fell.", "The rate rose."])
    path = table.save(tmp_path)
    assert SentenceVectors.stored_in(tmp_path) == [path]
    loaded = SentenceVectors.load(tmp_path, "enc-a", 4)
    assert loaded.encoder == "enc-a" and np.array_equal(loaded.keys, table.keys) and np.array_equal(loaded.vectors, table.vectors)
    assert SentenceVectors.load(tmp_path, "enc-b", 4) is None
    other = _table(["Caseloads fell."], encoder="enc-b").save(tmp_path)
    assert other != path and SentenceVectors.stored_in(tmp_path) == sorted([path, other])
    assert len(SentenceVectors.load(tmp_path, "enc-a", 4)) == 2 and len(SentenceVectors.load(tmp_path, "enc-b", 4)) == 1


def _write(path, array) -> None:
    with path.open("wb") as handle:
        np.save(handle, array)


def test_a_file_that_is_not_sorted_rows_of_the_expected_width_is_an_error_naming_it(tmp_path):
    path = _table(["Caseloads fell.", "The rate rose."]).save(tmp_path)
    with pytest.raises(SentenceVectorsError) as wrong_width:
        SentenceVectors.load(tmp_path, "enc-a", 384)
    rows = np.zeros(2, dtype=[("key", "<u8"), ("vector", "<f2", (4,))])
    rows["key"] = [3, 1]
    _write(path, rows)
    with pytest.raises(SentenceVectorsError) as unsorted:
        SentenceVectors.load(tmp_path, "enc-a", 4)
    _write(path, np.zeros((2, 4), np.float32))
    with pytest.raises(SentenceVectorsError) as plain_array:
        SentenceVectors.load(tmp_path, "enc-a", 4)
    path.write_text("not numpy")
    with pytest.raises(SentenceVectorsError) as not_numpy:
        SentenceVectors.load(tmp_path, "enc-a", 4)
    for error in (wrong_width, unsorted, plain_array, not_numpy):
        assert str(path) in str(error.value)


def test_a_failed_save_leaves_the_old_file_whole_and_nothing_else(tmp_path, monkeypatch):
    path = _table(["Caseloads fell."]).save(tmp_path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "save", fail)
    with pytest.raises(OSError):
        _table(["The rate rose."]).save(tmp_path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
