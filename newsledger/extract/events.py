"""Events: who did what to whom, where and when, read off the existing dependency parse.

A trigger is a verb or an event noun of the lexicon ``resources/events.json`` (types aligned
with PLOVER, see ``docs/events.md``). Its arguments come from the parse of the same ``Doc``
(no second parse): the actor is the subject (or the "by X" agent of a passive), the target
the object, the passive subject or a type's preposition ("attack on X"; for deployments and
aid the destination "to X" or the one helped, "to help X"), the location a place entity in an
"in/at/near X" phrase. Each argument is an entity id, found by character overlap with
``analysis.entities[*].mentions``; a pronoun the attribution step resolved as a source takes
that source's entity. The date is the value of a date mention attached to the trigger, else
of the nearest date mention in its sentence (when a date step has filled ``analysis.dates``).

Negated events ("did not attack", "no attack") and events that are not asserted as facts
(modal "could attack", "if they attack", an infinitive of purpose or plan, "vowed to attack",
"denied that X attacked", "the threat of an attack", questions) are not emitted.

Public entry point: :func:`extract_events`.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsledger.extract.spans import attribution_at
from newsledger.model import Analysis, Event
from newsledger.model import Span as TextSpan
from newsledger.resources import EventLexicon, EventType, event_lexicon

ID_PREFIX = "ev"  # event ids are ev1, ev2, … (entity ids are e1, e2, …)

_SUBJECTS = ("nsubj", "csubj")
_NP_MODIFIERS = frozenset({"compound", "amod", "poss", "nmod", "nummod", "case", "det"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_MAX_CLIMB = 6


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    entity: str
    type: str


class _Entities:
    """Entity mentions by character offset, and attribution sources resolved to entities."""

    def __init__(self, analysis: Analysis) -> None:
        mentions = [
            _Mention(s, e, ent.id, ent.type) for ent in analysis.entities for s, e in ent.mentions
        ]
        mentions.sort(key=lambda m: (m.start, m.end))
        self.mentions = mentions
        self.starts = [m.start for m in mentions]
        self.longest = max((m.end - m.start for m in mentions), default=0)
        self.sources = [
            _Mention(a.source.start, a.source.end, a.source.entity, a.source.type)
            for a in analysis.attributions
            if a.source is not None and a.source.entity
        ]

    def overlapping(self, start: int, end: int) -> list[_Mention]:
        lo = bisect_left(self.starts, start - self.longest)
        out = []
        for m in self.mentions[lo:]:
            if m.start >= end:
                break
            if m.end > start:
                out.append(m)
        return out

    def source_at(self, start: int, end: int) -> _Mention | None:
        for m in self.sources:
            if m.start <= start and end <= m.end:
                return m
        return None


def extract_events(doc: Doc, analysis: Analysis) -> list[Event]:
    """The events of ``doc``, in text order, with ids ``ev1``, ``ev2``, …

    ``analysis`` must already hold the entities and attributions (and dates, when a date
    step ran) of the same text; it is read, not changed.
    """
    lex = event_lexicon()
    candidates: list[tuple[Token, str]] = []
    for tok in doc:
        kind = _trigger_type(tok, lex)
        if kind is not None:
            candidates.append((tok, kind))
    if not candidates:
        return []
    triggers = {tok.i for tok, _ in candidates}
    # "launched an attack", "sent aid": the noun names the event, not the light verb.
    light = {
        tok.head.i
        for tok, _ in candidates
        if tok.pos_ == "NOUN"
        and tok.dep_ in ("dobj", "nsubjpass")
        and tok.head.i in triggers
        and tok.head.lemma_.lower() in lex.light_verbs
    }
    entities = _Entities(analysis)
    dates = _Dates([d for d in getattr(analysis, "dates", []) or [] if d.value])
    text = analysis.text
    events: list[Event] = []
    for tok, kind in candidates:
        if tok.i in light:
            continue
        if _negated(tok, lex) or _irrealis(tok, lex):
            continue
        if tok.pos_ == "NOUN" and tok.head.i in triggers and tok.head.i not in light:
            if tok.dep_ in ("dobj", "nsubjpass") and tok.head.pos_ == "VERB":
                # the object of a verb event that is itself an event noun of the same type
                if _trigger_type(tok.head, lex) == kind:
                    continue
        actor, target, location = _arguments(tok, kind, lex, entities)
        start, end = tok.idx, tok.idx + len(tok.text)
        events.append(
            Event(
                id=f"{ID_PREFIX}{len(events) + 1}",
                trigger=TextSpan(text[start:end], start, end),
                type=kind,
                actor=actor,
                target=target if target != actor else None,
                location=location,
                date=_date(tok, doc, dates.near(tok.sent) if dates.dates else []),
                attribution=attribution_at(analysis, start, end),
            )
        )
    return events


# ------------------------------------------------------------------ triggers
def _object(tok: Token, lex: EventLexicon) -> Token | None:
    """The verb's object ("sent troops"), its passive subject, or the noun a participle
    modifies ("troops sent to …"); through a partitive ("a total of 14,000 troops")."""
    obj = None
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            obj = c
            break
    if obj is None and tok.dep_ == "acl" and tok.tag_ == "VBN":
        obj = tok.head
    if obj is not None and obj.lemma_.lower() in lex.partitive_nouns:
        for c in obj.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ == "pobj":
                        return p
    return obj


def _trigger_type(tok: Token, lex: EventLexicon) -> str | None:
    pos = tok.pos_
    if pos == "VERB":
        if tok.dep_ in lex.verb_nominal_deps:
            return None
        lemma = tok.lemma_.lower()
        rules = lex.object_rules.get(lemma)
        required = lemma in lex.require_object_rule
        if rules is None and lemma not in lex.verbs:
            return None
        obj = _object(tok, lex)
        olemma = obj.lemma_.lower() if obj is not None else ""
        if rules is not None and olemma in rules:
            return rules[olemma]
        if required or lemma not in lex.verbs:
            return None
        if obj is not None and lemma in lex.object_must_match:
            return None
        blocked = lex.object_blocklist.get(lemma)
        if blocked and (
            olemma in blocked or any(c.dep_ == "prt" and c.lower_ in blocked for c in tok.children)
        ):
            return None
        if lemma in lex.disaster_verbs and _disaster_subject(tok, lex):
            return None
        return lex.verbs[lemma]
    if pos == "NOUN":
        if tok.dep_ in ("compound", "amod"):
            return None
        lemma = tok.lemma_.lower()
        kind = lex.nouns.get(lemma) or lex.nouns.get(tok.lower_)
        head = tok.head
        if kind is not None and lex.types[kind].disaster and _generic_plural(tok):
            return None
        blocked = lex.noun_modifier_blocklist.get(lemma)
        if blocked and any(
            c.dep_ in ("compound", "amod") and c.lower_ in blocked for c in tok.children
        ):
            return None
        if kind is not None and tok.dep_ == "dobj" and head.pos_ == "VERB":
            # "opened fire": the verb's rule retypes an event noun
            rules = lex.object_rules.get(head.lemma_.lower())
            if rules and lemma in rules:
                return rules[lemma]
        return kind
    return None


def _generic_plural(tok: Token) -> bool:
    """ "a form of tropical cyclones", "for classifying hurricanes": a class, not an event."""
    if tok.tag_ != "NNS" or any(c.dep_ in ("det", "poss", "nummod") for c in tok.children):
        return False
    head = tok.head
    if tok.dep_ == "pobj":
        return head.lower_ in ("of", "for")
    if tok.dep_ == "nsubj" and head.lemma_ == "be" and head.tag_ == "VBP":
        return True  # "Hurricanes are …": a general statement
    return tok.dep_ == "dobj" and head.pos_ == "VERB" and head.tag_ == "VBG"


def _disaster_subject(verb: Token, lex: EventLexicon) -> bool:
    for c in verb.children:
        if c.dep_ in _SUBJECTS and c.lemma_.lower() in lex.disaster_nouns:
            return True
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj" and p.lemma_.lower() in lex.disaster_nouns:
                    return True
    return False


# ------------------------------------------------------------------ factuality
def _negated(tok: Token, lex: EventLexicon) -> bool:
    for c in tok.children:
        if c.dep_ == "neg":
            return True
        if c.dep_ in ("det", "advmod") and c.lower_ in ("no", "never"):
            return True
    head = tok.head
    if tok.dep_ in ("pcomp", "pobj") and head.lower_ == "without":
        return True
    if tok.pos_ == "NOUN":
        # "did not return the attack"
        if tok.dep_ in ("dobj", "nsubjpass", "nsubj") and head is not tok:
            return any(c.dep_ == "neg" for c in head.children)
        return False
    for c in tok.children:  # "no crew were injured"
        if c.dep_ in ("nsubj", "nsubjpass") and any(
            g.dep_ == "det" and g.lower_ == "no" for g in c.children
        ):
            return True
    if (
        tok.dep_ == "conj"
        and head is not tok
        and not any(c.dep_ in _SUBJECTS for c in tok.children)
    ):
        return any(c.dep_ == "neg" for c in head.children)
    return False


def _irrealis(tok: Token, lex: EventLexicon) -> bool:
    sent = tok.sent
    if sent.text.rstrip().rstrip("\"'”’»").endswith("?"):
        return True
    current = tok
    for _ in range(_MAX_CLIMB):
        if _irrealis_here(current, lex):
            return True
        head = current.head
        if head is current:
            return False
        dep = current.dep_
        if current.pos_ in ("VERB", "AUX"):
            if dep in ("xcomp", "ccomp", "advcl", "conj", "pcomp"):
                current = head if dep != "pcomp" else head.head
                continue
            return False
        # a noun: up to the word that governs it
        if dep == "pobj" and head.dep_ == "prep":
            if head.lower_ in ("of", "for") and head.head.lemma_.lower() in lex.irrealis_nouns:
                return True
            current = head.head
            continue
        if dep in ("nsubj", "nsubjpass", "dobj", "attr", "appos", "conj"):
            current = head
            continue
        return False
    return False


def _irrealis_here(tok: Token, lex: EventLexicon) -> bool:
    infinitive = False
    for c in tok.children:
        dep = c.dep_
        if dep in ("aux", "auxpass") and c.tag_ == "MD":
            return True
        if dep == "mark" and c.lower_ in lex.conditional_marks:
            return True
        if dep == "aux" and c.tag_ == "TO":
            infinitive = True
    head = tok.head
    if head is tok or tok.pos_ not in ("VERB", "AUX"):
        return False
    hlemma = head.lemma_.lower()
    if infinitive and hlemma not in lex.implicative_verbs:
        return True
    if tok.dep_ in ("xcomp", "ccomp") and hlemma in lex.irrealis_governors:
        return True
    if tok.dep_ == "pcomp" and head.head.lemma_.lower() in lex.irrealis_governors:
        return True
    return False


# ------------------------------------------------------------------ arguments
def _arguments(
    tok: Token, kind: str, lex: EventLexicon, entities: _Entities
) -> tuple[str | None, str | None, str | None]:
    if tok.pos_ == "NOUN":
        return _noun_arguments(tok, kind, lex, entities)
    etype = lex.types[kind]
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children) or (
        tok.dep_ == "acl" and tok.tag_ == "VBN"
    )
    actor_tok: Token | None = None
    target_tok: Token | None = None
    if passive:
        actor_tok = _agent(tok)
    else:
        actor_tok = _subject(tok)
    if actor_tok is not None and actor_tok.pos_ == "NOUN" and actor_tok.lemma_.lower() in lex.nouns:
        actor_tok = None  # "the bombing killed five": an event, not an actor
    if etype.motion:
        target_tok = _destination(tok, lex)
    elif not etype.disaster:
        if passive:
            target_tok = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            if target_tok is None and tok.dep_ == "acl":
                target_tok = tok.head
        else:
            target_tok = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None)
        if target_tok is None:
            target_tok = _prep_object(tok, lex.target_preps.get(kind, frozenset()))
    location = _location(tok, lex, entities)
    if etype.disaster:
        actor_tok = None
    return (
        _entity(actor_tok, entities, lex) if actor_tok is not None else None,
        _entity(target_tok, entities, lex) if target_tok is not None else None,
        location,
    )


def _noun_arguments(
    tok: Token, kind: str, lex: EventLexicon, entities: _Entities
) -> tuple[str | None, str | None, str | None]:
    etype = lex.types[kind]
    head = tok.head
    governor = head if tok.dep_ in ("dobj", "nsubjpass") and head.pos_ == "VERB" else None
    actor, location = _noun_modifiers(tok, etype, lex, entities)
    target: str | None = None
    of_pobj = _prep_object(tok, frozenset({"of"}))
    if of_pobj is not None:
        if kind in lex.noun_of_target:
            target = _entity(of_pobj, entities, lex)
        elif kind in lex.noun_of_actor and actor is None:
            actor = _entity(of_pobj, entities, lex)
    agent = _noun_agent(tok, lex)
    if agent is not None and actor is None:
        actor = _entity(agent, entities, lex)
    if etype.motion:
        dest = _destination(tok, lex)
        if dest is None and governor is not None:
            dest = _destination(governor, lex)
        if dest is not None:
            target = _entity(dest, entities, lex) or target
    elif not etype.disaster and target is None:
        preps = lex.target_preps.get(kind, frozenset())
        t = _prep_object(tok, preps)
        if t is None and governor is not None:
            t = _prep_object(governor, preps)
        if t is not None:
            target = _entity(t, entities, lex)
    if governor is not None and not etype.disaster:
        actor, target = _light_verb_arguments(tok, governor, actor, target, lex, entities)
    if location is None:
        location = _location(tok, lex, entities)
    if location is None and governor is not None:
        location = _location(governor, lex, entities)
    if etype.disaster and location is None:
        location = _disaster_place(tok, lex, entities)
    if etype.disaster:
        actor = target = None
    return actor, (target if target != actor else None), location


def _noun_modifiers(
    tok: Token, etype: EventType, lex: EventLexicon, entities: _Entities
) -> tuple[str | None, str | None]:
    """(actor, location) from the modifiers of an event noun: "Russia's invasion", "the
    Russian offensive", "the Kursk offensive"."""
    actor: str | None = None
    location: str | None = None
    for c in tok.children:
        if c.dep_ in ("poss", "compound", "amod", "nmod"):
            m = _entity(c, entities, lex, place_only=etype.disaster)
            if m is None:
                continue
            if etype.disaster or (c.dep_ == "compound" and _is_place(m, entities)):
                location = location or m
            elif actor is None:
                actor = m
    return actor, location


