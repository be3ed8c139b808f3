"""What a figure measures, read from the parse: "ballots rejected", "households without power".

A figure's *measure* is what it counts: the counted noun (the quantity's unit, or for a bare
number or a sum of money the noun it is given for — "put the crowd at 25,000", "the repairs
will cost $52 million"), with its compounds and adjectives, one prepositional qualifier ("cost
of the repairs", "households without power") and the verb that scopes it ("2,100 applications
had been rejected", "cut 1,200 jobs"). Verbs that only state a level ("the toll rose to 19",
"officials said", "were") are left out. The measure is written as lower-case lemmas, so the
same thing counted in other words ("were rejected" / "rejected") reads the same; the
cross-article layer compares figures by it. Word lists: ``measure`` in
``resources/quantities.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from newsledger.model import Quantity
from newsledger.resources import attribution_lexicon, load_frozen, load_json

__all__ = ["measure_of", "read_measures"]

_NOUNS = ("NOUN", "PROPN")
_MODIFIERS = ("compound", "amod", "nmod")
_SUBJECTS = ("nsubj", "nsubjpass", "dobj", "obj", "attr", "oprd")
_RELATIVES = frozenset({"who", "that", "which"})


@dataclass(frozen=True)
class _Words:
    preps: frozenset[str]
    level_verbs: frozenset[str]
    source_verbs: frozenset[str]
    obliging_verbs: frozenset[str]
    skip_modifiers: frozenset[str]
    max_words: int
    excess: dict[str, str]  # "over" → "overrun": a figure set against a target
    # units of measure and of money: a figure in them measures the noun it is given for
    units: frozenset[str]
    currencies: frozenset[str]  # the codes a sum of money is read in ("EUR")


@lru_cache(maxsize=1)
def _words() -> _Words:
    lex = load_json("quantities.json")
    data = lex["measure"]
    units = {u.lower() for u in lex["measure_units"]}
    units |= {w for words in lex["percent_words"] for w in words}
    units |= {w.lower() for w in lex["currency_nouns"]}  # "60,000 euros": a sum of money
    return _Words(
        preps=frozenset(data["preps"]),
        level_verbs=frozenset(data["level_verbs"]),
        source_verbs=frozenset(data["source_verbs"]),
        obliging_verbs=frozenset(data["obliging_verbs"]),
        skip_modifiers=frozenset(data["skip_modifiers"]),
        max_words=int(data["max_words"]),
        excess=dict(data["excess"]),
        units=frozenset(units),
        currencies=frozenset(
            [
                *lex["currency_codes"],
                *lex["currency_symbols"].values(),
                *lex["currency_nouns"].values(),
            ]
        ),  # fmt: skip
    )


@lru_cache(maxsize=1)
def _count_words() -> frozenset[str]:
    """Nouns that name a count, not a thing counted ("number", "total": ``generic_counted``)."""
    return frozenset(load_frozen("crossdoc.json")["generic_counted"])


def _lemma(tok: Token) -> str:
    return (tok.lemma_ or tok.text).lower()


def _particles(verb: Token) -> list[str]:
    """The particles of a phrasal verb ("put off", "got out"), lower case."""
    return [t.lower_ for t in verb.children if t.dep_ == "prt"]


def _noun_words(noun: Token, words: _Words) -> list[str]:
    """The noun with the compounds and adjectives before it ("space heater", "death toll")."""
    out = []
    for child in noun.lefts:
        if child.dep_ in _MODIFIERS and child.pos_ in ("NOUN", "PROPN", "ADJ", "VERB"):
            if child.like_num or {_lemma(child), child.lower_} & words.skip_modifiers:
                continue  # "an estimated 180 tonnes": lemma "estimate"
            if child.pos_ == "PROPN" and noun.pos_ != "PROPN":
                continue  # a name is whose, not what: "310 Aerlinn Skyways flights"
            out.append(_lemma(child))
    out.append(_lemma(noun))
    for child in noun.rights:  # "310 flights cancelled": the participle scopes the noun
        if child.dep_ == "acl" and child.tag_ == "VBN" and _lemma(child) not in words.level_verbs:
            out.append(_lemma(child))
            break
        if (
            child.dep_ == "relcl"
            and _lemma(child) not in words.level_verbs
            and any(
                c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _RELATIVES for c in child.children
            )
        ):  # "the people who landed": a clause of which the noun is the subject
            out.append(_lemma(child))
            out.extend(_particles(child))  # "got out"
            break
    return out


def _partitive(span: Span, unit: str) -> Token | None:
    """The noun a part is of, after its span: "27 of the province's 43 municipalities"."""
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].lower_ != "of":
        return None
    return next((c for c in doc[span.end].children if c.dep_ == "pobj" and c.lower_ == unit), None)


def _counted_of(noun: Token) -> Token | None:
    """What a word for a count counts: "the number of people who landed" → "people"."""
    if _lemma(noun) not in _count_words():
        return None
    for prep in noun.rights:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                if (
                    obj.dep_ == "pobj"
                    and obj.pos_ in _NOUNS
                    and not obj.like_num
                    and obj.ent_type_ not in ("DATE", "TIME")
                ):
                    return obj
    return None


def _qualifier(head: Token, words: _Words) -> list[str]:
    """One prepositional phrase on ``head``: "without power", "of repair"."""
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in words.preps:
            objects = [t for t in child.children if t.dep_ == "pobj" and t.pos_ in _NOUNS]
            if objects and not objects[0].like_num and objects[0].ent_type_ not in ("DATE", "TIME"):
                return [child.lower_, *_noun_words(objects[0], words)]
    return []


def _given_for(number: Token) -> Token | None:
    """The noun a bare figure is given for: "put the crowd at 25,000", "the toll rose to 19",
    "the repairs will cost $52 million"."""
    head = number
    if head.dep_ == "pobj" and head.head.dep_ == "prep":
        head = head.head.head  # "at 25,000" → "put"
        if head.pos_ in ("ADV", "ADJ") and head.dep_ in ("amod", "advmod"):
            if head.head.dep_ == "prep":
                head = head.head.head  # "at close to 80,000" → what "at" hangs on
        if head.pos_ == "ADJ" and head.dep_ == "acomp":
            head = head.head  # "was close to 700" → "was"
    elif head.dep_ in ("dobj", "obj", "attr", "npadvmod"):
        head = head.head  # "cost $52 million" → "cost"
        if head.pos_ == "ADJ" and head.dep_ == "acomp" and head.lower_ == "worth":
            head = head.head  # "the goods were worth 4.2 million euros" → "were"
    else:
        return None
    if head.pos_ not in ("VERB", "AUX"):
        return head if head.pos_ in _NOUNS else None
    count = _count_over(head)
    if count is not None:
        return count  # "put the number of people who crossed the border at 1,800"
    for dep in ("dobj", "obj", "nsubjpass"):
        for child in head.children:
            if child.dep_ == dep and child.pos_ in _NOUNS and child.i != number.i:
                return child
    if head.dep_ == "relcl" and head.head.pos_ in _NOUNS:
        return head.head  # "a crowd that police put at about 5,000"
    if _lemma(head) not in _words().source_verbs:
        # "the repairs will cost $52 million"; not "police put it at 5,000": a source, nor
        # "Smith called 911", "the women are 36": a person does not measure a number
        for child in head.children:
            if child.dep_ == "nsubj" and child.pos_ == "NOUN" and not _person(child):
                return child
    if _lemma(head) == "be" and not any(c.dep_ == "nsubj" for c in head.children):
        # "The number of people admitted … was close to 700", the subject parsed onto the
        # participle: the word for a count that opens the clause
        for tok in head.doc[head.sent.start : head.i]:
            if tok.dep_ == "nsubj" and tok.pos_ == "NOUN" and _lemma(tok) in _count_words():
                return tok
    return None


def _act_on(number: Token, words: _Words) -> str | None:
    """What a sum is, when it is the object of a verb whose subject is an organisation's
    pronoun ("it had lost £86 million", "they have raised $2 million"): the verb, with its
    particle ("paid out"); not a source's verb ("put it at 5,000"), nor what a person did
    ("he paid $5 million": a person does not measure a sum)."""
    if number.dep_ not in ("dobj", "obj") or number.head.pos_ != "VERB":
        return None
    verb = number.head
    if _lemma(verb) in words.source_verbs:
        return None
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects or any(c.lower_ not in ("it", "they", "we") for c in subjects):
        return None
    particle = [_lemma(c) for c in verb.children if c.dep_ == "prt"]
    return " ".join([_lemma(verb), *particle])


def _count_over(clause: Token) -> Token | None:
    """The word for a count above a relative clause that took its number in the parse:
    "the number of people who crossed the border at 1,800" → "number"."""
    if clause.dep_ != "relcl" or clause.head.dep_ != "pobj" or clause.head.head.lower_ != "of":
        return None
    count = clause.head.head.head
    return count if count.pos_ in _NOUNS and _lemma(count) in _count_words() else None


def _person(token: Token) -> bool:
    """A person or persons: a name of one, or a person noun ("women", "victims")."""
    if token.ent_type_ == "PERSON":
        return True
    persons = load_frozen("crossdoc.json")["person_counts"]
    return _lemma(token) in persons or token.lower_ in persons


def _age(doc: Doc, quantity: Quantity) -> bool:
    """A bare number that is an age: "ages 28 and 25", "aged 17", "the women are 36"."""
    span = doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
    if span is None or not len(span) or quantity.unit is not None:
        return False

    def after_age(i: int) -> bool:
        return any(_lemma(t) in ("age", "aged") for t in doc[max(i - 2, 0) : i])

    if after_age(span.start):
        return True
    number = span.root
    if number.dep_ == "conj":  # "ages 28 and 25": the second of two ages
        number = number.head
        if after_age(number.i):
            return True
    head = number.head
    if number.dep_ in ("attr", "acomp") and _lemma(head) == "be":
        return any(c.dep_ == "nsubj" and _person(c) for c in head.children)
    return False


def _scope(root: Token, words: _Words) -> tuple[list[str], Token | None]:
    """The verb that scopes the figure ("reject", "cut"), or, under a copula or a level verb,
    its prepositional complement ("were without power")."""
    verb = root.head
    if root.dep_ in ("pobj", "dative") and verb.dep_ == "prep" and verb.lower_ in ("to", "for"):
        # "handed out parcels to 14,600 people": the verb they are the recipients of
        verb = verb.head
        if verb.pos_ != "VERB" or _lemma(verb) in words.level_verbs:
            return [], None
        return [_lemma(verb), *_particles(verb)], verb
    if root.dep_ not in _SUBJECTS or verb.i == root.i or verb.pos_ not in ("VERB", "AUX"):
        return [], None
    if _lemma(verb) in words.obliging_verbs:
        done = next(
            (
                c
                for c in verb.children
                if c.dep_ == "xcomp"
                and c.pos_ == "VERB"
                and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
            ),
            None,
        )
        if done is not None:
            # "70 households have had to leave", "40 homes were told to evacuate": what
            # they had to do
            return [_lemma(done), *_particles(done)], done
    particles = _particles(verb)
    if root.dep_ == "nsubj" and _lemma(verb) in words.source_verbs:
        return [_lemma(verb)], verb  # "some 90 participants reported side effects": who said
    state = _state(verb)
    if state:
        return [state], verb  # "14 beaches remain closed", "43 people were listed as missing"
    if _lemma(verb) in words.level_verbs and not (particles and verb.tag_ == "VBN"):
        # "households were without power"; but "236 procedures were put off": a phrasal
        # verb is an act, whatever its verb alone states
        return [], verb
    objects = [
        _lemma(t) for t in verb.children if t.dep_ == "dobj" and t.lower_ == "part"
    ]  # "take part"
    return [_lemma(verb), *particles, *objects], verb


def _state(verb: Token) -> str | None:
    """The state a verb gives its subject: "remain closed", "are unaccounted for", "were
    worth", "listed as missing"."""
    for child in verb.children:
        if child.dep_ == "acomp" and child.pos_ in ("ADJ", "VERB"):
            return _lemma(child)
        if child.dep_ == "prep" and child.lower_ == "as":
            for obj in child.children:
                if obj.dep_ in ("pcomp", "pobj", "amod") and obj.pos_ in ("ADJ", "VERB"):
                    return _lemma(obj)
    return None


