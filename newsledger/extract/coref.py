"""Personal pronouns resolved to the people they stand for.

A salience model in the manner of Lappin and Leass (1994): each mention of a person adds to
that person's salience a weight for what it is in its sentence — any mention, a subject, the
subject of a speech verb (the running speaker of a news report), an object — and the weight
halves with every sentence between the mention and the pronoun. A pronoun goes to the most
salient person that agrees with it:

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
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsledger.extract.gazetteer import name_key
from newsledger.extract.names import Cluster, Names
from newsledger.extract.quotes import QuoteScan
from newsledger.resources import attribution_lexicon, coref_settings, first_names

__all__ = ["Antecedent", "cluster_gender", "resolve_pronouns"]


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


def cluster_gender(cluster: Cluster, doc: Doc, spans: dict[int, tuple[int, int]]) -> str | None:
    """``male``, ``female`` or None: from honorifics before its mentions, else from the first
    names of its name and aliases (a name both ways, or an unknown one, tells nothing)."""
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
    names = first_names()
    for form in (cluster.name, *cluster.aliases):
        words = name_key(form).split()
        if len(words) < 2:
            continue  # a surname alone tells nothing
        gender = names.get(words[0])
        if gender is not None:
            votes.add(gender)
    return votes.pop() if len(votes) == 1 else None


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _placelike(cluster: Cluster, names: Names) -> bool:
    """A "person" every mention of which is one word the gazetteer knows as a place."""
    if names.gaz is None or not cluster.mentions:
        return False
    doc = names.doc
    if doc is None:
        return False
    for start, end in cluster.mentions:
        text = doc.text[start:end]
        if " " in text or names.gaz.lookup(text) is None:
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
        if root.head.lemma_.lower() in speech:
            weight += s.speaker
    elif dep in ("dobj", "pobj", "dative", "iobj"):
        weight += s.object
    elif dep == "appos" or root.head.dep_ in ("nsubj", "nsubjpass"):
        weight += s.subject / 2
    return weight


def _fronted_subject(token: Token, names: Names) -> tuple[int, Cluster] | None:
    """The person a pronoun in a fronted clause looks ahead to: "Asked what *he* would do,
    Dennis Brooks said …" — the subject of the main verb, named after the pronoun."""
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
            if cluster is not None and cluster.type == "person":
                return child.i, cluster
    return None


def _sentence_starts(doc: Doc) -> list[int]:
    return [sent.start for sent in doc.sents]


def resolve_pronouns(
    doc: Doc, names: Names, scan: QuoteScan | None = None
) -> dict[int, Antecedent]:
    """Each third-person singular personal pronoun of ``doc`` (token index) that has an
    agreeing antecedent, with that antecedent."""
    lex = attribution_lexicon()
    settings = coref_settings()
    speech = lex.speech_verbs
    starts = _sentence_starts(doc)
    quotes = sorted((q.start, q.end) for q in scan.quotes) if scan is not None else []
    quote_starts = [q[0] for q in quotes]

    def sentence_of(i: int) -> int:
        return bisect.bisect_right(starts, i) - 1

    def quoted(char: int) -> bool:
        k = bisect.bisect_right(quote_starts, char) - 1
        return k >= 0 and quotes[k][0] <= char < quotes[k][1]

    mentions: list[_Mention] = []
    for index, cluster in names.person_mentions:
        first, last = names.spans.get(index, (index, index + 1))
        span = doc[first:last]
        mentions.append(
            _Mention(
                token=index,
                sentence=sentence_of(index),
                cluster=cluster,
                weight=_weight(doc, first, last - 1, speech),
                start=span.start_char,
                end=span.end_char,
                quoted=quoted(span.start_char),
            )
        )
    mentions.sort(key=lambda m: m.token)
    tokens = [m.token for m in mentions]
    genders: dict[int, str | None] = {}
    placelike: dict[int, bool] = {}
    found: dict[int, Antecedent] = {}
    for token in doc:
        gender = lex.person_pronouns.get(token.lower_)
        if gender not in ("male", "female") or token.pos_ not in ("PRON", "DET"):
            continue
        here = sentence_of(token.i)
        in_quote = quoted(token.idx)
        # the mentions of the last max_sentences sentences before the pronoun
        earliest = starts[max(0, here - settings.max_sentences)]
        scores: dict[int, float] = {}
        best: dict[int, tuple[float, _Mention]] = {}
        for m in mentions[
            bisect.bisect_left(tokens, earliest) : bisect.bisect_left(tokens, token.i)
        ]:
            value = m.weight * (0.5 ** (here - m.sentence))
            if m.quoted and not in_quote:
                value *= settings.quoted_factor
            key = id(m.cluster)
            scores[key] = scores.get(key, 0.0) + value
            if key not in best or value >= best[key][0]:
                best[key] = (value, m)
        chosen: _Mention | None = None
        top = 0.0
        ahead = _fronted_subject(token, names)
        if ahead is not None:
            key = id(ahead[1])
            if key not in genders:
                genders[key] = cluster_gender(ahead[1], doc, names.spans)
                placelike[key] = _placelike(ahead[1], names)
            if genders[key] in (None, gender):
                first, last = names.spans.get(ahead[0], (ahead[0], ahead[0] + 1))
                span = doc[first:last]
                found[token.i] = Antecedent(ahead[1], span.start_char, span.end_char)
                continue
        for key, score in scores.items():
            cluster = best[key][1].cluster
            if key not in genders:
                genders[key] = cluster_gender(cluster, doc, names.spans)
                placelike[key] = _placelike(cluster, names)
            known = genders[key]
            if known is not None and known != gender:
                continue
            if known is None:
                score *= settings.unknown_gender_factor
            if placelike[key]:
                score *= settings.placelike_factor
            if score > top:
                chosen, top = best[key][1], score
        if chosen is None:
            continue
        found[token.i] = Antecedent(chosen.cluster, chosen.start, chosen.end)
        # the pronoun is now a mention of its person, with its own weight
        at = bisect.bisect_left(tokens, token.i)
        tokens.insert(at, token.i)
        mentions.insert(
            at,
            _Mention(
                token=token.i,
                sentence=here,
                cluster=chosen.cluster,
                weight=_weight(doc, token.i, token.i, speech),
                start=chosen.start,
                end=chosen.end,
                quoted=in_quote,
            ),
        )
    return found
