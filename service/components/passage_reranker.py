from collections.abc import Sequence
from pathlib import Path

from haystack import Document, component, logging

from service.answering.features import reading_order
from service.answering.model import AnswerModel, ModelFileError
from service.answering.policy import DEFAULT_POLICY
from service.answering.sentence_encoder import SentenceEncoder, answer_sentence_encoder
from service.retrieved import Passages

logger = logging.getLogger(__name__)


@component
class PassageReranker:
    """Puts first the search matches that hold a sentence close to the query.

    The first `top_n` passages are reordered by reciprocal-rank fusion of retrieval's order and
    the rank of each passage's closest sentence to the query, as the answer model's sentence
    encoder (fine-tuned on the train questions) measures it: the order the answer stage reads
    passages in. Retrieval scores whole passages, so a passage that shares many of the query's
    words can outrank the one whose sentence answers it. The rest keep retrieval's order, and
    nothing is added or dropped: the set of matches, and so their count and facets, is
    retrieval's. Each passage keeps retrieval's score.

    It reranks when the index stores the answer encoder's sentence vectors (`scrutiny index
    sentence-vectors`; a search then looks up ~100 of them, ~6 ms in all). Without them each search
    would encode its sentences (~200 ms), so it passes the matches through in retrieval's order and
    says so once, unless `encode_unstored`. It passes them through, with an error logged, when the
    answer model cannot be loaded: search does not depend on it.

    Usage:
        reranker = PassageReranker(model="/path/to/all-MiniLM-L6-v2")
        reranker.run(query="What were social workers' caseloads?", passages=passages)
    """

    def __init__(
        self,
        model: str,
        model_path: str | None = None,
        sentence_vectors: str | None = None,
        top_n: int = 24,
        fusion_k: float = DEFAULT_POLICY.reading_fusion_k,
        encode_unstored: bool = False,
    ):
        """
        :param model: Folder of the sentence-transformers model (the encoder's tokenizer; its
            weights when the answer model has no fine-tuned encoder).
        :param model_path: The answer model (JSON) whose encoder is used; default `service/models/answer_model.json`.
        :param sentence_vectors: The folder of the index's stored sentence vectors, read instead of
            encoding the sentences they hold.
        :param top_n: Passages reordered (0: none).
        :param fusion_k: The fusion's constant: small, so the first few ranks of either order
            count for much more than the rest (the answer stage's `reading_fusion_k`).
        :param encode_unstored: Rerank even without stored sentence vectors, encoding the sentences.
        :raises ValueError: for a negative `top_n` or a `fusion_k` that is not positive.
        """
        if top_n < 0:
            raise ValueError(f"top_n must not be negative, got {top_n}")
        if fusion_k <= 0:
            raise ValueError(f"fusion_k must be positive, got {fusion_k}")
        self.model = model
        self.model_path = model_path
        self.sentence_vectors = sentence_vectors
        self.top_n = top_n
        self.fusion_k = fusion_k
        self.encode_unstored = encode_unstored
        self._encoder: SentenceEncoder | None = None
        self._ready = False

    def warm_up(self) -> None:
        if self._ready:
            return
        try:
            answer_model = AnswerModel.load(Path(self.model_path) if self.model_path else None)
            encoder = answer_sentence_encoder(self.model, answer_model.encoder_path, self.sentence_vectors)
            if encoder.stored is None and not self.encode_unstored:
                logger.warning("search is not reranked: the index stores no sentence vectors of the answer encoder; `scrutiny index sentence-vectors` stores them")
            else:
                self._encoder = encoder
        except ModelFileError as e:
            logger.error("search is not reranked: {error}", error=str(e))
        self._ready = True

    @property
    def reranks(self) -> bool:
        """Whether it reorders matches (it has an encoder and vectors to compare)."""
        self.warm_up()
        return self._encoder is not None and self.top_n > 0

    @component.output_types(passages=Sequence[Document])
    def run(self, query: str, passages: Sequence[Document], top_n: int | None = None):
        """
        :param query: The query as the user wrote it.
        :param passages: The matches, best first by retrieval.
        :param top_n: Overrides how many are reordered (0 for none, as a date-ordered search needs).
        :returns: `passages`, the first `top_n` reordered.
        """
        self.warm_up()
        top_n = self.top_n if top_n is None else top_n
        head = list(passages[:top_n])
        if self._encoder is None or len(head) < 2 or not query.strip():
            return {"passages": Passages(passages)}
        candidates, _, vectors = self._encoder.encode_passages(query, [p.content or "" for p in head])
        order = reading_order(vectors[0], vectors[1:], candidates, len(head), self.fusion_k)
        return {"passages": Passages([head[i] for i in order] + list(passages[top_n:]))}
