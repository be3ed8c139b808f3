"""Across-articles evaluation: SemEval-2018 task 5 (incidents) and ECB+ (event coreference).

SemEval-2018 task 5 (``../shared/data/semeval2018_task5``): the articles of incidents with at
least two articles are analyzed into a fresh ledger and the cross-document update is run.

- *Document clustering*: two articles are put together when some claim cluster has members in
  both; pairwise precision/recall/F1 over same-incident article pairs.
- *Conflicts*: the gold data has the incident's final killed/injured counts, not what each
  article reported, so the reference for "the articles disagree" is a separate, simple count
  reader over each article's whole text (:func:`reference_counts`, "two people were killed",
  "3 injured"): an incident disagrees when two of its articles give different killed, or
  different injured, counts. Recall: share of those incidents with a ``quantity`` conflict
  (killed/injured facets) between two of their articles. A reported conflict is false when
  its two articles belong to different incidents, or when the reference reader finds the
  same counts in both (``false``: the first counts, over the kinds both state;
  ``false_stated``: every count each states of the conflict's kind, :func:`reference_stated`).
- *Against counts read by hand* (:func:`load_hand_counts`, ``eval/data/semeval_hand_counts.jsonl``:
  the victims killed and injured each article states, for every article of the incidents
  read — suspect ones, ones drawn at random, and fresh ones read once the rules were set,
  scored as a slice of their own): a conflict is true only when its articles' hand
  tolls of its kind differ; recall over the read incidents whose hand tolls differ, and over
  those drawn at random apart. The reader above agrees with the system too often to be
  trusted alone (docs/accuracy.md, "Round 4").

ECB+ (``../shared/data/ecbplus``): gold event mentions (``ACTION_*``/``NEG_*``) of topics
1–35 in the sentences of ``ECBplus_coreference_sentences.csv``, clustered within each gold
topic; CoNLL F1 (mean of MUC, B³, CEAF-e F1) of the same-lemma baseline and of ours (the
documents of a topic are first grouped by the claim clusterer's idf-weighted cosine, then
mentions with the same lemma are joined within a document group), measured in one run.
"""

from __future__ import annotations

import csv
import json
import math
import re
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from newsledger.crossdoc.propositions import terms_of
from newsledger.errors import DataNotFound
from newsledger.eval.checkout import eval_data_file, shared_data_dir
from newsledger.ledger import Ledger
from newsledger.model import Analysis, Article
from newsledger.nlp import load_model
from newsledger.text import cosine

__all__ = [
    "bcubed",
    "ceafe",
    "conll",
    "default_data_dir",
    "evaluate_ecbplus",
    "evaluate_semeval",
    "load_hand_counts",
    "muc",
    "reference_counts",
    "reference_stated",
    "toll_facet",
]


def default_data_dir() -> Path:
    """``../shared/data`` relative to the working directory, else to the repository
    (:class:`~newsledger.errors.DataNotFound` outside a checkout)."""
    return shared_data_dir()


def _prf(tp: float, n_pred: float, n_gold: float) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


# ---------------------------------------------------------------- coreference metrics

Clusters = list[set[Any]]


def muc(key: Clusters, response: Clusters) -> dict[str, float]:
    """MUC (Vilain et al. 1995): links needed to join each key cluster, recovered."""

    def score(a: Clusters, b: Clusters) -> tuple[int, int]:
        where = {m: i for i, c in enumerate(b) for m in c}
        num = den = 0
        for c in a:
            parts = {where.get(m, ("single", m)) for m in c}
            num += len(c) - len(parts)
            den += len(c) - 1
        return num, den

    rn, rd = score(key, response)
    pn, pd = score(response, key)
    p = pn / pd if pd else 0.0
    r = rn / rd if rd else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}  # fmt: skip


def bcubed(key: Clusters, response: Clusters) -> dict[str, float]:
    """B³ (Bagga & Baldwin 1998), mentions weighted equally."""
    k = {m: c for c in key for m in c}
    r = {m: c for c in response for m in c}
    mentions = [m for m in k if m in r]
    if not mentions:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    p = sum(len(k[m] & r[m]) / len(r[m]) for m in mentions) / len(r)
    rec = sum(len(k[m] & r[m]) / len(k[m]) for m in mentions) / len(k)
    return {"precision": round(p, 4), "recall": round(rec, 4),
            "f1": round(2 * p * rec / (p + rec), 4) if p + rec else 0.0}  # fmt: skip