def measure_of(doc: Doc, quantity: Quantity) -> str | None:
    """The measure of ``quantity`` (a figure read from ``doc``), or None when the parse
    names nothing it counts (a bare number in a list, a percentage of nothing)."""
    span = doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    words = _words()
    unit = (quantity.unit or "").lower()
    nouns = [t for t in span if t.pos_ in _NOUNS and not t.like_num]
    noun = next((t for t in reversed(nouns) if t.lower_ == unit), None)
    if noun is None and quantity.unit and nouns:
        noun = nouns[-1]
    root = span.root
    if noun is None and quantity.unit:
        noun = _partitive(span, unit)  # "27 of the province's 43 municipalities were …"
    gap = _excess(root, words)
    if gap is not None:
        return gap
    placed = _placed(noun, words)
    if placed is not None:  # "put Saturday's attendance at about 38,000 people"
        noun = root = placed
    elif noun is None or (noun.lower_ in words.units and not _qualifier(noun, words)):
        # a sum of money, a bare number, "4.5 percent": the measure is what it is given for
        numbers = [t for t in span if t.like_num or t.pos_ == "NUM"]
        number = root if root.pos_ in _NOUNS else numbers[-1] if numbers else root
        found = _given_for(number)
        if found is not None:
            noun = root = found
        elif quantity.unit in words.currencies and (act := _act_on(number, words)):
            return act  # "it had lost £86 million", "they spent $4 million": the act
    if noun is None:
        return None
    counted = _counted_of(noun)
    if counted is not None:  # "put the number of people who landed at 2,150"
        noun = counted
    parts = _noun_words(noun, words)
    qualifier = _qualifier(noun, words)
    verb_words, verb = _scope(root, words)
    if not qualifier and verb is not None and not verb_words:
        qualifier = _qualifier(verb, words)  # "households were without power"
    measure = [*parts, *qualifier, *verb_words][: words.max_words]
    return " ".join(measure) if measure else None


