"""BM25 sparse vectors, computed client-side so that the embedded engine and a Qdrant server
store and query exactly the same vectors (the server applies the IDF modifier at query time)."""

from functools import lru_cache

import qdrant_edge as edge

from indexes.schema import SparseVector

# A short stop list: the IDF modifier already damps common words, and phrases such as
# "no further action" must keep "no" and "further".
STOPWORDS = frozenset(
    "a an the of and or to in on at for by with as is are was were be been it its this that these "
    "those which who whom what when where how did do does from".split()
)


class Bm25Encoder:
    """Turns text into BM25 term-frequency sparse vectors (documents) or term sets (queries).

    Usage:
        encoder = Bm25Encoder(avg_len=110)
        encoder.embed_document("closing cases with no further action")
    """

    def __init__(self, avg_len: float = 110.0):
        if avg_len <= 0:
            raise ValueError(f"avg_len must be positive, got {avg_len}")
        self.avg_len = avg_len
        config = edge.Bm25Config(
            avg_len=avg_len,
            language="english",
            stopwords=edge.StopwordsSet(custom=set(STOPWORDS)),
        )
        self._model = edge.Bm25(config)

    def embed_document(self, text: str) -> SparseVector:
        vector = self._model.embed_document(text)
        return SparseVector(indices=list(vector.indices), values=list(vector.values))

    def embed_query(self, text: str) -> SparseVector:
        vector = self._model.embed_query(text)
        return SparseVector(indices=list(vector.indices), values=list(vector.values))


@lru_cache(maxsize=4)
def bm25_encoder(avg_len: float) -> Bm25Encoder:
    """One shared encoder per configuration."""
    return Bm25Encoder(avg_len=avg_len)