def _hungarian_max(weights: list[list[float]]) -> float:
    """The maximum total weight of a one-to-one assignment (rows ≤ columns padded square)."""
    n = max(len(weights), max((len(r) for r in weights), default=0))
    if n == 0:
        return 0.0
    cost = [[-(weights[i][j] if i < len(weights) and j < len(weights[i]) else 0.0)
             for j in range(n)] for i in range(n)]  # fmt: skip
    inf = float("inf")
    u, v, p, way = [0.0] * (n + 1), [0.0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [inf] * (n + 1), [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    return -sum(cost[p[j] - 1][j - 1] for j in range(1, n + 1) if p[j])


def ceafe(key: Clusters, response: Clusters) -> dict[str, float]:
    """CEAF-e (Luo 2005): best one-to-one alignment of clusters, φ4 similarity. The
    bipartite graph is split into connected components, each aligned on its own."""
    owner_r = {m: j for j, c in enumerate(response) for m in c}
    adj_k: dict[int, set[int]] = defaultdict(set)
    for i, c in enumerate(key):
        for m in c:
            if m in owner_r:
                adj_k[i].add(owner_r[m])
    adj_r: dict[int, set[int]] = defaultdict(set)
    for i, js in adj_k.items():
        for j in js:
            adj_r[j].add(i)
    seen: set[int] = set()
    total = 0.0
    for start in adj_k:
        if start in seen:
            continue
        ks, rs, stack = set(), set(), [start]
        while stack:
            i = stack.pop()
            if i in ks:
                continue
            ks.add(i)
            for j in adj_k[i]:
                if j not in rs:
                    rs.add(j)
                    stack.extend(adj_r[j] - ks)
        seen |= ks
        kl, rl = sorted(ks), sorted(rs)
        w = [[2 * len(key[i] & response[j]) / (len(key[i]) + len(response[j])) for j in rl]
             for i in kl]  # fmt: skip
        total += _hungarian_max(w)
    p = total / len(response) if response else 0.0
    r = total / len(key) if key else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}  # fmt: skip


def conll(key: Clusters, response: Clusters) -> dict[str, Any]:
    scores: dict[str, Any] = {"muc": muc(key, response), "bcubed": bcubed(key, response),
              "ceafe": ceafe(key, response)}  # fmt: skip
    scores["conll_f1"] = round(sum(s["f1"] for s in scores.values()) / 3, 4)
    return scores


# ---------------------------------------------------------------- ECB+


@dataclass
class Mention:
    id: str  # doc:m_id
    topic: str
    doc: str
    tokens: list[str]
    token_ids: list[int]
    sentence: int
    gold: str


def _ecb_docs(root: Path, topics: Iterable[int]) -> Iterator[tuple[str, str, ET.Element]]:
    for t in topics:
        folder = root / "ECB+" / str(t)
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.xml")):
            yield str(t), path.stem, ET.parse(path).getroot()


def load_ecbplus(
    data: Path, topics: Iterable[int] = range(1, 36)
) -> tuple[list[Mention], dict[str, list[str]]]:
    """Gold event mentions in the selected sentences, and each document's tokens."""
    root = data / "ecbplus"
    selection = root / "ECBplus_coreference_sentences.csv"
    if not selection.is_file():
        raise DataNotFound(f"ECB+ not found: {selection} is missing")
    chosen: set[tuple[str, int]] = set()
    with selection.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            chosen.add((f"{row['Topic']}_{row['File']}", int(row["Sentence Number"])))
    mentions: list[Mention] = []
    texts: dict[str, list[str]] = {}
    for topic, doc, xml in _ecb_docs(root, topics):
        tokens = {int(t.attrib["t_id"]): (t.text or "", int(t.attrib["sentence"])) for t in
                  xml.iter("token")}  # fmt: skip
        texts[doc] = [tokens[k][0] for k in sorted(tokens)]
        gold: dict[str, str] = {}
        markables = xml.find("Markables")
        relations = xml.find("Relations")
        if markables is None:
            continue
        for rel in relations if relations is not None else []:
            if rel.tag not in ("CROSS_DOC_COREF", "INTRA_DOC_COREF"):
                continue
            name = rel.get("note") if rel.tag == "CROSS_DOC_COREF" else None
            name = name or f"{doc}:{rel.get('r_id')}"
            for src in rel.findall("source"):
                gold[str(src.get("m_id"))] = name
        for m in markables:
            if not (m.tag.startswith("ACTION") or m.tag.startswith("NEG")):
                continue
            ids = [int(a.attrib["t_id"]) for a in m.findall("token_anchor")]
            if not ids:
                continue
            sentence = tokens[ids[0]][1]
            if (doc.removesuffix(".xml"), sentence) not in chosen:
                continue
            mid = str(m.get("m_id"))
            mentions.append(Mention(
                f"{doc}:{mid}", topic, doc, [tokens[i][0] for i in ids], ids, sentence,
                gold.get(mid, f"{doc}:{mid}:single"),
            ))  # fmt: skip
    return mentions, texts


def _lemmas(mentions: list[Mention], texts: dict[str, list[str]]) -> dict[str, str]:
    """Each mention's lemma string, from spaCy run over its document's tokens."""
    nlp = load_model()
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_doc[m.doc].append(m)
    out: dict[str, str] = {}
    disabled = [p for p in ("parser", "ner") if p in nlp.pipe_names]
    with nlp.select_pipes(disable=disabled):
        for doc_name, ms in by_doc.items():
            words = [w if w.strip() else "_" for w in texts[doc_name]]
            doc = nlp(Doc(nlp.vocab, words=words))
            for m in ms:
                out[m.id] = " ".join(doc[i - 1].lemma_.lower() for i in m.token_ids
                                     if i - 1 < len(doc))  # fmt: skip
    return out


def _group_documents(texts: dict[str, list[str]], docs: list[str], threshold: float) -> dict:
    """Documents of one topic grouped as claims are: a document joins the group whose
    members' idf-weighted term cosine is highest, if ≥ ``threshold``, else starts one."""

    terms = {d: terms_of(" ".join(texts[d])) for d in docs}
    df: dict[str, int] = defaultdict(int)
    for d in docs:
        for t in terms[d]:
            df[t] += 1
    n = len(docs)
    weights = {t: max(0.0, math.log((n + 1) / (c + 0.5))) for t, c in df.items()}
    groups: list[list[str]] = []
    for d in docs:
        best, best_sim = None, 0.0
        for g in groups:
            sim = max(cosine(terms[d], terms[o], weights)[0] for o in g)
            if sim > best_sim:
                best, best_sim = g, sim
        if best is not None and best_sim >= threshold:
            best.append(d)
        else:
            groups.append([d])
    return {d: i for i, g in enumerate(groups) for d in g}


def _score_ecb(
    mentions: list[Mention], texts: dict[str, list[str]], lemma: dict[str, str], threshold: float
) -> dict[str, Any]:
    key: dict[str, set[str]] = defaultdict(set)
    base: dict[str, set[str]] = defaultdict(set)
    ours: dict[str, set[str]] = defaultdict(set)
    by_topic: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        key[f"{m.topic}|{m.gold}"].add(m.id)
        base[f"{m.topic}|{lemma[m.id]}"].add(m.id)
        if m.doc not in by_topic[m.topic]:
            by_topic[m.topic].append(m.doc)
    group = {}
    for topic, docs in by_topic.items():
        for d, g in _group_documents(texts, sorted(docs), threshold).items():
            group[d] = f"{topic}.{g}"
    for m in mentions:
        ours[f"{group[m.doc]}|{lemma[m.id]}"].add(m.id)
    gold = list(key.values())
    return {
        "mentions": len(mentions),
        "documents": len(group),
        "document_groups": len(set(group.values())),
        "gold_clusters": len(gold),
        "same_lemma": conll(gold, list(base.values())),
        "ours": conll(gold, list(ours.values())),
    }


#: Document grouping threshold, chosen on topics 1–20 (0.02–0.15 tried); 21–35 are reported
#: apart as the part it was not chosen on.
ECB_THRESHOLD = 0.05


def evaluate_ecbplus(
    data: Path | None = None,
    *,
    topics: Iterable[int] = range(1, 36),
    threshold: float = ECB_THRESHOLD,
) -> dict[str, Any]:
    """CoNLL F1 of the same-lemma baseline and of ours on ECB+ gold event mentions, over all
    the topics and over topics 1–20 and 21–35 apart."""
    data = data or default_data_dir()
    mentions, texts = load_ecbplus(data, topics)
    if not mentions:
        raise DataNotFound(f"no ECB+ event mentions under {data / 'ecbplus'}")
    lemma = _lemmas(mentions, texts)
    report = _score_ecb(mentions, texts, lemma, threshold)
    report["threshold"] = threshold
    report["topics"] = sorted({m.topic for m in mentions}, key=int)
    report["topics_1_20"] = _score_ecb(
        [m for m in mentions if int(m.topic) <= 20], texts, lemma, threshold
    )
    report["topics_21_35"] = _score_ecb(
        [m for m in mentions if int(m.topic) > 20], texts, lemma, threshold
    )
    return report


# ---------------------------------------------------------------- SemEval-2018 task 5


@lru_cache(maxsize=1)
def _reference_patterns() -> dict[str, Any]:
    """The reference reader's patterns, built once from ``eval/data/semeval_reference.json``."""
    with eval_data_file(REFERENCE_WORDS).open(encoding="utf-8") as handle:
        lex = json.load(handle)

    def alt(words: Iterable[str]) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in
                        sorted(words, key=len, reverse=True))  # fmt: skip

    bound = r"(?:(?:at least|more than|about|nearly)\s+)?"
    num = rf"{bound}(\d+|{alt(lex['number_words'])})\b(?!-)"
    # without a noun, "a" / "an" are no count ("a wounded girl", "a dead-end street")
    figure = rf"{bound}(\d+|{alt(w for w in lex['number_words'] if w not in ('a', 'an'))})\b(?!-)"
    noun = rf"({alt(lex['general_nouns'] + lex['group_nouns'])})"
    # one count, or two joined ("three women and one man"): number, modifiers, noun, twice
    mods = r"((?:[\w-]+\s+){0,2}?)"
    counted = rf"{num}\s*{mods}{noun}(?:\s+and\s+{num}\s*{mods}{noun})?"
    verb = rf"({alt(lex['killed_words'] + lex['injured_words'])})\b(?!-)"
    be = r"(?:were|was|have\s+been|has\s+been|had\s+been|are|is)"
    not_object = rf"(?!\s+(?:{alt(lex['object_words'])})\b)"  # "a woman fatally shot her son"
    flags = re.IGNORECASE
    return {
        "lex": lex,
        # "two people were killed", "three girls and two boys were hospitalized"
        "passive": re.compile(rf"\b{counted}\s+{be}\s+(?:[\w-]+\s+){{0,3}}?{verb}", flags),
        # "left three women and one man injured", "leaving five people hurt"
        "short": re.compile(rf"\b{counted}\s+{verb}{not_object}", flags),
        # "3 dead, 7 hurt", "left 2 dead and 4 injured in"; not "one wounded patient"
        "bare": re.compile(
            rf"\b{figure}\s+{verb}(?=\s*(?:[^\w\s]|$)|\s+(?:{alt(lex['bare_followers'])})\b)",
            flags,
        ),
        # "killed four people", "wounding one", "kill 2, injure 2"
        "active": re.compile(
            rf"\b({alt(lex['active_killed'] + lex['active_injured'])})\s+"
            rf"(?:{num}\s*{mods}{noun}\b|{figure}(?=\s*(?:[,.;]|and\b|$)))",
            flags,
        ),
        "year": re.compile(r"\b(1[89]\d\d|20\d\d)\b"),
        "sentence": re.compile(r"(?<=[.!?])\s+|\n+"),
    }


