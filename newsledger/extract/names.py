"""In-document canonical names: one entity per person, organisation, place or group.

"Kim", "Kim Jong-un", "Comrade Kim Jong-un" and "Kim Jong Un" become one cluster whose name is
its longest full form; "Korean Central News Agency (KCNA)" makes "KCNA" an alias; "he" goes to
the nearest preceding person. Names found in the gazetteer take its canonical name and kb
links ("DPRK" and "Democratic People's Republic of Korea" are North Korea), demonyms are
mentions of their country ("North Korean troops"), a gazetteer place wins over a wrong model
label ("Kursk" tagged PRODUCT), and a capital used as an actor ("Moscow accepted",
"Pyongyang's military") is a mention of its state, while "in Moscow" stays the city.
Public entry point: :func:`build_names`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from newsledger.extract.gazetteer import OUTLET_KINDS, Gazetteer, Place, gazetteer
from newsledger.resources import attribution_lexicon, coref_settings, first_names
from newsledger.text import name_key

__all__ = [
    "NAME_LABELS",
    "Cluster",
    "Names",
    "build_names",
    "clean_phrase",
    "described_as_person",
    "name_key",
    "reported_self",
    "source_role",
]

NAME_LABELS = {"PERSON": "person", "ORG": "organization", "GPE": "place", "NORP": "group"}
# labels read only when the gazetteer knows the name ("Kursk" tagged PRODUCT) or for places
_OTHER_LABELS = {"LOC": "place", "FAC": None, "PRODUCT": None, "WORK_OF_ART": None, "EVENT": None}
_POSSESSIVE_TOKENS = {"'s", "’s", "'", "’"}
_LEADING = {"the", "a", "an"}
_CITING = {"citing", "quoting"}
#: how "named" and "called" attach the name they give: "an official named Jhony"
_NAMED_AS = frozenset({"oprd", "dobj", "attr", "xcomp", "npadvmod"})
#: model labels of things that never speak: a speaking token so tagged is read as untagged
_MUTE_LABELS = frozenset({"WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "LANGUAGE"})


#: words that join a name's parts: a name holding a place's ("Courrier du Valais")
_NAME_PARTICLES = frozenset({"du", "de", "des", "del", "della", "van", "von", "da", "do"})


@dataclass
class Cluster:
    id: str
    type: str
    name: str  # canonical: the gazetteer's name, else the longest full form, first spelling
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)  # char offsets
    tokens: frozenset[str] = frozenset()
    kb: dict[str, Any] = field(default_factory=dict)
    place: Place | None = None

    def add(self, text: str, start: int, end: int) -> None:
        if text not in self.aliases and text != self.name:
            self.aliases.append(text)
        if (start, end) not in self.mentions:
            self.mentions.append((start, end))

    def remove(self, start: int, end: int) -> None:
        if (start, end) in self.mentions:
            self.mentions.remove((start, end))


@dataclass
class Names:
    """The name clusters of one document, and a way to resolve a source span to one of them."""

    clusters: list[Cluster]
    by_key: dict[str, Cluster]
    person_mentions: list[tuple[int, Cluster]]  # (token index, cluster), in text order
    group_mentions: list[tuple[int, Cluster]]
    by_token: dict[int, Cluster] = field(default_factory=dict)  # token index -> its cluster
    by_place: dict[str, Cluster] = field(default_factory=dict)  # gazetteer id -> cluster
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # token -> mention tokens
    gaz: Gazetteer | None = None
    doc: Doc | None = None
    # he/she/his/her resolved by the coreference step (token -> person, antecedent offsets);
    # None until that step runs
    antecedents: dict[int, tuple[Cluster, int, int]] | None = None
    # they/them/their resolved by that step: token -> (name, its entity when it has one)
    plural_antecedents: dict[int, tuple[str, Cluster | None]] | None = None
    # it/its resolved by that step: token -> (name, its entity when it has one)
    thing_antecedents: dict[int, tuple[str, Cluster | None]] | None = None
    # a title the article gives a person ("Mayor John Tory", "Kim, the leader,") -> the people
    # it was given to, with the character offset where it was
    by_title: dict[str, list[tuple[int, Cluster]]] = field(default_factory=dict)

    def lookup(self, text: str) -> Cluster | None:
        stripped = _strip_titles(text)
        cluster = self.by_key.get(name_key(stripped))
        if cluster is not None or self.gaz is None:
            return cluster
        place = self.gaz.lookup(stripped) or self.gaz.demonym(stripped)
        return self.by_place.get(place.id) if place is not None else None

    def resolve(self, span: Span) -> tuple[str, Cluster | None, str]:
        """(canonical name, cluster, type) for a source span."""
        lex = attribution_lexicon()
        if len(span) == 1 and span[0].lower_ in lex.person_pronouns:
            return self.resolve_pronoun(span[0])
        root = span.root
        doc = span.doc
        if len(span) == 1 and root.tag_ in ("WP", "WDT") and root.head.dep_ == "relcl":
            # "Megan Bortis, who said …": the noun the relative clause describes speaks
            noun = root.head.head
            if noun.i != root.i and noun.pos_ in ("PROPN", "NOUN"):
                return self.resolve(doc[noun.left_edge.i : noun.i + 1])
        # the head noun phrase's named part: "Russian President Vladimir Putin, who ..." → Putin
        cluster = self.by_token.get(root.i)
        if cluster is not None:
            joint = self.joint_name(root)
            if joint is not None:  # "Kim and Clark Moran said": both speak
                return joint, None, "group"
            if cluster.place is not None and self._named_after(span, root):
                # "the Courrier du Valais": a name of its own that holds a place's
                return clean_phrase(span), None, "organization"
            if cluster.place is not None and cluster.place.kind == "city":
                cluster = self._promote_capital(root) or cluster  # "according to Moscow"
            return cluster.name, cluster, cluster.type
        # "Pyongyang's military", "the Russian government": the state speaks
        state = self._state_organ_owner(span)
        if state is not None:
            return state.name, state, state.type
        # "the company's chief executive, Dana Whitfield": the named apposition speaks
        for child in root.children:
            named = self.by_token.get(child.i) if child.dep_ == "appos" else None
            if named is not None and named.type in ("person", "organization"):
                gap = doc[root.i + 1 : child.left_edge.i]
                if any(t.pos_ in ("VERB", "AUX") or t.text == ":" for t in gap):
                    continue  # "the resident, who sold copies of his comic: The Undead Soldier"
                joint = self.joint_name(child)  # "his attorneys, Charles Glynn and Richard Jones"
                if joint is not None:
                    return joint, None, "group"
                return named.name, named, named.type
        named = self._named_as(span)
        if named is not None:
            return named.name, named, named.type
        author = self._author(root)
        if author is not None:  # "a statement e-mailed by Reagan Ruslim", "the union's release"
            return author
        # "the ministry's report": keep the phrase
        text = clean_phrase(span)
        surname = self._by_surname(root, text)
        if surname is not None:  # "Puranik, who …", untagged: the Marty Puranik named before
            return surname.name, surname, surname.type
        cluster = self.lookup(text)
        if cluster is not None:
            return cluster.name, cluster, cluster.type
        # "the agency", "the news agency", "the ministry": the organisation last named so
        cluster = self._definite_antecedent(span) or self._titled_antecedent(span)
        if cluster is not None:
            return cluster.name, cluster, cluster.type
        # "the affable proprietor": the person the coreference step found it describes
        described = self.antecedents.get(root.i) if self.antecedents is not None else None
        if described is not None:
            return described[0].name, described[0], described[0].type
        kind = "group" if root.tag_ in ("NNS", "NNPS") else "unknown"
        if root.lower_ in lex.unnamed_sources or root.lemma_.lower() in lex.unnamed_sources:
            kind = "unnamed" if not any(t.ent_type_ for t in span) else "group"
        return text, None, kind

    def _named_after(self, span: Span, root: Token) -> bool:
        """Whether ``span``, whose head is a place's name, is a name of its own that holds
        it: proper nouns before the place's own words, joined by a particle of another
        language ("Courrier du Valais", "Radio de Bogotá"; "the Republic of Korea" stays the
        country, and "the Swiss canton of Valais" is headed by "canton")."""
        first, _ = self.spans.get(root.i, (root.i, root.i + 1))
        words = [
            t for t in span if t.i < first and not (t.is_punct or t.is_space or t.lower_ == "the")
        ]
        return (
            bool(words)
            and words[0].pos_ == "PROPN"
            and any(t.lower_ in _NAME_PARTICLES for t in words)
        )

    def joint_name(self, token: Token) -> str | None:
        """ "A and B" when ``token`` names a person joined by "and" to other named people
        ("Tore Sohlberg and Lehla Abreder", "Kim and Clark Moran"); else None."""
        first = self.by_token.get(token.i)
        if first is None or first.type != "person":
            return None
        if not any(c.dep_ == "cc" and c.lower_ == "and" for c in token.children):
            return None
        names = [first.name]
        for child in token.children:
            if child.dep_ != "conj":
                continue
            other = self.by_token.get(child.i)
            if other is None and child.pos_ == "PROPN" and child.text[:1].isupper():
                first_word = min([child.i, *(c.i for c in child.children if c.dep_ == "compound")])
                names.append(token.doc[first_word : child.i + 1].text)  # untagged: "Kamau"
                continue
            if other is None or other.type != "person":
                return None
            if other is first:  # "Kim and Clark Moran": one cluster for both surnames
                span = self.spans.get(child.i, (child.i, child.i + 1))
                names.append(token.doc[span[0] : span[1]].text)
            else:
                names.append(other.name)
        if len(names) < 2:
            return None
        if first.name in names[1:]:  # "Kim and Clark Moran" clustered as one: keep "Kim"
            names[0] = token.text
        return ", ".join(names[:-1]) + " and " + names[-1]

    def _named_as(self, span: Span) -> Cluster | None:
        """The person a source phrase says is named so: "an agency official in Banten
        province named Jhony" (wherever the parser hangs "named")."""
        for token in span:
            if token.dep_ == "acl" and token.lemma_.lower() in ("name", "call"):
                for child in token.children:
                    named = self.by_token.get(child.i) if child.dep_ in _NAMED_AS else None
                    if named is not None and named.type == "person":
                        return named
        return None

    def _author(self, root: Token) -> tuple[str, Cluster | None, str] | None:
        """Who wrote a statement, release, report or letter the text makes speak: its owner
        ("the union's release") or the one it came from or was sent by ("a release sent to
        media from UFCW Local 832", "a statement e-mailed by Reagan Ruslim")."""
        if root.lower_ not in attribution_lexicon().report_nouns:
            return None
        doc = root.doc
        for child in root.children:
            if child.dep_ == "poss" and child.lower_ not in ("its", "their", "his", "her"):
                return self.resolve(doc[child.left_edge.i : child.i + 1])
            owner = self.by_token.get(child.i) if child.dep_ == "compound" else None
            if owner is not None and owner.type in ("organization", "person"):
                return owner.name, owner, owner.type  # "the Civic Action study"
        found: dict[str, Token] = {}
        for token in root.subtree:
            if (
                token.dep_ in ("prep", "agent")
                and token.lower_ in ("by", "from")
                and token.lower_ not in found
            ):
                objects = [c for c in token.children if c.dep_ == "pobj"]
                if objects:
                    found[token.lower_] = objects[0]
        for prep in ("by", "from"):
            obj = found.get(prep)
            if obj is None:
                continue
            name, cluster, kind = self.resolve(doc[obj.left_edge.i : obj.right_edge.i + 1])
            if cluster is not None and cluster.type in ("person", "organization", "group"):
                return name, cluster, kind
        return None

    def _definite_antecedent(self, span: Span) -> Cluster | None:
        """The nearest organisation named before "the <noun>" whose name holds that noun
        ("the agency" → Korean Central News Agency), within 300 tokens."""
        root = span.root
        if (
            root.tag_ != "NN"
            or span[0].lower_ != "the"
            or any(t.ent_type_ or t.dep_ == "poss" for t in span)
            or len(span) > 3
        ):
            return None
        noun = root.lower_
        best: Cluster | None = None
        for index, cluster in self.group_mentions:
            if index >= span.start:
                break
            if span.start - index > 300:
                continue
            if noun in cluster.name.lower().split() or any(
                noun in alias.lower().split() for alias in cluster.aliases
            ):
                best = cluster
        if best is not None or noun in attribution_lexicon().report_nouns:
            return best
        return self._last_described(span, root.lemma_.lower())

    def _last_described(self, span: Span, noun: str) -> Cluster | None:
        """The organisation or person the text last called a ``noun`` where it named it,
        before ``span`` ("lines company Plainsline Networks said … The company said"; the
        model may take such a name for a person's), unless another one has been the subject
        of a clause since ("IBM, a tech company, rose. … Procter & Gamble rallied. The
        company said": whose, the text does not say)."""
        doc = span.doc
        named = sorted(
            (m for m in [*self.group_mentions, *self.person_mentions] if m[1].place is None),
            key=lambda m: m[0],
            reverse=True,
        )
        only: Cluster | None = None  # the subject of a clause since, if any
        for index, cluster in named:
            if index >= span.start:
                continue
            if span.start - index > 300:
                break
            if only is not None and cluster is not only:
                continue
            if self._described_as(doc, index, noun):
                return cluster
            first, last = self.spans.get(index, (index, index + 1))
            if only is None and doc[first:last].root.dep_ in ("nsubj", "nsubjpass"):
                only = cluster
        return None

    def _described_as(self, doc: Doc, index: int, noun: str) -> bool:
        """Whether the text calls the organisation named at token ``index`` a ``noun`` where
        it names it: "lines company Plainsline Networks", "the ship's operator, Halvard
        Shipping", "Halvard Shipping, a Bergen-based company"."""
        first, last = self.spans.get(index, (index, index + 1))
        head = doc[first:last].root
        before = doc[max(doc[first].sent.start, first - 3) : first]
        if any(t.lemma_.lower() == noun and t.pos_ == "NOUN" for t in before):
            return True
        if head.dep_ == "appos" and head.head.lemma_.lower() == noun:
            return True
        return any(c.dep_ == "appos" and c.lemma_.lower() == noun for c in head.children)

    def _by_surname(self, root: Token, text: str) -> Cluster | None:
        """The one person whose name holds every word of a proper name the model did not
        tag ("Puranik" → Marty Puranik)."""
        if root.pos_ != "PROPN" or not text[:1].isupper():
            return None
        words = frozenset(name_key(text).split())
        if not words:
            return None
        found = {id(c): c for _, c in self.person_mentions if words <= c.tokens}
        return next(iter(found.values())) if len(found) == 1 else None

    def _titled_antecedent(self, span: Span) -> Cluster | None:
        """The person last given the title of "the mayor", "the prime minister" before it
        ("Mayor John Tory …; the mayor said")."""
        words = [t for t in span if not (t.is_punct or t.is_space)]
        if len(words) < 2 or words[0].lower_ != "the" or len(words) > 4:
            return None
        title = words[-1].lower_
        best: Cluster | None = None
        for offset, cluster in self.by_title.get(title, ()):
            if offset < span.start_char:
                best = cluster
        return best

    def resolve_pronoun(self, token: Token) -> tuple[str, Cluster | None, str]:
        gender = attribution_lexicon().person_pronouns.get(token.lower_, "")
        if gender in ("male", "female") and self.antecedents is not None:
            hit = self.antecedents.get(token.i)
            if hit is None:
                return token.text, None, "unknown"
            return hit[0].name, hit[0], hit[0].type
        # it/its and they/them/their, as the coreference step resolved them: (table, the
        # type of one it could not resolve)
        tables = {
            "thing": (self.thing_antecedents, "unknown"),
            "group": (self.plural_antecedents, "group"),
        }
        table, unresolved = tables.get(gender, (None, ""))
        if table is not None:
            found = table.get(token.i)
            if found is None:
                return token.text, None, unresolved
            name, cluster = found
            return name, cluster, cluster.type if cluster is not None else "group"
        pool = (
            self.person_mentions if gender in ("male", "female", "speaker") else self.group_mentions
        )
        best: Cluster | None = None
        for index, cluster in pool:
            if index >= token.i:
                break
            if token.i - index > 120:  # too far back to trust
                continue
            best = cluster
        if best is None:
            return token.text, None, "unknown"
        return best.name, best, best.type

    def _state_organ_owner(self, span: Span) -> Cluster | None:
        if self.gaz is None:
            return None
        root = span.root
        organ = root.lemma_.lower()
        compounds = [c.lower_ for c in root.children if c.dep_ in ("compound", "amod")]
        organs = self.gaz.state_organs
        if organ not in organs and not any(f"{c} {organ}" in organs for c in compounds):
            return None
        for child in root.children:
            if child.dep_ not in ("poss", "amod", "compound"):
                continue
            cluster = self.by_token.get(child.i)
            if cluster is None or cluster.place is None:
                continue
            if cluster.place.kind == "city" and child.dep_ == "poss":
                cluster = self._promote_capital(child) or cluster
            if cluster.place is not None and cluster.place.kind == "country":
                return cluster
        return None

    def compact(self) -> None:
        """Drop clusters left without mentions and number the rest e1, e2, … again."""
        self.clusters = [c for c in self.clusters if c.mentions]
        for i, cluster in enumerate(self.clusters, 1):
            cluster.id = f"e{i}"

    def relink(self, token: int, place: Place | None, cluster: Cluster | None = None) -> None:
        """Move the one-word mention at ``token`` to ``cluster`` or the entity of ``place``."""
        old = self.by_token.get(token)
        span = self.spans.get(token)
        if old is None or span is None or self.doc is None:
            return
        target = cluster
        if target is None and place is not None:
            target = self.by_place.get(place.id)
            if target is None:
                target = _new_cluster(self.clusters, place.type, place.name, place)
                self.by_place[place.id] = target
        if target is None or target is old:
            return
        ent = self.doc[span[0] : span[1]]
        old.remove(ent.start_char, ent.end_char)
        target.add(ent.text, ent.start_char, ent.end_char)
        target.mentions.sort()
        for i in range(*span):
            self.by_token[i] = target
        for key, value in list(self.by_key.items()):
            if value is old and not old.mentions:
                self.by_key[key] = target
        self.person_mentions = [(i, c) for i, c in self.person_mentions if i != span[0]]
        self.group_mentions = [(i, c) for i, c in self.group_mentions if i != span[0]]

    def _promote_capital(self, token: Token) -> Cluster | None:
        """Move a capital's mention ("Moscow") to its state's cluster, and return that."""
        if self.gaz is None or self.doc is None:
            return None
        city = self.by_token.get(token.i)
        span = self.spans.get(token.i)
        if city is None or city.place is None or span is None:
            return None
        state = self.gaz.capital_of(city.place.name)
        if state is None or city.place.id not in self.gaz.capital_cities:
            return None
        if state.id != (city.place.country or ""):
            return None
        ent = self.doc[span[0] : span[1]]
        city.remove(ent.start_char, ent.end_char)
        target = self.by_place.get(state.id)
        if target is None:
            target = _new_cluster(self.clusters, state.type, state.name, state)
            self.by_place[state.id] = target
        target.add(ent.text, ent.start_char, ent.end_char)
        target.mentions.sort()
        for i in range(*span):
            self.by_token[i] = target
        return target


