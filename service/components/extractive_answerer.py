import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import Stemmer
from haystack import Document, component

from councils.dates import MONTH_NAMES
from councils.text import sentence_spans
from service.answering.presentation import answer_text
from service.glossary import GLOSSARY, WORD_FAMILIES
from service.schemas import source_fields

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Words that carry no topic: question words, auxiliaries, pronouns, and the verbs of asking.
QUESTION_STOPWORDS = frozenset(
    """a an the of and or to in on at for by with as is are was were be been being it its this that
    these those which who whom whose what when where why how did do does done has have had any all
    about into from there their they them he she his her we our you your i me my can could would
    should will shall may might must not no if than then so such very more most much many say said
    tell told show give list find please also between against during after before over under
    happen happened according take took place make made often long still since until already
    ahead end way like think thought sent get got put sat sit include included respond responded
    react reacted handle handled deal dealt tackle tackled""".split()
)
# Words that make a question about a commitment, not a topic word to match.
COMMITMENT_QUESTION = re.compile(r"\b(promis\w*|commit\w*|undert\w*|pledg\w*|agree\w*|vow\w*|assured|assurances|(?:gave|give|given|provided) (?:an )?assurance|report(ed)? back)\b", re.I)
COMPARISON_QUESTION = re.compile(r"\b(compar\w*|differ\w*|both|each|councils|authorities|versus|vs)\b", re.I)
# What kind of thing a question asks for, and how a sentence that gives one looks.
_MONTHS = MONTH_NAMES
ANSWER_TYPES = [
    (re.compile(r"^\s*(?:who|which (?:person|officer|councillor|company|organisation))\b", re.I),
     re.compile(r"(?<![.!?]\s)(?<!^)\b(?:Cllr |Councillor |Mr |Mrs |Ms |Dr )?[A-Z][a-z]+(?: [A-Z][a-z]+)+")),
    (re.compile(r"^\s*(?:when|by what date|on what date|what date)\b", re.I),
     re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)? (?:{_MONTHS})|(?:{_MONTHS}) \d{{4}}|\d+ (?:weeks?|months?|years?))\b")),
    (re.compile(r"^\s*how (?:many|much|high|often|long)\b", re.I),
     re.compile(r"\b\d[\d,.]*\b|£|%|\b(?:quarterly|monthly|weekly|annually|every|twice|once)\b", re.I)),
    (re.compile(r"^\s*why\b", re.I),
     re.compile(r"\b(?:because|in order to|so that|due to|owing to|as a result of|the reason)\b", re.I)),
]
ANSWER_TYPE_BONUS = 0.1
# The evidence threshold this answerer was calibrated with on the known-answer set (v1).
RULES_MIN_CONFIDENCE = 0.47

COMMITMENT_SENTENCE = re.compile(
    r"\b(undertook to|undertake to|agreed to|committed to|commitment to|would (be )?report(ed)? back|report(ed)? back|"
    r"would (provide|bring|circulate|liaise|receive|return|carry out|review|update|address|take forward|consider)|"
    r"update report|further report|RESOLVED|be made to the committee|next meeting|once known|in \d+ months?'? time)\b",
    re.I,
)


@dataclass
class ScoredSentence:
    passage_index: int
    start: int  # within the passage text
    end: int
    score: float
    coverage: float
    position: int = 0  # index of the sentence within its passage


