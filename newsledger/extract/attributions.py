"""Attributions over one spaCy parse: who said (or thinks, or reported) what.

Rules, in order of strength:

1. a cue verb ("said", "confirmed", "vowed") with a clausal complement, its subject the source;
2. "according to / as per / citing X", the clause it modifies the content;
3. statements and reports as sources ("In a statement released by KCNA, …", "the ministry's
   report said"), and cue nouns ("his claim that …");
4. quotations left over: a speaker after a dash, or the speaker of a neighbouring attribution
   ("floating" quotes).

Then contents are widened to the quotations they cut into, kinds are set (direct / mixed /
indirect), and attributions are nested: one whose cue lies in another's content is relayed by
it; "X quoted Y as saying …" relays Y through X; "He also vowed …" continues the relay of the
statement before it. Public entry point: :func:`extract_attributions`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsledger.extract.attribution_model import (
    Tagger,
    rule_elements,
    tag_attributions,
)
from newsledger.extract.chains import set_chains
from newsledger.extract.gazetteer import OUTLET_KINDS
from newsledger.extract.names import Names
from newsledger.extract.quotes import Quote, QuoteScan
from newsledger.model import Attribution, Source
from newsledger.model import Span as TextSpan
from newsledger.nlp import dateline_end
from newsledger.resources import attribution_lexicon

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
CLAUSAL = ("ccomp", "parataxis")
# A content reading: its character range and confidence.
_Content = tuple[tuple[int, int], float]
TAGGED_CONFIDENCE = 0.6  # an attribution only the trained tagger found
POST_TAIL_CHARS = 400  # how far from its line's end the signature of a post may start
FRAME_TAIL_CHARS = 40  # "he said in a statement on Monday," — how far a frame runs to its comma
QUOTE_CHARS = frozenset('"“”«»')
APPOSITION_MARKS = frozenset({",", "—", "–", "--"})
DASHES = frozenset({"—", "–", "-", "--"})
SPEAKER_PRONOUNS = frozenset({"i", "we", "you"})  # the writer's or a quoted speaker's own voice
EDGE_PUNCT = set(",;:—–-(") | {"--"}
# A text longer than WINDOW_CHARS or with more than WINDOW_QUOTES double quotations (no news
# article comes near either) is read in windows of whole sentences, each of at most
# SPLIT_CHARS characters and SPLIT_QUOTES quotations (a longer sentence is cut between
# tokens), so the rules' work, which compares quotations and attributions pairwise, stays
# bounded per window and linear in the text.
WINDOW_CHARS = 100_000
WINDOW_QUOTES = 400
SPLIT_CHARS = 20_000
SPLIT_QUOTES = 100


@dataclass
class _Candidate:
    kind: str
    cue: tuple[int, int]  # char offsets
    content: tuple[int, int]
    source: tuple[int, int] | None
    source_span: Span | None
    confidence: float
    cue_token: int  # token index, for ordering and nesting
    relayed_by: int | None = None  # index of the candidate that relays this one
    parent: int | None = None
    extra: dict = field(default_factory=dict)
    parts: list[tuple[int, int]] = field(default_factory=list)  # the content's pieces


def _subtree_bounds(tok: Token, exclude: set[int] | None = None) -> tuple[int, int]:
    """Token index bounds [start, end) of ``tok``'s subtree, minus excluded children's subtrees."""
    exclude = exclude or set()
    idx = [t.i for t in tok.subtree if not any(a.i in exclude for a in [t, *t.ancestors])]
    return min(idx), max(idx) + 1


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop edge punctuation and spaces (but keep a closing quote and sentence period)."""
    while start < end and (doc[start].is_space or doc[start].text in EDGE_PUNCT):
        start += 1
    while end > start and (
        doc[end - 1].is_space or doc[end - 1].text in EDGE_PUNCT or doc[end - 1].text in ",)"
    ):
        end -= 1
    return start, end


def _cut_matrix_tail(verb: Token) -> tuple[int, int]:
    """Subtree bounds of an infinitive content, without a tail that belongs to the cue's clause.

    "vowed [to keep abortion legal] and celebrated the ruling": a finite verb coordinated with
    an infinitive continues the main clause; so does ", creating …" after the content.
    """
    doc = verb.doc
    start, end = _subtree_bounds(verb)
    if verb.tag_ != "VB":
        return start, end
    for child in verb.children:
        if child.i <= verb.i:
            continue
        finite_conj = child.dep_ == "conj" and child.tag_ in ("VBD", "VBZ")
        participle = (
            child.dep_ == "advcl" and child.tag_ == "VBG" and doc[child.left_edge.i - 1].text == ","
        )
        if finite_conj or participle:
            end = min(end, child.left_edge.i)
    while end > start + 1 and (doc[end - 1].dep_ == "cc" or doc[end - 1].text == ","):
        end -= 1
    return start, end


_MISATTACHED = frozenset({"prep", "npadvmod", "advmod", "punct"})


def _through_misattached(verb: Token, source: Token, end: int) -> int:
    """Where a content before its cue ends when the parser hung the content's last phrases on
    the cue ("…seized 180,000 items, from handbags to watches, [in 14 containers unloaded at
    the port], the customs directorate said"): at the comma before the source, when every
    word from ``end`` to there hangs on the cue by a preposition or adverb and the content
    is not a quotation (whose closing mark ends it)."""
    doc = verb.doc
    first = min(t.i for t in source.subtree)
    if first - 1 <= end or doc[first - 1].text != ",":
        return end
    if any(t.text in QUOTE_CHARS or t.text in ("''", "``") for t in doc[end - 1 : first - 1]):
        return end
    for tok in doc[end : first - 1]:
        step = tok
        while step.head.i != verb.i:
            if step.head.i == step.i:
                return end
            step = step.head
        if step.dep_ not in _MISATTACHED or step.i >= first:
            return end
    return first - 1


def _char(doc: Doc, start: int, end: int) -> tuple[int, int]:
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _cue_bounds(verb: Token, content: tuple[int, int] | None = None) -> tuple[int, int]:
    """The verb with its auxiliaries, negation, adverbs and particle ("has not learned", "also
    said", "point out"); with the ``content`` that follows, a preposition or colon right
    before it ("called for …", "spoke about …", "said: …")."""
    start = verb.i
    left = sorted(
        (
            c
            for c in verb.lefts
            if c.dep_ in ("aux", "auxpass", "neg") or (c.dep_ == "advmod" and c.tag_ == "RB")
        ),
        key=lambda t: -t.i,
    )
    for child in left:
        if child.i == start - 1:
            start = child.i
    end = verb.i + 1
    for child in verb.rights:
        if child.dep_ == "prt" and child.i == end:
            end = child.i + 1
    if content is not None:
        doc = verb.doc
        # the preposition alone (its object is the content), or a colon wherever it hangs
        framing = {child.i for child in verb.rights if child.dep_ == "prep"}
        gap = end
        while (
            gap < len(doc)
            and doc[gap].idx < content[0]
            and (gap in framing or doc[gap].text == ":")
        ):
            gap += 1
        if gap > end and gap < len(doc) and doc[gap].idx >= content[0]:
            end = gap
    return start, end


def _appos_subject(verb: Token) -> Token | None:
    """The subject of a cue the parser took for an apposition of the source of a fronted
    "according to" or "as per" ("According to the Sydney Chronicle, a member of the board
    said …"): the apposition that ends right before the cue, which has no subject."""
    if verb.i == 0 or verb.lemma_.lower() not in attribution_lexicon().speech_verbs:
        return None
    for tok in verb.doc[verb.sent.start : verb.i]:
        if (
            tok.dep_ == "appos"
            and tok.right_edge.i == verb.i - 1
            and tok.head.dep_ == "pobj"
            and tok.head.head.lower_ in ("to", "per")
            and tok.head.head.i > 0
            and verb.doc[tok.head.head.i - 1].lower_ in ("according", "as")
            and verb.doc[tok.left_edge.i - 1].text == ","
        ):
            return tok
    return None


def _reduced_relative(verb: Token) -> Token | None:
    """A subjectless cue whose source the parser read as a clause of its own before it: "A
    residents' committee [set up on Tuesday night in the sports hall], said 52 homes had
    been destroyed" — "set up" is a participle describing the committee, not a verb with
    "committee" for its subject. The left "clause" is returned when it is a bare past form
    (no auxiliary, no "that") with a noun for its subject, and the cue has a complement after
    it too."""
    if verb.lemma_.lower() not in attribution_lexicon().speech_verbs:
        return None
    children = list(verb.children)
    if any(c.dep_ in SUBJECTS for c in children):
        return None
    if not any(c.dep_ == "ccomp" and c.i > verb.i for c in children):
        return None
    for c in children:
        if c.dep_ != "ccomp" or c.i > verb.i or c.tag_ not in ("VBN", "VBD"):
            continue
        if any(g.dep_ in ("aux", "auxpass", "mark", "neg", "dobj") for g in c.children):
            return None
        subjects = [g for g in c.children if g.dep_ in SUBJECTS]
        if (
            len(subjects) == 1
            and subjects[0].dep_ == "nsubj"
            and subjects[0].pos_
            in (
                "NOUN",
                "PROPN",
            )
        ):
            return c
    return None


def _misread_subject(verb: Token) -> Token | None:
    """The subject of a cue that the parser hung elsewhere: the noun of a reduced relative
    ("A committee set up on Tuesday … said that …": :func:`_reduced_relative`), the reporter
    of a citing phrase (:func:`_cited_reporter`), or an apposition ("According to the
    Chronicle, a board member said …": :func:`_appos_subject`)."""
    reduced = _reduced_relative(verb)
    if reduced is not None:
        return next(c for c in reduced.children if c.dep_ == "nsubj")
    reporter = _cited_reporter(verb)
    if reporter is not None:
        return reporter
    return _appos_subject(verb)


def _cited_reporter(verb: Token) -> Token | None:
    """ "Radio Sondrio Uno, citing the provincial prefecture, reported that …" parsed with the
    cue as a participle of the cited noun ("the prefecture reported on Wednesday") and the
    citing phrase hung on the reporter's name: the reporter is that name."""
    cited = verb.head
    if verb.dep_ != "acl" or cited.dep_ != "dobj" or verb.i < cited.i:
        return None
    citing = cited.head
    if citing.lower_ not in ("citing", "quoting") or citing.dep_ not in ("advcl", "acl"):
        return None
    if verb.doc[verb.i - 1].text != "," or verb.doc[citing.i - 1].text != ",":
        return None
    reporter = citing.head
    return reporter if reporter.pos_ in ("PROPN", "NOUN") and reporter.i < citing.i else None


def _speaks_after(appos: Token) -> bool:
    """An apposition right before a cue that takes it for its subject (:func:`_appos_subject`)."""
    end = appos.right_edge.i + 1
    if end >= len(appos.doc):
        return False
    subject = _appos_subject(appos.doc[end])
    return subject is not None and subject.i == appos.i


