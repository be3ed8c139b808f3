"""A trained tagger for attribution spans (source, cue, content), run after the rules.

The tagger is a small spaCy component — hash embeddings and a CNN under a softmax over
BIO labels (``B-CONTENT``, ``I-SOURCE``, …) — that reads one *feature doc* per article:
the parse's words, fine-grained tags, dependency labels with the side their head is on,
entity types, and the role the rule layer gave each token (carried in the feature doc's
lemma slot, which the tagger's embedding reads like any other column). It was trained on
PolNeAR's outermost attributions, so it learns where annotators put the boundaries the
rules only approximate, and finds attributions the rules miss.

:func:`decode` turns labels into attributions: a content (in pieces when a cue interrupts
it, ``"X," he said, "Y"``), the nearest cue in the content's sentences or the next one, and
the nearest source in the cue's sentence. :func:`tag_attributions` is the public entry point;
:mod:`newsledger.extract.attributions` merges its output with the rules.

Two taggers fit the :class:`Tagger` protocol. The spaCy CNN above is trained by
``newsledger train attribution`` (:mod:`newsledger.train.attribution`); none ships, as it did
not beat the rules. :class:`EncoderAttributionTagger` is MiniLM fine-tuned on PolNeAR
(``newsledger train attribution --encoder minilm``, :mod:`newsledger.train.encoder`), run as
an int8 ONNX model; it ships in ``newsledger/resources/models/attribution/`` with its model
card, and ``--attributions trained`` uses it (the rules stay the default: docs/accuracy.md
gives the measured accuracy and speed). ``$NEWSLEDGER_TAGGER`` points at another folder.
"""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy
import spacy
from spacy.tokens import Doc

from newsledger.errors import ModelNotFound
from newsledger.extract.encoder_tagger import MODEL_FILE, EncoderTagger
from newsledger.extract.quotes import DOUBLE_CLOSE, DOUBLE_OPEN
from newsledger.resources import attribution_lexicon
from newsledger.settings import DEFAULT_SETTINGS

if TYPE_CHECKING:
    from spacy.language import Language

Range = tuple[int, int]
Elements = Iterable[tuple[str, Sequence[Range]]]  # ("CONTENT" | "SOURCE" | "CUE", ranges)

ROLES = ("CONTENT", "SOURCE", "CUE")  # a token in two elements takes the later role
PIPE = "attribution_tagger"
MODEL_DIR = "models/attribution"
TAGGER_ENV = "NEWSLEDGER_TAGGER"


@dataclass(slots=True)
class Tagged:
    """One predicted attribution, in character offsets; ``content`` in reading order."""

    content: list[Range]
    cue: Range | None
    source: Range | None
    confidence: float = 1.0  # mean probability of the content tokens' labels

    @property
    def hull(self) -> Range:
        return self.content[0][0], self.content[-1][1]


def token_labels(doc: Doc, elements: Elements) -> list[str]:
    """BIO role labels per token for the given (role, character ranges) elements.

    A token belongs to an element when it overlaps one of its ranges (a whitespace token
    only when the range holds it whole: "Hillary Clinton\xa0was" stays one span). The first
    token of an element is ``B-``; a later piece of the same element starts with ``I-`` so
    :func:`decode` can join it back.
    """
    labels = ["O"] * len(doc)
    starts = [t.idx for t in doc]
    by_role: dict[str, list[Sequence[Range]]] = {r: [] for r in ROLES}
    for role, ranges in elements:
        if ranges:
            by_role[role].append(ranges)
    for role in ROLES:
        for ranges in by_role[role]:
            tokens: list[int] = []
            for start, end in ranges:
                i = max(bisect_right(starts, start) - 1, 0)
                while i < len(doc) and doc[i].idx < end:
                    tok = doc[i]
                    inside = start <= tok.idx and tok.idx + len(tok) <= end
                    if tok.idx + len(tok) > start and (inside or not tok.is_space):
                        tokens.append(i)
                    i += 1
            for k, i in enumerate(sorted(set(tokens))):
                labels[i] = ("B-" if k == 0 else "I-") + role
    return labels


def rule_elements(attributions: Iterable[tuple[Range, Range, Range | None]]) -> Elements:
    """The elements the tagger reads from the rules: the (content, cue, source) character
    ranges of their outermost attributions, in training and in the pipeline alike."""
    out: list[tuple[str, Sequence[Range]]] = []
    for content, cue, source in attributions:
        out += [("CONTENT", [content]), ("CUE", [cue])]
        out += [("SOURCE", [source])] if source is not None else []
    return out