def _strip_titles(text: str, person: bool = True) -> str:
    titles = attribution_lexicon().source_titles if person else frozenset()
    words = text.split()
    while len(words) > 1 and (words[0].casefold() in titles or words[0].casefold() == "the"):
        words = words[1:]
    return " ".join(words)


def clean_phrase(span: Span) -> str:
    """The source phrase without relative clauses, appositions, trailing punctuation or a
    leading article: the run of words around its head ("Puranik, who works with …" →
    "Puranik")."""
    cut = ("relcl", "acl", "appos")
    inside = range(span.start, span.end)
    described = span.root.pos_ == "NOUN"

    def kept(t: Token) -> bool:
        """What says who an unnamed source is: "a person involved in the talks", "the
        analytics firm Oceanpath" (a name the model did not tag)."""
        if not described or t.i < t.head.i:
            return False
        if t.dep_ == "acl":
            between = span.doc[span.root.i + 1 : t.i]
            return (
                t.head.i == span.root.i
                and t.tag_ == "VBN"
                and not any(b.is_punct for b in between)
                and not any(c.dep_ == "agent" for c in t.children)  # "quoted by Radio X"
                and t.lemma_.lower() not in attribution_lexicon().speech_verbs
            )
        return (
            t.dep_ == "appos"
            and t.pos_ == "PROPN"
            and t.head.pos_ == "NOUN"
            and t.left_edge.i == t.head.i + 1
        )

    def cut_here(t: Token) -> bool:
        return t.dep_ in cut and t.i != span.root.i and not kept(t)

    def dropped(t: Token) -> bool:
        if cut_here(t):
            return True
        return any(cut_here(a) and a.i in inside for a in t.ancestors)

    root = span.root
    start = end = root.i
    while start - 1 >= span.start and not dropped(span.doc[start - 1]):
        start -= 1
    while end + 1 < span.end and not dropped(span.doc[end + 1]):
        end += 1
    tokens = list(span.doc[start : end + 1])
    # "a person familiar with the talks but not authorized to discuss them": the description
    # ends at its "but"
    cut_at = next((i for i, t in enumerate(tokens) if i and t.lower_ == "but"), len(tokens))
    tokens = tokens[:cut_at]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens.pop()
    while tokens and (tokens[0].lower_ in ("the", "a", "an") or tokens[0].is_punct):
        tokens = tokens[1:]
    if not tokens:
        return span.text
    return span.doc[tokens[0].i : tokens[-1].i + 1].text


_HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "mx", "mx."})


def source_role(span: Span, names: Names, entity: str | None) -> str | None:
    """The title or description a source phrase gives the entity it names, apart from the
    name and its owner: "chief executive" for "the company's chief executive, Dana
    Whitfield"; None when the phrase is only the name (or names no entity)."""
    if entity is None or len(span) < 2:
        return None
    name = {t.i for t in span if (c := names.by_token.get(t.i)) is not None and c.id == entity}
    if not name:
        return None
    doc = span.doc
    inside = range(span.start, span.end)
    dropped: set[int] = set(name)
    for t in span:
        if t.dep_ in ("poss", "relcl", "acl") and t.i not in name:
            dropped.update(x.i for x in t.subtree if x.i in inside)
    words = [
        t
        for t in span
        if t.i not in dropped
        and not (t.is_punct or t.is_space or t.pos_ == "DET" or t.tag_ == "POS")
        and t.lower_ not in _HONORIFICS
    ]
    if not words:
        return None
    role = doc[words[0].i : words[-1].i + 1]
    if any(t.i in name for t in role):  # the words lie on both sides of the name
        role = doc[words[0].i : words[0].i + 1]
    text = role.text.strip(" ,")
    return text or None


def _acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


def is_actor(token: Token) -> bool:
    """Whether a name acts ("Moscow accepted", "Pyongyang's military", "according to Seoul")."""
    t = token
    while t.dep_ == "conj" and t.head is not t:
        t = t.head
    if t.dep_ in ("nsubj", "poss", "agent"):
        return True
    if t.dep_ == "pobj":
        prep = t.head
        if prep.lower_ == "by":
            return True
        if prep.lower_ == "to" and prep.head.lower_ == "according":
            return True
        if prep.lower_ == "per" and prep.i > 0 and prep.doc[prep.i - 1].lower_ == "as":
            return True
    return False