def _source_token(verb: Token) -> Token | None:
    for child in verb.children:
        # "Jody Wilson-Raybould said": the parser may make the hyphen a subject too
        if child.dep_ in ("nsubj", "csubj") and not child.is_punct:
            if _line_between(child, verb):
                # a subject across a line break is the parser's mistake: the word right
                # before the verb, on its line, speaks ("… 2018\n\nBC Hydro reminded …")
                prev = verb.doc[verb.i - 1] if verb.i else None
                if (
                    prev is not None
                    and prev.pos_ in ("PROPN", "NOUN", "PRON")
                    and not _line_between(prev, verb)
                ):
                    return prev
                return None
            return child
    # '"We are ready!" answer Ortiz and Kamau': after a quote the speaker follows its verb,
    # and the parser takes it for the object
    before = verb.doc[max(0, verb.i - 2) : verb.i]
    if (
        verb.tag_ != "VBG"
        and verb.dep_ in ("ROOT", "parataxis")
        and any(t.is_quote for t in before)
    ):
        for child in verb.children:
            if child.dep_ != "dobj" or child.i <= verb.i:
                continue
            # "… answer Ortiz", "… points out the laid-back Cambridge resident"
            if child.pos_ == "PROPN" or any(
                c.dep_ == "det" and c.lower_ == "the" for c in child.children
            ):
                return child
    if _misparsed_cue(verb):  # "An environmental group … estimated that …"
        return _cited_reporter(verb) or verb.head
    subject = _misread_subject(verb)
    if subject is not None:
        return subject
    for child in verb.children:  # "it was reported by X"
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    # conjoined verbs share the subject: "Putin thanked … and said …"
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        # "Paul said [the plan would …] and called him …": the parser hung the second cue
        # on the content; its subject is the first cue's
        content_root = verb.head
        while content_root.dep_ in ("conj", "xcomp") and content_root.head is not content_root:
            content_root = content_root.head
        if (
            content_root.dep_ == "ccomp"
            and verb.lemma_.lower() in attribution_lexicon().speech_verbs
            and content_root.head.lemma_.lower() in attribution_lexicon().speech_verbs
        ):
            return _source_token(content_root.head)
        return _source_token(verb.head)
    # "X is expected to say", "X wants to tell", "He defended it, saying …": the head's subject
    if (
        verb.dep_ in ("xcomp", "advcl")
        and verb.head.pos_ in ("VERB", "AUX")
        and verb.head is not verb
    ):
        return _source_token(verb.head)
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
        return _source_token(verb.head.head)  # "criticized for refusing …"
    return _name_before(verb)


def _line_between(a: Token, b: Token) -> bool:
    """Whether a line break lies between tokens ``a`` and ``b``."""
    first, last = (a, b) if a.i < b.i else (b, a)
    return any(t.is_space and "\n" in t.text for t in a.doc[first.i + 1 : last.i]) or (
        "\n" in first.whitespace_
    )


def _name_before(verb: Token) -> Token | None:
    """ "Still, McNeely said disease can …" with "McNeely" parsed as a modifier: a name right
    before a finite cue verb whose parse has no subject is the speaker."""
    if verb.i == 0 or verb.tag_ not in ("VBD", "VBZ"):
        return None
    before = verb.doc[verb.i - 1]
    if before.pos_ == "PROPN" and before.ent_type_ in ("PERSON", "ORG"):
        return before
    return None


def _negated(verb: Token) -> bool:
    """ "did not say", "has never confirmed", "neither Russia nor North Korea has commented"."""
    for child in verb.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ == "nsubj" and any(
            t.lower_ in ("neither", "nobody", "none") for t in child.subtree
        ):
            return True
        if child.dep_ == "advmod" and child.lower_ == "never" and not _quoted_word(child):
            return True
    return False


def _run_of_clauses(verb: Token, clause: Token, end: int) -> int:
    """The end of the clause ``clause`` reported by ``verb`` (token ``end``), run on over the
    clauses the parser hung beside it on the same verb: "says he drank too much, used drugs
    and was …" parsed as three complements of "says"."""
    for sibling in verb.children:
        if sibling.i <= clause.i or sibling.dep_ != "ccomp":
            continue
        first = sibling.left_edge.i
        gap = verb.doc[end:first]
        if first < end or len(gap) > 2 or not all(t.is_punct or t.dep_ == "cc" for t in gap):
            break
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in sibling.children):
            break  # a clause with its own subject is a claim of its own
        end = sibling.right_edge.i + 1
    return end


#: the signature of an embedded post: "… — BC Hydro (@bchydro) December 22, 2018"
_POST_SIGNATURE = re.compile(
    r"(?:\s+(?:https?://\S+|pic\.twitter\.com/\S+))*\s*(?P<dash>[—–―]|--?)\s*"
    r"(?P<name>[^\s()—–―@][^()—–―@\n]{0,78}?)\s*\(@\w{1,30}\)"
    r"(?:\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4})?\s*$"
)


def _signed_post(line: str) -> tuple[int, int, int, int, int, int] | None:
    """(body start, body end, dash start, dash end, name start, name end) of an embedded post
    in ``line``, or None."""
    tail = max(0, len(line) - POST_TAIL_CHARS)  # a signature ends its line: look only there
    match = _POST_SIGNATURE.search(line, tail)
    if match is None or match.start() == 0:
        return None
    return (0, match.start(), *match.span("dash"), *match.span("name"))


def _after_relativizer(verb: Token, content: tuple[int, int]) -> tuple[int, int]:
    """``content`` (characters) of the cue ``verb`` of a relative clause, from after the cue
    when it opened with the clause's relative pronoun: "wounds that police said did not appear
    self-inflicted" gives "did not appear self-inflicted" (the pronoun stands for the noun)."""
    doc = verb.doc
    if verb.dep_ != "relcl" or content[0] >= verb.idx or verb.i + 1 >= len(doc):
        return content
    span = doc.char_span(content[0], verb.idx, alignment_mode="expand")
    if span is None or not _relativizer_only(verb, span.start):
        return content
    after = doc[verb.i + 1 :]
    first = next((t for t in after if not (t.is_space or t.is_punct)), None)
    if first is None or first.idx >= content[1]:
        return content
    return first.idx, content[1]


def _relativizer_only(verb: Token, start: int) -> bool:
    """Whether the tokens from ``start`` up to the cue ``verb`` of a relative clause are only
    the clause's relative pronoun and the cue's subject ("… that police said …")."""
    if verb.dep_ != "relcl":
        return False
    subject = _source_token(verb)
    own = {t.i for t in subject.subtree} if subject is not None else set()
    rest = [t for t in verb.doc[start : verb.i] if t.i not in own and not t.is_punct]
    return bool(rest) and all(t.tag_ in ("WDT", "WP", "WP$") or t.lower_ == "that" for t in rest)


#: what may stand before an imperative in its sentence: "Please tell …", "So just ask …"
_BEFORE_IMPERATIVE = frozenset({"intj", "advmod", "cc", "discourse", "punct"})


def _addresses_reader(verb: Token, subject: Token | None) -> bool:
    """Whether the cue ``verb`` speaks to the reader rather than reports a source: an
    imperative opening its sentence ("Tell him why you think …", "Please ask whether …") or
    an infinitive framed by an expletive ("it is fair to say that …")."""
    if subject is None:
        if verb.dep_ != "ROOT" or verb.tag_ != "VB":
            return False
        if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "aux") for c in verb.children):
            return False
        before = verb.doc[verb.sent.start : verb.i]
        return all(t.dep_ in _BEFORE_IMPERATIVE or t.is_quote or t.is_space for t in before)
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    return (
        infinitive
        and subject.lower_ in ("it", "there")
        and subject.head is not verb
        and subject.head.lemma_ == "be"
        and any(c.dep_ in ("acomp", "attr") for c in subject.head.children)
    )


def _quoted_word(token: Token) -> bool:
    """A word in quotation marks of its own: 'He repeated, "Never".'"""
    doc = token.doc
    return 0 < token.i < len(doc) - 1 and doc[token.i - 1].is_quote and doc[token.i + 1].is_quote


def _that_clause(clause: Token) -> bool:
    """A clause a noun carries that is really reported content: "a statement that …".

    Also a relative clause misparsed from "told a briefing that the visit would …", where
    "that" opens the clause and the clause has a subject of its own.
    """
    if clause.dep_ not in ("acl", "relcl"):
        return False
    if any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
        return True
    first = clause.doc[clause.left_edge.i]
    return (
        clause.dep_ == "relcl"
        and first.lower_ == "that"
        and any(c.dep_ == "nsubj" and c.lower_ != "that" for c in clause.children)
    )


def _by_agent(verb: Token) -> Token | None:
    """The object of a passive's "by" phrase: "was quoted by [KCNA]"."""
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _source_bounds(tok: Token, body: int = 0) -> tuple[int, int]:
    """The source phrase: the subject's subtree, relative clauses and participles included
    ("Chris Cox, who runs the NRA's lobbying arm,", "a poll released Thursday": PolNeAR's
    convention), without what only the parser hung on it. ``body``: where the text starts
    after its dateline."""
    doc = tok.doc
    cut = {
        c.i
        for c in tok.children
        if c.i > tok.i
        and (
            (c.dep_ == "punct" and c.text not in APPOSITION_MARKS)
            or (c.dep_ == "advcl" and c.lower_ in ("citing", "quoting"))
        )
    }
    # a cue the parser hung on the subject ends it, and all it carries after ("… estimated
    # that …, more than three times the volume …, and said")
    cue = next((c.i for c in tok.children if c.i > tok.i and _misparsed_cue(c)), None)
    if cue is not None:
        cut |= {c.i for c in tok.children if c.i >= cue}
    # a bracketed apposition is an alias, not part of the phrase: "the Agency (KCNA)"
    cut |= {c.i for c in tok.children if c.dep_ == "appos" and c.i > 0 and doc[c.i - 1].text == "("}
    # an apposition set off by commas stays ("Hugh Hill, a doctor,")
    start, end = _subtree_bounds(tok, cut)
    # a dateline or a line before the subject ("7:45 p.m.\n\nTexas Sen. Ted Cruz", "RENO, Nev.
    # (AP) — Republican …") is not part of it
    for i in range(start, tok.i):
        line_break = "\n" in doc[i].text or "\n" in doc[i].whitespace_
        outlet_dash = doc[i].text in DASHES and i > 0 and doc[i - 1].text == ")"
        if line_break or outlet_dash or doc[i].idx < body:
            start = i + 1
    # "The Glasgow Evening Post, quoting a council briefing paper, reported": the cited one
    # is a source of its own (rule 2), wherever the parser hung it
    citing = next((t.i for t in doc[tok.i + 1 : end] if t.lower_ in ("citing", "quoting")), None)
    if citing is not None:
        end = citing
    # a quotation mark or line break the parser hung on the subject is not part of a name
    while start < tok.i and (doc[start].is_space or doc[start].is_quote or doc[start].is_punct):
        start += 1
    while end > tok.i + 1 and (doc[end - 1].is_space or doc[end - 1].is_quote):
        end -= 1
    start, end = _trim(doc, start, end)
    end = _described_further(tok, end)
    if end < len(doc) and doc[end].text == ")" and "(" in doc[start:end].text:
        end += 1  # "Sen. Bernie Sanders (I-Vt.)": the bracket it opened closes
    # an apposition opened by a comma or dash ends with its closing one: "Graham, a former
    # candidate, said"
    if end < len(doc) and doc[end].text in APPOSITION_MARKS:
        if any(doc[i].text == doc[end].text for i in range(tok.i + 1, end)):
            end += 1
    return start, end


def _described_further(tok: Token, end: int) -> int:
    """The end of an unnamed source quoted or cited, through the phrase that says who it is
    where the parser hung it on the verb: "quoting a rescuer at the scene", "quoted a
    senior official at the Department of Health as saying" (not a name's: "quoting Smith at
    a briefing" says where, not who)."""
    verb = tok.head
    if (
        tok.dep_ != "dobj"
        or tok.pos_ != "NOUN"
        or tok.ent_type_
        or verb.lemma_.lower() not in attribution_lexicon().relay_verbs
    ):
        return end
    for prep in verb.children:
        if prep.i == end and prep.dep_ == "prep" and prep.lower_ in _WHO_PREPS:
            return max(end, _subtree_bounds(prep)[1])
    return end


_WHO_PREPS = frozenset({"at", "from", "in", "of", "with", "on", "inside", "close"})


