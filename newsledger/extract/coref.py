"""Personal pronouns resolved to the people they stand for.

A salience model in the manner of Lappin and Leass (1994): each mention of a person adds to
that person's salience a weight for what it is in its sentence — any mention, a subject, the
subject of a speech verb (the running speaker of a news report), an object — and the weight
shrinks (``decay`` in ``coref.json``) with every sentence between the mention and the
pronoun. A pronoun goes to the most salient person that agrees with it:

- only people (``he``/``she``/``him``/``his``/``her`` never go to an organisation or place; a
  "person" every mention of which is a one-word place name, such as "Surrey", counts little);
- gender, where the first name tells it (:func:`~newsledger.resources.first_names`, from the
  US Social Security Administration's name counts) or an honorific does ("Mr.", "Ms.");
  a person of the other gender is no candidate, one of unknown gender counts half;
- a resolved pronoun becomes a mention of its person, so "He said … He added …" keeps the
  speaker of a run of quotes.

Mentions inside a quotation count little for a pronoun outside it: the people a speaker
names are seldom the next speaker. Each resolution keeps the offsets of the mention that
made its antecedent most salient (:class:`Antecedent`), so a reader can see why.

Public entry point: :func:`resolve_pronouns`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, LOWER, SENT_START
from spacy.tokens import Doc, Token

from newsledger.extract.gazetteer import name_key
from newsledger.extract.names import (
    Cluster,
    Names,
    clean_phrase,
    described_as_person,
    reported_self,
)
from newsledger.extract.quotes import QuoteScan
from newsledger.nlp import dateline_end
from newsledger.resources import attribution_lexicon, coref_settings, first_names

__all__ = [
    "Antecedent",
    "cluster_gender",
    "resolve_plurals",
    "resolve_pronouns",
    "resolve_things",
    "told_genders",
]


@dataclass(frozen=True, slots=True)
class Antecedent:
    """What a pronoun stands for: a person, and the mention that made it the choice."""

    cluster: Cluster
    start: int  # character offsets of that mention
    end: int


@dataclass(frozen=True, slots=True)
class _Mention:
    token: int  # first token
    sentence: int
    cluster: Cluster
    weight: float
    start: int  # character offsets
    end: int
    quoted: bool


def cluster_gender(
    cluster: Cluster,
    doc: Doc,
    spans: dict[int, tuple[int, int]],
    told: dict[int, set[str]] | None = None,
) -> str | None:
    """``male``, ``female`` or None: from honorifics before its mentions; else from what the
    text says of the person itself (``told``: :func:`told_genders`); else from the first
    names of its name and aliases (a name both ways, or an unknown one, tells nothing); else
    from a name that is a first name alone ("Catherine", "Colton")."""
    settings = coref_settings()
    votes: set[str] = set()
    for start, _end in cluster.mentions:
        token = _token_at(doc, start)
        if token is None:
            continue
        before = doc[token.i - 1] if token.i > 0 else None
        if before is not None and before.i not in spans:
            title = before.lower_.rstrip(".")
            if title in settings.honorifics:
                votes.add(settings.honorifics[title])
    if len(votes) == 1:
        return votes.pop()
    if votes:
        return None
    said = told.get(id(cluster), set()) if told is not None else set()
    if len(said) == 1:
        return next(iter(said))
    names = first_names()
    alone: set[str] = set()
    for form in (cluster.name, *cluster.aliases):
        # words as written: a hyphenated surname ("Wilson-Raybould") is one word, no first name
        words = form.split()
        gender = names.get(name_key(words[0])) if words else None
        if gender is None:
            continue
        # one word may be a surname ("Lewis"): it counts only when no full name tells
        (votes if len(words) >= 2 else alone).add(gender)
    if votes:
        return votes.pop() if len(votes) == 1 else None
    return alone.pop() if len(alone) == 1 and not said else None


def told_genders(doc: Doc, names: Names) -> dict[int, set[str]]:
    """What the text itself says of each person's gender (by ``id`` of the cluster): the
    pronoun a person uses for themself in reported speech ("Cerato said she …") and a
    reflexive of their own verb ("Bardos immersed himself")."""
    reflexive = {"himself": "male", "herself": "female"}
    found: dict[int, set[str]] = {}
    for index, cluster in names.person_mentions:
        token = doc[names.spans.get(index, (index, index + 1))[1] - 1]
        if token.dep_ not in ("nsubj", "nsubjpass"):
            continue
        verb = token.head
        genders = reported_self(verb, token.i)
        genders.update(reflexive[c.lower_] for c in verb.children if c.lower_ in reflexive)
        if genders:
            found.setdefault(id(cluster), set()).update(genders)
    return found


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _doubtful(cluster: Cluster, names: Names, text: str) -> bool:
    """A "person" that is probably none: a name with a digit ("Bill C-74"), or one every
    mention of which is one word the gazetteer knows as a place ("Surrey") and none of which
    the text describes as a person ("Roman, a resident of the area, said"). ``text``: the
    document's text (``Doc.text`` is built anew at each call)."""
    if any(ch.isdigit() for ch in cluster.name):
        return True
    if names.gaz is None or not cluster.mentions:
        return False
    for start, end in cluster.mentions:
        word = text[start:end]
        if " " in word or names.gaz.lookup(word) is None:
            return False
        token = _token_at(names.doc, start) if names.doc is not None else None
        if token is not None and described_as_person(token):
            return False
    return True