@dataclass
class _Mention:
    start: int  # token offsets
    end: int
    label: str
    place: Place | None = None
    via: str = "model"  # model | gazetteer | demonym | capital | first name | speaker | surname


def _trim(doc: Doc, start: int, end: int, person: bool) -> tuple[int, int]:
    titles = attribution_lexicon().source_titles
    for i in range(start + 1, end):
        # "World Health Organization (WHO"; a name never runs across a line break
        if doc[i].text in ("(", "[", ",") or (doc[i].is_space and "\n" in doc[i].text):
            end = i
            break
    while end - start > 1 and doc[end - 1].text in _POSSESSIVE_TOKENS:
        end -= 1
    while end - start > 1 and (
        doc[start].lower_ in _LEADING
        or doc[start].lower_ in _CITING  # "Citing Reuters, …" tagged as one name
        or (person and doc[start].lower_ in titles)
    ):
        start += 1
    while end - start > 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def _mentions(doc: Doc, gaz: Gazetteer) -> list[_Mention]:
    found: list[_Mention] = []
    for ent in doc.ents:
        label = ent.label_
        if label not in NAME_LABELS and label not in _OTHER_LABELS:
            continue
        start, end = _trim(doc, ent.start, ent.end, label == "PERSON")
        end = _glued_end(doc, end)
        text = doc[start:end].text
        if not name_key(text):
            continue
        demonym = gaz.demonym(text)
        if demonym is not None and label in ("NORP", "GPE", "ORG", "LOC"):
            found.append(_Mention(start, end, label, demonym, "demonym"))
            continue
        place = gaz.lookup(text)
        if (
            place is not None
            and label == "PERSON"
            and (
                # a news outlet is never a person ("Citing Reuters" tagged PERSON)
                (place.kind == "institution" and place.kb.get("kind") not in OUTLET_KINDS)
                or (place.kind == "city" and place.id not in gaz.capital_cities)
            )
        ):
            place = None  # "Kim" the person, not the town of Kim
        if place is not None:
            found.append(_Mention(start, end, label, place, "gazetteer"))
        elif label in NAME_LABELS or _OTHER_LABELS.get(label):
            found.append(_Mention(start, end, label))
    # multiword gazetteer names the model split or missed ("Democratic People's Republic of
    # Korea" came out as NORP "Democratic" + nothing)
    first_words = gaz.first_words
    i = 0
    n = len(doc)
    while i < n:
        token = doc[i]
        capital = token.text[:1].isupper() and token.lower_ not in _LEADING
        longest = first_words.get(name_key(token.text)) if capital else None
        if capital and token.ent_iob_ == "O" and token.is_alpha:
            # a demonym or country name the model left untagged
            demonym = gaz.demonym(token.text)
            if demonym is not None and token.pos_ in ("ADJ", "PROPN", "NOUN"):
                found.append(_Mention(i, i + 1, "NORP", demonym, "demonym"))
            elif token.pos_ == "PROPN":
                place = gaz.lookup(token.text)
                if place is not None and place.kind in ("country", "institution"):
                    found.append(_Mention(i, i + 1, "GPE", place, "gazetteer"))
        if not longest:
            i += 1
            continue
        matched = 0
        for size in range(min(longest + 2, n - i), 1, -1):  # "People's" is two tokens
            span = doc[i : i + size]
            if not span[-1].text[:1].isupper():
                continue
            place = gaz.lookup(span.text) or gaz.demonym(span.text)
            if place is not None:
                via = "demonym" if gaz.demonym(span.text) is place else "gazetteer"
                found.append(_Mention(i, i + size, "GPE", place, via))
                matched = size
                break
        i += matched or 1
    found += _untagged_people(doc, gaz)
    found += _speaking_names(doc, gaz)
    # longest wins where mentions overlap
    found.sort(key=lambda m: (-(m.end - m.start), m.via == "model", m.start))
    taken: set[int] = set()
    kept: list[_Mention] = []
    for m in found:
        if any(t in taken for t in range(m.start, m.end)):
            continue
        taken.update(range(m.start, m.end))
        kept.append(m)
    _surnames_as_people(doc, kept)
    _self_reporting_people(doc, kept)
    _described_people(doc, kept)
    kept.sort(key=lambda m: m.start)
    return kept