class _Extractor:
    def __init__(
        self,
        doc: Doc,
        quotes: QuoteScan,
        names: Names,
        first: bool = True,
        text: str | None = None,
    ) -> None:
        self.doc = doc
        self.text = text if text is not None else doc.text
        self.quotes = [q for q in quotes.quotes if q.double]
        self.names = names
        self.lex = attribution_lexicon()
        self.found: list[_Candidate] = []
        self.cue_tokens: set[int] = set()
        # where the text starts after its dateline (a later window has none)
        self.body = dateline_end(self.text[:200]) if first else 0

    # ---------------------------------------------------------------- helpers
    def quote_at(self, char: int) -> tuple[int, int] | None:
        for q in self.quotes:
            if q.start <= char < q.end:
                return q.start, q.end
        return None

    def add(self, cand: _Candidate) -> int:
        self.found.append(cand)
        self.cue_tokens.add(cand.cue_token)
        return len(self.found) - 1

    def source_of(self, tok: Token | None) -> tuple[tuple[int, int] | None, Span | None]:
        if tok is None:
            return None, None
        start, end = _source_bounds(tok, self.body)
        if tok.ent_iob_ != "O":  # the whole name the subject is part of ("Wilson-Raybould")
            ent = next((e for e in tok.sent.ents if e.start <= tok.i < e.end), None)
            if ent is not None and ent.label_ == "PERSON":
                start, end = min(start, ent.start), max(end, ent.end)
        # a source never runs across a line break: keep the line of its head word
        for i in range(start, end):
            if self.doc[i].is_space and "\n" in self.doc[i].text:
                if i < tok.i:
                    start = i + 1
                else:
                    end = i
                    break
        if start >= end:
            return None, None
        span = self.doc[start:end]
        return (span.start_char, span.end_char), span

    # ---------------------------------------------------------------- rule 1: cue verbs
    def verbs(self) -> None:
        lex = self.lex
        for verb in self.doc:
            lemma = verb.lemma_.lower()
            if verb.pos_ not in ("VERB", "AUX") or lemma not in lex.speech_verbs:
                continue
            if verb.dep_ == "amod" or (
                verb.tag_ == "VBN" and verb.dep_ == "acl" and not _misparsed_cue(verb)
            ):
                continue  # "the estimated total", "a statement released by"
            if lemma in lex.relay_verbs and _names_a_source(verb):
                continue  # "…, citing X, reported", "which cited X": X is a source (rule 2)
            relay = self.relay(verb)
            if relay is not None:
                continue
            if _negated(verb):
                continue  # "Moscow has not confirmed the figure" is not Moscow's claim
            content, conf = self.verb_content(verb, lemma)
            if content is None:
                continue
            content = _after_relativizer(verb, content)
            src_tok = _source_token(verb)
            if _addresses_reader(verb, src_tok):
                continue  # "Tell him why …", "it is fair to say that …": nobody's claim
            if src_tok is not None and src_tok.lower_ in lex.count_subjects:
                continue  # "The number of people admitted to hospital was …": a count says nothing
            if (
                lemma in lex.cognition_verbs
                and src_tok is not None
                and src_tok.lower_ in SPEAKER_PRONOUNS
            ):
                continue  # "I think …", "you want to believe …": a voice, not a source's claim
            if lemma == "ask" and verb.tag_ == "VBN" and verb.dep_ == "advcl":
                src_tok = None  # "Asked whether …, the official said": the asker is unnamed
            # "quoted Kim as saying": the speaker is the relay verb's object
            relayed_by = None
            if verb.dep_ == "pcomp" and verb.head.lower_ == "as":
                src_tok, relayed_by = self.quoted_as(verb, src_tok, content)
            report = src_tok is not None and src_tok.lower_ in lex.report_nouns
            if report and src_tok is not None:
                # "her statement said …": the one whose statement it is speaks
                owner = next(
                    (c for c in src_tok.children if c.dep_ == "poss" and c.pos_ == "PRON"), None
                )
                src_tok = owner or src_tok
            source, span = self.source_of(src_tok)
            if relayed_by is not None and span is not None and span.start <= relayed_by < span.end:
                source, span = _after(self.doc, span, relayed_by)  # not the relay verb itself
            if source is None and verb.dep_ != "pcomp":
                # no subject: "…, said to be…" or an imperative; a passive "it was said" is unnamed
                if not any(c.dep_ == "nsubjpass" for c in verb.children):
                    conf -= 0.25
            kind = "indirect"
            if report or span is not None and span.root.lower_ in lex.report_nouns:
                kind = "statement"
            cue = _char(self.doc, *_cue_bounds(verb, content))
            cand = _Candidate(kind, cue, content, source, span, conf, verb.i)
            if relayed_by is None and lemma == "tell":
                relayed_by = self.told_outlet(verb, cand)
            if relayed_by is not None:
                cand.extra["relay_token"] = relayed_by
            self.add(cand)

    def told_outlet(self, verb: Token, cand: _Candidate) -> int | None:
        """ "Dillon told Reuters that …": the news outlet told relays the speaker; its own
        attribution (cued by "told", its token the outlet's) is added, and returned."""
        listener = next((c for c in verb.children if c.dep_ in ("dobj", "dative")), None)
        if listener is None or not self.outlet(listener):
            return None
        source, span = self.source_of(listener)
        relay = _Candidate("indirect", cand.cue, cand.content, source, span, 0.8, listener.i)
        relay.extra["told"] = True  # shares its cue with the speaker's attribution
        self.add(relay)
        return listener.i

    def outlet(self, token: Token) -> bool:
        """Whether the noun phrase of ``token`` names a news outlet: one the gazetteer knows,
        or a proper name shaped like one ("Lee Valley FM", "the Harbour Ledger", "Radio
        Llano Verde"; ``outlet_words`` in attribution.json)."""
        cluster = self.names.by_token.get(token.i)
        if cluster is not None and cluster.kb.get("kind") in OUTLET_KINDS:
            return True
        if token.pos_ != "PROPN":
            return False
        words = [t.text for t in token.subtree if t.pos_ == "PROPN" and t.i <= token.i + 2]
        return any(w in self.lex.outlet_words for w in words)  # "City FM Dublin"

    def quoted_as(
        self, verb: Token, src_tok: Token | None, content: tuple[int, int]
    ) -> tuple[Token | None, int | None]:
        """The speaker and the relay's token of "X quoted Y as saying" for the verb after
        "as" (the speaker is the relay verb's object)."""
        outer = verb.head.head
        if outer.lemma_.lower() in self.lex.relay_verbs:
            obj = next((c for c in outer.children if c.dep_ in ("dobj", "nsubjpass")), None)
            return obj, outer.i
        flat = self.flat_quoted_as(verb.head, content)
        return flat if flat is not None else (src_tok, None)

    def flat_quoted_as(self, as_tok: Token, content: tuple[int, int]) -> tuple[Token, int] | None:
        """ "TeleValle, the local broadcaster, quoted officials at the prefecture as saying …"
        when the parser lost the frame (the relay verb taken for a modifier): read it from
        the words — the relay verb before "as" in the sentence, the speaker the phrase between
        them, the relay the words that open the sentence, up to their comma. Adds the relay's
        attribution; returns the speaker's head and the relay's token."""
        doc = self.doc
        sent = as_tok.sent
        verb = next(
            (t for t in doc[sent.start : as_tok.i] if t.lemma_.lower() in self.lex.relay_verbs
             and t.tag_ in ("VBD", "VBZ", "VBP", "VBN")),
            None,
        )  # fmt: skip
        if verb is None or as_tok.i - verb.i < 2:
            return None
        speaker = doc[verb.i + 1 : as_tok.i].root
        start = sent.start
        while start < verb.i and (doc[start].is_space or doc[start].pos_ == "DET"):
            start += 1
        end = next((t.i for t in doc[start : verb.i] if t.text in (",", "(")), verb.i)
        if end <= start or not any(t.pos_ == "PROPN" for t in doc[start:end]):
            return None
        span = doc[start:end]
        cue = _char(doc, verb.i, verb.i + 1)
        outer = _Candidate(
            "indirect", cue, content, (span.start_char, span.end_char), span, 0.8, verb.i
        )
        self.add(outer)
        return speaker, verb.i

    def relative_relays(self) -> None:
        """A source whose relative clause names where its words came from relays that one:
        "According to Fiskeribladet Nord, which cited ministry officials, …", "The Harbour
        Ledger, which spoke to two councillors, reported …". The one named speaks the same
        content, relayed by the source."""
        for cand in list(self.found):
            if cand.source_span is None:
                continue
            root = cand.source_span.root
            for clause in root.children:
                if (
                    clause.dep_ != "relcl"
                    or clause.lemma_.lower() not in self.lex.relay_clause_verbs
                ):
                    continue
                named = _relayed_noun(clause)
                if named is None:
                    continue
                source, span = self.source_of(named)
                if source is None:
                    continue
                cue = _char(self.doc, clause.i, clause.i + 1)
                inner = _Candidate("according_to", cue, cand.content, source, span, 0.8, clause.i)
                inner.extra["relay_token"] = cand.cue_token
                self.add(inner)

    def quoted_by_relays(self) -> None:
        """ "Two park rangers quoted by Radio Tambopata said …": the one they were quoted by
        relays what they said."""
        for cand in list(self.found):
            if cand.source_span is None or "relay_token" in cand.extra:
                continue
            for part in cand.source_span.root.children:
                if part.dep_ != "acl" or part.tag_ != "VBN":
                    continue
                if part.lemma_.lower() not in (*self.lex.relay_verbs, "interview"):
                    continue
                agent = next(
                    (g for a in part.children if a.dep_ == "agent"
                     for g in a.children if g.dep_ == "pobj"),
                    None,
                )  # fmt: skip
                if agent is None:
                    continue
                source, span = self.source_of(agent)
                cue = _char(self.doc, part.i, part.i + 1)
                self.add(_Candidate("indirect", cue, cand.content, source, span, 0.8, part.i))
                cand.extra["relay_token"] = part.i

    def interview_relays(self) -> None:
        """ "X said in an interview with Y": Y relays what X said."""
        for cand in list(self.found):
            verb = self.doc[cand.cue_token] if 0 <= cand.cue_token < len(self.doc) else None
            if verb is None or "relay_token" in cand.extra:
                continue
            for prep in verb.children:
                if prep.dep_ != "prep" or prep.lower_ not in ("in", "during"):
                    continue
                for noun in prep.children:
                    if noun.dep_ != "pobj" or noun.lemma_.lower() not in self.lex.interview_nouns:
                        continue
                    host = _prep_object(noun, ("with", "on", "to"))
                    if host is None or not self.outlet(host):
                        continue
                    source, span = self.source_of(host)
                    cue = _char(self.doc, noun.i, noun.i + 1)
                    outer = _Candidate("indirect", cue, cand.content, source, span, 0.8, noun.i)
                    self.add(outer)
                    cand.extra["relay_token"] = noun.i

    def relay(self, verb: Token) -> Token | None:
        """Outer relay of "X quoted Y as saying Z" (source X, content Z); returns the inner verb."""
        if verb.lemma_.lower() not in self.lex.relay_verbs:
            return None
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ == "as":
                for inner in prep.children:
                    if inner.dep_ == "pcomp" and inner.lemma_.lower() in self.lex.speech_verbs:
                        content, _ = self.verb_content(inner, inner.lemma_.lower())
                        speaker = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
                        if speaker is None:
                            if content is None:
                                return None
                            source, span = self.source_of(_source_token(verb))
                            cue = _char(self.doc, verb.i, inner.i + 1)
                            self.add(
                                _Candidate("indirect", cue, content, source, span, 0.85, verb.i)
                            )
                            return inner
                        return self.passive_relay(verb, inner, speaker, content)
        return None

    def cut_second_cue(self, root: Token, end: int) -> int:
        """ "said [X] and called him …", "said [that X] and insisted …": a coordinated cue verb
        without a subject of its own is the speaker's next act, not part of the content."""
        doc = self.doc
        for child in root.children:
            if (
                child.dep_ == "conj"
                and child.i > root.i
                and child.lemma_.lower() in self.lex.speech_verbs
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
            ):
                end = min(end, child.left_edge.i)
                while end > root.i + 1 and (
                    doc[end - 1].dep_ in ("cc", "punct", "neg", "aux") or doc[end - 1].is_space
                ):
                    end -= 1
        return end

    def passive_relay(
        self, verb: Token, inner: Token, speaker: Token, content: tuple[int, int] | None
    ) -> Token | None:
        """ "Kim was quoted (by KCNA) as saying …": Kim speaks, the agent (if any) relays."""
        if content is None:  # "“…,” Kim was quoted as saying": the quote hangs on "quoted"
            content, _ = self.verb_content(verb, verb.lemma_.lower())
            if content is None:
                return None
            source, span = self.source_of(speaker)
            aux = [c.i for c in verb.children if c.dep_ == "auxpass" and c.i < verb.i]
            cue = _char(self.doc, min(aux, default=verb.i), inner.i + 1)
            cand = _Candidate("indirect", cue, content, source, span, 0.8, inner.i)
            cand.extra["relay_token"] = verb.i
            self.add(cand)
        relay_tok = _by_agent(verb) or _by_agent(inner)
        if relay_tok is not None:
            source, span = self.source_of(relay_tok)
            cue = _char(self.doc, verb.i, verb.i + 1)
            self.add(_Candidate("indirect", cue, content, source, span, 0.85, verb.i))
        return inner

    def verb_content(self, verb: Token, lemma: str) -> tuple[tuple[int, int] | None, float]:
        """The content of the cue ``verb`` (character range) and its confidence, the first
        reading that finds one: a clause, a clause on a report noun, an xcomp, an interrupted
        sentence, an adjacent quote, a colon, the object, a prepositional object."""
        readings = (
            lambda: self.parenthetical_content(verb),
            lambda: self.clausal_content(verb, lemma),
            lambda: self.trailing_frame_content(verb),
            lambda: self.report_noun_content(verb),
            lambda: self.xcomp_content(verb, lemma),
            lambda: self.interrupted_content(verb),
            lambda: self.quote_content(verb),
            lambda: self.colon_content(verb),
            lambda: self.object_content(verb, lemma),
            lambda: self.prep_content(verb, lemma),
            lambda: self.rest_of_sentence(verb),
        )
        for read in readings:
            found = read()
            if found is not None:
                return found
        return None, 0.0

    def clausal_content(self, verb: Token, lemma: str) -> _Content | None:
        """A clausal complement: "said (that) …", "…, sources said"."""
        doc = self.doc
        weak = lemma in self.lex.weak_verbs
        for child in verb.children:
            if child.dep_ not in CLAUSAL:
                continue
            if child.dep_ == "parataxis" and child.i > verb.i:
                continue
            if child.dep_ == "ccomp" and self.closing_frame(child):
                continue  # "…, the department said on Monday" reports this verb's sentence
            if child.i < verb.i and child is _reduced_relative(verb):
                continue  # "A committee set up on Tuesday said …": the source, no content
            if (
                weak
                and lemma not in ("see", "find", "show", "know", "feel", "understand", "learn")
                and child.dep_ == "ccomp"
                and not self.has_that(child)
                and not self.quote_at(child.idx)
                and not self.report_subject(verb)
            ):
                continue
            start, end = _subtree_bounds(child)
            if child.i > verb.i:
                end = _run_of_clauses(verb, child, end)
                end = self.cut_second_cue(child, end)
            if child.i < verb.i:
                if lemma not in self.lex.addressee_verbs and any(
                    c.dep_ == "dobj" for c in verb.children
                ):
                    continue  # "…, as dry winds pushed it across the valley": not a frame
                # content before the cue: "…, sources said" — stop before the source
                end = min(end, verb.i)
                src = _source_token(verb)
                if src is not None and src.i < verb.i:
                    end = min(end, min(t.i for t in src.subtree))
                    end = _through_misattached(verb, src, end)
                quoted = self.quote_at(doc[start].idx) is not None
                if not quoted and any(
                    doc[i].is_space and "\n" in doc[i].text for i in range(end, verb.i)
                ):
                    continue  # a heading above the cue's paragraph is no content
                # and stays in the cue's paragraph (a heading above is no content)
                for i in range(end - 1, start - 1, -1):
                    if doc[i].is_space and "\n" in doc[i].text:
                        start = i + 1
                        break
                if child.i < start and not any(t.pos_ in ("VERB", "AUX") for t in doc[start:end]):
                    continue  # the clause's verb is in the heading: what is left is no clause
            start, end = _trim(doc, start, end)
            if end - start < 2:
                continue
            return _char(doc, start, end), 0.85
        cited = _citing_participle(verb, self.lex.relay_verbs)
        if cited is not None:  # "reported, quoting a supervisor, that …": the clause is its
            return self.clausal_content(cited, cited.lemma_.lower())
        return None

    def report_noun_content(self, verb: Token) -> _Content | None:
        """ "said in a statement that …", "told a briefing that …": the parser hangs the
        clause on the noun."""
        doc = self.doc
        for child in verb.children:
            if child.i < verb.i:
                continue
            if child.dep_ == "prep" and child.lower_ in ("in", "on", "via"):
                nouns = [g for g in child.children if g.dep_ == "pobj"]
            elif child.dep_ == "dobj":
                nouns = [child]
            else:
                continue
            for noun in nouns:
                if noun.lower_ not in self.lex.report_nouns:
                    continue
                clause = next((c for c in noun.children if _that_clause(c)), None)
                if clause is not None:
                    start, end = _trim(doc, *_subtree_bounds(clause))
                    if end - start >= 2:
                        return _char(doc, start, end), 0.85
        return None

    def xcomp_content(self, verb: Token, lemma: str) -> _Content | None:
        """ "promised to …", for the verbs whose xcomp is what they report."""
        if lemma not in self.lex.xcomp_content_verbs:
            return None
        doc = self.doc
        for child in verb.children:
            if child.dep_ == "xcomp" and child.i > verb.i and child.pos_ in ("VERB", "AUX"):
                start, end = _trim(doc, *_cut_matrix_tail(child))
                if end - start >= 2:
                    return _char(doc, start, end), 0.6
        return None

    def trailing_frame_content(self, verb: Token) -> _Content | None:
        """The sentence before a cue clause that closes it, parsed upside down: "One group
        entered the building, where they left a grenade, a security guard told Reuters."
        with "told" taken for an adverbial clause of "entered" — or for its second conjunct,
        with no "and" between ("The project is C$412 million over budget, the auditor
        general, Desmond Okoro, said on Tuesday")."""
        if verb.dep_ not in ("advcl", "conj", "ccomp") or verb.head.i >= verb.i:
            return None
        if verb.head.pos_ not in ("VERB", "AUX"):
            return None
        if verb.dep_ == "ccomp" and not self.closing_frame(verb):
            return None  # "Hospitals admitted 412 patients, the department said": upside down
        if verb.dep_ == "conj" and any(
            c.dep_ in ("cc", "preconj") and verb.head.i < c.i < verb.i for c in verb.head.children
        ):
            return None  # "… and said": a second act of the same subject
        if any(c.dep_ in ("mark", "ccomp", "xcomp") or c.tag_ == "WRB" for c in verb.children):
            return None  # "… after the guard said …", "…, saying that …"
        subject = _source_token(verb)
        if subject is None or subject.i > verb.i:
            return None
        first = min(t.i for t in subject.subtree)
        doc = self.doc
        if first == 0 or doc[first - 1].text != ",":
            return None
        if any(not (t.is_punct or t.is_space) for t in doc[verb.right_edge.i + 1 : verb.sent.end]):
            return None  # the cue clause must close its sentence
        start, end = _trim(doc, verb.sent.start, first - 1)
        if end - start < 3 or not start <= verb.head.i < end:
            return None
        return _char(doc, start, end), 0.7

    def closing_frame(self, clause: Token) -> bool:
        """A complement after its verb that is a cue clause closing the sentence, set off by a
        comma ("Hospitals admitted 412 patients …, the regional health department said on
        Monday"): the parser's upside-down reading of a trailing frame, which reports the
        sentence before it and is no content of the verb it hangs on."""
        if clause.lemma_.lower() not in self.lex.speech_verbs or clause.i <= clause.head.i:
            return False
        if any(c.dep_ in ("mark", "ccomp", "xcomp", "dobj") for c in clause.children):
            return False
        subject = _source_token(clause)
        if subject is None or subject.i > clause.i or subject.pos_ == "PRON":
            return False
        first = min(t.i for t in subject.subtree)
        doc = self.doc
        if first == 0 or doc[first - 1].text != ",":
            return False
        rest = doc[clause.right_edge.i + 1 : clause.sent.end]
        return all(t.is_punct or t.is_space for t in rest)

    def rest_of_sentence(self, verb: Token) -> _Content | None:
        """The clause after a cue whose parse lost it (see :func:`_name_before`): the rest of
        the sentence, when it holds a verb of its own."""
        if _name_before(verb) is None:
            return None
        doc = self.doc
        start, end = _trim(doc, verb.i + 1, verb.sent.end)
        if end - start < 3 or not any(t.pos_ in ("VERB", "AUX") for t in doc[start:end]):
            return None
        return _char(doc, start, end), 0.5

    def parenthetical_content(self, verb: Token) -> _Content | None:
        """ "The drugs have few uses, he says, and are meant for short-term use", "It is on
        his watch, Scheer said, that …": a cue and its source set off by commas inside the
        sentence they report; the content is the sentence around them (in two parts)."""
        src = _source_token(verb)
        if src is None:
            return None
        doc = self.doc
        frame = {verb.i, *(t.i for t in src.subtree)}
        frame.update(
            c.i for c in verb.children if c.dep_ in ("aux", "advmod") and abs(c.i - verb.i) <= 2
        )
        for c in verb.children:  # "…, the ministry said on Monday, and …": when it said it
            when = list(c.subtree)
            if (
                c.dep_ in ("prep", "npadvmod")
                and c.i > verb.i
                and len(when) <= 4
                and any(t.ent_type_ in ("DATE", "TIME") for t in when)
            ):
                frame.update(t.i for t in when)
        first, last = min(frame), max(frame)
        if last - first + 1 != len(frame) or last - first > 12:
            return None  # the frame is not one run of words
        sent = verb.sent
        if first - 1 <= sent.start or last + 1 >= sent.end - 1:
            return None
        if doc[first - 1].text != "," or doc[last + 1].text != ",":
            return None
        before = [t for t in doc[sent.start : first - 1] if not (t.is_punct or t.is_space)]
        after = [t for t in doc[last + 2 : sent.end] if not (t.is_punct or t.is_space)]
        if len(before) < 2 or len(after) < 2 or any(t.is_quote for t in doc[sent.start : sent.end]):
            return None
        if after[0].tag_ in ("VBG", "VBN") or after[0].lemma_.lower() in self.lex.speech_verbs:
            return None  # "…, Lohmar said, adding that …": the cue's own clause goes on
        start, end = _trim(doc, sent.start, sent.end)
        return _char(doc, start, end), 0.7

    def interrupted_content(self, verb: Token) -> _Content | None:
        """ "The economy, Obama said, is improving": the cue interrupts its content."""
        if (
            verb.dep_ == "parataxis"
            and verb.head.pos_ in ("VERB", "AUX")
            and sum(1 for _ in verb.subtree) <= 8
        ):
            start, end = _trim(self.doc, *_subtree_bounds(verb.head))
            if end - start >= 4:
                return _char(self.doc, start, end), 0.7
        return None

    def quote_content(self, verb: Token) -> _Content | None:
        """ "Kim said: “…”", "“…,” he said" with the quote unattached."""
        quote = (
            self.adjacent_quote(verb)
            if _source_token(verb) is not None or verb.dep_ == "pcomp"
            else None
        )
        if quote is not None:
            return quote, 0.75
        return None

    def colon_content(self, verb: Token) -> _Content | None:
        """ "Trump tweeted: Crooked Hillary …": the rest of the sentence after a colon."""
        doc = self.doc
        after = verb.i + 1
        while (
            after < len(doc)
            and doc[after].dep_ in ("prt", "advmod", "npadvmod")
            and after < verb.i + 3
        ):
            after += 1
        if after + 2 < len(doc) and doc[after].text == ":" and _source_token(verb) is not None:
            end = verb.sent.end
            start, end = _trim(doc, after + 1, end)
            while end > start and doc[end - 1].is_punct and doc[end - 1].text in ".":
                end -= 1
            if end - start >= 3:
                return _char(doc, start, end), 0.6
        return None

    def object_content(self, verb: Token, lemma: str) -> _Content | None:
        """ "Trump criticized the deal", "called the show “a disgrace”": the object is the
        content."""
        if _source_token(verb) is None or verb.dep_ == "xcomp":
            return None
        doc = self.doc
        lex = self.lex
        for child in verb.children:
            if child.dep_ != "dobj" or child.i < verb.i or child.pos_ == "PRON":
                continue
            start, end = _subtree_bounds(child)
            if _bare_quantity(doc[start:end]):
                continue  # "the index added 0.4 per cent": a number alone is nothing said
            if lemma in lex.count_acts and any(c.dep_ == "nummod" for c in child.children):
                continue  # "hospitals admitted 412 patients", "rejected 2,100 applications"
            for extra in verb.children:  # "called X Y", "see X as Y": the predicate too
                if extra.i > child.i and (
                    extra.dep_ in ("oprd", "xcomp", "ccomp")
                    or (extra.dep_ == "prep" and extra.lower_ in ("as", "for", "over"))
                    or (
                        extra.dep_ == "prep"
                        and extra.lower_ == "at"
                        and lemma in lex.measure_at_verbs
                    )
                ):
                    end = max(end, _subtree_bounds(extra)[1])
            start, end = _trim(doc, start, end)
            if lemma not in lex.np_content_verbs and end - start < 3:
                continue
            if end - start >= (1 if child.pos_ == "PROPN" else 2):
                return _char(doc, start, end), 0.45 if lemma in lex.np_content_verbs else 0.4
        return None

    def prep_content(self, verb: Token, lemma: str) -> _Content | None:
        """ "spoke of …", "called for …", "warned against …"."""
        preps = self.lex.prep_content.get(lemma)
        if not preps or _source_token(verb) is None or verb.dep_ == "xcomp":
            return None
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in preps and child.i > verb.i:
                pobj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None:
                    start, end = _trim(self.doc, *_subtree_bounds(pobj))
                    if end - start >= 1:
                        return _char(self.doc, start, end), 0.45
        return None

    def report_subject(self, verb: Token) -> bool:
        """ "A CNN poll showed …": weak verbs count when a report, poll or study is the subject."""
        subject = _source_token(verb)
        return subject is not None and subject.lemma_.lower() in self.lex.report_nouns

    @staticmethod
    def has_that(clause: Token) -> bool:
        return any(
            c.dep_ == "mark" and c.lower_ in ("that", "if", "whether") for c in clause.children
        )

    def adjacent_quote(self, verb: Token) -> tuple[int, int] | None:
        if verb.dep_ in ("xcomp", "advcl", "relcl", "acl", "pcomp"):
            return None
        verb_end = verb.idx + len(verb.text)
        for q in self.quotes:
            if q.start <= verb.idx < q.end:
                return None
            if q.end <= verb.idx:
                # quote ends shortly before the cue clause ("…,” Kim added.)
                gap = self.doc.char_span(q.end, verb.idx, alignment_mode="expand")
                if (
                    gap is not None
                    and len(gap) <= 8
                    and not any(t.text in ".?!" or t.is_quote or "\n" in t.text for t in gap)
                    and not _new_sentence_after(self.text, q.end, gap)
                ):
                    return q.start, q.end
            elif q.start >= verb_end:
                # quote starts right after the cue ("said: “…”", "added, ''…''")
                between = self.text[verb_end : q.start]
                if len(between) <= 12 and not any(ch.isalnum() or ch == "\n" for ch in between):
                    return q.start, q.end
                break
        return None

    # ---------------------------------------------------------------- rule 2: according to
    def according_to(self) -> None:
        doc = self.doc
        for tok in doc:
            low = tok.lower_
            pobj: Token | None = None
            cue_start = tok.i
            if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                pobj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
                cue_end = tok.i + 2
            elif low == "as" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "per":
                pobj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
                cue_end = tok.i + 2
            elif low in ("citing", "quoting") and tok.dep_ in ("advcl", "xcomp", "prep", "acl"):
                pobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
                cue_end = tok.i + 1
            elif low in ("citing", "quoting") and tok.dep_ == "compound" and tok.is_sent_start:
                # "Citing Reuters, local station WKRB reported …", parsed as one subject
                self.fronted_citing(tok)
                continue
            else:
                continue
            if pobj is None:
                continue
            source, span = self.source_of(pobj)
            speaker = next(
                (c for c in pobj.children if c.dep_ == "appos" and _speaks_after(c)), None
            )
            if speaker is not None and span is not None:
                # "According to the Chronicle, a board member said": the member is the
                # subject of the cue, not an apposition of the Chronicle
                span = doc[span.start : speaker.left_edge.i - 1]
                source = (span.start_char, span.end_char) if len(span) else None
            cue = _char(doc, cue_start, cue_end)
            reporter = self.citing_reporter(tok) if low in ("citing", "quoting") else None
            if reporter is not None:
                # "Yonhap, citing the NIS, reported that …": Yonhap relays the NIS's claim
                cand = _Candidate("according_to", cue, reporter.content, source, span, 0.85, tok.i)
                cand.extra["relay_token"] = reporter.cue_token
                self.add(cand)
                continue
            phrase = _subtree_bounds(tok)
            if low == "as":
                phrase = (tok.i, max(phrase[1], _subtree_bounds(doc[tok.i + 1])[1]))
            if speaker is not None:
                phrase = (phrase[0], speaker.left_edge.i)  # the speaker's clause is the content
            content = self.clause_without(tok, phrase)
            if content is None:
                continue
            self.add(_Candidate("according_to", cue, content, source, span, 0.9, tok.i))

    def fronted_citing(self, tok: Token) -> None:
        """ "Citing Reuters, local station WKRB reported that …" when the parser made "Citing
        Reuters" the subject and the reporter its apposition: the reporter's attribution takes
        the apposition as its source, and relays the cited one's."""
        cited = tok.head
        reporter_tok = next((c for c in cited.children if c.dep_ == "appos"), None)
        verb = cited.head
        reporter = next((c for c in self.found if c.cue_token == verb.i), None)
        if reporter_tok is None or reporter is None or cited.dep_ not in ("nsubj", "nsubjpass"):
            return
        reporter.source, reporter.source_span = self.source_of(reporter_tok)
        first = cited.i
        while first - 1 > tok.i and self.doc[first - 1].dep_ == "compound":
            first -= 1
        span = self.doc[first : cited.i + 1]
        cue = _char(self.doc, tok.i, tok.i + 1)
        cand = _Candidate(
            "according_to",
            cue,
            reporter.content,
            (span.start_char, span.end_char),
            span,
            0.8,
            tok.i,
        )
        cand.extra["relay_token"] = reporter.cue_token
        self.add(cand)

    def citing_reporter(self, tok: Token) -> _Candidate | None:
        """The attribution of the reporting verb a "citing X" phrase modifies, if found."""
        verb = tok.head
        while verb.dep_ == "punct" and verb.head is not verb:
            verb = verb.head  # "The Post, quoting X, reported": hung on the comma
        if tok.dep_ in ("advcl", "acl", "prep") and verb.dep_ in ("nsubj", "nsubjpass"):
            verb = verb.head  # "Yonhap, citing X, reported": attached to the subject
        found = next((c for c in self.found if c.cue_token == verb.i), None)
        if found is None:  # "X, citing Y, reported" with "reported" hung on Y
            cited = next((c for c in tok.children if c.dep_ == "dobj"), None)
            for child in cited.children if cited is not None else ():
                if _cited_reporter(child) is not None:
                    return next((c for c in self.found if c.cue_token == child.i), None)
        return found

    def clause_without(self, tok: Token, phrase: tuple[int, int]) -> tuple[int, int] | None:
        """The sentence material around a phrase: the phrase's head clause, minus the phrase."""
        doc = self.doc
        head = tok.head
        while (
            head.dep_ not in ("ROOT", "ccomp", "conj", "advcl", "relcl") and head.head is not head
        ):
            head = head.head
        if head.pos_ not in ("VERB", "AUX"):
            head = tok.sent.root
        start, end = _subtree_bounds(head)
        # the phrase's own paragraph: a heading the parser joined to it is no part of it
        for i in range(phrase[0] - 1, start - 1, -1):
            if doc[i].is_space and "\n" in doc[i].text:
                start = i + 1
                break
        for i in range(phrase[1], end):
            if doc[i].is_space and "\n" in doc[i].text:
                end = i
                break
        if phrase[0] <= start:
            start = phrase[1]
        elif phrase[1] >= end:
            end = phrase[0]
        elif (
            doc[phrase[0] - 1].text == ","
            and phrase[1] < len(doc)
            and doc[phrase[1]].text == ","
            and phrase[0] - 1 - start >= 2
        ):
            pass  # "The real cost, according to doctors, is …": both sides, in two parts
        else:
            # the phrase sits in the middle: keep the longer side
            if phrase[0] - start >= end - phrase[1]:
                end = phrase[0]
            else:
                start = phrase[1]
        start, end = _trim(doc, start, end)
        if end - start < 3:
            return None
        return _char(doc, start, end)

    # ------------------------------------------------------- rule 3: statements and cue nouns
    def statements(self) -> None:
        doc = self.doc
        lex = self.lex
        for noun in doc:
            if noun.pos_ not in ("NOUN", "PROPN"):
                continue
            low = noun.lower_
            if (
                noun.dep_ == "pobj"
                and noun.head.lower_ in ("in", "through", "via")
                and low in lex.report_nouns
            ):
                src = self.statement_author(noun)
                if src is None:
                    continue
                prep = noun.head
                content = self.clause_without(prep, _subtree_bounds(prep))
                if content is None:
                    continue
                source, span = self.source_of(src)
                cue = _char(doc, prep.i, noun.i + 1)
                self.add(_Candidate("statement", cue, content, source, span, 0.8, noun.i))
            elif (
                low in lex.cue_nouns or low in lex.stance_nouns
            ) and noun.i not in self.cue_tokens:
                clause = next(
                    (c for c in noun.children if c.dep_ in ("acl", "ccomp") and self.has_that(c)),
                    None,
                )
                if clause is None:
                    self.stance_noun(noun)
                    continue
                start, end = _trim(doc, *_subtree_bounds(clause))
                if end - start < 3:
                    continue
                src = next((c for c in noun.children if c.dep_ == "poss"), None)
                source, span = self.source_of(src)
                cue = _char(doc, noun.i, noun.i + 1)
                self.add(
                    _Candidate("statement", cue, _char(doc, start, end), source, span, 0.55, noun.i)
                )

    def stance_noun(self, noun: Token) -> None:
        """ "Trump's attacks on [the press]", "her criticism of [the deal]": a possessive source."""
        preps = self.lex.stance_nouns.get(noun.lower_)
        src = next((c for c in noun.children if c.dep_ == "poss"), None)
        if not preps or src is None:
            return
        doc = self.doc
        for child in noun.children:
            if child.dep_ == "prep" and child.i > noun.i and child.lower_ in preps:
                pobj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
                if pobj is None:
                    return
                start, end = _trim(doc, *_subtree_bounds(pobj))
                if end - start < 1:
                    return
                source, span = self.source_of(src)
                cue = _char(doc, noun.i, child.i + 1)
                self.add(
                    _Candidate("indirect", cue, _char(doc, start, end), source, span, 0.35, noun.i)
                )
                return

    @staticmethod
    def statement_author(noun: Token) -> Token | None:
        for child in noun.children:
            if child.dep_ == "poss":
                return child
            if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from", "of"):
                return next((g for g in child.children if g.dep_ == "pobj"), None)
            if child.dep_ == "acl":  # "a statement released by X"
                for grand in child.children:
                    if grand.dep_ == "agent" or (grand.dep_ == "prep" and grand.lower_ == "by"):
                        return next((g for g in grand.children if g.dep_ == "pobj"), None)
        return None

    # ---------------------------------------------------------------- rule 4: leftover quotes
    def leftover_quotes(self) -> None:
        doc = self.doc
        for q in self.quotes:
            # a cue inside the quote ("You know what you're doing") is the quoted speaker's
            # words, not the quote's attribution
            covered = [
                c.content for c in self.found if not (q.start <= c.cue[0] and c.cue[1] <= q.end)
            ]
            if any(s <= q.start < e or s < q.end <= e for s, e in covered):
                continue
            words = self.text[q.start : q.end].split()
            if len(words) < 4:
                continue
            # "“…” - Commissioner X"
            tail = self.text[q.end : q.end + 60]
            stripped = tail.lstrip(" ,")
            if stripped[:1] in "-—–―":
                after = q.end + (len(tail) - len(stripped))
                span = doc.char_span(after, after + 1, alignment_mode="expand")
                if span is not None and span.end < len(doc):
                    # skip titles: "- Commissioner John Smith"
                    k = span.end
                    titles = self.lex.source_titles
                    while k < min(len(doc) - 1, span.end + 3) and doc[k].lower_ in titles:
                        k += 1
                    name = doc[k]
                    ent = next((e for e in doc.ents if e.start <= name.i < e.end), None)
                    if ent is not None and ent.label_ in ("PERSON", "ORG"):
                        src = ent
                        self.add(
                            _Candidate(
                                "direct",
                                (span.start_char, span.end_char),
                                (q.start, q.end),
                                (src.start_char, src.end_char),
                                src,
                                0.7,
                                span.start,
                            )
                        )
                        continue
            if self.colon_quote(q.start, q.end):
                continue
            # a floating quote: the speaker of the nearest attribution around it
            near = self.nearest(q.start, q.end, outside=(q.start, q.end))
            if near is None:
                continue
            cand = _Candidate(
                "direct",
                near.cue,
                (q.start, q.end),
                near.source,
                near.source_span,
                0.4,
                near.cue_token,
            )
            cand.extra["floating"] = True
            self.add(cand)

    def colon_quote(self, start: int, end: int) -> bool:
        """ "Martell is more blunt: “…”", "She was adamant: “…”": a quotation after a colon
        that ends a clause whose subject is a person (or a pronoun, or an organisation) is
        that subject's; the clause's predicate is the cue. Whether one was added."""
        doc = self.doc
        before = self.text[:start].rstrip()
        if not before.endswith(":") or "\n" in self.text[len(before) : start]:
            return False
        colon = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
        if colon is None or not len(colon) or colon.start == 0:
            return False
        last = doc[colon.start - 1]
        root: Token | None = None
        subject: Token | None = None
        for head in (last, *last.ancestors):  # the clause the colon closes
            if head.i >= colon.start or head.pos_ not in ("VERB", "AUX"):
                continue
            subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None:
                root = head
                break
        if root is None or subject is None or subject.i > root.i:
            return False
        cluster = self.names.by_token.get(subject.i)
        personal = subject.lower_ in self.lex.person_pronouns and subject.lower_ not in (
            "i",
            "we",
            "you",
        )
        named = cluster.type in ("person", "organization") if cluster else subject.pos_ == "PROPN"
        if not personal and not named:
            return False
        first = min([root.i, *(c.i for c in root.children if c.dep_ in ("aux", "neg"))])
        if first <= max(t.i for t in subject.subtree):
            first = root.i
        source, span = self.source_of(subject)
        cue = _char(doc, first, last.i + 1)
        self.add(_Candidate("direct", cue, (start, end), source, span, 0.6, root.i))
        return True

    def nearest(
        self, start: int, end: int, outside: tuple[int, int] | None = None
    ) -> _Candidate | None:
        """The closest attribution with a source; with ``outside``, its cue not within it."""
        best: tuple[int, _Candidate] | None = None
        for cand in self.found:
            if cand.source is None or cand.extra.get("floating"):
                continue
            if outside is not None and outside[0] <= cand.cue[0] and cand.cue[1] <= outside[1]:
                continue
            if cand.content[1] <= start:
                distance = start - cand.content[1]
            elif cand.content[0] >= end:
                distance = cand.content[0] - end + 200  # prefer the speaker introduced before
            else:
                continue
            if distance > 800:
                continue
            if best is None or distance < best[0]:
                best = (distance, cand)
        return best[1] if best else None

    # ---------------------------------------------------------------- rule 4b: counts
    def measures(self) -> None:
        """A source's count is its statement of a figure: "Seatrace counted 14 vessels",
        "a satellite analysis put the burned area at 19,500 hectares", "analysts estimated
        9,500" (``measure_verbs`` with an object holding a number; ``measure_at_verbs``
        with an object and "at" a number). Verbs already read as cues are left to them."""
        lex = self.lex
        for verb in self.doc:
            lemma = verb.lemma_.lower()
            counts, at = lemma in lex.measure_verbs, lemma in lex.measure_at_verbs
            if verb.pos_ != "VERB" or not (counts or at) or verb.i in self.cue_tokens:
                continue
            if verb.dep_ == "amod" or verb.tag_ == "VBN" or _negated(verb):
                continue  # "the estimated total", "the vessels counted", "did not count"
            src_tok = _source_token(verb)
            if src_tok is None or src_tok.pos_ == "PRON" or src_tok.like_num:
                continue  # "it put …", "they counted …": no named source; "14 counted"
            obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
            if obj is None or obj.pos_ == "PRON":
                continue
            start, end = _subtree_bounds(obj)
            at_phrase = next(  # "put attendance at the festival at about 38,000": the number's
                (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "at"
                 and c.i > obj.i and any(t.like_num for t in c.subtree)),
                None,
            )  # fmt: skip
            if at_phrase is None and at:
                # "put the number of people who landed … at 2,150": the parser hangs the
                # "at" on the object's own clause; the last one with a number is the verb's
                at_phrase = next(
                    (c for c in reversed(list(obj.subtree)) if c.dep_ == "prep"
                     and c.lower_ == "at" and any(t.like_num for t in c.subtree)),
                    None,
                )  # fmt: skip
            if at_phrase is not None:
                end = max(end, _subtree_bounds(at_phrase)[1])
            elif not counts or not any(t.like_num for t in self.doc[start:end]):
                continue
            start, end = _trim(self.doc, start, end)
            if end <= start:
                continue
            source, span = self.source_of(src_tok)
            cue = _char(self.doc, verb.i, verb.i + 1)
            self.add(
                _Candidate("indirect", cue, _char(self.doc, start, end), source, span, 0.5, verb.i)
            )

    # ---------------------------------------------------------------- rule 5: "Name: text" lines
    def colon_lines(self) -> None:
        """Headline style "Pence: Trump Was ‘Mocking’ Clinton Camp" — a name opening its line."""
        doc = self.doc
        text = self.text
        for colon in doc:
            if colon.text != ":" or colon.i == 0:
                continue
            line_start = text.rfind("\n", 0, colon.idx) + 1
            head = doc.char_span(line_start, colon.idx, alignment_mode="contract")
            if head is None or not 1 <= len(head) <= 6:
                continue
            if not any(t.pos_ == "PROPN" for t in head) or any(
                t.is_punct and t.text not in ".-'’" for t in head
            ):
                continue
            if head.text.casefold() in self.lex.colon_labels:
                continue  # "UPDATE:", "WATCH:", "Editor's note:"
            if _section_label(head) and self.names.lookup(head.text) is None:
                continue  # "ENERGY:", "DAY IN ASIA:" open the parts of a market report
            line_end = text.find("\n", colon.idx)
            line_end = len(text) if line_end < 0 else line_end
            body = text[colon.idx + 1 : line_end]
            if len(body.split()) < 3:
                continue
            start = colon.idx + 1 + (len(body) - len(body.lstrip()))
            end = colon.idx + 1 + len(body.rstrip())
            self.add(
                _Candidate(
                    "direct",
                    (colon.idx, colon.idx + 1),
                    (start, end),
                    (head.start_char, head.end_char),
                    head,
                    0.6,
                    colon.i,
                )
            )

    def headline_says(self) -> None:
        """Title-case headlines the parser misreads: "Obama Says Trump Is Unfit To Serve"."""
        doc = self.doc
        text = self.text
        for tok in doc:
            if tok.lower_ not in self.lex.headline_cues or tok.i == 0 or tok.i in self.cue_tokens:
                continue
            line_start = text.rfind("\n", 0, tok.idx) + 1
            line_end = text.find("\n", tok.idx)
            line_end = len(text) if line_end < 0 else line_end
            line = text[line_start:line_end]
            words = line.split()
            if len(words) > 20 or sum(w[:1].isupper() for w in words) < 0.6 * len(words):
                continue  # not a title-case line
            source = text[line_start : tok.idx].strip()
            body = text[tok.idx + len(tok.text) : line_end]
            if not source or len(source.split()) > 6 or len(body.split()) < 2:
                continue
            start = tok.idx + len(tok.text) + (len(body) - len(body.lstrip()))
            end = tok.idx + len(tok.text) + len(body.rstrip())
            src_start = line_start + (
                len(text[line_start : tok.idx]) - len(text[line_start : tok.idx].lstrip())
            )
            src_span = doc.char_span(src_start, src_start + len(source), alignment_mode="expand")
            self.add(
                _Candidate(
                    "indirect",
                    (tok.idx, tok.idx + len(tok.text)),
                    (start, end),
                    (src_start, src_start + len(source)),
                    src_span,
                    0.5,
                    tok.i,
                )
            )

    def signed_paragraphs(self) -> None:
        """Paragraphs signed at their end, with no cue: an embedded post ("… pic.twitter.com/x
        — BC Hydro (@bchydro) December 22, 2018") and a pull quote ("It's very bad for our
        seniors. Rod Peters, Lake Cowichan mayor"). The words before the signature are the
        signer's; the dash, or the signature itself, is the cue."""
        text = self.text
        start = 0
        while start < len(text):
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            line = text[start:end]
            if len(line.split()) >= 6:
                post = _signed_post(line)
                found = post or self.pull_quote(start, line)
                if found is not None:
                    self.add_signed(start, *found, signed=post is not None)
            start = end + 1

    def pull_quote(self, at: int, line: str) -> tuple[int, int, int, int, int, int] | None:
        """(body start, body end, cue start, cue end, signer start, signer end) in ``line``
        (at ``at``) of a pull quote: a paragraph whose last sentence is only a name, with
        perhaps a title after a comma, and no verb."""
        stop = max(line.rstrip().rfind(mark) for mark in (". ", "? ", "! ", ".” ", '." '))
        if stop < 0:
            return None
        stop += 1 + (line[stop + 1] in '”"')
        sign_start = stop + len(line[stop:]) - len(line[stop:].lstrip())
        sign_end = len(line.rstrip())
        span = self.doc.char_span(at + sign_start, at + sign_end, alignment_mode="contract")
        if span is None or not 1 <= len(span) <= 9 or span[0].pos_ != "PROPN":
            return None
        if any(t.pos_ in ("VERB", "AUX") or t.like_num or t.text in '“”"/' for t in span):
            return None
        name_end = next((t.i for t in span if t.text == ","), span.end)
        last = span.doc[name_end - 1]  # "… District Attorney Caroline Wojtaszek": the name ends it
        cluster = self.names.by_token.get(last.i)
        if cluster is None or cluster.type not in ("person", "organization"):
            return None
        if len(cluster.mentions) < 2:
            return None  # a pull quote repeats someone the story quotes; a lone name is a byline
        if name_end < span.end and not any(t.pos_ == "NOUN" for t in span[name_end - span.start :]):
            return None  # "Rod Peters, Lake Cowichan mayor": what follows the name is a title
        name_stop = last.idx + len(last.text) - at
        return 0, stop, sign_start, sign_end, sign_start, name_stop

    def add_signed(
        self,
        at: int,
        body_start: int,
        body_end: int,
        cue_start: int,
        cue_end: int,
        s: int,
        e: int,
        signed: bool = False,
    ) -> None:
        """Add the candidate of a signed paragraph (offsets in the line at ``at``), unless
        another reads its words already: any other for a pull quote, one that covers most
        of them for a ``signed`` post (whose words may report others: they nest in it)."""
        text = self.text
        body = text[at + body_start : at + body_end]
        body_start += len(body) - len(body.lstrip())
        body_end = body_start + len(body.strip())
        content = (at + body_start, at + body_end)
        size = content[1] - content[0]
        if size < 20:
            return
        for c in self.found:
            shared = min(c.content[1], content[1]) - max(c.content[0], content[0])
            if shared > (0.8 * size if signed else 0):
                return
        source = (at + s, at + e)
        span = self.doc.char_span(*source, alignment_mode="expand")
        cue = self.doc.char_span(at + cue_start, at + cue_end, alignment_mode="expand")
        if span is None or cue is None or not len(cue):
            return
        self.add(
            _Candidate(
                "direct", (cue.start_char, cue.end_char), content, source, span, 0.6, cue.start
            )
        )

    # ---------------------------------------------------------------- finishing
    def join_split_quotes(self) -> None:
        """“…,” he said. “…” — the second quote belongs to the same attribution."""
        for cand in self.found:
            s, e = cand.content
            if e > cand.cue[0] or self.quote_at(s) is None:
                continue
            after = [q for q in self.quotes if q.start > cand.cue[1]]
            if not after:
                continue
            nxt = after[0]
            gap = self.text[cand.cue[1] : nxt.start]
            if "\n" in gap or len(gap) > 150:
                continue
            # taken by another attribution whose cue is outside it (cues inside it are its own)
            if any(
                c.content[0] <= nxt.start < c.content[1] and not nxt.start <= c.cue[0] < nxt.end
                for c in self.found
            ):
                continue
            cand.content = (s, nxt.end)

    def join_adjacent_quotes(self) -> None:
        """“A,” “B.” — a quotation right after the content's closing quote continues it."""
        text = self.text
        for cand in self.found:
            e = cand.content[1]
            if not any(q.end == e for q in self.quotes):
                continue
            nxt = next((q for q in self.quotes if q.start >= e), None)
            if nxt is None or text[e : nxt.start].strip() or "\n" in text[e : nxt.start]:
                continue
            taken = [
                c
                for c in self.found
                if c.content[0] <= nxt.start < c.content[1]
                and not nxt.start <= c.cue[0] < nxt.end
                and c.cue_token != cand.cue_token
            ]
            if not taken:
                cand.content = (cand.content[0], nxt.end)

    def join_colon_quotes(self) -> None:
        """“… for the job: "Steadiness …"” — a quotation after a colon continues the content."""
        text = self.text
        for cand in self.found:
            e = cand.content[1]
            rest = text[e : e + 4]
            if not rest.lstrip().startswith(":"):
                continue
            for q in self.quotes:
                if q.start >= e and not text[e : q.start].strip(" :"):
                    cand.content = (cand.content[0], q.end)
                    break
            else:
                # "… a new reality: that Mr. Trump is the face of the party." — to the sentence end
                colon = self.doc.char_span(e, e + 4, alignment_mode="expand")
                if colon is None:
                    continue
                sent_end = colon.sent.end_char
                tail = text[e:sent_end].rstrip()
                if tail.endswith("."):
                    tail = tail[:-1]
                if len(tail.split()) >= 3:
                    cand.content = (cand.content[0], e + len(tail))

    def clip_to_paragraph(self) -> None:
        """Contents stay in the cue's paragraph, widened by the quotations that cross it."""
        text = self.text
        for cand in self.found:
            if cand.extra.get("floating") or cand.cue_token >= len(self.doc):
                continue
            lo = text.rfind("\n", 0, cand.cue[0]) + 1
            hi = text.find("\n", cand.cue[1])
            hi = len(text) if hi < 0 else hi
            for q in self.quotes:
                if (
                    q.start < hi
                    and q.end > lo
                    and q.start < cand.content[1]
                    and q.end > cand.content[0]
                ):
                    lo, hi = min(lo, q.start), max(hi, q.end)
            s, e = max(cand.content[0], lo), min(cand.content[1], hi)
            if e - s < 2:
                continue
            while s < e and text[s].isspace():
                s += 1
            while e > s and (text[e - 1].isspace() or (e == hi and text[e - 1] in ".,;" and e > s)):
                e -= 1
            cand.content = (s, e)

    def widen_to_quotes(self) -> None:
        for cand in self.found:
            s, e = cand.content
            for q in self.quotes:
                if q.start <= cand.cue[0] < q.end:
                    continue  # the cue is inside this quote: not its content
                if s < q.end and q.start < e:  # overlaps
                    if q.start < s and q.end > s:
                        s = q.start
                    if q.end > e:
                        e = q.end
            cand.content = (s, e)

    def set_kinds(self) -> None:
        """direct: the content is quotation (around its own cue and source); mixed: partly."""
        for cand in self.found:
            if cand.kind not in ("indirect", "direct"):
                continue
            s, e = cand.content
            inside = [q for q in self.quotes if q.start >= s and q.end <= e]
            if not inside:
                cand.kind = "indirect"
                continue
            own = [cand.cue] + ([cand.source] if cand.source else [])
            outside = [
                i
                for i in range(s, e)
                if self.text[i].isalnum()
                and not any(q.start <= i < q.end for q in inside)
                and not any(a <= i < b for a, b in own)
            ]
            cand.kind = "direct" if len(outside) <= 3 else "mixed"

    def content_parts(self, cand: _Candidate) -> list[tuple[int, int]]:
        """The content's pieces when its own cue and source interrupt it: the quotes either
        side of "“X,” said Caddell, speaking of …. “Y.”", or the clause either side of "But
        to prevent problems, he said(, on Monday), local officials …". [] for one piece."""
        s, e = cand.content
        frame = [cand.cue, *([cand.source] if cand.source else [])]
        fs, fe = min(a for a, _ in frame), max(b for _, b in frame)
        if not (s < fs and fe < e):
            return []
        text = self.text
        left = [q.end for q in self.quotes if s <= q.start and q.end <= fs]
        right = [q.start for q in self.quotes if fe <= q.start and q.end <= e]
        if left and right:
            a_end, b_start = max(left), min(right)
        else:
            a_end, b_start = fs, fe
            comma = text.find(",", fe, min(e, fe + FRAME_TAIL_CHARS))
            if comma > 0 and not any(c in QUOTE_CHARS for c in text[fe:comma]):
                b_start = comma  # "he said on Monday, …": the frame runs to its comma
        while a_end > s and (text[a_end - 1].isspace() or text[a_end - 1] in EDGE_PUNCT):
            a_end -= 1
        while b_start < e and (text[b_start].isspace() or text[b_start] in EDGE_PUNCT | {")"}):
            b_start += 1
        if a_end <= s or b_start >= e:
            return []
        return [(s, a_end), (b_start, e)]

    def dedupe(self) -> list[_Candidate]:
        kept: list[_Candidate] = []
        for cand in sorted(self.found, key=lambda c: -c.confidence):
            clash = False
            for other in kept:
                same_cue = (
                    cand.cue == other.cue
                    and not cand.extra.get("floating")
                    and not other.extra.get("floating")
                    and not (cand.extra.get("told") or other.extra.get("told"))
                )
                same_content = cand.content == other.content and cand.source == other.source
                if same_cue or same_content:
                    clash = True
                    break
            if not clash:
                kept.append(cand)
        kept.sort(key=lambda c: (c.cue[0], c.content[0]))
        return kept