def _ents_iob(doc: Doc) -> list[str]:
    return [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "O" for t in doc]


def feature_doc(doc: Doc, rules: Elements, vocab: object | None = None) -> Doc:
    """The tagger's input: ``doc``'s parse, plus the rules' role of each token as its lemma."""
    return Doc(
        vocab or doc.vocab,  # type: ignore[arg-type]
        words=[t.text for t in doc],
        spaces=[bool(t.whitespace_) for t in doc],
        tags=[t.tag_ for t in doc],
        deps=[t.dep_ + ("<" if t.head.i < t.i else ">" if t.head.i > t.i else "") for t in doc],
        heads=[t.head.i for t in doc],
        lemmas=token_labels(doc, rules),
        ents=_ents_iob(doc),
    )


def _spans(labels: Sequence[str]) -> dict[str, list[list[list[int]]]]:
    """role → elements, each a list of [start, end) token pieces."""
    out: dict[str, list[list[list[int]]]] = {r: [] for r in ROLES}
    prev = "O"
    for i, label in enumerate(labels):
        if label == "O":
            prev = label
            continue
        bio, _, role = label.partition("-")
        if role not in out:
            prev = "O"
            continue
        if bio == "I" and prev[2:] == role:
            out[role][-1][-1][1] = i + 1
        elif bio == "I" and out[role]:
            out[role][-1].append([i, i + 1])  # a later piece of the last element
        else:
            out[role].append([[i, i + 1]])
        prev = label
    return out


def decode(
    doc: Doc, labels: Sequence[str], probabilities: Sequence[float] | None = None
) -> list[Tagged]:
    """Attributions from per-token labels: each content with its nearest cue and source.
    ``probabilities`` (of each token's label) give each attribution its confidence."""
    sent_of = [0] * len(doc)
    for k, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sent_of[i] = k
    spans = _spans(labels)

    def chars(pieces: list[list[int]]) -> list[Range]:
        return [(doc[a].idx, doc[b - 1].idx + len(doc[b - 1])) for a, b in pieces]

    def middle(pieces: list[list[int]]) -> float:
        return (pieces[0][0] + pieces[-1][1]) / 2

    cues, sources = spans["CUE"], spans["SOURCE"]
    taken: set[int] = set()
    out: list[Tagged] = []
    for content in spans["CONTENT"]:
        first, last = sent_of[content[0][0]], sent_of[content[-1][1] - 1]
        best: tuple[tuple[int, bool, int], int] | None = None
        for qi, cue in enumerate(cues):
            qs = sent_of[cue[0][0]]
            gap = 0 if first <= qs <= last else min(abs(qs - first), abs(qs - last))
            if gap > DEFAULT_SETTINGS.extract.max_sentence_gap:
                continue
            distance = min(abs(cue[0][0] - content[-1][1]), abs(content[0][0] - cue[-1][1]))
            key = (gap, qi in taken, distance)
            if best is None or key < best[0]:
                best = (key, qi)
        cue_range = source_range = None
        if best is not None:
            qi = best[1]
            taken.add(qi)
            cue = cues[qi]
            cue_range = (chars(cue)[0][0], chars(cue)[-1][1])
            near = [
                (abs(middle(s) - middle(cue)), n)
                for n, s in enumerate(sources)
                if sent_of[s[0][0]] == sent_of[cue[0][0]]
            ]
            if near:
                source = sources[min(near)[1]]
                source_range = (chars(source)[0][0], chars(source)[-1][1])
        confidence = 1.0
        if probabilities is not None:
            tokens = [i for a, b in content for i in range(a, b)]
            confidence = sum(probabilities[i] for i in tokens) / len(tokens)
        out.append(Tagged(chars(content), cue_range, source_range, round(confidence, 4)))
    return out