_HYPHENS = frozenset({"-", "\u2010", "\u2011"})


def _glued_end(doc: Doc, end: int) -> int:
    """The end of a name that runs on through a hyphen into an untagged capitalised word, with
    no space either side ("SNC" tagged, "-Lavalin" not): the whole word is the name."""
    n = len(doc)
    while (
        end + 1 < n
        and doc[end].text in _HYPHENS
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].ent_iob_ == "O"
        and doc[end + 1].text[:1].isupper()
        and doc[end + 1].is_alpha
    ):
        end += 2
    return end


def _self_reporting_people(doc: Doc, mentions: list[_Mention]) -> None:
    """A one-word name the model took for an organisation or a place it is not, that speaks
    of itself as "he" or "she" ("Cerato said she had months to live"), is a person."""
    people: set[str] = set()
    for m in mentions:
        if m.end - m.start != 1 or m.label == "PERSON" or m.place is not None:
            continue
        token = doc[m.start]
        if token.dep_ == "nsubj" and reported_self(token.head, token.head.i):
            people.add(name_key(token.text))
    for m in _one_word_mentions(doc, mentions, people):  # every mention: "met Cerato" too
        if m.place is None:
            m.label, m.via = "PERSON", "speaker"


@lru_cache(maxsize=1)
def _person_nouns() -> frozenset[str]:
    return coref_settings().descriptions | attribution_lexicon().source_titles


def described_as_person(token: Token) -> bool:
    """Whether a name has an apposition after it that describes a person ("Roman, a
    resident of the area, …"; a person description or a source title)."""
    nouns = _person_nouns()
    return any(
        c.dep_ == "appos" and c.i > token.i and c.lemma_.lower() in nouns for c in token.children
    )


def _described_people(doc: Doc, mentions: list[_Mention]) -> None:
    """A name set beside a description of a person ("Roman, a resident of the area who runs
    tours, said …", "Roman" tagged as a group; "Yuni, a resident of Lampung, was watching …",
    untagged) is a person: every one-word mention of it, and an untagged one is added."""
    at = {i: m for m in mentions for i in range(m.start, m.end)}
    people: set[str] = set()
    for token in doc:
        if token.pos_ != "PROPN" or not token.text[:1].isupper() or token.i + 1 >= len(doc):
            continue
        if doc[token.i + 1].text != ",":
            continue
        if not described_as_person(token):
            continue
        m = at.get(token.i)
        if m is None and token.ent_iob_ == "O" and token.is_alpha:
            start = token.i
            while start > 0 and (doc[start - 1].dep_, doc[start - 1].pos_) == ("compound", "PROPN"):
                start -= 1
            if all(i not in at for i in range(start, token.i + 1)):
                mentions.append(_Mention(start, token.i + 1, "PERSON", None, "described"))
        elif m is not None and m.label != "PERSON" and m.end - m.start == 1:
            people.add(name_key(token.text))
    for m in _one_word_mentions(doc, mentions, people):
        m.label, m.place, m.via = "PERSON", None, "described"