@component
class ExtractiveAnswerer:
    """Composes a short answer from the retrieved passages' own sentences, each cited, or
    abstains when the evidence is weak.

    A sentence scores by how much of the question's (glossary-expanded) key terms it contains,
    weighted by how rare each term is among the retrieved passages, plus the passage's cosine
    similarity to the question. "What did X promise" questions favour sentences that carry an
    undertaking ("undertook to", "would report back", "RESOLVED that ... update report").

    Usage:
        answerer = ExtractiveAnswerer(min_confidence=0.4)
        answerer.run(question=q, passages=passages, additions=["no further action"])
    """

    def __init__(self, max_sentences: int = 4, min_confidence: float = RULES_MIN_CONFIDENCE, semantic_weight: float = 0.5, passages_considered: int = 5):
        """
        :param max_sentences: Most sentences in an answer (1-4).
        :param min_confidence: Below this evidence score the answerer abstains; calibrated on
            the evaluation set (eval/), not by hand.
        :param semantic_weight: Share of the passage's cosine similarity in a sentence's score
            (the rest is key-term coverage).
        :param passages_considered: How many top passages sentences are drawn from.
        :raises ValueError: for values out of range.
        """
        if not 1 <= max_sentences <= 4:
            raise ValueError(f"max_sentences must be 1-4, got {max_sentences}")
        if not 0 <= min_confidence <= 1 or not 0 <= semantic_weight <= 1:
            raise ValueError("min_confidence and semantic_weight must be in [0, 1]")
        if passages_considered <= 0:
            raise ValueError(f"passages_considered must be positive, got {passages_considered}")
        self.max_sentences = max_sentences
        self.min_confidence = min_confidence
        self.semantic_weight = semantic_weight
        self.passages_considered = passages_considered
        self._stemmer = Stemmer.Stemmer("english")

    def _stems(self, text: str) -> list[str]:
        return self._stemmer.stemWords(_TOKEN.findall(text.lower().replace("’", "'")))

    def _key_terms(self, question: str, additions: list[str]) -> list[set[str]]:
        """Each key term of the question as a set of alternatives: its stem, plus the other form
        of a glossary term ("nfa" also matches the phrase "further action", and the words of
        "children looked after" also match "lac")."""
        question = COMMITMENT_QUESTION.sub(" ", question)
        terms = [
            {self._stemmer.stemWord(token)}
            for token in _TOKEN.findall(question.lower().replace("’", "'"))
            if token not in QUESTION_STOPWORDS and len(token) > 1
        ]
        for family in WORD_FAMILIES:
            stems = {self._stemmer.stemWord(word) for word in family if " " not in word}
            for term in terms:
                if term & stems:
                    term |= stems
        for addition in additions:
            if addition in GLOSSARY:
                # The question spelled the term out; its acronym is another way to match its words.
                phrase_stems = set(self._stems(" ".join(GLOSSARY[addition])))
                for term in terms:
                    if term & phrase_stems:
                        term.add(self._stemmer.stemWord(addition.lower()))
            else:
                # The question used an acronym; the spelled-out phrase is another way to match it.
                phrase = " ".join(w for w in self._stems(addition) if w not in QUESTION_STOPWORDS)
                acronyms = {self._stemmer.stemWord(a.lower()) for a, forms in GLOSSARY.items() if addition in forms}
                for term in terms:
                    if term & acronyms and phrase:
                        term.add(phrase)
        return terms

    @staticmethod
    def _matches(alternatives: set[str], stems: list[str], joined: str) -> bool:
        for alternative in alternatives:
            if " " in alternative:
                if f" {alternative} " in joined:
                    return True
            elif alternative in stems:
                return True
        return False

    @component.output_types(answer=str | None, citations=list[dict], abstained=bool, reason=str, confidence=float)
    def run(
        self,
        question: str,
        passages: Sequence[Document],
        additions: list[str] | None = None,
        known_answer: dict | None = None,
    ):
        """
        :param question: The user's question.
        :param passages: Retrieved passages, best first (content is the stored quote text), each
            with its cosine similarity to the query (`meta["dense_score"]`).
        :param additions: Glossary terms added to the query.
        :param known_answer: An answer already found from structured facts (citations, reason,
            confidence, abstained); it is given as it is.
        :returns: `answer` (None when abstaining), `citations` (one per answer sentence: passage
            meta plus `quote` and its `start`/`end` in the document text), `abstained`,
            `reason` and `confidence`.
        """
        if known_answer is not None:
            citations = known_answer["citations"]
            answer = answer_text(citations) or None
            return {"answer": answer, **known_answer}
        additions = additions if additions is not None else []
        considered = passages[: self.passages_considered]
        if not considered:
            return {"answer": None, "citations": [], "abstained": True, "reason": "no passages match the question and filters", "confidence": 0.0}
        terms = self._key_terms(question, additions)
        is_commitment = bool(COMMITMENT_QUESTION.search(question))
        is_comparison = bool(COMPARISON_QUESTION.search(question))
        answer_shape = next((shape for asks, shape in ANSWER_TYPES if asks.search(question)), None)
        passage_stems = []
        for passage in passages[:50]:
            stems = self._stems(passage.content or "")
            passage_stems.append((stems, " " + " ".join(stems) + " "))
        weights = []
        unseen_weight = 0.0
        for alternatives in terms:
            df = sum(1 for stems, joined in passage_stems if self._matches(alternatives, stems, joined))
            weight = math.log(1 + (len(passage_stems) + 1) / (df + 0.5))
            weights.append(weight)
            if df == 0:
                unseen_weight += weight
        total_weight = sum(weights) or 1.0
        # Share of the question's key terms that no retrieved passage mentions at all: a question
        # about something the documents never discuss ("fined", "salary") scores near 1.
        unseen_share = unseen_weight / total_weight if terms else 0.0

        def coverage(stems: list[str], joined: str) -> float:
            if not terms:
                return 0.0
            return sum(w for alternatives, w in zip(terms, weights) if self._matches(alternatives, stems, joined)) / total_weight

        candidates: list[ScoredSentence] = []
        best_evidence = 0.0
        for index, passage in enumerate(considered):
            text = passage.content or ""
            cosine = float(passage.meta.get("dense_score") or 0.0)
            passage_coverage = coverage(*passage_stems[index])
            evidence = self.semantic_weight * cosine + (1 - self.semantic_weight) * passage_coverage
            best_evidence = max(best_evidence, evidence)
            for position, (start, end) in enumerate(sentence_spans(text)):
                sentence = text[start:end]
                if len(sentence.split()) < 4:
                    continue
                stems = self._stems(sentence)
                sentence_coverage = coverage(stems, " " + " ".join(stems) + " ")
                lexical = sentence_coverage
                if is_commitment and COMMITMENT_SENTENCE.search(sentence):
                    # An undertaking answers "what did X promise" about whatever its passage is
                    # about, even when it says "this" rather than repeating the topic.
                    lexical = max(sentence_coverage, 0.9 * passage_coverage) + 0.25
                if answer_shape is not None and sentence_coverage > 0 and answer_shape.search(sentence):
                    # "Who..." is answered by a sentence with a name in it, "when..." by one with a date.
                    lexical += ANSWER_TYPE_BONUS
                score = self.semantic_weight * cosine + (1 - self.semantic_weight) * lexical
                score -= 0.02 * index  # ties go to the better-ranked passage
                candidates.append(ScoredSentence(index, start, end, score, sentence_coverage, position))
        confidence = round(best_evidence * (1 - unseen_share), 4)
        if not candidates or confidence < self.min_confidence:
            reason = (
                "no sentence in the closest passages is long enough to quote"
                if not candidates
                else f"the closest passages do not answer the question well enough (evidence {confidence:.2f} below {self.min_confidence:.2f})"
            )
            return {"answer": None, "citations": [], "abstained": True, "reason": reason, "confidence": confidence}

        by_position = {(c.passage_index, c.position): c for c in candidates}
        candidates.sort(key=lambda c: c.score, reverse=True)
        best = candidates[0]
        chosen = [best]
        # Minutes often restate the question in one sentence and answer it in the next
        # ("...reference was made to the proposals. The Commissioner confirmed her support...").
        following = by_position.get((best.passage_index, best.position + 1))
        if following is not None and following.end - following.start <= 400:
            chosen.append(following)
        for candidate in candidates[1:]:
            if len(chosen) == self.max_sentences:
                break
            if candidate in chosen:
                continue
            same_passage = candidate.passage_index == best.passage_index
            # Another sentence joins the answer only when it is nearly as good: from the same
            # passage (context of the best one), or elsewhere with as much of the question in it.
            if same_passage and candidate.score >= 0.85 * best.score and (candidate.coverage > 0 or is_commitment):
                chosen.append(candidate)
            elif (
                not same_passage
                and candidate.score >= 0.92 * best.score
                and candidate.coverage >= best.coverage
                and (is_comparison or considered[candidate.passage_index].meta.get("document_id") == considered[best.passage_index].meta.get("document_id"))
            ):
                # Another document's sentence only when the question compares; otherwise it is
                # usually a second account of the same thing, not more of the answer.
                chosen.append(candidate)
        # Read in source order: by passage rank, then position within the passage.
        chosen.sort(key=lambda c: (c.passage_index, c.start))
        citations = []
        for number, sentence in enumerate(chosen, start=1):
            passage = considered[sentence.passage_index]
            meta = passage.meta
            quote = (passage.content or "")[sentence.start : sentence.end]
            citations.append({"n": number, **source_fields(meta, quote, meta["start"] + sentence.start, meta["start"] + sentence.end)})
        answer = answer_text(citations)
        return {"answer": answer, "citations": citations, "abstained": False, "reason": "answered from the cited passages", "confidence": confidence}
