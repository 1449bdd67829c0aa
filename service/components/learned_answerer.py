import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from haystack import Document, component, logging

from councils.authorities import authority_registry
from councils.dates import YEAR
from councils.shapes import MONEY, SHARE, WHEN, counts_something, names_a_person
from councils.text import continues_paragraph, sentence_spans, words_start
from service.answering.features import (
    COS_PASSAGE,
    LONG_SENTENCE_WORDS,
    SHAPES,
    Candidate,
    context_text,
    coverage,
    entity_support,
    points_back,
    reading_order,
    sentence_features,
    term_weights,
)
from service.answering.model import AnswerModel, logit
from service.answering.policy import DEFAULT_POLICY, AnswerPolicy
from service.answering.presentation import answer_text
from service.answering.question import POST_NAMED, QuestionAnalysis, analyse
from service.answering.sentence_encoder import SentenceEncoder, answer_sentence_encoder
from service.schemas import source_fields

logger = logging.getLogger(__name__)


@dataclass
class ScoredCandidates:
    """Everything the answer stage knows about one question's candidate sentences."""

    analysis: QuestionAnalysis
    passages: Sequence[Document]
    candidates: list[Candidate]
    spans_by_passage: list[list[tuple[int, int]]]
    features: np.ndarray
    probabilities: np.ndarray
    unseen_share: float
    weights: list[float]  # each key term's weight among the passages read