def _one_word_mentions(doc: Doc, mentions: list[_Mention], keys: set[str]) -> list[_Mention]:
    """The one-word mentions not labelled PERSON whose name is one of ``keys``."""
    return [
        m
        for m in mentions
        if m.end - m.start == 1 and m.label != "PERSON" and name_key(doc[m.start].text) in keys
    ]


def reported_self(verb: Token, after: int) -> set[str]:
    """The genders ("male", "female") of the he or she, after token ``after``, that is the
    subject of a clause speech verb ``verb`` reports: the pronoun its own subject uses for
    itself ("Cerato said she had months to live"). Empty for any other verb."""
    lex = attribution_lexicon()
    if verb.lemma_.lower() not in lex.speech_verbs:
        return set()
    found: set[str] = set()
    for clause in verb.children:
        if clause.dep_ != "ccomp":
            continue
        subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.i > after:
            gender = lex.person_pronouns.get(subject.lower_)
            if gender in ("male", "female"):
                found.add(gender)
    return found


def _surnames_as_people(doc: Doc, mentions: list[_Mention]) -> None:
    """A one-word name that is the last word of a person named in full before it is that
    person, whatever the model or the gazetteer called it: news names a person in full once,
    then by surname ("Tim Lohmar …", then "Lohmar said", tagged ORG and found as a town).
    A country keeps its name ("Jordan" stays a country unless a person takes it in full)."""
    first_seen: dict[str, int] = {}
    last_words: set[str] = set()
    for m in mentions:
        if m.label != "PERSON":
            continue
        words = name_key(_strip_titles(doc[m.start : m.end].text)).split()
        if words:
            last_words.add(words[-1])
        if len(words) >= 2:
            first_seen[words[-1]] = min(first_seen.get(words[-1], m.start), m.start)
    if not last_words:
        return
    titles = attribution_lexicon().source_titles
    for m in mentions:
        if m.end - m.start >= 2 and m.label != "PERSON" and m.place is None:
            # "Wet'suwet'en Hereditary Chief Na'moks" tagged ORG: a title, then the name of
            # a person the text names elsewhere
            last = doc[m.end - 1]
            if (
                last.pos_ == "PROPN"
                and name_key(last.text) in last_words
                and doc[m.end - 2].lower_ in titles
            ):
                m.start, m.label, m.via = m.end - 1, "PERSON", "surname"
            continue
        if m.end - m.start != 1 or m.label == "PERSON" or m.via == "demonym":
            continue
        key = name_key(doc[m.start].text)
        if first_seen.get(key, m.start) >= m.start:
            continue
        if m.place is not None and m.place.kind in ("country", "institution"):
            continue
        m.label, m.place, m.via = "PERSON", None, "surname"


def _speaking_names(doc: Doc, gaz: Gazetteer) -> list[_Mention]:
    """People the model did not tag but the text makes speak: an untagged proper noun that is
    the subject of a speech verb ("Hereditary Chief Na'moks said …"), with the proper nouns
    before it that are no title; not a name the gazetteer knows as a place. A token tagged as
    a thing that never speaks (a work of art, a product) counts as untagged ("Jingyi Pan of
    IG said", tagged as one title). So does a first name in apposition to a speaking noun
    ("says Wise's dad, Darrin", "Darrin" tagged as a place)."""
    lex = attribution_lexicon()
    titles = lex.source_titles
    given = first_names()

    def untagged(token: Token) -> bool:
        return token.ent_iob_ == "O" or token.ent_type_ in _MUTE_LABELS

    found: list[_Mention] = []
    for token in doc:
        if token.pos_ != "PROPN" or not token.text[:1].isupper() or token.lower_ in titles:
            continue
        if token.dep_ == "nsubj" and token.head.lemma_.lower() in lex.speech_verbs:
            if not untagged(token) or gaz.lookup(token.text) is not None:
                continue
        elif token.dep_ == "appos" and token.head.pos_ == "NOUN":
            speaking = token.head.dep_ == "nsubj" and token.head.head.lemma_.lower() in (
                lex.speech_verbs
            )
            if not speaking or token.ent_type_ in ("PERSON", "ORG") or token.lower_ not in given:
                continue
        else:
            continue
        start = token.i
        while (
            start > 0
            and doc[start - 1].pos_ == "PROPN"
            and untagged(doc[start - 1])
            and doc[start - 1].text[:1].isupper()
            and doc[start - 1].lower_ not in titles
            and doc[start - 1].head.i == token.i
        ):
            start -= 1
        end = token.i + 1
        while end < len(doc) and doc[end].dep_ == "flat" and doc[end].head.i == token.i:
            end += 1
        found.append(_Mention(start, end, "PERSON", None, "speaker"))
    return found


def _untagged_people(doc: Doc, gaz: Gazetteer) -> list[_Mention]:
    """People the model did not tag: a first name that tells a gender (``first_names.json``)
    followed by one or two capitalised proper nouns, none of them tagged ("For Carole Laurin,
    a series of strokes …"); not when the first name is also a place ("Victoria Park")."""
    given = first_names()
    found: list[_Mention] = []
    n = len(doc)
    for token in doc:
        # a first name alone tagged as a place or group ("Marta" GPE, then "Ruiz" PERSON)
        split = (
            token.ent_iob_ == "B"
            and token.ent_type_ in ("GPE", "ORG", "NORP", "LOC")
            and (token.i + 1 >= n or doc[token.i + 1].ent_iob_ != "I")
        )
        if (
            (token.ent_iob_ != "O" and not split)
            or token.pos_ != "PROPN"
            or not token.text[:1].isupper()
            or token.lower_ not in given
            or gaz.lookup(token.text) is not None
        ):
            continue
        end = token.i + 1
        while (
            end < n
            and end - token.i < 3
            and doc[end].pos_ == "PROPN"
            and doc[end].text[:1].isupper()
            and (doc[end].ent_iob_ == "O" or (split and doc[end].ent_type_ == "PERSON"))
            and doc[end].is_alpha
        ):
            end += 1
        if end - token.i >= 2:
            found.append(_Mention(token.i, end, "PERSON", None, "first name"))
    return found