def _noun_agent(tok: Token, lex: EventLexicon) -> Token | None:
    """Who did it, from a "by" phrase, a participle ("the attack, reportedly conducted by the
    Taliban") or a claim of responsibility."""
    agent = _prep_object(tok, frozenset({"by"}))
    if agent is None:
        for c in tok.children:
            if c.dep_ == "acl" and c.tag_ == "VBN":
                agent = _agent(c)
                if agent is not None:
                    break
    head = tok.head
    if agent is None and tok.dep_ == "pobj" and head.lower_ == "for":
        # "the Houthi movement claimed responsibility for the attacks"
        noun = head.head
        if noun.lemma_.lower() in lex.responsibility_nouns:
            verb = noun.head
            if noun.dep_ == "dobj" and verb.lemma_.lower() in lex.responsibility_verbs:
                agent = _subject(verb)
    return agent


def _light_verb_arguments(
    tok: Token,
    governor: Token,
    actor: str | None,
    target: str | None,
    lex: EventLexicon,
    entities: _Entities,
) -> tuple[str | None, str | None]:
    """(actor, target) completed from a light verb governing the noun ("launched an attack",
    "suffered an attack")."""
    glemma = governor.lemma_.lower()
    if glemma in lex.light_verbs:
        subj = _subject(governor) if tok.dep_ == "dobj" else _agent(governor)
        if subj is not None:
            m = _entity(subj, entities, lex)
            if glemma in lex.undergoer_verbs:
                target = target or m
            elif actor is None:
                actor = m
    return actor, target