def _reference_value(word: str, lex: dict[str, Any]) -> int:
    w = word.lower()
    return int(w) if w.isdigit() else int(lex["number_words"][w])


def _reference_hits(sentence: str, pat: dict[str, Any]) -> list[tuple[int, str, int, int, str]]:
    """(start, verb, count, rank, modifiers) of the counts in one sentence; rank 0: people at
    large (or no noun, or a sum of two counts), 1: a group ("three girls"). One person of a
    group ("a man was killed", "a boy wounded") names a victim, not a toll: left out."""
    lex = pat["lex"]
    general = {" ".join(w.split()) for w in lex["general_nouns"]}

    def rank(n: int, noun: str | None) -> int:
        noun = " ".join((noun or "").lower().split())
        return 0 if not noun or noun in general else 1 if n > 1 else 2

    hits = []
    for name in ("passive", "short"):
        for m in pat[name].finditer(sentence):
            n = _reference_value(m.group(1), lex)
            r = rank(n, m.group(3))
            if m.group(4):  # "two civilians and one officer": a sum
                n, r = n + _reference_value(m.group(4), lex), 0
            if r < 2:
                hits.append((m.start(), m.group(7), n, r, m.group(2)))
    for m in pat["bare"].finditer(sentence):
        hits.append((m.start(), m.group(2), _reference_value(m.group(1), lex), 0, ""))
    for m in pat["active"].finditer(sentence):
        if m.group(5):  # "wounding one."
            hits.append((m.start(), m.group(1), _reference_value(m.group(5), lex), 0, ""))
            continue
        n = _reference_value(m.group(2), lex)
        if (r := rank(n, m.group(4))) < 2:
            hits.append((m.start(), m.group(1), n, r, m.group(3)))
    return sorted(hits)