class Tagger(Protocol):
    """What the rules merge with: ``predict(doc, rules)`` → :class:`Tagged` attributions.

    ``sets`` names what the tagger may change in an attribution the rules found too
    (``content``, ``cue``, ``source`` boundaries); ``adds`` whether the attributions only the
    tagger finds are added (those of at least ``add_confidence``); ``nests_rules`` whether
    an added one may hold an outermost attribution of the rules (its cue) in its content,
    making it a nested one. They were chosen per tagger on PolNeAR dev (docs/accuracy.md).
    ``alone``: the tagger's attributions replace the rules' (to measure the tagger by itself).
    """

    sets: frozenset[str]
    adds: bool
    add_confidence: float
    nests_rules: bool
    alone: bool

    def predict(self, doc: Doc, rules: Elements) -> list[Tagged]: ...


class AttributionTagger:
    """A loaded tagger pipeline: ``predict(doc, rules)`` → :class:`Tagged` attributions."""

    sets: frozenset[str] = frozenset()  # boundaries: the rules' were better on dev
    adds = True
    add_confidence = 0.7
    nests_rules = True
    alone = False

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.pipe = nlp.get_pipe(PIPE)
        self.labels: tuple[str, ...] = tuple(self.pipe.labels)  # type: ignore[attr-defined]

    @classmethod
    def from_disk(cls, path: str | Path) -> AttributionTagger:
        return cls(spacy.load(path))

    def scores(self, doc: Doc, rules: Elements) -> tuple[list[str], list[float]]:
        """Each token's most likely label and its probability."""
        fdoc = feature_doc(doc, rules, self.nlp.vocab)
        logits = self.pipe.model.predict([fdoc])[0]  # type: ignore[attr-defined]
        logits = self.pipe.model.ops.to_numpy(logits)  # type: ignore[attr-defined]
        shifted = numpy.exp(logits - logits.max(axis=1, keepdims=True))
        probs = shifted / shifted.sum(axis=1, keepdims=True)
        best = probs.argmax(axis=1)
        return [self.labels[int(i)] for i in best], [float(p) for p in probs.max(axis=1)]

    def label(self, doc: Doc, rules: Elements) -> list[str]:
        return self.scores(doc, rules)[0]

    def predict(self, doc: Doc, rules: Elements) -> list[Tagged]:
        if len(doc) == 0:
            return []
        return decode(doc, *self.scores(doc, rules))


@lru_cache(maxsize=1)
def cue_words() -> frozenset[str]:
    """The words (lemmas, lower case) that may cue an attribution: the attribution lexicon's
    speech, content, cognition and report verbs, cue and report nouns, and the longest word of
    each "according to" phrase ("according", "per", "words": not "in" or "as")."""
    lex = attribution_lexicon()
    words = set().union(
        lex.speech_verbs,
        lex.np_content_verbs,
        lex.xcomp_content_verbs,
        lex.cognition_verbs,
        lex.report_verbs_as_subject,
        lex.relay_verbs,
        lex.cue_nouns,
        lex.report_nouns,
    )
    return frozenset(words | {max(phrase, key=len) for phrase in lex.according_to})


def cue_marks(doc: Doc, text: str) -> list[int]:
    """Where an attribution may be cued, sorted: the words of :func:`cue_words` and the double
    quotation marks."""
    words = cue_words()
    found = [t.idx for t in doc if t.lemma_.lower() in words or t.lower_ in words]
    marks = DOUBLE_OPEN | DOUBLE_CLOSE
    found += [i for i, ch in enumerate(text) if ch in marks]
    return sorted(found)


def join_pieces(text: str, spans: Sequence[tuple[str, int, int, float]]) -> Elements:
    """Elements from a tagger's scored spans: two content spans with only cues, sources and
    punctuation between them in one paragraph (``"X," he said, "Y"``) are pieces of one
    content."""
    out: list[tuple[str, list[Range]]] = []
    last_content: int | None = None
    others: list[Range] = []  # the cues and sources since the last content
    for role, start, end, _score in spans:
        if role != "content":
            out.append((role.upper(), [(start, end)]))
            others.append((start, end))
            continue
        if last_content is not None and others:
            previous = out[last_content][1][-1][1]
            between = text[previous:start]
            rest = between
            for s, e in sorted(others, reverse=True):
                rest = rest[: s - previous] + rest[e - previous :]
            if "\n\n" not in between and not any(c.isalnum() for c in rest):
                out[last_content][1].append((start, end))
                others = []
                continue
        last_content = len(out)
        out.append(("CONTENT", [(start, end)]))
        others = []
    return out


