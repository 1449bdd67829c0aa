from collections.abc import Sequence
from pathlib import Path

from haystack import Document, component

from service.answering.features import reading_order, split_candidates
from service.answering.model import AnswerModel
from service.answering.policy import DEFAULT_POLICY
from service.answering.sentence_encoder import SentenceEncoder, answer_sentence_encoder
from service.retrieved import Passages


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
        self._encoder: SentenceEncoder | None = None

    def warm_up(self) -> None:
        if self._encoder is None:
            answer_model = AnswerModel.load(Path(self.model_path) if self.model_path else None)
            self._encoder = answer_sentence_encoder(self.model, answer_model.encoder_path, self.sentence_vectors)

    @component.output_types(passages=Sequence[Document])
    def run(self, query: str, passages: Sequence[Document], top_n: int | None = None):
        """
        :param query: The query as the user wrote it.
        :param passages: The matches, best first by retrieval.
        :param top_n: Overrides how many are reordered (0 for none, as a date-ordered search needs).
        :returns: `passages`, the first `top_n` reordered.
        """
        top_n = self.top_n if top_n is None else top_n
        head = list(passages[:top_n])
        if len(head) < 2 or not query.strip():
            return {"passages": Passages(passages)}
        self.warm_up()
        texts = [p.content or "" for p in head]
        candidates, _ = split_candidates(texts)
        vectors = self._encoder.encode([query] + [texts[c.passage_index][c.start : c.end] for c in candidates])
        order = reading_order(vectors[0], vectors[1:], candidates, len(head), self.fusion_k)
        return {"passages": Passages([head[i] for i in order] + list(passages[top_n:]))}