def _long_form(
    clusters: list[Cluster],
    key: str,
    person_mentions: list[tuple[int, Cluster]],
    group_mentions: list[tuple[int, Cluster]],
) -> Cluster | None:
    """The one longer name an organisation's one-word short form opens ("Northmere said"
    after "Northmere Renewables"; "Hallam" after "Hallam Stone Ltd"), or None when no name,
    or several, open with it, or the word is a first name. A long form the text only made
    speak, taken for a person, is the organisation's name: its mentions move to the
    organisations'."""
    if " " in key or key in first_names():
        return None  # "Dana" tagged as a group: a first name, not a short form
    found = [
        c
        for c in clusters
        if c.place is None
        and c.type in ("person", "organization")
        and len(words := name_key(c.name).split()) >= 2
        and words[0] == key
    ]
    if len(found) != 1:
        return None
    cluster = found[0]
    if cluster.type == "person":
        cluster.type = "organization"
        moved = [pair for pair in person_mentions if pair[1] is cluster]
        person_mentions[:] = [pair for pair in person_mentions if pair[1] is not cluster]
        group_mentions.extend(moved)
    return cluster


def _new_cluster(clusters: list[Cluster], type_: str, name: str, place: Place | None) -> Cluster:
    cluster = Cluster(
        id=f"e{len(clusters) + 1}",
        type=type_,
        name=name,
        tokens=frozenset(name_key(name).split()),
        kb=dict(place.kb) if place is not None else {},
        place=place,
    )
    clusters.append(cluster)
    return cluster


def _complete(
    doc: Doc,
    clusters: list[Cluster],
    by_token: dict[int, Cluster],
    spans: dict[int, tuple[int, int]],
    person_mentions: list[tuple[int, Cluster]],
    group_mentions: list[tuple[int, Cluster]],
) -> None:
    """Add the occurrences of a known spelling that the model left untagged ("WHO officials")."""
    forms: dict[str, list[tuple[tuple[str, ...], Cluster]]] = {}
    for cluster in clusters:
        seen: set[tuple[str, ...]] = set()
        for start, end in cluster.mentions:
            words = tuple(t.text for t in doc.char_span(start, end) or ())
            if not words or words in seen or not words[0][:1].isupper():
                continue
            if cluster.place is not None and len(words) == 1 and not words[0].isupper():
                continue  # single-word places: the model's call ("Turkey", "Jordan")
            seen.add(words)
            forms.setdefault(words[0], []).append((words, cluster))
    surnames: dict[str, Cluster | None] = {}  # a person's last name alone: "Bardos said"
    for cluster in clusters:
        words_ = _strip_titles(cluster.name).split()
        if cluster.type == "person" and len(words_) >= 2 and words_[-1][:1].isupper():
            last = words_[-1]
            surnames[last] = None if surnames.get(last, cluster) is not cluster else cluster
    speech = attribution_lexicon().speech_verbs
    for last, owner in surnames.items():
        if owner is None or (last,) in {w for w, _ in forms.get(last, [])}:
            continue  # two people share it, or it is a form already
        forms.setdefault(last, []).append(((last,), owner))
    if not forms:
        return
    for token in doc:
        if token.i in by_token or token.text not in forms:
            continue
        for words, cluster in sorted(forms[token.text], key=lambda f: -len(f[0])):
            end = token.i + len(words)
            if end > len(doc) or tuple(t.text for t in doc[token.i : end]) != words:
                continue
            if any(i in by_token for i in range(token.i, end)):
                continue
            if (
                len(words) == 1
                and token.is_sent_start
                and not token.text.isupper()
                and not (token.dep_ == "nsubj" and token.head.lemma_.lower() in speech)
            ):
                continue  # "Will", "Mark" opening a sentence; "Bardos said" is a name
            span = doc[token.i : end]
            cluster.add(span.text, span.start_char, span.end_char)
            for i in range(token.i, end):
                by_token[i] = cluster
                spans[i] = (token.i, end)
            if cluster.type == "person":
                person_mentions.append((token.i, cluster))
            elif cluster.type == "organization":
                group_mentions.append((token.i, cluster))
            break


def _role(phrase: Span) -> str | None:
    """The key of a role phrase ("the North Korean leader" → "north korean leader"), or None."""
    tokens = [t for t in phrase if not (t.is_punct or t.is_space)]
    while tokens and tokens[0].lower_ in _LEADING:
        tokens = tokens[1:]
    if (
        not tokens
        or len(tokens) > 5
        or tokens[-1].lower_ not in attribution_lexicon().source_titles
    ):
        return None
    if len(tokens) == 1:
        return None  # "the president" alone is too vague to bind
    return name_key(" ".join(t.text for t in tokens))


def _role_phrases(
    doc: Doc,
    clusters: list[Cluster],
    by_token: dict[int, Cluster],
    spans: dict[int, tuple[int, int]],
    by_key: dict[str, Cluster],
    by_title: dict[str, list[tuple[int, Cluster]]],
) -> None:
    """Bind "the North Korean leader" to Kim Jong Un when the article puts them together.

    A role before the name ("the North Korean leader Kim Jong Un", "Mayor John Tory") or in
    apposition to it ("Kim Jong Un, the North Korean leader,") becomes a way to name that
    person later; its last word, a title ("leader", "mayor"), names the person last given it.
    """
    titles = attribution_lexicon().source_titles
    for cluster in clusters:
        if cluster.type != "person":
            continue
        for start, end in list(cluster.mentions):
            ent = doc.char_span(start, end)
            if ent is None:
                continue
            root = ent.root
            phrases = []
            if root.left_edge.i < ent.start:
                phrases.append(doc[root.left_edge.i : ent.start])
            for child in root.children:
                if child.dep_ == "appos" and child.i >= ent.end:
                    phrases.append(doc[child.left_edge.i : child.right_edge.i + 1])
            for phrase in phrases:
                key = _role(phrase)
                if key and key not in by_key:
                    by_key[key] = cluster
                words = [t for t in phrase if not (t.is_punct or t.is_space)]
                if words and words[-1].lower_ in titles and words[-1].pos_ in ("NOUN", "PROPN"):
                    by_title.setdefault(words[-1].lower_, []).append((start, cluster))


