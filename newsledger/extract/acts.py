"""What act an attribution reports: speech, writing, request, stance, thought, intent,
finding, perception, decision or question — read from its cue (``resources/acts.json``, one
lexicon) and, for requests and questions, from the form of its content.

"said", "told", "added", "according to" are speech; "wrote", "tweeted", "in a statement" are
writing; speech or writing about a thing rather than a proposition ("criticized the deal",
"talked about the process") is a stance; "believes", "fears" thought; "plans", "wants",
"declined" intent; "found", "shows", "the study" finding; "saw", "heard" perception;
"ordered", "approved" decision; "asked whether", "wondered if" question; "urged residents to
stay indoors", "told him to leave" request. A cue the lexicon does not list is speech. An
"according to" attribution takes the act of what it cites ("according to the report":
finding). Claims are the acts in ``claim_acts`` (speech, writing, requests, stances and
findings); quotes in the narrow sense are ``quote_acts`` (speech, writing and requests); the
rest are kept in the record, for a reader who wants them.

Public entry points: :func:`act_of`, :func:`set_acts`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import cast

from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan

from newsledger.model import SPEECH_ACTS, Attribution, SpeechAct
from newsledger.resources import SpeechActs, speech_acts

__all__ = ["act_of", "set_acts"]


def _words(span: DocSpan) -> list[str]:
    """Lemmas and lower-case forms of a span's head, head first, then of its other tokens."""
    root = span.root
    out = [root.lemma_.lower(), root.lower_]
    for token in reversed(span):
        if token.i != root.i and not token.is_punct and not token.is_stop:
            out += [token.lemma_.lower(), token.lower_]
    return out


@lru_cache(maxsize=1)
def _lexicon() -> SpeechActs:
    """``resources/acts.json``, its acts checked once against the record's."""
    acts = speech_acts()
    unknown = sorted({*acts.verbs.values(), *acts.nouns.values()} - set(SPEECH_ACTS))
    if unknown:
        raise ValueError(f"acts.json names unknown acts {unknown}; known: {SPEECH_ACTS}")
    return acts


def act_of(doc: Doc, attribution: Attribution) -> SpeechAct:
    """The act ``attribution``'s cue reports (speech when the lexicon does not say); a
    question or a request when a spoken or thought content asks rather than asserts."""
    act = _cue_act(doc, attribution)
    if act in ("speech", "thought"):
        cue = doc.char_span(attribution.cue.start, attribution.cue.end, "expand")
        if cue is not None and len(cue):
            asked = _question_or_request(doc, attribution, cue, _lexicon())
            if asked is not None and (act == "speech" or asked == "question"):
                return asked
    return act


def _cue_act(doc: Doc, attribution: Attribution) -> SpeechAct:
    """The act the lexicon gives ``attribution``'s cue."""
    acts = _lexicon()
    if attribution.kind == "according_to":
        source = attribution.source
        if source is None:
            return "speech"
        span = doc.char_span(source.start, source.end, alignment_mode="expand")
        if span is None or not len(span):
            return "speech"
        act = acts.nouns.get(span.root.lemma_.lower()) or acts.nouns.get(span.root.lower_)
        return cast(SpeechAct, act or "speech")
    cue = doc.char_span(attribution.cue.start, attribution.cue.end, alignment_mode="expand")
    if cue is None or not len(cue):
        return "speech"
    table = acts.nouns if cue.root.pos_ in ("NOUN", "PROPN") else acts.verbs
    words = _words(cue)
    for word in words[:2]:
        if word in table:
            act = cast(SpeechAct, table[word])
            if act == "intent" and word in acts.commitment_cues and _asserts(doc, attribution):
                return "speech"  # "they promise, will be returned": a claim about the future
            return act
    verb = cue.root
    if table is acts.verbs and verb.dep_ == "xcomp":
        # "declined to say", "refused to confirm": what the governing verb reports
        governor = acts.verbs.get(verb.head.lemma_.lower())
        if governor is not None:
            return cast(SpeechAct, governor)
    if table is acts.verbs and attribution.source is not None:
        # "the data suggest", "a review suggests": what a study or a poll says is a finding
        subject = doc.char_span(attribution.source.start, attribution.source.end, "expand")
        if subject is not None and len(subject):
            root = subject.root
            noun = acts.nouns.get(root.lemma_.lower()) or acts.nouns.get(root.lower_)
            if noun == "finding" and verb.lemma_.lower() in acts.finding_cues:
                return "finding"
    for word in words[2:]:  # "in a statement": the noun beside the head
        if word in acts.nouns:
            return cast(SpeechAct, acts.nouns[word])
    return "speech"