class EncoderAttributionTagger:
    """The fine-tuned MiniLM tagger (:mod:`newsledger.extract.encoder_tagger`, ONNX int8).

    It reads the text (not the rules' labels); its spans become token labels, decoded into
    attributions like the spaCy tagger's. With ``skip_ruled`` it leaves out the paragraphs
    where the rules found a cue: there it would mostly find what the rules found, and the
    encoder is the slowest step of trained mode; with ``skip_uncued`` those without a cue
    word or quotation mark (:func:`cue_marks`) too. The ONNX session is opened on first use in
    each process, so a tagger built before worker processes fork is safe to share.
    """

    # chosen on PolNeAR dev (docs/accuracy.md): the rules keep their boundaries and their
    # paragraphs; elsewhere the attributions the encoder finds (at least 0.7 sure) are added
    sets: frozenset[str] = frozenset()
    adds = True
    add_confidence = 0.7
    nests_rules = False
    alone = False
    skip_ruled = True
    skip_uncued = True  # 28 % fewer wordpieces read on Wikinews, for 0.001-0.005 dev F1

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        if not (self.folder / MODEL_FILE).is_file():
            raise ModelNotFound(f"no attribution encoder at {self.folder / MODEL_FILE}")
        self._encoder: EncoderTagger | None = None
        self._pid = 0

    def __getstate__(self) -> dict[str, Any]:
        keep = (
            *("sets", "adds", "add_confidence", "nests_rules", "alone"),
            *("skip_ruled", "skip_uncued"),
        )
        return {"folder": self.folder, **{k: v for k, v in vars(self).items() if k in keep}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.folder = state.pop("folder")
        vars(self).update(state)
        self._encoder = None
        self._pid = 0

    @property
    def encoder(self) -> EncoderTagger:
        if self._encoder is None or self._pid != os.getpid():
            self._encoder = EncoderTagger(self.folder)
            self._pid = os.getpid()
        return self._encoder

    def predict(self, doc: Doc, rules: Elements) -> list[Tagged]:
        if len(doc) == 0:
            return []
        text = doc.text
        ruled = uncued = False
        if not self.alone:  # alone, it has no rules to leave paragraphs to
            ruled, uncued = self.skip_ruled, self.skip_uncued
        cues = sorted(ranges[0][0] for role, ranges in rules if role == "CUE" and ranges)
        marks = cue_marks(doc, text) if uncued else []

        def within(points: list[int], start: int, end: int) -> bool:
            k = bisect_left(points, start)
            return k < len(points) and points[k] < end

        def skip(start: int, end: int) -> bool:
            if ruled and within(cues, start, end):
                return True
            return uncued and not within(marks, start, end)

        spans = self.encoder.spans([text], [skip])[0]
        labels = token_labels(doc, join_pieces(text, spans))
        scores = [1.0] * len(doc)
        starts = [t.idx for t in doc]
        for _role, start, end, score in spans:
            i = max(bisect_right(starts, start) - 1, 0)
            while i < len(doc) and doc[i].idx < end:
                scores[i] = score
                i += 1
        return decode(doc, labels, scores)


def load_tagger(path: str | Path) -> Tagger:
    """The tagger saved in ``path``: an ONNX encoder folder (``model.onnx``) or a spaCy one."""
    path = Path(path)
    if (path / MODEL_FILE).is_file():
        return EncoderAttributionTagger(path)
    return AttributionTagger.from_disk(path)


def model_path() -> Path:
    """Where the tagger is: ``$NEWSLEDGER_TAGGER`` when set (a folder written by ``newsledger
    train attribution``), else the package's own ``resources/models/attribution``."""
    chosen = os.environ.get(TAGGER_ENV)
    if chosen:
        return Path(chosen)
    return Path(str(resources.files("newsledger.resources").joinpath(MODEL_DIR)))


@lru_cache(maxsize=1)
def default_tagger() -> Tagger | None:
    """The tagger at :func:`model_path`, loaded once per process; None when there is none."""
    path = model_path()
    if not (path / "config.cfg").is_file() and not (path / MODEL_FILE).is_file():
        return None
    return load_tagger(path)


def tag_attributions(doc: Doc, rules: Elements, tagger: Tagger | None = None) -> list[Tagged]:
    """The tagger's attributions for ``doc``, given the rules' outermost elements."""
    tagger = tagger or default_tagger()
    return tagger.predict(doc, rules) if tagger is not None else []