def _weight(doc: Doc, first: int, last: int, speech: frozenset[str]) -> float:
    """What a mention (tokens ``first``..``last``) adds to its person's salience."""
    s = coref_settings()
    root = doc[first : last + 1].root
    weight = s.mention
    dep = root.dep_
    if dep in ("nsubj", "nsubjpass"):
        weight += s.subject
        head = root.head
        after = head.right_edge.i + 1
        if head.lemma_.lower() in speech or (
            # "Martell is more blunt: “…”": the subject of a clause that opens a quotation
            after + 1 < len(doc) and doc[after].text == ":" and doc[after + 1].is_quote
        ):
            weight += s.speaker
    elif dep in ("dobj", "pobj", "dative", "iobj"):
        weight += s.object
    elif dep == "appos" or root.head.dep_ in ("nsubj", "nsubjpass"):
        weight += s.subject / 2
    return weight


def _fronted_subject(
    token: Token, names: Names, types: tuple[str, ...] = ("person",)
) -> tuple[int, Cluster] | None:
    """The person (or entity of ``types``) a pronoun in a fronted clause looks ahead to:
    "Asked what *he* would do, Dennis Brooks said …", "In *its* statement, al-Shabaab said"
    — the subject of the main verb, named after the pronoun."""
    root = token.sent.root
    node = token
    while node.head.i not in (node.i, root.i):  # compare indices: spaCy makes new Tokens
        node = node.head
    if node.i == token.i or node.head.i != root.i or node.dep_ not in ("advcl", "prep"):
        return None
    if node.i > root.i:
        return None
    for child in root.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.i > token.i:
            cluster = names.by_token.get(child.i)
            if cluster is not None and cluster.type in types:
                return child.i, cluster
    return None


def _sentence_starts(doc: Doc) -> list[int]:
    """The index of each sentence's first token, read from the Doc's array."""
    if not len(doc):
        return [0]
    flags = doc.to_array(SENT_START)
    starts = [int(i) for i in numpy.flatnonzero(flags == 1)]
    return starts if starts and starts[0] == 0 else [0, *starts]


def _where(doc: Doc, attr: int, values: Iterable[str]) -> list[int]:
    """The indices of the tokens whose ``attr`` (``LOWER``, ``DEP``) is one of ``values``, in
    order, read from the Doc's array: no Token object is made for the others."""
    if not len(doc):
        return []
    wanted = [doc.vocab.strings.as_int(v) for v in values]  # hashed, not added to the vocab
    column = doc.to_array(attr)
    return [int(i) for i in numpy.flatnonzero(numpy.isin(column, wanted))]