def _mention_place(
    m: _Mention, ent: Span, key: str, clusters: list[Cluster], gaz: Gazetteer
) -> Place | None:
    """The gazetteer entry a mention names, if it names one."""
    place = m.place
    if m.label == "PERSON" and place is not None:
        # "Jordan" is Michael Jordan's when he is in the article; else the gazetteer wins
        words = frozenset(key.split())
        if any(c.type == "person" and words <= c.tokens for c in clusters):
            place = None
    if place is not None and place.kind == "city" and is_actor(ent.root):
        state = gaz.capital_of(place.name)
        if state is not None and place.id in gaz.capital_cities and state.id == place.country:
            place = state  # "Moscow accepted …": the state acts
    return place


def _bracketed_acronym(
    doc: Doc,
    end: int,
    cluster: Cluster,
    by_key: dict[str, Cluster],
    by_token: dict[int, Cluster],
    spans: dict[int, tuple[int, int]],
) -> None:
    """ "Korean Central News Agency (KCNA)": the bracketed acronym after ``end`` is an alias."""
    after = doc[end : end + 3]
    if len(after) == 3 and after[0].text == "(" and after[2].text == ")":
        acr = after[1].text
        if acr.isupper() and (acr == _acronym(cluster.name.split()) or len(acr) <= 6):
            by_key.setdefault(name_key(acr), cluster)
            if after[1].i not in by_token:
                cluster.add(acr, after[1].idx, after[1].idx + len(acr))
                by_token[after[1].i] = cluster
                spans[after[1].i] = (after[1].i, after[1].i + 1)


def _majority_labels(doc: Doc, mentions: list[_Mention]) -> dict[str, str]:
    """The label most mentions of a spelling carry, where the model labelled it both ways
    ("Brooks" ORG once, PERSON five times): every mention then takes that label."""
    votes: dict[str, dict[str, int]] = {}
    for m in mentions:
        if m.place is None and m.label in NAME_LABELS:
            count = votes.setdefault(name_key(doc[m.start : m.end].text), {})
            count[m.label] = count.get(m.label, 0) + 1
    majority: dict[str, str] = {}
    for key, count in votes.items():
        ranked = sorted(count.items(), key=lambda kv: -kv[1])
        if len(ranked) > 1 and ranked[0][1] > ranked[1][1]:
            majority[key] = ranked[0][0]
    return majority


def build_names(doc: Doc) -> Names:
    """Cluster the names of ``doc`` (people, organisations, places, groups)."""
    gaz = gazetteer()
    clusters: list[Cluster] = []
    by_key: dict[str, Cluster] = {}
    by_place: dict[str, Cluster] = {}
    by_token: dict[int, Cluster] = {}
    spans: dict[int, tuple[int, int]] = {}
    person_mentions: list[tuple[int, Cluster]] = []
    group_mentions: list[tuple[int, Cluster]] = []
    mentions = _mentions(doc, gaz)
    # longest first, so short forms ("Kim") find the full name they belong to
    order = sorted(
        mentions,
        key=lambda m: (-len(name_key(_strip_titles(doc[m.start : m.end].text)).split()), m.start),
    )
    labels = _majority_labels(doc, mentions)
    for m in order:
        ent = doc[m.start : m.end]
        text = ent.text
        key = name_key(text)
        place = _mention_place(m, ent, key, clusters, gaz)
        if place is None and key in labels:
            m.label = labels[key]
        cluster: Cluster | None = None
        if place is not None:
            cluster = by_place.get(place.id)
            if cluster is None:
                cluster = _new_cluster(clusters, place.type, place.name, place)
                by_place[place.id] = cluster
            if m.via != "demonym":
                by_key.setdefault(key, cluster)
        else:
            if m.label not in NAME_LABELS and not _OTHER_LABELS.get(m.label):
                continue
            cluster = by_key.get(key)
            if cluster is not None and cluster.place is not None:
                cluster = None if cluster.type != NAME_LABELS.get(m.label) else cluster
            if cluster is None and m.label == "PERSON":
                words = frozenset(key.split())
                candidates = [c for c in clusters if c.type == "person" and words <= c.tokens]
                if candidates:
                    cluster = min(candidates, key=lambda c: c.mentions[0][0])
            if cluster is None and m.label == "ORG":
                cluster = _long_form(clusters, key, person_mentions, group_mentions)
            if cluster is None:
                type_ = NAME_LABELS.get(m.label) or _OTHER_LABELS.get(m.label) or "group"
                cluster = _new_cluster(clusters, type_, text, None)
            by_key.setdefault(key, cluster)
        cluster.add(text, ent.start_char, ent.end_char)
        for i in range(m.start, m.end):
            by_token[i] = cluster
            spans[i] = (m.start, m.end)
        if cluster.type == "person":
            person_mentions.append((m.start, cluster))
        elif cluster.type == "organization":
            group_mentions.append((m.start, cluster))
        _bracketed_acronym(doc, m.end, cluster, by_key, by_token, spans)
    _complete(doc, clusters, by_token, spans, person_mentions, group_mentions)
    by_title: dict[str, list[tuple[int, Cluster]]] = {}
    _role_phrases(doc, clusters, by_token, spans, by_key, by_title)
    # acronyms used without definition ("KCNA" alone) that match a long name's initials
    for cluster in clusters:
        acr = _acronym(cluster.name.split())
        if len(acr) >= 3:
            by_key.setdefault(name_key(acr), cluster)
    for cluster in clusters:
        cluster.mentions.sort()
    person_mentions.sort(key=lambda pair: pair[0])
    group_mentions.sort(key=lambda pair: pair[0])
    return Names(
        clusters,
        by_key,
        person_mentions,
        group_mentions,
        by_token=by_token,
        by_place=by_place,
        spans=spans,
        gaz=gaz,
        doc=doc,
        by_title={title: sorted(found, key=lambda f: f[0]) for title, found in by_title.items()},
    )