def reference_counts(text: str, year: int | None = None) -> dict[str, int]:
    """The killed and injured counts a text states for its incident, for the conflict
    reference only ("two men were killed", "3 dead, 7 hurt", "killed four people"); a
    missing count is left out.

    Per kind, the first count of people at large ("people", "victims", "others", no noun, or a
    sum "two civilians and one officer"), else the first count of a group ("three girls").
    Left out: one person of a group ("a man was killed": a victim, not a toll), increments
    ("two more people were killed"), parts ("including three children", "one of the
    others"), and sentences about other incidents —
    tallies ("in weekend shootings", "this year", "three years ago") and, given the
    incident's ``year``, sentences naming another year ("the 2009 shooting that left 13
    dead")."""
    return _first_counts(_reference_found(text, year))


def _first_counts(found: dict[str, list[tuple[int, int, int, int]]]) -> dict[str, int]:
    return {kind: min(hits)[3] for kind, hits in found.items() if hits}


def _every_count(found: dict[str, list[tuple[int, int, int, int]]]) -> dict[str, set[int]]:
    return {kind: {h[3] for h in hits} for kind, hits in found.items() if hits}


def reference_stated(text: str, year: int | None = None) -> dict[str, set[int]]:
    """Every killed and injured count :func:`reference_counts` reads in a text for its
    incident (not only the first): what the article states, for judging whether two
    articles' counts differ."""
    return _every_count(_reference_found(text, year))