def _misparsed_cue(verb: Token) -> bool:
    """A cue the parser hung on its own subject as a participle, though it reports a clause:
    "An environmental group … estimated on Tuesday that 15,000 cubic metres spilled, … and
    said …" (a participle, "a statement released by", reports nothing)."""
    return (
        verb.dep_ == "acl"
        and verb.lemma_.lower() in attribution_lexicon().speech_verbs
        and any(
            c.dep_ == "ccomp" and any(g.dep_ in ("mark", "nsubj", "nsubjpass") for g in c.children)
            for c in verb.children
        )
    )


def _after(doc: Doc, span: Span, i: int) -> tuple[tuple[int, int] | None, Span | None]:
    """The part of ``span`` after token ``i``, as a source (None when nothing is left)."""
    rest = doc[i + 1 : span.end]
    return ((rest.start_char, rest.end_char), rest) if len(rest) else (None, None)


def _citing_participle(verb: Token, relay_verbs: frozenset[str]) -> Token | None:
    """ "reported, quoting a shift supervisor, that …": the participle that names the source
    and took the reported clause in the parse."""
    for child in verb.children:
        if (
            child.i > verb.i
            and child.dep_ in ("advcl", "xcomp")
            and child.tag_ == "VBG"
            and child.lemma_.lower() in relay_verbs
            and any(c.dep_ == "dobj" for c in child.children)
        ):
            return child
    return None