@component
class LearnedAnswerer:
    """Answers with the passages' own sentences, chosen by a model trained on labelled questions,
    or abstains when, judged from the passages read, the question is unlikely to be answerable.

    The passages read are the best `policy.passages_read` of the first `policy.passages_ranked`
    given, by retrieval's order and their closest sentence's similarity to the question. Each
    sentence of them is scored by a linear model over its features (MiniLM similarity of the
    sentence, its window and its passage to the question; the passage's place among those read;
    coverage of the question's key terms; support for the question's years, figures and names;
    whether it has the shape of the answer asked for). The best sentence is quoted with the
    sentences it needs to be read alone; a comparison quotes each document's best sentence.

    Usage:
        answerer = LearnedAnswerer(model="/path/to/all-MiniLM-L6-v2")
        answerer.run(question=q, passages=passages)
    """

    def __init__(
        self,
        model: str,
        model_path: str | None = None,
        min_confidence: float | None = None,
        policy: AnswerPolicy = DEFAULT_POLICY,
        sentence_vectors: str | None = None,
    ):
        """
        :param model: Folder of the sentence-transformers model that embeds the sentences.
        :param model_path: The trained answer model (JSON); default `service/models/answer_model.json`.
        :param min_confidence: Overrides the abstention threshold calibrated with the model (on the
            probability that the question is answerable).
        :param policy: The answer stage's named constants.
        :param sentence_vectors: The folder of the index's stored sentence vectors
            (`ScrutinyIndex.sentence_vectors_folder`), read instead of encoding the sentences they
            hold if the answer encoder made them.
        :raises ValueError: for a threshold outside [0, 1].
        """
        if min_confidence is not None and not 0 <= min_confidence <= 1:
            raise ValueError(f"min_confidence must be in [0, 1], got {min_confidence}")
        self.model = model
        self.model_path = model_path
        self.min_confidence = min_confidence
        self.policy = policy
        self.sentence_vectors = sentence_vectors
        self._answer_model: AnswerModel | None = None
        self._encoder = None

    def warm_up(self) -> None:
        if self._answer_model is None:
            self._answer_model = AnswerModel.load(Path(self.model_path) if self.model_path else None)
            trained = self._answer_model.provenance.get("passages")
            served = self.policy.passage_counts()
            if trained is not None and trained != served:
                # It answers, but from passages other than those it learned from: news for the operator.
                logger.warning("the answer model was trained reading {trained} passages, and is served reading {served}", trained=trained, served=served)
        if self._encoder is None:
            self.use_encoder(self._answer_model.encoder_path)

    def use_model(self, answer_model: AnswerModel) -> None:
        """Answer with `answer_model` and its sentence encoder (training calibrates a model
        before it is saved)."""
        self._answer_model = answer_model
        self.use_encoder(answer_model.encoder_path)

    def use_encoder(self, onnx_file: Path | None) -> None:
        """Embed sentences and the question with this fine-tuned ONNX encoder (None: base MiniLM),
        reading the index's stored sentence vectors when it made them."""
        self._encoder = answer_sentence_encoder(self.model, onnx_file, self.sentence_vectors)

    @property
    def sentence_encoder(self) -> SentenceEncoder:
        """The encoder of the answer model in use (loaded on first use)."""
        self.warm_up()
        return self._encoder

    @property
    def threshold(self) -> float:
        self.warm_up()
        return self._answer_model.threshold if self.min_confidence is None else self.min_confidence

    def score(self, question: str, passages: Sequence[Document], additions: list[str] | None = None, asked: str | None = None) -> ScoredCandidates:
        """Candidate sentences of the passages read, their features and probabilities."""
        self.warm_up()
        scored = self.featurise(question, passages, additions, asked)
        if scored.candidates:
            scored.probabilities = self._answer_model.sentence.probability(scored.features)
        return scored

    def featurise(self, question: str, passages: Sequence[Document], additions: list[str] | None = None, asked: str | None = None) -> ScoredCandidates:
        """Candidate sentences of the passages read and their features, with the encoder in use
        (`use_encoder`; base MiniLM until one is set). `question` is the topic the key terms come
        from; `asked` the whole question as put, which the sentence encoder compares sentences with."""
        if self._encoder is None:
            self.use_encoder(None)
        read = passages[: max(self.policy.passages_read, self.policy.passages_ranked)]
        texts = [p.content or "" for p in read]
        # The question and its candidate sentences, each encoded alone or read from the stored vectors.
        candidates, spans, vectors = self._encoder.encode_passages(asked or question, texts)
        if len(read) > self.policy.passages_read:
            # More passages than are read: the best of them by retrieval and sentence similarity.
            best = reading_order(vectors[0], vectors[1:], candidates, len(read), self.policy.reading_fusion_k)
            read, texts, candidates, spans, vectors = _read_only(best[: self.policy.passages_read], read, texts, candidates, spans, vectors)
        analysis = analyse(question, additions, asked)
        weights, unseen_share = term_weights(analysis, texts)
        passage_similarity = np.asarray([p.meta.get("dense_score") or 0.0 for p in read], dtype=np.float32)
        features = sentence_features(
            analysis, texts, [p.meta for p in read], [float(p.score or 0.0) for p in read], passage_similarity,
            candidates, spans, vectors[1:], weights, question_vector=vectors[0],
        )
        return ScoredCandidates(analysis, read, candidates, spans, features, np.zeros(len(candidates)), unseen_share, weights)

    def choose(self, scored: ScoredCandidates, neighbours: bool = True) -> list[tuple[int, int, int]]:
        """(passage index, start, end) of the quotes, by passage and then place in its text; empty without candidates.
        `neighbours`: whether the best sentence's strong neighbours join it (see
        `paragraph_neighbours`); the answer is judged without them."""
        if not scored.candidates:
            return []
        policy = self.policy
        order = np.argsort(-scored.probabilities)
        best = int(order[0])
        best_p = float(scored.probabilities[best])
        chosen = [best]
        if scored.analysis.asks == "compare":
            # One best sentence from each of the strongest documents.
            documents = {scored.passages[scored.candidates[best].passage_index].meta.get("document_id")}
            for i in order[1:]:
                document = scored.passages[scored.candidates[i].passage_index].meta.get("document_id")
                if document in documents or scored.probabilities[i] < policy.join_share * best_p:
                    continue
                chosen.append(int(i))
                documents.add(document)
                if len(documents) == policy.max_compared_documents:
                    break
        else:
            for i in order[1:]:
                candidate, p = scored.candidates[i], float(scored.probabilities[i])
                if p < policy.join_probability or p < policy.join_share * best_p:
                    break
                if candidate.passage_index == scored.candidates[best].passage_index and len(chosen) < policy.max_quotes:
                    chosen.append(int(i))
        quotes = [(scored.candidates[i].passage_index, scored.candidates[i].position) for i in chosen][: policy.max_quotes]
        # Minutes restate a question, then answer it: when the best sentence lacks the shape the
        # question asks for (a figure, date, name, cause) and the next one has it, it joins.
        best_candidate = scored.candidates[best]
        best_spans = scored.spans_by_passage[best_candidate.passage_index]
        best_text = scored.passages[best_candidate.passage_index].content or ""
        # (`has_shape` is None, not False, when the question asks for no particular shape.)
        after = neighbour(best_text, best_spans, best_candidate.position, +1)
        if self.has_shape(scored.analysis, best_text[best_candidate.start : best_candidate.end]) is False and after is not None:
            start, end = best_spans[after]
            following = (best_candidate.passage_index, after)
            if self.has_shape(scored.analysis, best_text[start:end]) and following not in quotes and len(quotes) < policy.max_quotes:
                quotes.append(following)
        # The sentence before a quote that opens by pointing back ("This…", "He…"), so it reads
        # alone; a paragraph's number before it ("41.") is not that sentence.
        for passage_index, position in list(quotes):
            spans = scored.spans_by_passage[passage_index]
            text = scored.passages[passage_index].content or ""
            start, end = spans[position]
            if not points_back(text, start, end):
                continue
            before = neighbour(text, spans, position, -1)
            fits = before is not None and spans[before][1] - spans[before][0] <= policy.max_context_chars
            if fits and (passage_index, before) not in quotes and len(quotes) < policy.max_quotes:
                quotes.append((passage_index, before))
        if neighbours and scored.analysis.asks != "compare":
            # Into the places the answer leaves free: every sentence of the answer judged is shown.
            for found in self.paragraph_neighbours(scored, best):
                if found not in quotes and len(quotes) < policy.max_quotes:
                    quotes.append(found)
        quotes.sort()
        # Each quote starts at its words, not at the bullet or number of the item it opens; sentences
        # that follow one another in a paragraph are one quote, read and cited as the text runs.
        cited: list[tuple[int, int, int]] = []
        for p, position in quotes:
            text = scored.passages[p].content or ""
            start, end = scored.spans_by_passage[p][position]
            if cited and cited[-1][0] == p and continues_paragraph(text, cited[-1][2], start, end):
                cited[-1] = (p, cited[-1][1], end)
            else:
                cited.append((p, words_start(text, start, end), end))
        return cited

    def paragraph_neighbours(self, scored: ScoredCandidates, best: int) -> list[tuple[int, int]]:
        """(passage index, position) of the sentences just before and after the best one, in its
        paragraph, that the model gives at least `neighbour_share` of the best one's probability
        and at least `neighbour_probability`, the stronger first. An answer often runs over two
        sentences (a finding and its reason, the figure after the claim), and the model scores
        each alone; the paragraph as the document has it reads better than either half. Not
        joined: a layout run (over LONG_SENTENCE_WORDS words), or a sentence before that points
        back ("This…"), which would need another before it."""
        chosen = scored.candidates[best]
        text = scored.passages[chosen.passage_index].content or ""
        spans = scored.spans_by_passage[chosen.passage_index]
        by_position = {c.position: i for i, c in enumerate(scored.candidates) if c.passage_index == chosen.passage_index}
        floor = max(self.policy.neighbour_share * float(scored.probabilities[best]), self.policy.neighbour_probability)
        found = []
        for step in (-1, 1):
            position = neighbour(text, spans, chosen.position, step)
            i = by_position.get(position) if position is not None else None
            if i is None or float(scored.probabilities[i]) < floor:
                continue
            # One before that points back ("This…") would need a sentence before it in turn.
            if step < 0 and points_back(text, *spans[position]):
                continue
            (_, first_end), (start, end) = sorted([spans[position], spans[chosen.position]])
            if len(text[slice(*spans[position])].split()) <= LONG_SENTENCE_WORDS and continues_paragraph(text, first_end, start, end):
                found.append((float(scored.probabilities[i]), (chosen.passage_index, position)))
        return [place for _, place in sorted(found, reverse=True)]  # the stronger first, if only one fits

    @staticmethod
    def has_shape(analysis: QuestionAnalysis, text: str) -> bool | None:
        """Whether `text` has the shape of the answer asked for (None when the question asks for no
        particular shape); a figure asked for is one `states_figure` accepts."""
        if analysis.asks_figure:
            return states_figure(analysis, text)
        text = text[words_start(text, 0, len(text)) :]  # "37.Children wait" has no figure
        shape = SHAPES.get(analysis.asks)
        return None if shape is None else bool(shape.search(text))

    def missing(self, scored: ScoredCandidates, quotes: list[tuple[int, int, int]], shown: list[tuple[int, int, int]] | None = None) -> str | None:
        """What the question asks for that no quote holds, if anything: any statement at all (the
        quotes are only questions), the year a question about one year asks of (quoted only from
        papers written before it, or two or more years after its end), the meeting a question
        names by its month (quoted only from other meetings' minutes), a figure (a sum of money
        for a money question), a share, a time for a "when" question, a person's name for a
        question that asks someone by name, or an authority besides those the question names for
        one that asks which council, or the post a question asks the holder of in any quote shown
        (`shown`, default `quotes`: a neighbouring sentence may name the post)."""
        quoted = [(scored.passages[i].content or "")[s:e] for i, s, e in quotes]
        analysis = scored.analysis
        # A question put in a meeting ("Can the Cabinet Member tell me how many...?") asks; it
        # answers nothing.
        # (A quote may run over several sentences: each is read.)
        if all(q[a:b].rstrip("”’\"') ").endswith("?") for q in quoted for a, b in sentence_spans(q)):
            return "an answer"
        # A paper cannot report what came after it was written: a question about one year answered
        # only from papers dated before it, whose quotes never name that year, is answered from
        # another time ("private fostering in 2023" from a 2016 report). Nor does a paper written
        # years later speak of that year without naming it ("the elections at the end of 2023"
        # from a 2025 paper on the 2024 elections); a paper of the year after may ("last year";
        # a financial year "2023-24" ends in 2024). Years that bound the time asked about, a
        # title's year ("the Children Act 1989") and a sum are not asked about (`asked_years`).
        years = {e for e in analysis.entities if YEAR.fullmatch(e)}
        dated = [str(scored.passages[i].meta.get("date") or "")[:4] for i, _, _ in quotes]
        if len(years) == 1:
            year = next(iter(years))
            if all(d.isdigit() and d < year for d in dated) and not any(year in q for q in quoted):
                return "the year"
        if len(analysis.asked_years) == 1:
            first, last = analysis.asked_years[0]
            later = [d.isdigit() and int(d) >= last + self.policy.later_paper_years for d in dated]
            if all(later) and not any(str(first) in q for q in quoted):
                return "the year"
        # Minutes record the meeting they are of: a question about a meeting held in one month is
        # not answered by other meetings' minutes unless a quote speaks of that month.
        if analysis.meeting_month:
            month = int(analysis.meeting_month[5:])
            # The month as written, with a capital ("May", not "may"), or as its short form.
            named = re.compile(rf"\b(?:{calendar.month_name[month]}|{calendar.month_abbr[month]})\b")
            metas = [scored.passages[i].meta for i, _, _ in quotes]
            if all(m.get("doc_type") == "minutes" and str(m.get("date") or "")[:7] not in ("", analysis.meeting_month) for m in metas) and not any(
                named.search(q) for q in quoted
            ):
                return "the meeting"
        if analysis.asks_figure and not any(states_figure(analysis, q) for q in quoted):
            return "the figure"
        if analysis.asks_time and not any(WHEN.search(q) for q in quoted):
            return "the time"
        if analysis.asks_share and not any(SHARE.search(q) for q in quoted):
            return "the share"
        # A question that names two or more authorities asks which of them ("Kent or Medway?").
        if analysis.asks_authority is not None and len(analysis.asks_authority) < 2 and not any(authority_registry().names_another(q, analysis.asks_authority) for q in quoted):
            return "the authority"
        # A post is not a person ("The Executive Director of Children's Services..."), nor is an
        # authority ("... the director of adult services in West Northamptonshire").
        if analysis.asks_name and not any(names_a_person(authority_registry().without_names(q)) for q in quoted):
            return "the name"
        # A name beside another post is not the holder of this one: the lead inspector on a
        # report's first page is not the authority's director.
        if analysis.asks_post:
            named = POST_NAMED[analysis.asks_post]
            if not any(named.search((scored.passages[i].content or "")[s:e]) for i, s, e in (shown or quotes)):
                return "the post"
        return None

    def judge(self, scored: ScoredCandidates, quotes: list[tuple[int, int, int]]) -> tuple[float, float]:
        """The calibrated probability that the cited answer is right (the confidence shown), and the
        probability that the question is answerable, judged from its answer and the passages read
        (what `threshold` applies to); both read the same answer-level features, computed once."""
        if not quotes:
            return 0.0, 0.0
        features = confidence_features(scored, quotes)[None, :]
        right = round(float(self._answer_model.confidence.probability(features)[0]), 4)
        return right, float(self._answer_model.abstention.probability(features)[0])

    @component.output_types(answer=str | None, citations=list[dict], abstained=bool, reason=str, confidence=float)
    def run(
        self,
        question: str,
        passages: Sequence[Document],
        additions: list[str] | None = None,
        known_answer: dict | None = None,
        asked: str | None = None,
    ):
        """
        :param question: The question's topic (the question less what became filters).
        :param passages: Retrieved passages, best first, each with its cosine similarity to the
            query (`meta["dense_score"]`).
        :param additions: Glossary terms added to the query.
        :param known_answer: An answer already found from structured facts; given as it is.
        :param asked: The whole question as put (default `question`), for the sentence encoder.
        :returns: `answer` (None when abstaining), `citations`, `abstained`, `reason`, `confidence`.
        """
        if known_answer is not None:
            return {"answer": answer_text(known_answer["citations"]) or None, **known_answer}
        if not passages:
            return {"answer": None, "citations": [], "abstained": True, "reason": "no passages match the question and filters", "confidence": 0.0}
        scored = self.score(question, passages, additions, asked)
        quotes = self.choose(scored)
        # Judged as the answer-level models were fitted: on the answer without the neighbours
        # that join it (more words would read to them as more support than the answer has), so
        # the confidence shown is for that answer, which the one shown holds whole.
        core = self.choose(scored, neighbours=False)
        confidence, answerable = self.judge(scored, core)
        missing = self.missing(scored, core, shown=quotes) if core else None
        if not quotes or answerable < self.threshold or missing:
            if not quotes:
                reason = "no sentence in the closest passages is long enough to quote"
            elif answerable < self.threshold:
                reason = "the closest passages do not state an answer clearly enough"
            else:
                # (The answer, not the passages: a sentence beside it may hold what it lacks.)
                reason = f"the best answer in the closest passages does not state {missing} the question asks for"
            return {"answer": None, "citations": [], "abstained": True, "reason": reason, "confidence": confidence}
        citations = []
        for number, (index, start, end) in enumerate(quotes, start=1):
            meta = scored.passages[index].meta
            quote = (scored.passages[index].content or "")[start:end]
            citations.append({"n": number, **source_fields(meta, quote, meta["start"] + start, meta["start"] + end)})
        return {"answer": answer_text(citations), "citations": citations, "abstained": False, "reason": "answered from the cited passages", "confidence": confidence}