def _reference_found(text: str, year: int | None) -> dict[str, list[tuple[int, int, int, int]]]:
    """Per kind, (rank, sentence, start, count) of the counts the reference reads."""
    pat = _reference_patterns()
    lex = pat["lex"]
    killed = {" ".join(w.split()) for w in lex["killed_words"] + lex["active_killed"]}
    cues = [c.lower() for c in lex["aggregate_cues"]]
    parts = "|".join(re.escape(c) for c in lex["part_cues"])
    found: dict[str, list[tuple[int, int, int, int]]] = {"killed": [], "injured": []}
    for index, sentence in enumerate(pat["sentence"].split(text)):
        low = sentence.lower()
        if any(re.search(rf"\b{re.escape(c)}\b", low) for c in cues):
            continue
        if year is not None and any(int(y) != year for y in pat["year"].findall(sentence)):
            continue
        for start, word, n, rank, mods in _reference_hits(sentence, pat):
            if set(mods.lower().split()) & set(lex["increment_words"]):
                continue  # "two more people were killed"
            if "of" in mods.lower().split():
                continue  # "one of the others injured": a part
            if re.search(rf"\b(?:{parts})(?:\s+the)?\s*$", low[max(0, start - 24) : start]):
                continue  # "including three children", "including the two killed"
            kind = "killed" if " ".join(word.lower().split()) in killed else "injured"
            found[kind].append((rank, index, start, n))
    return found


@dataclass
class SemEvalDoc:
    doc_id: str
    incident: str
    title: str | None
    published: str | None
    text: str
    counts: dict[str, int] = field(default_factory=dict)
    stated: dict[str, set[int]] = field(default_factory=dict)


def load_semeval(data: Path, limit: int | None = None) -> list[SemEvalDoc]:
    """Articles of the incidents with ≥ 2 articles, first ``limit`` incidents (by id)."""
    path = data / "semeval2018_task5" / "documents.jsonl"
    if not path.is_file():
        raise DataNotFound(f"SemEval-2018 task 5 not found: {path} is missing")
    by_incident: dict[str, list[dict]] = defaultdict(list)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            d = json.loads(line)
            by_incident[d["incident_uri"]].append(d)
    incidents = sorted((i for i, ds in by_incident.items() if len(ds) >= 2), key=str)
    if limit is not None:
        incidents = incidents[:limit]
    years = _incident_years(data / "semeval2018_task5" / "incidents.jsonl")
    out = []
    for inc in incidents:
        for d in by_incident[inc]:
            text = d["content"] or ""
            found = _reference_found(text, years.get(inc))  # the text the system reads
            out.append(SemEvalDoc(d["doc_id"], inc, d.get("title"), d.get("dct"), text,
                                  _first_counts(found), _every_count(found)))  # fmt: skip
    return out


def _incident_years(path: Path) -> dict[str, int]:
    """The year of each gold incident ("April 10, 2017" → 2017); none when the file is absent."""
    out: dict[str, int] = {}
    if not path.is_file():
        return out
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            d = json.loads(line)
            if m := re.search(r"\b(\d{4})\b", d.get("date") or ""):
                out[str(d["incident_uri"])] = int(m.group(1))
    return out


HELD_OUT_FROM = 901  # incidents ranked from here on were kept out of rule development
HAND_COUNTS = "semeval_hand_counts.jsonl"  # in eval/data/ of the checkout
REFERENCE_WORDS = "semeval_reference.json"  # in eval/data/ of the checkout


@dataclass
class HandCount:
    """What one article states about its incident's toll, read by hand (victims only)."""

    about: bool
    killed: int | None
    injured: int | None
    killed_all: frozenset[int]
    injured_all: frozenset[int]
    random: bool = False  # its incident was drawn at random, not picked as suspect
    fresh: bool = False  # drawn at random from incidents not read before, read after the rules
    attacker_died: bool = False
    attacker_injured: bool = False


def load_hand_counts(path: Path | None = None) -> dict[str, HandCount]:
    """The hand-read counts (``eval/data/semeval_hand_counts.jsonl`` of the checkout unless
    ``path`` is given; :class:`DataNotFound` when the file is missing): one line per article
    with ``doc_id``, ``about``, ``killed``, ``injured``, ``killed_all``, ``injured_all`` and
    ``picked`` (``random`` when its incident was drawn at random; ``fresh`` when it was
    drawn at random from the incidents not read before and read once the rules were set:
    the ``fresh`` slice of the report)."""
    path = path or eval_data_file(HAND_COUNTS)
    if not path.is_file():
        raise DataNotFound(f"hand counts not found: {path}")
    out: dict[str, HandCount] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                about = bool(d["about"])
                out[str(d["doc_id"])] = HandCount(
                    about,
                    d.get("killed") if about else None,
                    d.get("injured") if about else None,
                    frozenset(d.get("killed_all") or ()) if about else frozenset(),
                    frozenset(d.get("injured_all") or ()) if about else frozenset(),
                    d.get("picked") == "random",
                    d.get("picked") == "fresh",
                    bool(d.get("perpetrator_died")),
                    bool(d.get("perpetrator_injured")),
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}, line {number}: not a hand count ({exc})") from exc
    return out


