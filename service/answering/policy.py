"""The named constants that turn sentence probabilities into an answer. One object, so a reader
sees every knob of the answer stage in one place."""

from dataclasses import dataclass


@dataclass(frozen=True)
class AnswerPolicy:
    # Passages whose sentences are candidates: the best of the passages ranked below.
    passages_read: int = 8
    # Passages the answer stage ranks before it reads: retrieval's order fused with each
    # passage's best sentence's similarity to the question (the answer encoder's), so an answering
    # passage that word counts left ninth or twentieth among near-identical papers can still be
    # read. The fusion is reciprocal rank, constant `reading_fusion_k`: small, so the first few
    # ranks of either order count for much more than the rest.
    passages_ranked: int = 24
    reading_fusion_k: float = 5.0
    # Most quotes in one answer, context sentences included: an answer is read, not skimmed.
    max_quotes: int = 3
    # Another sentence joins the answer when the model gives it at least this probability of
    # answering too, and at least this share of the best sentence's probability.
    join_probability: float = 0.5
    join_share: float = 0.6
    # The sentence just before or after the best one, in its paragraph, joins it at this share of
    # the best one's probability and at least this probability: an answer often runs over two
    # sentences (a finding, then its reason or figure), one quote as the document has it; a
    # sentence the model gives less than one chance in ten adds words, not an answer.
    neighbour_share: float = 0.3
    neighbour_probability: float = 0.1
    # A context sentence (the one before an answer that opens "This…", "He…") longer than this is
    # not added: it would bury the answer.
    max_context_chars: int = 450
    # A paper written this many years or more after the one year a question asks about answers it
    # only if a quote names that year.
    later_paper_years: int = 2
    # Documents a comparison answer quotes, one best sentence each.
    max_compared_documents: int = 3

    def passage_counts(self) -> dict[str, int]:
        """The passages read and ranked, as an answer model records those it was trained with."""
        return {"read": self.passages_read, "ranked": self.passages_ranked}


DEFAULT_POLICY = AnswerPolicy()