def _read_only(
    chosen: list[int], passages: Sequence[Document], texts: list[str], candidates: list[Candidate], spans: list[list[tuple[int, int]]], vectors: np.ndarray
) -> tuple[list[Document], list[str], list[Candidate], list[list[tuple[int, int]]], np.ndarray]:
    """The passages `chosen` (indices, best first) with their texts, their candidates renumbered
    (by passage, then position), their sentence spans, and the question's vector followed by
    those candidates' vectors."""
    new_index = {old: new for new, old in enumerate(chosen)}
    kept = sorted(
        (j for j, c in enumerate(candidates) if c.passage_index in new_index),
        key=lambda j: (new_index[candidates[j].passage_index], candidates[j].position),
    )
    return (
        [passages[i] for i in chosen],
        [texts[i] for i in chosen],
        [replace(candidates[j], passage_index=new_index[candidates[j].passage_index]) for j in kept],
        [spans[i] for i in chosen],
        vectors[[0] + [1 + j for j in kept]],
    )


def neighbour(text: str, spans: list[tuple[int, int]], position: int, step: int) -> int | None:
    """The sentence next to `position` in direction `step` (+1 the one after, -1 the one before),
    passing over paragraph numbers that stand alone ("41."); None at the passage's edge."""
    position += step
    while 0 <= position < len(spans) and words_start(text, *spans[position]) == spans[position][1]:
        position += step
    return position if 0 <= position < len(spans) else None


