"""In-document canonical names: one name per person or organisation, and pronouns resolved.

"Kim", "Kim Jong-un", "Comrade Kim Jong-un" and "Kim Jong Un" become one cluster whose name is
its longest full form; "Korean Central News Agency (KCNA)" makes "KCNA" an alias; "he" goes to
the nearest preceding person. Public entry point: :func:`build_names`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsledger.resources import attribution_lexicon

NAME_LABELS = {"PERSON": "person", "ORG": "organization", "GPE": "place", "NORP": "group"}
_HYPHEN = re.compile(r"[-‐‑–]")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def name_key(text: str) -> str:
    """A comparison key: case-folded, hyphens as spaces, possessive dropped, spaces collapsed."""
    text = _POSSESSIVE.sub("", text.strip())
    return " ".join(_HYPHEN.sub(" ", text).casefold().split())


@dataclass
class Cluster:
    id: str
    type: str
    name: str  # canonical: the longest full form, in its first spelling
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)  # char offsets
    tokens: frozenset[str] = frozenset()

    def add(self, text: str, start: int, end: int) -> None:
        if text not in self.aliases and text != self.name:
            self.aliases.append(text)
        if (start, end) not in self.mentions:
            self.mentions.append((start, end))


@dataclass
class Names:
    """The name clusters of one document, and a way to resolve a source span to one of them."""

    clusters: list[Cluster]
    by_key: dict[str, Cluster]
    person_mentions: list[tuple[int, Cluster]]  # (token index, cluster), in text order
    group_mentions: list[tuple[int, Cluster]]

    def lookup(self, text: str) -> Cluster | None:
        return self.by_key.get(name_key(_strip_titles(text)))

    def resolve(self, span: Span) -> tuple[str, Cluster | None, str]:
        """(canonical name, cluster, type) for a source span."""
        lex = attribution_lexicon()
        if len(span) == 1 and span[0].lower_ in lex.person_pronouns:
            return self.resolve_pronoun(span[0])
        # the head noun phrase's named part: "Russian President Vladimir Putin, who ..." → Putin
        for ent in span.ents:
            if not ent.start <= span.root.i < ent.end:
                continue  # "Pyongyang's military" is not Pyongyang
            cluster = self.lookup(ent.text)
            if cluster is not None and ent.label_ in NAME_LABELS:
                return cluster.name, cluster, cluster.type
        # "Pyongyang's military", "the ministry's report": keep the phrase, name it by its owner
        text = _clean_phrase(span)
        cluster = self.lookup(text)
        if cluster is not None:
            return cluster.name, cluster, cluster.type
        root = span.root
        kind = "group" if root.tag_ in ("NNS", "NNPS") else "unknown"
        if root.lower_ in lex.unnamed_sources or root.lemma_.lower() in lex.unnamed_sources:
            kind = "unnamed" if not any(t.ent_type_ for t in span) else "group"
        return text, None, kind

    def resolve_pronoun(self, token: Token) -> tuple[str, Cluster | None, str]:
        gender = attribution_lexicon().person_pronouns.get(token.lower_, "")
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


def _strip_titles(text: str, person: bool = True) -> str:
    titles = attribution_lexicon().source_titles if person else frozenset()
    words = text.split()
    while len(words) > 1 and (words[0].casefold() in titles or words[0].casefold() == "the"):
        words = words[1:]
    return " ".join(words)


def _clean_phrase(span: Span) -> str:
    """The source phrase without relative clauses, trailing punctuation or a leading article."""
    tokens = [
        t for t in span if not any(a.dep_ in ("relcl", "acl") for a in t.ancestors if a in span)
    ]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens.pop()
    while tokens and tokens[0].lower_ in ("the", "a", "an"):
        tokens = tokens[1:]
    if not tokens:
        return span.text
    return span.doc[tokens[0].i : tokens[-1].i + 1].text


def _acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


def build_names(doc: Doc) -> Names:
    """Cluster the names of ``doc`` (PERSON, ORG, GPE, NORP entities)."""
    clusters: list[Cluster] = []
    by_key: dict[str, Cluster] = {}
    person_mentions: list[tuple[int, Cluster]] = []
    group_mentions: list[tuple[int, Cluster]] = []
    ents = [e for e in doc.ents if e.label_ in NAME_LABELS]
    # longest first, so short forms ("Kim") find the full name they belong to
    order = sorted(ents, key=lambda e: (-len(name_key(_strip_titles(e.text)).split()), e.start))
    for ent in order:
        surface = _strip_titles(_POSSESSIVE.sub("", ent.text.strip()), ent.label_ == "PERSON")
        key = name_key(surface)
        if not key:
            continue
        cluster = by_key.get(key)
        if cluster is None and ent.label_ == "PERSON":
            words = frozenset(key.split())
            candidates = [c for c in clusters if c.type == "person" and words <= c.tokens]
            if len(candidates) >= 1:
                cluster = min(candidates, key=lambda c: c.mentions[0][0])
        if cluster is None:
            cluster = Cluster(
                id=f"e{len(clusters) + 1}",
                type=NAME_LABELS[ent.label_],
                name=surface,
                tokens=frozenset(key.split()),
            )
            clusters.append(cluster)
        by_key.setdefault(key, cluster)
        cluster.add(ent.text, ent.start_char, ent.end_char)
        if ent.label_ == "PERSON":
            person_mentions.append((ent.start, cluster))
        elif ent.label_ == "ORG":
            group_mentions.append((ent.start, cluster))
        # "Korean Central News Agency (KCNA)": the bracketed acronym is an alias
        after = doc[ent.end : ent.end + 3]
        if len(after) == 3 and after[0].text == "(" and after[2].text == ")":
            acr = after[1].text
            if acr.isupper() and (acr == _acronym(surface.split()) or len(acr) <= 6):
                by_key.setdefault(name_key(acr), cluster)
                cluster.add(acr, after[1].idx, after[1].idx + len(acr))
    # acronyms used without definition ("KCNA" alone) that match a long name's initials
    for cluster in clusters:
        acr = _acronym(cluster.name.split())
        if len(acr) >= 3:
            by_key.setdefault(name_key(acr), cluster)
    for cluster in clusters:
        cluster.mentions.sort()
    person_mentions.sort(key=lambda pair: pair[0])
    group_mentions.sort(key=lambda pair: pair[0])
    return Names(clusters, by_key, person_mentions, group_mentions)