def _names_a_source(verb: Token) -> bool:
    """A "cite"/"quote" whose object is who is cited ("citing a supervisor", "which cited
    ministry officials"), no content of its own: a participle or relative clause with an
    object and no "as saying"."""
    if verb.dep_ not in ("advcl", "xcomp", "relcl", "acl"):
        return False
    if verb.dep_ in ("advcl", "xcomp", "acl") and verb.tag_ != "VBG":
        return False
    if any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children):
        return False
    return any(c.dep_ == "dobj" for c in verb.children)


def _relayed_noun(clause: Token) -> Token | None:
    """Who a relative clause on a source says it had its words from: the object of "which
    cited", "which quoted", "which interviewed", or of "to"/"with" after "which spoke"."""
    for child in clause.children:
        if child.dep_ == "dobj":
            return child
    return _prep_object(clause, ("to", "with"))


def _prep_object(token: Token, preps: tuple[str, ...]) -> Token | None:
    """The object of the first of ``token``'s prepositions that is one of ``preps``."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _is_relay(cand: _Candidate, doc: Doc) -> bool:
    """An attribution that passes on someone else's words: "according to", a statement, or a
    relay verb ("quoted Kim as saying", "reported")."""
    if cand.kind in ("according_to", "statement"):
        return True
    lemma = doc[cand.cue_token].lemma_.lower() if 0 <= cand.cue_token < len(doc) else ""
    # "quote" and "cite" are relay verbs; "X reported …" passes its sources on too
    return lemma == "report" or lemma in attribution_lexicon().relay_verbs


def _nest(cands: list[_Candidate], names: list[str], doc: Doc) -> None:
    """Set parent links: explicit relays, cue-inside-content, then continuations."""
    by_token = {c.cue_token: i for i, c in enumerate(cands)}
    for i, cand in enumerate(cands):
        relay = cand.extra.get("relay_token")
        if relay is not None and relay in by_token:
            cand.parent = by_token[relay]
            continue
        best: int | None = None
        for j, other in enumerate(cands):
            if j == i or other.extra.get("floating"):
                continue
            s, e = other.content
            if s <= cand.cue[0] and cand.cue[1] <= e and not (other.content == cand.content):
                if best is None or (e - s) < (cands[best].content[1] - cands[best].content[0]):
                    best = j
        cand.parent = best
    # continuations: "He also vowed …" after a relayed statement by the same speaker
    starts = [sent.start_char for sent in doc.sents]

    def sent_index(char: int) -> int:
        return max(bisect_right(starts, char) - 1, 0)

    for i, cand in enumerate(cands):
        if cand.parent is not None or i == 0:
            continue
        prev = cands[i - 1]
        if prev.parent is None or names[i] != names[i - 1] or not names[i]:
            continue
        if sent_index(cand.cue[0]) - sent_index(prev.cue[0]) > 2:
            continue
        if cands[prev.parent] is cand or names[prev.parent] == names[i]:
            continue  # a speaker does not relay themself: "I think …," said Kunin
        if not _is_relay(cands[prev.parent], doc):
            continue  # only a relay ("As per KCNA", "quoted … as saying") carries on
        cand.parent = prev.parent
        cand.confidence = round(cand.confidence * 0.9, 2)
    # break any accidental cycle
    for cand in cands:
        seen: set[int] = set()
        node = cand
        while node.parent is not None:
            if node.parent in seen:
                node.parent = None
                break
            seen.add(node.parent)
            node = cands[node.parent]


def _section_label(head: Span) -> bool:
    """An upper-case line label: "ENERGY", "DAY IN ASIA", "ANALYST'S TAKE" open the parts of
    a market report (the caller keeps one that names someone of the article: "TRUMP:")."""
    letters = [ch for ch in head.text if ch.isalpha()]
    if not letters or not all(ch.isupper() for ch in letters) or len(letters) < 3:
        return False
    return not any(t.ent_type_ == "PERSON" for t in head)


_QUANTITY_LABELS = frozenset({"PERCENT", "MONEY", "QUANTITY", "CARDINAL"})


def _new_sentence_after(text: str, quote_end: int, gap: Span) -> bool:
    """Whether a quotation closed by a full stop ("… anything.”") is followed by a new
    sentence ("In Espinos, he found …"), whose verb does not cue it; "“… built.” he said"
    (lower case) still does."""
    inner = text[max(0, quote_end - 3) : quote_end].rstrip("\"'”’ ")
    words = [t for t in gap if not (t.is_punct or t.is_space)]
    return inner.endswith(".") and bool(words) and words[0].text[:1].isupper()


def _bare_quantity(span: Span) -> bool:
    """Whether ``span`` is an amount and nothing else ("0.4 per cent", "$3 million")."""
    words = [t for t in span if not (t.is_punct or t.is_space or t.lower_ in ("a", "an", "the"))]
    return bool(words) and all(
        t.like_num or t.ent_type_ in _QUANTITY_LABELS or t.lower_ in ("per", "cent", "%")
        for t in words
    )


def _resolve(
    cands: list[_Candidate], names: Names, whole: Doc | None = None, offset: int = 0
) -> list[tuple[str, str | None, str]]:
    """(canonical name, entity id, type) of each candidate's source. A source in a window's
    Doc is looked up as the same tokens of the ``whole`` Doc, ``offset`` tokens further on."""
    resolved: list[tuple[str, str | None, str]] = []
    spans: list[Span | None] = []
    for cand in cands:
        span = cand.source_span
        if span is None:
            resolved.append(("", None, "unnamed"))
            spans.append(None)
            continue
        if whole is not None and span.doc is not whole:
            span = whole[span.start + offset : span.end + offset]
        name, cluster, kind = names.resolve(span)
        resolved.append((name, cluster.id if cluster else None, kind))
        spans.append(span)
    _pronoun_sources(spans, resolved)
    return resolved


#: relative pronouns: a source of their own (``Names.resolve`` gives the noun their clause is
#: about: "Redline Forensics, which said …"), never the running source of a report
_RELATIVE = frozenset({"which", "who", "that"})
#: pronouns that carry on the running source of a report ("The agency said … It said …")
_RUNNING = frozenset({"it", "they"})


def _pronoun_sources(spans: list[Span | None], resolved: list[tuple[str, str | None, str]]) -> None:
    """Sources that are a lone "it" or "they" left unresolved take the source of the report
    before it, in its sentence or the one before ("The state environment agency said … It
    said 160 firefighters …"; "it" never for a person). A relative pronoun ("which said")
    is resolved by ``Names.resolve`` already."""
    for i, span in enumerate(spans):
        if span is None or len(span) != 1 or resolved[i][1] is not None:
            continue
        word = span[0].lower_
        if word in _RUNNING:
            sent = span[0].sent
            earliest = span.doc[sent.start - 1].sent.start if sent.start > 0 else 0
            for j in range(i - 1, -1, -1):
                prev = spans[j]
                if prev is None or prev.start >= span.start:
                    continue
                if prev.start < earliest:
                    break
                if len(prev) == 1 and prev[0].lower_ in _RUNNING | _RELATIVE:
                    continue
                if word == "it" and resolved[j][2] == "person":
                    break
                resolved[i] = resolved[j]
                break


def _content_match(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Overlap of two contents when it is at least half of each, else 0."""
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    return overlap if overlap > 0 and 2 * overlap >= max(a[1] - a[0], b[1] - b[0]) else 0


def _cue_token(doc: Doc, cue: tuple[int, int]) -> int:
    span = doc.char_span(*cue, alignment_mode="expand")
    return span.root.i if span is not None and len(span) else 0


def _with_tagger(ex: _Extractor, cands: list[_Candidate], tagger: Tagger) -> None:
    """Let the trained tagger set the boundaries of the attributions it agrees with and add
    those it finds alone (unless ``tagger.nests_rules`` is false and one holds a rules' cue in
    its content); ``ex.found`` becomes the merged list (parents to be set again)."""
    doc = ex.doc
    rules = rule_elements((c.content, c.cue, c.source) for c in cands if c.parent is None)
    tagged = tag_attributions(doc, rules, tagger)
    if tagger.alone:
        cands.clear()
    claimed: set[int] = set()
    for outer_first in (True, False):
        for cand in cands:
            if (cand.parent is None) != outer_first:
                continue
            scores = [
                (_content_match(cand.content, t.hull), n)
                for n, t in enumerate(tagged)
                if n not in claimed
            ]
            overlap, n = max(scores, default=(0, -1))
            if not overlap:
                continue
            claimed.add(n)
            t = tagged[n]
            if "content" in tagger.sets:
                cand.content = t.hull
                cand.parts = list(t.content) if len(t.content) > 1 else []
            if "cue" in tagger.sets and t.cue is not None:
                if not (t.cue[0] <= doc[cand.cue_token].idx < t.cue[1]):
                    cand.cue_token = _cue_token(doc, t.cue)  # the tagger's cue is another word
                cand.cue = t.cue
            if "source" in tagger.sets and t.source is not None:
                cand.source = t.source
                cand.source_span = doc.char_span(*t.source, alignment_mode="expand")
    ruled = [c.cue for c in cands if c.parent is None]
    for n, t in enumerate(tagged):
        sure = t.confidence >= tagger.add_confidence or tagger.alone
        if n in claimed or t.cue is None or not (tagger.adds or tagger.alone) or not sure:
            continue
        if not tagger.nests_rules and any(t.hull[0] <= a and b <= t.hull[1] for a, b in ruled):
            continue  # it would take a rules' attribution under it: the rules' reading stays
        span = doc.char_span(*t.source, alignment_mode="expand") if t.source else None
        cands.append(
            _Candidate(
                "indirect",
                t.cue,
                t.hull,
                t.source if span is not None else None,
                span,
                TAGGED_CONFIDENCE,
                _cue_token(doc, t.cue),
                extra={"tagged": True},
                parts=list(t.content) if len(t.content) > 1 else [],
            )
        )
    for cand in cands:
        cand.parent = None
    ex.found = cands
    ex.set_kinds()


def attribution_windows(
    doc: Doc, quotes: QuoteScan, text: str | None = None
) -> list[tuple[int, int]]:
    """The ``[start, end)`` token ranges the rules read ``doc`` in, in order: the whole Doc
    unless it is longer than WINDOW_CHARS or holds more than WINDOW_QUOTES double quotations;
    then windows of whole sentences within SPLIT_CHARS and SPLIT_QUOTES, a sentence beyond
    either cut between tokens."""
    starts = [q.start for q in quotes.quotes if q.double]
    size = len(text) if text is not None else len(doc.text)
    if size <= WINDOW_CHARS and len(starts) <= WINDOW_QUOTES:
        return [(0, len(doc))]

    def fits(first: int, last: int) -> bool:  # tokens [first, last] in one window
        lo, hi = doc[first].idx, doc[last].idx + len(doc[last].text)
        quoted = bisect_left(starts, hi) - bisect_left(starts, lo)
        return hi - lo <= SPLIT_CHARS and quoted <= SPLIT_QUOTES

    windows: list[tuple[int, int]] = []
    begin = 0
    for sent in doc.sents if doc.has_annotation("SENT_START") else [doc[:]]:
        if begin < sent.start and not fits(begin, sent.end - 1):
            windows.append((begin, sent.start))
            begin = sent.start
        if fits(begin, sent.end - 1):
            continue
        for i in range(sent.start, sent.end):  # one sentence beyond the bounds: cut it
            if i > begin and not fits(begin, i):
                windows.append((begin, i))
                begin = i
    if begin < len(doc):
        windows.append((begin, len(doc)))
    return windows


def _window_scan(quotes: QuoteScan, start: int, end: int) -> QuoteScan:
    """The double quotations that open in characters ``[start, end)``, cut at ``end``, in the
    window's own offsets."""
    inside = [
        Quote(q.start - start, min(q.end, end) - start, q.closed and q.end <= end, q.double)
        for q in quotes.quotes
        if q.double and start <= q.start < end
    ]
    return QuoteScan(inside, [])


def extract_attributions(
    doc: Doc,
    quotes: QuoteScan,
    names: Names,
    tagger: Tagger | None = None,
    text: str | None = None,
) -> list[Attribution]:
    """All attributions in ``doc``, nested, with canonical source names and chains.

    With a trained ``tagger`` (:mod:`newsledger.extract.attribution_model`), the rules'
    attributions take the tagger's boundaries where both find the same content, and the
    attributions only the tagger finds are added. A very long text is read in windows
    (:func:`attribution_windows`), each on its own, so time stays linear in the text.
    ``text``: ``doc.text``, when the caller has it (spaCy builds it anew at each access)."""
    text = text if text is not None else doc.text
    windows = attribution_windows(doc, quotes, text)
    if len(windows) == 1:
        return _records(doc, _window_attributions(doc, quotes, names, tagger, text=text), text)
    found: list[tuple[_Candidate, tuple[str, str | None, str]]] = []
    for first, last in windows:
        part = doc[first:last]
        shift = part.start_char
        window = part.as_doc()
        scan = _window_scan(quotes, shift, shift + len(window.text))
        base = len(found)
        for cand, resolved in _window_attributions(
            window, scan, names, tagger, whole=doc, offset=first
        ):
            cand.cue = (cand.cue[0] + shift, cand.cue[1] + shift)
            cand.content = (cand.content[0] + shift, cand.content[1] + shift)
            if cand.source is not None:
                cand.source = (cand.source[0] + shift, cand.source[1] + shift)
            cand.parts = [(a + shift, b + shift) for a, b in cand.parts]
            if cand.parent is not None:
                cand.parent += base
            found.append((cand, resolved))
    return _records(doc, found, text)


def _window_attributions(
    doc: Doc,
    quotes: QuoteScan,
    names: Names,
    tagger: Tagger | None,
    whole: Doc | None = None,
    offset: int = 0,
    text: str | None = None,
) -> list[tuple[_Candidate, tuple[str, str | None, str]]]:
    """The candidates of one window ``doc`` (the whole Doc, or a window ``offset`` tokens into
    ``whole``), nested, with their sources resolved, in the window's own offsets."""
    ex = _Extractor(doc, quotes, names, first=offset == 0, text=text)
    ex.verbs()
    ex.measures()
    ex.according_to()
    ex.relative_relays()
    ex.quoted_by_relays()
    ex.interview_relays()
    ex.statements()
    ex.colon_lines()
    ex.headline_says()
    ex.signed_paragraphs()
    ex.widen_to_quotes()
    ex.join_split_quotes()
    ex.join_adjacent_quotes()
    ex.join_colon_quotes()
    ex.leftover_quotes()
    ex.clip_to_paragraph()
    ex.set_kinds()
    cands = ex.dedupe()
    resolved = _resolve(cands, names, whole, offset)
    _nest(cands, [r[0] for r in resolved], doc)
    if tagger is not None:
        _with_tagger(ex, cands, tagger)
        cands.sort(key=lambda c: (c.cue[0], c.content[0]))
        resolved = _resolve(cands, names, whole, offset)
        _nest(cands, [r[0] for r in resolved], doc)
    for cand in cands:
        if not cand.parts:
            cand.parts = ex.content_parts(cand)
    return list(zip(cands, resolved, strict=True))


def _records(
    doc: Doc, found: list[tuple[_Candidate, tuple[str, str | None, str]]], text: str
) -> list[Attribution]:
    """The attribution records of the candidates, ids in order, with their chains."""
    out: list[Attribution] = []
    for i, (cand, (name, entity, stype)) in enumerate(found):
        source = None
        if cand.source is not None:
            s, e = cand.source
            source = Source(text[s:e], s, e, name=name or text[s:e], entity=entity, type=stype)
        out.append(
            Attribution(
                id=f"a{i + 1}",
                kind=cand.kind,  # type: ignore[arg-type]
                cue=TextSpan.of(text, *cand.cue),
                content=TextSpan.of(text, *cand.content),
                source=source,
                parent=f"a{cand.parent + 1}" if cand.parent is not None else None,
                confidence=round(min(max(cand.confidence, 0.05), 0.99), 2),
                content_parts=[TextSpan.of(text, a, b) for a, b in cand.parts],
            )
        )
    set_chains(out)
    return out