def states_figure(analysis: QuestionAnalysis, text: str) -> bool:
    """`text` states the figure a question asks for: a sum of money for a money question, else any
    count, share or amount. A date's digits count nothing ("Inspection dates: 17 to 28 March
    2025"), nor do the question's own figures ("care leavers over 21"), nor a length of time
    unless time is counted."""
    if analysis.asks == "money" and not MONEY.search(text):
        return False
    return counts_something(text, analysis.figures, analysis.counts_time)


def confidence_features(scored: ScoredCandidates, quotes: list[tuple[int, int, int]]) -> np.ndarray:
    """Answer-level inputs of the confidence and answerability models (`CONFIDENCE_FEATURES`, in order)."""
    probabilities = np.sort(scored.probabilities)[::-1]
    best = float(probabilities[0])
    runner_up = float(probabilities[1]) if len(probabilities) > 1 else 0.0
    quoted = " ".join((scored.passages[i].content or "")[s:e] for i, s, e in quotes)
    context = quoted + " " + context_text(scored.passages[quotes[0][0]].meta)
    shape = SHAPES.get(scored.analysis.asks)
    return np.asarray(
        [
            logit(best),
            scored.unseen_share,
            entity_support(scored.analysis, quoted),
            entity_support(scored.analysis, context),
            float(scored.features[int(np.argmax(scored.probabilities)), COS_PASSAGE]),
            best - runner_up,
            # The question asks for a figure, date, name, cause or undertaking and no quote has one.
            float(shape is not None and not shape.search(quoted)),
            # How much of the question's key-term weight the quotes themselves hold.
            coverage(scored.analysis, scored.weights, quoted),
        ],
        dtype=np.float32,
    )