def _placed(noun: Token | None, words: _Words) -> Token | None:
    """What a count of people is given for when a source puts a thing at it: "put Saturday's
    attendance at about 38,000 people" → "attendance" (the people are its unit)."""
    if noun is None or noun.dep_ != "pobj" or noun.head.lower_ != "at":
        return None
    verb = noun.head.head
    if verb.pos_ != "VERB" or _lemma(verb) not in words.source_verbs:
        return None
    thing = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
    return thing if thing is not None and not _person(thing) else None


def _excess(root: Token, words: _Words) -> str | None:
    """The measure of a figure set against a target: "C$412 million over its approved
    budget" → "budget overrun", "3,000 below the goal" → "goal shortfall"."""
    for child in root.children:
        word = words.excess.get(child.lower_)
        if child.dep_ != "prep" or word is None or child.i != root.i + 1:
            continue  # right after the figure: not "31,000 hectares, well above the figure"
        target = next((t for t in child.children if t.dep_ == "pobj" and t.pos_ in _NOUNS), None)
        if target is not None and not target.like_num and target.ent_type_ not in ("DATE", "TIME"):
            return f"{_lemma(target)} {word}"
    return None


def _elliptical(doc: Doc, q: Quantity, previous: Quantity) -> bool:
    """A bare number stands for the previous figure's thing only where it is elliptical: in
    the previous figure's sentence ("put it at about 5,000 and organisers at 20,000"), or
    what a counting verb gives ("… estimated 9,500"), or in apposition to a word for a count
    ("the same number, 214"). A bare number elsewhere ("2400 W.
    Madison", "in 1998", "No. 25") counts nothing named."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    before = doc.char_span(previous.start, previous.end, alignment_mode="expand")
    if before is not None and len(before) and before[0].sent.start == span[0].sent.start:
        return True
    head = span.root.head
    if span.root.dep_ == "appos" and _lemma(head) in _count_words():
        return True  # "the same number, 214, had been sampled"
    if head.dep_ == "prep":
        head = head.head  # "… put the crowd at 9,500"
    lex = attribution_lexicon()
    return head.pos_ == "VERB" and _lemma(head) in lex.measure_verbs | lex.measure_at_verbs


def read_measures(doc: Doc, quantities: list[Quantity]) -> None:
    """Set the ``measure`` of each of ``quantities``, read from ``doc``. A bare number whose
    parse names nothing counted takes the measure of the figure before it in its paragraph
    ("police put the crowd at about 5,000 and organisers at 20,000. An independent count
    estimated 9,500"): an elliptical figure of the same thing."""
    previous: Quantity | None = None
    text = doc.text
    for q in quantities:
        if _age(doc, q):
            q.measure = None  # an age counts nothing
            continue
        q.measure = measure_of(doc, q)
        if (
            q.measure is None
            and q.unit is None
            and previous is not None
            and previous.measure is not None
            and "\n" not in text[previous.end : q.start]
            and _elliptical(doc, q, previous)
        ):
            q.measure = previous.measure
        if q.measure is not None:
            previous = q