def _question_or_request(
    doc: Doc, attribution: Attribution, cue: DocSpan, acts: SpeechActs
) -> SpeechAct | None:
    """``question`` for an embedded question ("asked whether the plant would close",
    "wondered how"), ``request`` for a bid to act ("urged residents to stay indoors", "told him
    to shave it off"), else None. A quotation is what it quotes: never either."""
    if attribution.kind not in ("indirect", "statement"):
        return None
    span = doc.char_span(attribution.content.start, attribution.content.end, "expand")
    if span is None or not len(span) or any(t.is_quote for t in span):
        return None
    verb = cue.root
    lemma = verb.lemma_.lower()
    first = span[0].lower_
    # "asked whether the plant would close"; not "said if talks fail, the strike goes on"
    embedded = first in acts.question_marks and span[0].head.i == span.root.i
    if embedded or (first in acts.question_words and lemma in acts.question_cues):
        return "question"
    if lemma in acts.request_cues and verb.pos_ in ("VERB", "AUX"):
        root = span.root
        if _infinitive(root) and not _has_subject(root):
            return "request"
    return None


def _infinitive(verb: Token) -> bool:
    """Whether ``verb`` is a to-infinitive ("to stay indoors")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _has_subject(verb: Token) -> bool:
    """Whether ``verb`` has a subject of its own."""
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _asserts(doc: Doc, attribution: Attribution) -> bool:
    """Whether the content is a proposition rather than an action to take: a quotation or
    a finite clause ("vowed that the plant would stay open"), not "vowed to stay"."""
    if attribution.kind == "direct":
        return True
    span = doc.char_span(attribution.content.start, attribution.content.end, "expand")
    if span is None or not len(span):
        return False
    return _has_subject(span.root) and not _infinitive(span.root)


def _about_a_thing(doc: Doc, attribution: Attribution) -> bool:
    """Whether an indirect attribution's content is a thing, not a proposition: a noun
    phrase ("the deal", "his release") or a gerund without a subject ("going back to
    school")."""
    if attribution.kind != "indirect":
        return False
    span = doc.char_span(attribution.content.start, attribution.content.end, "expand")
    if span is None or not len(span) or any(t.is_quote for t in span):
        return False
    cue = doc.char_span(attribution.cue.start, attribution.cue.end, "expand")
    if cue is not None and len(cue) and _predicates(cue.root, span, _lexicon()):
        return False  # "called the stop the clearest point": a claim that the stop is one
    root = span.root
    if root.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        return not _finite_clause(span)
    return root.tag_ == "VBG" and not _has_subject(root)


def _predicates(verb: Token, content: DocSpan, acts: SpeechActs) -> bool:
    """Whether the cue ``verb`` says what its object, the ``content``, is: "called the program
    a disgrace" (an object predicate), "described the attempt as a carjacking" (wherever the
    parser hangs the "as")."""
    if any(child.dep_ == "oprd" for child in verb.children):
        return True
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        # "called the new trade deal a disgrace", the predicate parsed as the object's modifier
        for extra in obj.children:
            if extra.dep_ in ("npadvmod", "appos") and extra.i > obj.i:
                between = verb.doc[obj.i + 1 : extra.left_edge.i]
                if not any(t.is_punct for t in between):
                    return verb.lemma_.lower() in acts.object_predicate_cues
    if verb.lemma_.lower() not in acts.as_predicate_cues:
        return False
    phrases = [*verb.children, *content]
    return any(
        t.dep_ == "prep" and t.lower_ == "as" and any(c.dep_ == "pobj" for c in t.children)
        for t in phrases
    )


#: the tags of a finite verb: a span that holds one outside a relative clause is a clause
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _finite_clause(span: DocSpan) -> bool:
    """Whether a content the parser read as a noun phrase holds a finite verb of its own
    ("said unemployment and lost earnings have broad effects"), not one of a relative clause
    ("criticized the deal that was signed")."""
    inside = range(span.start, span.end)
    for token in span:
        if token.tag_ not in _FINITE:
            continue
        path = [token, *(a for a in token.ancestors if a.i in inside)]
        if not any(t.dep_ in ("relcl", "acl", "advcl", "pcomp") for t in path):
            return True
    return False


def set_acts(doc: Doc, attributions: list[Attribution]) -> None:
    """Set each attribution's ``act`` from its cue."""
    for attribution in attributions:
        act = act_of(doc, attribution)
        if act in ("speech", "writing") and _about_a_thing(doc, attribution):
            act = "stance"  # "criticized the deal", "talked about the process"
        attribution.act = act