@dataclass
class _Found:
    doc_a: str
    doc_b: str
    facet: str  # killed | injured | killed_or_injured
    values: tuple[str | None, str | None]
    explanation: str = ""
    confidence: float | None = None


def toll_facet(explanation: str) -> str | None:
    """The casualty facet (killed, injured, killed_or_injured) of a quantity conflict, from
    its explanation ("people/killed: …", "people/killed (man kill): …"); None for a figure
    of anything else."""
    found = re.match(r"\w+/(killed|injured|killed_or_injured)[ :]", explanation)
    return found.group(1) if found else None


def _hand_true(facet: str, a: HandCount, b: HandCount, *, every: bool) -> bool:
    """Do the two articles state different tolls of the conflict's kind? ``every``: any
    figure either states at some point, else the latest one."""
    kinds = ("killed", "injured") if facet == "killed_or_injured" else (facet,)
    for k in kinds:
        if every:
            sa, sb = getattr(a, f"{k}_all"), getattr(b, f"{k}_all")
            if sa and sb and sa != sb:
                return True
        else:
            va, vb = getattr(a, k), getattr(b, k)
            if va is not None and vb is not None and va != vb:
                return True
    return False


def _hand_verdict(
    f: _Found, docs: dict[str, SemEvalDoc], hand: dict[str, HandCount], *, every: bool = False
) -> bool | None:
    """Whether a reported conflict is true by the hand counts: its articles are of one
    incident and their hand tolls of its kind differ; None (unjudged) when they are of one
    incident and an article was not read."""
    if docs[f.doc_a].incident != docs[f.doc_b].incident:
        return False
    if f.doc_a not in hand or f.doc_b not in hand:
        return None
    return _hand_true(f.facet, hand[f.doc_a], hand[f.doc_b], every=every)


def _score_conflicts(
    found: list[_Found],
    incidents: set[str],
    docs: dict[str, SemEvalDoc],
    hand: dict[str, HandCount],
) -> dict[str, Any]:
    """Recall and false rates of the reported conflicts touching ``incidents``, against the
    reference reader and, where every article was read by hand, against the hand counts."""
    by_inc: dict[str, list[str]] = defaultdict(list)
    for d in docs.values():
        if d.incident in incidents:
            by_inc[d.incident].append(d.doc_id)
    disagree = {
        inc
        for inc, ds in by_inc.items()
        for kind in ("killed", "injured")
        if len({docs[d].counts[kind] for d in ds if kind in docs[d].counts}) >= 2
    }
    judged = {inc for inc, ds in by_inc.items() if all(d in hand for d in ds)}
    hand_disagree = {
        inc
        for inc in judged
        for kind in ("killed", "injured")
        if len({v for d in by_inc[inc] if (v := getattr(hand[d], kind)) is not None}) >= 2
    }
    surfaced: set[str] = set()
    reported = false = false_stated = 0
    hand_reported = hand_false = hand_false_every = 0
    hand_true_incidents: set[str] = set()
    for f in found:
        da, db = f.doc_a, f.doc_b
        if docs[da].incident not in incidents and docs[db].incident not in incidents:
            continue
        reported += 1
        same = docs[da].incident == docs[db].incident
        ca, cb = docs[da].counts, docs[db].counts
        shared = [k for k in ("killed", "injured") if k in ca and k in cb]
        agree = bool(shared) and all(ca[k] == cb[k] for k in shared)
        if not same or agree:
            false += 1
        kinds = ("killed", "injured") if f.facet == "killed_or_injured" else (f.facet,)
        sa, sb = docs[da].stated, docs[db].stated
        both = [k for k in kinds if k in sa and k in sb]
        if not same or (both and all(sa[k] == sb[k] for k in both)):
            false_stated += 1
        if same:
            surfaced.add(docs[da].incident)
        if (true := _hand_verdict(f, docs, hand)) is not None:
            hand_reported += 1
            hand_false += not true
            if true:
                hand_true_incidents.add(docs[da].incident)
            hand_false_every += not _hand_verdict(f, docs, hand, every=True)
    hit = len(surfaced & disagree)
    hand_hit = len(surfaced & hand_disagree)
    # incidents drawn at random: an estimate of recall free of how the others were picked
    drawn = {inc for inc in judged if all(hand[d].random for d in by_inc[inc])}
    rate = lambda n, d: round(n / d, 4) if d else 0.0  # noqa: E731
    return {
        "reference_disagreeing_incidents": len(disagree),
        "surfaced": hit,
        "recall": rate(hit, len(disagree)),
        "reported": reported,
        "false": false,
        "false_rate": rate(false, reported),
        "false_stated": false_stated,
        "false_stated_rate": rate(false_stated, reported),
        "hand": {
            "incidents_read": len(judged),
            "disagreeing_incidents": len(hand_disagree),
            "surfaced": hand_hit,
            "recall": rate(hand_hit, len(hand_disagree)),
            # stricter: the incident has a conflict whose two counts really differ
            "surfaced_true": len(hand_true_incidents & hand_disagree),
            "recall_true": rate(len(hand_true_incidents & hand_disagree), len(hand_disagree)),
            "random_incidents_read": len(drawn),
            "random_disagreeing": len(drawn & hand_disagree),
            "random_surfaced_true": len(drawn & hand_disagree & hand_true_incidents),
            "random_recall_true": rate(
                len(drawn & hand_disagree & hand_true_incidents), len(drawn & hand_disagree)
            ),
            "judged": hand_reported,
            "unjudged": reported - hand_reported,
            "false": hand_false,
            "false_rate": rate(hand_false, hand_reported),
            "false_every_stated": hand_false_every,
            "false_every_stated_rate": rate(hand_false_every, hand_reported),
        },
        "ranked": _ranked(found, incidents, docs, hand, hand_disagree),
    }