class _Spans:
    """Sorted, non-overlapping character spans, and whether a character lies in one."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def __contains__(self, char: int) -> bool:
        k = bisect.bisect_right(self.starts, char) - 1
        return k >= 0 and self.spans[k][0] <= char < self.spans[k][1]


class _Resolver:
    """The running salience of the people of one document, pronoun by pronoun."""

    def __init__(
        self, doc: Doc, text: str, names: Names, quotes: _Spans, furniture: _Spans
    ) -> None:
        self.doc = doc
        self.text = text
        self.names = names
        self.settings = coref_settings()
        self.speech = attribution_lexicon().speech_verbs
        self.starts = _sentence_starts(doc)
        self.quotes = quotes
        self.genders: dict[int, str | None] = {}
        self.told = told_genders(doc, names)
        self.doubtful: dict[int, bool] = {}
        self.mentions: list[_Mention] = []
        for index, cluster in names.person_mentions:
            first, last = names.spans.get(index, (index, index + 1))
            span = doc[first:last]
            if span.start_char in furniture:
                continue
            self.mentions.append(
                _Mention(
                    token=index,
                    sentence=self.sentence_of(index),
                    cluster=cluster,
                    weight=_weight(doc, first, last - 1, self.speech),
                    start=span.start_char,
                    end=span.end_char,
                    quoted=span.start_char in quotes,
                )
            )
        self.mentions.sort(key=lambda m: m.token)
        self.tokens = [m.token for m in self.mentions]
        self.added: list[_Mention] = []  # resolved pronouns, in text order
        self.added_tokens: list[int] = []

    def sentence_of(self, i: int) -> int:
        return bisect.bisect_right(self.starts, i) - 1

    def agrees(self, cluster: Cluster, gender: str) -> float:
        """0 when ``cluster`` cannot be ``gender``; else how much its salience counts."""
        key = id(cluster)
        if key not in self.genders:
            self.genders[key] = cluster_gender(cluster, self.doc, self.names.spans, self.told)
            self.doubtful[key] = _doubtful(cluster, self.names, self.text)
        known = self.genders[key]
        if gender == "any":  # a description ("the affable proprietor") tells no gender
            return self.settings.doubtful_person_factor if self.doubtful[key] else 1.0
        if known is not None and known != gender:
            return 0.0
        factor = 1.0 if known is not None else self.settings.unknown_gender_factor
        return factor * (self.settings.doubtful_person_factor if self.doubtful[key] else 1.0)

    def candidates(self, token: Token) -> dict[int, tuple[float, _Mention]]:
        """Per person: the summed salience at ``token``, and its most salient mention."""
        here = self.sentence_of(token.i)
        in_quote = token.idx in self.quotes
        earliest = self.starts[max(0, here - self.settings.max_sentences)]
        lo = bisect.bisect_left(self.tokens, earliest)
        hi = bisect.bisect_left(self.tokens, token.i)
        lo_added = bisect.bisect_left(self.added_tokens, earliest)
        scores: dict[int, tuple[float, _Mention]] = {}
        top: dict[int, float] = {}
        for m in (*self.mentions[lo:hi], *self.added[lo_added:]):
            value = m.weight * (self.settings.decay ** (here - m.sentence))
            if m.quoted and not in_quote:
                value *= self.settings.quoted_factor
            key = id(m.cluster)
            total, best = scores.get(key, (0.0, m))
            if value >= top.get(key, 0.0):
                best, top[key] = m, value
            scores[key] = (total + value, best)
        return scores

    def reported_people(self, token: Token) -> set[int]:
        """The people named only in what a pronoun's own speech verb reports before it:
        "Macharia hid under a desk, he said" — the speaker is not Macharia (who would say "I
        hid"). Empty unless the pronoun is the subject of a speech verb that follows what it
        reports (a clause before it, or the clause it interrupts)."""
        verb = token.head
        if token.dep_ != "nsubj" or verb.lemma_.lower() not in self.speech:
            return set()
        reported: set[int] = set()
        if verb.dep_ == "parataxis":
            own = {t.i for t in verb.subtree}
            reported = {t.i for t in verb.head.subtree if t.i not in own}
        for child in verb.children:
            if child.dep_ == "ccomp" and child.i < token.i:
                reported.update(t.i for t in child.subtree)
        if not reported:
            return set()
        sentence = self.sentence_of(token.i)
        named: set[int] = set()
        outside: set[int] = set()
        for m in self.mentions:
            if m.sentence == sentence and m.token < token.i:
                (named if m.token in reported else outside).add(id(m.cluster))
        return named - outside

    def resolve(self, token: Token, gender: str) -> Antecedent | None:
        ahead = _fronted_subject(token, self.names)
        if ahead is not None and self.agrees(ahead[1], gender):
            first, last = self.names.spans.get(ahead[0], (ahead[0], ahead[0] + 1))
            span = self.doc[first:last]
            return Antecedent(ahead[1], span.start_char, span.end_char)
        chosen: _Mention | None = None
        top = 0.0
        reported = self.reported_people(token)
        for score, mention in self.candidates(token).values():
            if id(mention.cluster) in reported:
                continue
            value = score * self.agrees(mention.cluster, gender)
            if value > top:
                chosen, top = mention, value
        if chosen is None:
            return None
        # the pronoun is now a mention of its person, with its own weight (pronouns come in
        # text order, so they are appended to a list of their own)
        self.added_tokens.append(token.i)
        self.added.append(
            _Mention(
                token=token.i,
                sentence=self.sentence_of(token.i),
                cluster=chosen.cluster,
                weight=_weight(self.doc, token.i, token.i, self.speech),
                start=chosen.start,
                end=chosen.end,
                quoted=token.idx in self.quotes,
            ),
        )
        return Antecedent(chosen.cluster, chosen.start, chosen.end)


def resolve_pronouns(
    doc: Doc,
    names: Names,
    scan: QuoteScan | None = None,
    furniture: Sequence[tuple[int, int]] = (),
    text: str | None = None,
) -> dict[int, Antecedent]:
    """Each third-person singular personal pronoun of ``doc`` (token index) that has an
    agreeing antecedent, with that antecedent. Mentions inside ``furniture`` (character
    spans of captions, bylines and the like) are no antecedents. ``text``: the article text
    ``doc`` was parsed from (by default ``doc.text``, which spaCy builds anew at each call)."""
    pronouns = attribution_lexicon().person_pronouns
    quotes = _Spans([(q.start, q.end) for q in scan.quotes] if scan is not None else [])
    resolver = _Resolver(
        doc, text if text is not None else doc.text, names, quotes, _Spans(furniture)
    )
    found: dict[int, Antecedent] = {}
    singular = [w for w, g in pronouns.items() if g in ("male", "female")]
    wanted: dict[int, str] = {}
    for i in _where(doc, LOWER, singular):
        if doc[i].pos_ in ("PRON", "DET"):
            wanted[i] = pronouns[doc[i].lower_]
    for i in _descriptions(doc, names, resolver.speech):
        wanted[i] = "any"
    for i in sorted(wanted):
        antecedent = resolver.resolve(doc[i], wanted[i])
        if antecedent is not None:
            found[i] = antecedent
    return found


def _descriptions(doc: Doc, names: Names, speech: frozenset[str]) -> list[int]:
    """The heads of definite descriptions of one person that speak: "says the affable
    proprietor", "the 39-year-old founder of … said" (``coref.json`` ``descriptions``)."""
    nouns = coref_settings().descriptions
    found: list[int] = []
    for i in _where(doc, DEP, ("nsubj", "nsubjpass", "dobj")):
        token = doc[i]
        verb = token.head
        if verb.lemma_.lower() not in speech or i in names.by_token:
            continue
        if token.dep_ == "dobj" and not (
            verb.i < token.i and any(t.is_quote for t in doc[max(0, verb.i - 2) : verb.i])
        ):
            continue  # an object is the speaker only after a quotation: "…,” says the chef
        if token.tag_ != "NN" or not any(
            c.dep_ == "det" and c.lower_ == "the" for c in token.children
        ):
            continue
        described = doc[token.left_edge.i : token.i + 1].text.lower()
        if token.lemma_.lower() in nouns or "year-old" in described or "year old" in described:
            found.append(i)
    return found


_PLURAL_TAGS = ("NNS", "NNPS")
_PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
_GROUPS = ("organization", "group")
_SUBJECTS = ("nsubj", "nsubjpass")


def _group_head(token: Token) -> bool:
    """A subject that a "they" can stand for: a plural noun ("Western diplomats"), names
    joined by "and" ("Ortiz and Kamau")."""
    if token.dep_ not in _SUBJECTS or token.pos_ == "PRON":
        return False
    if token.tag_ in _PLURAL_TAGS:
        return True
    return any(c.dep_ == "conj" for c in token.children) and any(
        c.dep_ == "cc" and c.lower_ == "and" for c in token.children
    )


def _group_name(doc: Doc, token: Token, names: Names) -> tuple[str, Cluster | None]:
    """The name a group subject gives a "they": its organisation's, or its phrase."""
    cluster = names.by_token.get(token.i)
    if cluster is not None and cluster.type in _GROUPS:
        return cluster.name, cluster
    for named in (token, *(c for c in token.children if c.dep_ == "appos")):
        joint = names.joint_name(named)  # "the owners, Tore Sohlberg and Lehla Abreder"
        if joint is not None:
            return joint, None
    return clean_phrase(doc[token.left_edge.i : token.right_edge.i + 1]), None


def resolve_plurals(
    doc: Doc, names: Names, scan: QuoteScan | None = None
) -> dict[int, tuple[str, Cluster | None]]:
    """Each "they"/"them"/"their" of ``doc`` (token index) that has an antecedent: the
    nearest group subject before it in the same or the previous sentences — a plural noun
    phrase, names joined by "and", or an organisation named as a subject — with its name
    and entity (an organisation's, or None for a phrase)."""
    settings = coref_settings()
    quotes = _Spans([(q.start, q.end) for q in scan.quotes] if scan is not None else [])
    starts = _sentence_starts(doc)
    reach = min(2, settings.max_sentences)
    speech = attribution_lexicon().speech_verbs
    found: dict[int, tuple[str, Cluster | None]] = {}
    named: dict[int, tuple[str, Cluster | None]] = {}  # subject token -> its name, when asked
    groups: list[tuple[Token, int]] = []  # the group subjects so far, with their sentences
    for i in sorted({*_where(doc, LOWER, _PLURAL_PRONOUNS), *_where(doc, DEP, _SUBJECTS)}):
        token = doc[i]
        if token.lower_ in _PLURAL_PRONOUNS:
            reported = _reported_clause(token, speech)
            last = next((g for g in reversed(groups) if g[0].i not in reported), None)
            if last is not None and bisect.bisect_right(starts, token.i) - 1 - last[1] <= reach:
                if last[0].i not in named:
                    named[last[0].i] = _group_name(doc, last[0], names)
                found[token.i] = named[last[0].i]
            continue
        if token.dep_ not in _SUBJECTS or token.idx in quotes:
            continue
        cluster = names.by_token.get(token.i)
        if (cluster is not None and cluster.type in _GROUPS) or _group_head(token):
            groups.append((token, bisect.bisect_right(starts, token.i) - 1))
    return found


def _reported_clause(token: Token, speech: frozenset[str]) -> set[int]:
    """The tokens of what a pronoun's own speech verb reports around it, when that verb
    interrupts it ("Almost all revenues, they promise, will be returned"): no antecedent of
    the pronoun, which is the one reporting."""
    verb = token.head
    if token.dep_ not in _SUBJECTS or verb.lemma_.lower() not in speech:
        return set()
    if verb.dep_ != "parataxis":
        return {t.i for c in verb.children if c.dep_ == "ccomp" and c.i < token.i
                for t in c.subtree}  # fmt: skip
    own = {t.i for t in verb.subtree}
    return {t.i for t in verb.head.subtree if t.i not in own}


_THING_PRONOUNS = ("it", "its")


@dataclass(frozen=True, slots=True)
class _Body:
    """A mention an "it" may stand for: an organisation, or a thing that speaks."""

    token: int
    sentence: int
    key: str  # the entity's id, or the phrase's head lemmas
    name: str
    cluster: Cluster | None
    weight: float
    quoted: bool
    spoke: bool  # the subject of a speech verb


def _speaking_things(doc: Doc, names: Names, speech: frozenset[str]) -> list[int]:
    """Unnamed singular subjects of a speech verb that are no person: "The parole board
    decision … said", "the utility said"."""
    lex = attribution_lexicon()
    people = coref_settings().descriptions | lex.source_titles | lex.unnamed_sources
    found: list[int] = []
    for i in _where(doc, DEP, _SUBJECTS):
        token = doc[i]
        if (
            token.tag_ == "NN"
            and i not in names.by_token
            and token.head.lemma_.lower() in speech
            and token.lemma_.lower() not in people
        ):
            found.append(i)
    return found


def _bare_description(token: Token) -> bool:
    """ "the utility", "the military": a definite noun with nothing else that names what
    it is — most often a second mention of one named before (which one, the article's
    own reader knows). A report noun ("the statement") is a thing of its own."""
    children = list(token.children)
    return (
        token.lower_ not in attribution_lexicon().report_nouns
        and any(c.dep_ == "det" and c.lower_ == "the" for c in children)
        and all(c.dep_ in ("det", "punct") or c.i > token.i for c in children)
    )


def resolve_things(
    doc: Doc,
    names: Names,
    scan: QuoteScan | None = None,
    furniture: Sequence[tuple[int, int]] = (),
) -> dict[int, tuple[str, Cluster | None]]:
    """Each "it"/"its" of ``doc`` (token index) that stands for an organisation or another
    thing that speaks, with its name and entity (None for an unnamed one, "the parole board
    decision"). The same salience model as :func:`resolve_pronouns`, over
    organisations and the unnamed non-person subjects of speech verbs: "Facebook told
    employees … It also told workers" is Facebook's, not that of Apple, named in between;
    "In its statement, al-Shabaab said" looks ahead to al-Shabaab."""
    settings = coref_settings()
    speech = attribution_lexicon().speech_verbs
    quotes = _Spans([(q.start, q.end) for q in scan.quotes] if scan is not None else [])
    skip = _Spans(furniture)
    starts = _sentence_starts(doc)

    def sentence_of(i: int) -> int:
        return bisect.bisect_right(starts, i) - 1

    def speaks(token: Token) -> bool:
        return token.dep_ in _SUBJECTS and token.head.lemma_.lower() in speech

    body_start = dateline_end(doc.text[:200]) if len(doc) else 0
    bodies: list[_Body] = []
    for index, cluster in names.group_mentions:
        first, last = names.spans.get(index, (index, index + 1))
        span = doc[first:last]
        if span.start_char in skip or span.start_char < body_start:
            continue  # a caption's, a byline's, the dateline's outlet ("(Nordic Press Agency) —")
        bodies.append(
            _Body(index, sentence_of(index), cluster.id, cluster.name, cluster,
                  _weight(doc, first, last - 1, speech), span.start_char in quotes,
                  speaks(span.root))
        )  # fmt: skip
    bodies.sort(key=lambda b: b.token)
    tokens = [b.token for b in bodies]
    pronouns = [i for i in _where(doc, LOWER, _THING_PRONOUNS) if doc[i].pos_ == "PRON"]
    speakers = _speaking_things(doc, names, speech)
    if not pronouns and not speakers:
        return {}

    def add(i: int, key: str, name: str, cluster: Cluster | None) -> None:
        at = bisect.bisect_left(tokens, i)
        tokens.insert(at, i)
        weight = _weight(doc, i, i, speech)
        quoted = doc[i].idx in quotes
        bodies.insert(
            at, _Body(i, sentence_of(i), key, name, cluster, weight, quoted, speaks(doc[i]))
        )

    def salient(i: int) -> _Body | None:
        here = sentence_of(i)
        in_quote = doc[i].idx in quotes
        parallel = speaks(doc[i])
        scores: dict[str, float] = {}
        chosen: dict[str, _Body] = {}
        lo = bisect.bisect_left(tokens, starts[max(0, here - settings.max_sentences)])
        for body in bodies[lo : bisect.bisect_left(tokens, i)]:
            value = body.weight * (settings.decay ** (here - body.sentence))
            if body.quoted and not in_quote:
                value *= settings.quoted_factor
            if parallel and body.spoke:
                value *= settings.speaker_parallel
            scores[body.key] = scores.get(body.key, 0.0) + value
            chosen[body.key] = body
        return chosen[max(scores, key=scores.__getitem__)] if scores else None

    found: dict[int, tuple[str, Cluster | None]] = {}
    spoken = set(speakers)
    for i in sorted({*pronouns, *speakers}):
        token = doc[i]
        if i in spoken:
            if _bare_description(token):
                continue  # "the utility": a second mention of someone, but whose is unsure
            name, owner, _ = names.resolve(doc[token.left_edge.i : i + 1])
            add(i, owner.id if owner is not None else name.lower(), name, owner)
            continue
        ahead = _fronted_subject(token, names, _GROUPS)
        if ahead is not None:
            found[i] = (ahead[1].name, ahead[1])
            continue
        best = salient(i)
        if best is None:
            continue
        found[i] = (best.name, best.cluster)
        if speaks(token):
            add(i, best.key, best.name, best.cluster)  # "It also said …": the running speaker
    return found