def _disaster_place(tok: Token, lex: EventLexicon, entities: _Entities) -> str | None:
    """ "An earthquake hit Japan", "Japan was hit by an earthquake": the place struck."""
    head = tok.head
    verb: Token | None = None
    if tok.dep_ == "nsubj" and head.lemma_.lower() in lex.disaster_verbs:
        verb = head
        for c in verb.children:
            if c.dep_ == "dobj":
                m = _entity(c, entities, lex, place_only=True)
                if m:
                    return m
    if tok.dep_ == "pobj" and head.dep_ == "agent":
        verb = head.head
        if verb.lemma_.lower() in lex.disaster_verbs:
            for c in verb.children:
                if c.dep_ == "nsubjpass":
                    m = _entity(c, entities, lex, place_only=True)
                    if m:
                        return m
    if verb is not None:
        return _location(verb, lex, entities)
    return None


def _subject(tok: Token) -> Token | None:
    """The subject of a verb, climbing through control and coordination ("vowed to support",
    "admitted to sending", "attacked and killed") when the verb has none of its own."""
    current = tok
    for _ in range(_MAX_CLIMB):
        subjects = [
            c
            for c in current.children
            # a passive main clause controls its adverbial: "X was met … upon announcing"
            if c.dep_ in _SUBJECTS or (c.dep_ == "nsubjpass" and current is not tok)
        ]
        if subjects:
            # two subjects ("The party's leader, Jeremy Corbyn announced"): the nearer
            c = min(subjects, key=lambda s: abs(current.i - s.i))
            if c.lower_ in _RELATIVE and current.dep_ == "relcl":
                return current.head
            return c
        head = current.head
        if head is current:
            return None
        dep = current.dep_
        if dep == "relcl":
            return head
        if dep == "acl":
            if current.tag_ == "VBG":
                return head  # "soldiers fighting in Kursk"
            # a participle hanging off a subject-bearing noun is a misparsed clause
            if head.dep_ == "ROOT" and any(c.dep_ in _SUBJECTS for c in head.children):
                current = head
                continue
            return None
        if dep == "xcomp":
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj  # object control: "ordered the troops to attack"
            current = head
            continue
        if dep in ("conj", "advcl"):
            current = head
            continue
        if dep == "pcomp" and head.dep_ in ("prep", "agent"):
            current = head.head
            continue
        return None
    return None