#: How many of the surest judged conflicts the precision is given for.
RANKS = (10, 20, 50, 100, 200)


def _ranked(
    found: list[_Found],
    incidents: set[str],
    docs: dict[str, SemEvalDoc],
    hand: dict[str, HandCount],
    hand_disagree: set[str],
) -> dict[str, Any]:
    """Precision of the surest conflicts by the hand counts: the conflicts touching
    ``incidents`` that can be judged (their articles of two incidents, or both read by
    hand), ranked by confidence (ties: as stored); ``at``: precision of the first k for each
    k of :data:`RANKS` they reach; ``curve``: precision and hand recall (disagreeing
    incidents surfaced by a true conflict) after each tenth of the ranking."""
    judged: list[tuple[float, bool, str]] = []
    for f in found:
        if docs[f.doc_a].incident not in incidents and docs[f.doc_b].incident not in incidents:
            continue
        true = _hand_verdict(f, docs, hand)
        if true is not None:
            judged.append((f.confidence or 0.0, true, docs[f.doc_a].incident))
    judged.sort(key=lambda x: -x[0])
    rate = lambda n, d: round(n / d, 4) if d else 0.0  # noqa: E731
    at = {
        str(k): {"precision": rate(sum(t for _, t, _ in judged[:k]), k), "lowest": judged[k - 1][0]}
        for k in RANKS
        if len(judged) >= k
    }
    curve = []
    steps = sorted({max(1, round(len(judged) * i / 10)) for i in range(1, 11)}) if judged else []
    for k in steps:
        top = judged[:k]
        hit = {inc for _, t, inc in top if t} & hand_disagree
        curve.append({
            "k": k, "confidence": top[-1][0], "precision": rate(sum(t for _, t, _ in top), k),
            "recall": rate(len(hit), len(hand_disagree)),
        })  # fmt: skip
    return {"judged": len(judged), "at": at, "curve": curve}


def evaluate_semeval(
    analyze: Callable[[Iterable[Article]], Iterable[Analysis]],
    data: Path | None = None,
    *,
    limit: int | None = 100,
    db: Path | None = None,
    hand: dict[str, HandCount] | None = None,
) -> dict[str, Any]:
    """Document clustering and conflict recall/precision on SemEval-2018 task 5. With
    ``db``, the analyzed articles are kept in that ledger and a later run reuses them (only
    the cross-document tables are rebuilt). Scores are given for all incidents and, when the
    limit reaches past them, for the development (first 900) and held-out ones apart, and for
    the incidents read by hand once the rules were set ("fresh") apart from both."""
    data = data or default_data_dir()
    docs = load_semeval(data, limit)
    hand = load_hand_counts() if hand is None else hand
    incident_of = {d.doc_id: d.incident for d in docs}
    with tempfile.TemporaryDirectory() as tmp, Ledger(db or Path(tmp) / "semeval.db") as ledger:
        known = set(ledger.article_ids())
        articles = [Article(d.text, id=d.doc_id, title=d.title, published=d.published)
                    for d in docs if d.text.strip() and d.doc_id not in known]  # fmt: skip
        for analysis in analyze(articles) if articles else ():
            ledger.add(analysis)
        wanted = set(incident_of)
        stored = [a for a in ledger.article_ids() if a in wanted]
        ledger.rebuild_crossdoc()
        con = ledger.con
        pairs: set[tuple[str, str]] = set()
        for (cid,) in con.execute("SELECT id FROM claims WHERE articles >= 2"):
            arts = sorted(
                {
                    r[0]
                    for r in con.execute(
                        "SELECT article_id FROM claim_members WHERE claim_id = ?", (cid,)
                    )
                }
                & wanted
            )
            pairs.update(combinations(arts, 2))  # fmt: skip
        rows = con.execute(
            "SELECT f.attribution_a, f.attribution_b, f.explanation, f.value_a, f.value_b,"
            " f.confidence FROM conflicts f WHERE f.kind = 'quantity'"
            " ORDER BY f.confidence IS NULL, f.confidence DESC, f.id"
        ).fetchall()
        figures = [
            (article, f)
            for article, blob in con.execute("SELECT article_id, figures FROM claim_members")
            for f in json.loads(blob)
            if article in wanted and f["key"] in ("people/killed", "people/injured")
        ]
    found = []
    for a, b, why, va, vb, sure in rows:
        facet = toll_facet(why)
        da, db_ = a.rsplit(":", 1)[0], b.rsplit(":", 1)[0]
        if facet and da != db_ and da in wanted and db_ in wanted:
            found.append(_Found(da, db_, facet, (va, vb), why, sure))
    gold_pairs = {
        tuple(sorted(p)) for p in combinations(stored, 2) if incident_of[p[0]] == incident_of[p[1]]
    }
    clustering = _prf(len(pairs & gold_pairs), len(pairs), len(gold_pairs))
    kept = {d.doc_id: d for d in docs if d.doc_id in set(stored)}
    order = {inc: n for n, inc in enumerate(dict.fromkeys(d.incident for d in docs), 1)}
    every = {d.incident for d in kept.values()}
    report: dict[str, Any] = {
        "incidents": len(every),
        "articles": len(stored),
        "clustering_pairwise": {
            **clustering,
            "gold_pairs": len(gold_pairs),
            "predicted_pairs": len(pairs),
        },  # fmt: skip
        "conflicts": _score_conflicts(found, every, kept, hand),
        "hand_counts": len(hand),
    }
    report["conflicts"]["figures"] = _figures_by_hand(figures, every, kept, hand)
    slices = _slices(every, order, kept, hand)
    split = any(n >= HELD_OUT_FROM for n in order.values())  # the limit reaches past 900
    for name, incidents in slices.items():
        if incidents and (split or name == "fresh"):
            report[name] = _score_conflicts(found, incidents, kept, hand)
            report[name]["figures"] = _figures_by_hand(figures, incidents, kept, hand)
    report["development_false"] = _false_by_hand(found, slices["development"], kept, hand)
    return report


def _slices(
    incidents: set[str],
    rank: dict[str, int],
    docs: dict[str, SemEvalDoc],
    hand: dict[str, HandCount],
) -> dict[str, set[str]]:
    """The incidents scored apart: ``development`` (ranked before ``HELD_OUT_FROM``: the
    rules were written looking at them), ``held_out`` (from it on), and ``fresh`` (read by
    hand once the rules were set: a held-out set taken from both ranges, kept out of both)."""
    fresh = {d.incident for d in docs.values() if d.doc_id in hand and hand[d.doc_id].fresh}
    rest = incidents - fresh
    development = {i for i in rest if rank[i] < HELD_OUT_FROM}
    return {"development": development, "held_out": rest - development, "fresh": fresh & incidents}


def _figures_by_hand(
    figures: list[tuple[str, dict[str, Any]]],
    incidents: set[str],
    docs: dict[str, SemEvalDoc],
    hand: dict[str, HandCount],
) -> dict[str, Any]:
    """How many of the killed/injured figures the system read from articles read by hand are
    a toll the article states (the figure's interval holds one of its hand tolls of that
    kind, or that toll plus the attacker when the article says he died or was hurt); figures
    of a kind the article states no toll of are counted apart."""
    right = wrong = unknown = 0
    for article, f in figures:
        h = hand.get(article)
        if h is None or not h.about or docs[article].incident not in incidents:
            continue
        kind = f["key"].partition("/")[2]
        tolls = set(getattr(h, f"{kind}_all"))
        if (value := getattr(h, kind)) is not None:
            tolls.add(value)
        if not tolls:
            unknown += 1
            continue
        if h.attacker_died if kind == "killed" else h.attacker_injured:
            tolls |= {t + 1 for t in tolls}
        if any(f["lo"] <= t <= f["hi"] for t in tolls):
            right += 1
        else:
            wrong += 1
    return {
        "right": right,
        "wrong": wrong,
        "no_hand_toll": unknown,
        "precision": round(right / (right + wrong), 4) if right + wrong else 0.0,
    }


def _false_by_hand(
    found: list[_Found],
    incidents: set[str],
    docs: dict[str, SemEvalDoc],
    hand: dict[str, HandCount],
) -> list[dict[str, Any]]:
    """The reported conflicts of development incidents that the hand counts call false, with
    both articles' hand tolls, for error analysis (held-out incidents are never listed)."""
    out = []
    for f in found:
        a, b = docs[f.doc_a], docs[f.doc_b]
        if a.incident not in incidents or b.incident not in incidents:
            continue
        if f.doc_a not in hand or f.doc_b not in hand or _hand_verdict(f, docs, hand):
            continue
        ha, hb = hand[f.doc_a], hand[f.doc_b]
        out.append({
            "incidents": [a.incident, b.incident],
            "articles": [f.doc_a, f.doc_b],
            "facet": f.facet,
            "values": list(f.values),
            "hand_killed": [ha.killed, hb.killed],
            "hand_injured": [ha.injured, hb.injured],
            "explanation": f.explanation,
        })  # fmt: skip
    return out