def _agent(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _prep_object(tok: Token, preps: frozenset[str]) -> Token | None:
    if not preps:
        return None
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _destination(tok: Token, lex: EventLexicon) -> Token | None:
    """Where troops or aid go ("to Russia"), or whom they help ("to help Russia")."""
    found = _prep_object(tok, lex.destination_preps)
    if found is not None:
        return found
    obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if obj is not None:
        found = _prep_object(obj, lex.destination_preps)
        if found is not None:
            return found
    for c in tok.children:
        if c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in lex.beneficiary_verbs:
            for g in c.children:
                if g.dep_ == "dobj":
                    return g
            for g in c.children:  # "help Russia fight": Russia is parsed as the subject
                if g.dep_ in ("ccomp", "xcomp"):
                    for s in g.children:
                        if s.dep_ in _SUBJECTS:
                            return s
    return None


def _location(tok: Token, lex: EventLexicon, entities: _Entities) -> str | None:
    holders = [tok]
    holders.extend(c for c in tok.children if c.dep_ in ("dobj", "nsubjpass"))
    # "met with Xi in Paris": the phrase may hang off the prepositional object
    holders.extend(
        p for c in tok.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"
    )
    for holder in holders:
        for c in holder.children:
            if c.dep_ == "prep" and c.lower_ in lex.location_preps:
                for p in c.children:
                    if p.dep_ == "pobj":
                        m = _entity(p, entities, lex, place_only=True)
                        if m:
                            return m
    return None


def _np_start(tok: Token) -> int:
    """Start offset of the token's noun phrase, left modifiers only ("the North Korean")."""
    start = tok.idx
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.lefts:
            if c.dep_ in _NP_MODIFIERS:
                start = min(start, c.idx)
                stack.append(c)
    return start


def _modifier_allowed(tok: Token, m: _Mention, lex: EventLexicon) -> bool:
    """Whether a mention inside a left modifier of ``tok`` names who ``tok`` is: yes for
    possessives ("Pyongyang's military") and non-place names ("North Korean soldiers",
    "Taliban fighters"); a place name only before a collective head ("US troops"), not
    before just anyone ("a Cheltenham man")."""
    if m.type != "place" or tok.lemma_.lower() in lex.collective_heads:
        return True
    for c in tok.lefts:
        if c.dep_ == "poss" and c.left_edge.idx <= m.start < c.right_edge.idx + len(
            c.right_edge.text
        ):
            return True
    return False


def _entity(
    tok: Token, entities: _Entities, lex: EventLexicon, place_only: bool = False
) -> str | None:
    """The entity id of the noun phrase headed by ``tok``, by character overlap."""
    for _ in range(2):
        head_start, head_end = tok.idx, tok.idx + len(tok.text)
        mentions = entities.overlapping(_np_start(tok), head_end)
        if place_only:
            mentions = [m for m in mentions if m.type == "place"]
        covering = [m for m in mentions if m.start < head_end and m.end > head_start]
        if covering:
            return covering[0].entity
        if not place_only:
            # "The Labour Party's leader, Jeremy Corbyn": the apposed name says who
            for c in tok.rights:
                if c.dep_ == "appos" and c.pos_ == "PROPN":
                    found = _entity(c, entities, lex)
                    if found is not None:
                        return found
            mentions = [m for m in mentions if _modifier_allowed(tok, m, lex)]
        if mentions:
            return max(mentions, key=lambda m: m.end).entity
        if not place_only and tok.pos_ == "PRON":
            # a pronoun the attribution step resolved: "he said" -> its source's entity
            source = entities.source_at(head_start, head_end)
            if source is not None:
                return source.entity
        nxt = None
        if tok.lemma_.lower() in lex.partitive_nouns:
            nxt = _prep_object(tok, frozenset({"of"}))
        if nxt is None:
            return None
        tok = nxt
    return None


def _is_place(entity_id: str, entities: _Entities) -> bool:
    return any(m.entity == entity_id and m.type == "place" for m in entities.mentions)


# ------------------------------------------------------------------ dates
class _Dates:
    """The dated mentions, found by the sentence they overlap in time logarithmic in their
    number (a trigger's date is always in its own sentence: parse trees stay in theirs)."""

    def __init__(self, dates: list) -> None:
        self.dates = dates
        self.order = sorted(range(len(dates)), key=lambda i: dates[i].start)
        self.starts = [dates[i].start for i in self.order]
        self.longest = max((d.end - d.start for d in dates), default=0)

    def near(self, sent: Span) -> list:
        """The mentions overlapping ``sent``, in their original order."""
        lo, hi = sent.start_char, sent.end_char
        first = bisect_left(self.starts, lo - self.longest)
        last = bisect_left(self.starts, hi)
        picked = [i for i in self.order[first:last] if self.dates[i].end > lo]
        return [self.dates[i] for i in sorted(picked)]


def _date(tok: Token, doc: Doc, dates: list) -> str | None:
    if not dates:
        return None
    sent: Span = tok.sent
    same: list = []
    for d in dates:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        node = span.root
        for _ in range(3):  # "on Monday" -> on -> trigger
            if node.i == tok.i:
                return d.value
            if node.head is node:
                break
            node = node.head
        if sent.start_char <= d.start and d.end <= sent.end_char:
            same.append(d)
    if not same:
        return None
    centre = tok.idx
    return min(same, key=lambda d: min(abs(d.start - centre), abs(d.end - centre))).value
