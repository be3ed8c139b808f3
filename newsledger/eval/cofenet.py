"""PolNeAR scored as CofeNet scores it: exact token spans per role, over paragraph instances.

CofeNet (Wang et al., COLING 2022) and the BERT-CRF baseline it compares with report PolNeAR
under one protocol; this module reproduces it so that newsledger's numbers sit beside theirs.

Instances
    A PolNeAR article is cut into paragraphs: runs of whole sentences between blank lines (a
    sentence may run over a blank line when no sentence end comes before it), a paragraph of
    one word ("___.", "Netflix.") joining the one before. Tokens are CoreNLP's PTB tokens. Every
    annotator file of an article is an instance set of its own (``id`` =
    ``<article>_<annotator>``). Each instance is cut to its first :data:`MAX_TOKENS` tokens
    before scoring.

    CofeNet's own instance files (``valid.txt``: one JSON object per line with ``id``,
    ``tokens``, ``labels``) are used when given: their tokens are aligned to the article text
    character by character (:func:`align_tokens`), so the scorer sees exactly CofeNet's
    instances (theirs also split a few long paragraphs and move a few sentences, which no rule
    here reproduces). Without a file, :func:`build_instances` makes them with
    :mod:`newsledger.eval.ptb` and the paragraph rule above.

Tags
    BIO per role (:data:`ROLES`: source, cue, content). A predicted token takes the role of a
    span that shares any of its characters; a gold token that of the span holding its last
    character (so CofeNet's labels were made: an annotation that stops inside a word leaves
    it out). Each character span is a span of its own (so every piece of a discontinuous
    content is one), and a span that crosses an instance boundary becomes one span per
    instance. A token takes one role: spans are laid in the order given and the first to
    claim a token keeps it; a span whose tokens are interrupted by a claimed token goes on as
    a new span after it. Gold spans come from the ``.ann`` files (:func:`gold_spans`: sources
    and cues first, then contents); predicted ones from any tagger as character spans, or
    from newsledger's attributions (:func:`attribution_spans`, in the same order).

Score
    A predicted span counts only when its role and exact token boundaries equal a gold span's
    in the same instance (after the cut); precision, recall and F1 are micro-summed per role
    over all instances (:func:`score_cofenet`).

A tagger scores its own character spans so::

    golds, instances, _ = load_gold_instances(data_dir, "dev")
    report = score_cofenet(instances, {"<article>": [("source", 10, 19), ("cue", 20, 24)]})
    report.roles["content"].f1
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from newsledger.errors import DataNotFound
from newsledger.eval.polnear import Counts, GoldAttribution, GoldDoc, load_split
from newsledger.eval.ptb import Token, sentences, tokenize
from newsledger.model import Analysis, Article, Attribution

__all__ = [
    "MAX_TOKENS",
    "ROLES",
    "TAGS",
    "CharSpan",
    "CofenetReport",
    "Instance",
    "InstanceAgreement",
    "align_tokens",
    "attribution_spans",
    "bio_spans",
    "build_instances",
    "compare_instances",
    "compare_tokenizer",
    "default_instances_file",
    "evaluate_cofenet",
    "format_cofenet_report",
    "gold_spans",
    "load_gold_instances",
    "load_instances",
    "paragraphs",
    "read_instance_file",
    "score_cofenet",
    "tag_instances",
    "tag_spans",
]

Range = tuple[int, int]
#: A character span of one role: ``(role, start, end)``, ``text[start:end]`` its characters.
CharSpan = tuple[str, int, int]
#: A token span of one role: ``(role, first, last + 1)`` token indices within an instance.
TokenSpan = tuple[str, int, int]

#: The roles scored, in report order.
ROLES: tuple[str, ...] = ("source", "cue", "content")
#: CofeNet's tag set (its ``tag.txt``).
TAGS: tuple[str, ...] = ("O", *(f"{p}-{r}" for r in ROLES for p in ("B", "I")))
#: CofeNet cuts every instance to this many tokens before scoring.
MAX_TOKENS = 300


@dataclass(slots=True)
class Instance:
    """One scored unit: a paragraph of one article as one annotator's file tags it.

    ``offsets[i]`` are the characters of ``tokens[i]`` in the article text (an abbreviation's
    sentence-final period token repeats its last character). ``tags`` are the gold BIO tags
    (:data:`TAGS`), converted from the ``.ann`` file; ``file_tags`` the labels an instance file
    carried (None for instances built here).
    """

    id: str
    article: str
    annotator: str
    tokens: list[str]
    offsets: list[Range]
    tags: list[str] = field(default_factory=list)
    file_tags: list[str] | None = None


# --------------------------------------------------------------------------- alignment

# One piece of a CoreNLP token and the text it may stand for.
_TOKEN_PIECE = re.compile(r"-[LR][RSC]B-|'''|``|''|--|\.\.\.|.", re.S)
_QUOTE_CHARS = '"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033'
_SINGLE_CHARS = "`'\u2018\u2019\u201a\u201b\u2032"
_PIECE_PATTERNS: dict[str, str] = {
    "``": f"(?:``|''|[{_QUOTE_CHARS}]|\u2018\u2018)",
    "''": f"(?:''|``|[{_QUOTE_CHARS}]|\u2019\u2019)",
    "'''": f"(?:[{_SINGLE_CHARS}][{_QUOTE_CHARS}]|[{_QUOTE_CHARS}][{_SINGLE_CHARS}]|''')",
    "`": f"[{_SINGLE_CHARS}]",
    "'": f"[{_SINGLE_CHARS}]",
    "--": "(?:-{2,}|[\u2014\u2013\u2015\u2012\u2212])",
    "...": "(?:\\.{3,}|\u2026|\\. \\. \\.)",
    "-": "[-\u2010\u2011\u2012\u2013\u2014\u2212]",
    "(": "[(\\[{]",
    ")": "[)\\]}]",
    "-LRB-": "\\(",
    "-RRB-": "\\)",
    "-LSB-": "\\[",
    "-RSB-": "\\]",
    "-LCB-": "\\{",
    "-RCB-": "\\}",
    "\u00a0": "\\s+",
}
# What CoreNLP skips between tokens: white space, soft hyphens, zero-width and control characters.
_SKIPPED = re.compile("[\\s\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff\x00-\x1f\x7f-\x9f]*")


@lru_cache(maxsize=65536)
def _token_pattern(token: str) -> re.Pattern[str]:
    return re.compile(
        "".join(_PIECE_PATTERNS.get(p, re.escape(p)) for p in _TOKEN_PIECE.findall(token))
    )


def _align_at(text: str, tokens: Sequence[str], pos: int) -> tuple[list[Range], int]:
    """Offsets of ``tokens`` read one after the other from ``pos``, and how many matched."""
    out: list[Range] = []
    for i, token in enumerate(tokens):
        pos = _SKIPPED.match(text, pos).end()  # type: ignore[union-attr]  # matches empty
        if token.isalnum() and text.startswith(token, pos):  # the common case, no regex
            out.append((pos, pos + len(token)))
            pos += len(token)
            continue
        m = _token_pattern(token).match(text, pos)
        if m is None:
            if token == "." and out and text[out[-1][1] - 1] == ".":
                # CoreNLP repeats the period of a sentence-final abbreviation ("U.S." ".")
                out.append((out[-1][1] - 1, out[-1][1]))
                continue
            return out, i
        out.append((m.start(), m.end()))
        pos = m.end()
    return out, len(tokens)


def _longest_run(text: str, tokens: Sequence[str], pos: int) -> tuple[list[Range], int]:
    """The longest run of ``tokens`` read in a row anywhere in ``text``; the first whole match
    from ``pos`` on, then from the start."""
    best: tuple[list[Range], int] = ([], 0)
    pattern = _token_pattern(tokens[0])
    for lo, hi in ((pos, len(text)), (0, pos)):
        for m in pattern.finditer(text, lo, hi):
            run, n = _align_at(text, tokens, m.start())
            if n > best[1]:
                best = (run, n)
                if n == len(tokens):
                    return best
    return best


def align_tokens(text: str, tokens: Sequence[str], start: int = 0) -> list[Range]:
    """The character offsets of CoreNLP ``tokens`` in ``text``, read from ``start`` on.

    Tokens are matched in order, skipping white space; ````` ``''`` `` and ``''`` match any
    double quote mark, ````` and ``'`` any single one, ``--`` a dash or a run of hyphens,
    ``...`` an ellipsis, brackets any bracket, and a ``.`` that matches nothing repeats the
    period of the abbreviation before it. Where the text stops matching, the rest of the
    tokens is looked for elsewhere (CofeNet moved a few sentences to another paragraph): the
    longest run of them that matches, first after ``start``. Raises ``ValueError`` when a
    token matches nowhere.
    """
    out: list[Range] = []
    i = 0
    pos = start
    while i < len(tokens):
        run, n = _align_at(text, tokens[i:], pos)
        if i + n < len(tokens):
            far, m = _longest_run(text, tokens[i:], pos)
            if m > n:
                run, n = far, m
        if n == 0:
            raise ValueError(f"tokens {list(tokens[i : i + 5])} not found in the text")
        out += run
        i += n
        pos = run[-1][1]
    return out


# --------------------------------------------------------------------------- instances

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_CLOSERS = frozenset({"''", "'", "'''", ")", "-RSB-", "-RCB-"})


def _is_word(token: Token) -> bool:
    return any(ch.isalnum() for ch in token.text)


def paragraphs(text: str, tokens: list[Token] | None = None) -> list[list[Token]]:
    """CofeNet-style paragraphs of ``text``, each a list of its PTB tokens.

    Sentences (:func:`newsledger.eval.ptb.sentences`) are grouped in order; a new paragraph
    starts at a sentence when a blank line lies between the previous sentence's final
    punctuation and it (closing quotes after that punctuation stay with the sentence they
    close, as CoreNLP attaches them). A paragraph of at most one word joins the one before.
    """
    toks = tokenize(text) if tokens is None else tokens
    groups: list[list[Token]] = []
    prev_end = 0
    for a, b in sentences(toks):
        if groups and not _BLANK_LINE.search(text, prev_end, toks[a].start):
            groups[-1].extend(toks[a:b])
        else:
            groups.append(list(toks[a:b]))
        k = b - 1
        while k > a and toks[k].text in _CLOSERS:
            k -= 1
        prev_end = toks[k].end
    out: list[list[Token]] = []
    for group in groups:
        if out and len(list(islice(filter(_is_word, group), 2))) <= 1:
            out[-1].extend(group)
        else:
            out.append(group)
    return out


def build_instances(article: str, annotator: str, text: str) -> list[Instance]:
    """The instances of one article for one annotator, made with :func:`paragraphs` (no tags)."""
    return [
        Instance(
            id=f"{article}_{annotator}",
            article=article,
            annotator=annotator,
            tokens=[t.text for t in para],
            offsets=[(t.start, t.end) for t in para],
            tags=["O"] * len(para),
        )
        for para in paragraphs(text)
    ]


def read_instance_file(path: Path) -> list[dict[str, Any]]:
    """The records of a CofeNet instance file (one JSON object per line), in file order."""
    path = Path(path)
    if not path.is_file():
        raise DataNotFound(f"CofeNet instance file not found: {path}")
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_instances(path: Path, texts: Mapping[str, str]) -> list[Instance]:
    """CofeNet's instances from ``path``, their tokens aligned to the article ``texts`` (by
    article name). ``file_tags`` keep the file's labels; ``tags`` are all ``O`` until
    :func:`tag_instances` sets the gold. Records of articles missing from ``texts`` are
    skipped. Raises ``ValueError`` naming the instance when its tokens cannot be aligned.
    """
    out: list[Instance] = []
    pos: dict[str, int] = {}
    for record in read_instance_file(path):
        iid = str(record["id"])
        article, _, annotator = iid.rpartition("_")
        text = texts.get(article)
        if text is None:
            continue
        tokens = [str(t) for t in record["tokens"]]
        try:
            offsets = align_tokens(text, tokens, pos.get(iid, 0)) if tokens else []
        except ValueError as exc:
            raise ValueError(f"{path}: instance {iid}: {exc}") from exc
        if offsets:
            pos[iid] = offsets[-1][1]
        labels = record.get("labels")
        out.append(
            Instance(
                id=iid,
                article=article,
                annotator=annotator,
                tokens=tokens,
                offsets=offsets,
                tags=["O"] * len(tokens),
                file_tags=[str(t) for t in labels] if labels is not None else None,
            )
        )
    return out


# --------------------------------------------------------------------------- tagging


def gold_spans(attributions: Iterable[GoldAttribution]) -> list[CharSpan]:
    """The character spans of gold attributions: every source and cue piece, then every
    content piece (so that a content never takes a source's or cue's token)."""
    attributions = list(attributions)
    out: list[CharSpan] = []
    for a in attributions:
        out += [("source", s, e) for s, e in a.source]
        out += [("cue", s, e) for s, e in a.cue]
    for a in attributions:
        out += [("content", s, e) for s, e in a.content]
    return out


def attribution_spans(
    attributions: Iterable[Attribution], outermost_only: bool = True
) -> list[CharSpan]:
    """The character spans of newsledger attributions, for :func:`score_cofenet`.

    Every source and cue, then every content (its ``content_parts`` when the content is
    interrupted, else ``content``), so that a content spanning its own cue leaves the cue
    its tokens. With ``outermost_only`` (the default) attributions nested in another's
    content (``parent`` set) are left out: PolNeAR annotates the outermost one only.
    """
    kept = [a for a in attributions if not (outermost_only and a.parent is not None)]
    out: list[CharSpan] = []
    for a in kept:
        if a.source is not None:
            out.append(("source", a.source.start, a.source.end))
        out.append(("cue", a.cue.start, a.cue.end))
    for a in kept:
        parts = a.content_parts or [a.content]
        out += [("content", p.start, p.end) for p in parts]
    return out


class _TokenIndex:
    """The tokens of one instance by start offset, to find those a character span covers."""

    __slots__ = ("ends", "order", "starts")

    def __init__(self, offsets: Sequence[Range]) -> None:
        self.order = sorted(range(len(offsets)), key=lambda i: offsets[i])
        self.starts = [offsets[i][0] for i in self.order]
        self.ends = [offsets[i][1] for i in self.order]

    def covered(self, start: int, end: int, longest: int) -> list[int]:
        """Indices of the tokens sharing a character with ``[start, end)``, in token order
        (``longest``: the longest token, bounding how far back one may start)."""
        lo = bisect_left(self.starts, start - longest)
        hi = bisect_left(self.starts, end)
        return sorted(
            self.order[k] for k in range(lo, hi) if self.ends[k] > start and self.starts[k] < end
        )


def tag_spans(
    offsets: Sequence[Range], spans: Iterable[CharSpan], last_char: bool = False
) -> list[str]:
    """BIO tags (:data:`TAGS`) of one instance's tokens for character ``spans``.

    A token takes the role of the first span (in the order given) that shares a character
    with it — with ``last_char``, that holds its last character, as CofeNet's gold labels
    were made (an annotation that stops inside a token leaves it ``O``; one that starts
    inside a token takes it). Each span's tokens start with ``B-`` and go on with ``I-``
    while they follow one another; a gap (a token not covered, or claimed by an earlier
    span) starts a new span.
    """
    tags = ["O"] * len(offsets)
    if not offsets:
        return tags
    lo, hi = min(s for s, _ in offsets), max(e for _, e in offsets)
    spans = [(r, s, e) for r, s, e in spans if s < e and e > lo and s < hi]
    if not spans:
        return tags
    index = _TokenIndex(offsets)
    longest = max(e - s for s, e in offsets)
    for role, start, end in spans:
        prev = -2
        for i in index.covered(start, end, longest):
            if tags[i] != "O" or last_char and offsets[i][1] > end:
                prev = -2
                continue
            tags[i] = ("I-" if i == prev + 1 else "B-") + role
            prev = i
    return tags


def tag_instances(instances: Iterable[Instance], spans: Mapping[str, Sequence[CharSpan]]) -> None:
    """Set every instance's gold ``tags`` from character ``spans`` by instance set (``id``),
    each token taking the role of the span that holds its last character."""
    for inst in instances:
        inst.tags = tag_spans(inst.offsets, spans.get(inst.id, ()), last_char=True)


def bio_spans(tags: Sequence[str], max_tokens: int | None = MAX_TOKENS) -> set[TokenSpan]:
    """The spans of a BIO sequence cut to ``max_tokens``: a span starts at ``B-X``, or at an
    ``I-X`` that does not follow a tag of role X, and goes on over ``I-X``."""
    out: set[TokenSpan] = set()
    seq = list(tags[:max_tokens] if max_tokens is not None else tags)
    role: str | None = None
    first = 0
    for i, tag in enumerate([*seq, "O"]):
        prefix, _, r = tag.partition("-")
        if role is not None and not (prefix == "I" and r == role):
            out.add((role, first, i))
            role = None
        if prefix in ("B", "I") and role is None:
            role, first = r, i
    return out


# --------------------------------------------------------------------------- scoring


@dataclass(slots=True)
class CofenetReport:
    """Scores under the CofeNet protocol: ``roles`` maps each of :data:`ROLES` to its counts.

    ``n_tokens`` counts the tokens scored (after the cut), ``n_cut`` the instances longer
    than ``max_tokens``. ``instances`` says where they came from (a file, or ``tokenizer``).
    """

    n_articles: int
    n_sets: int
    n_instances: int
    n_tokens: int
    n_cut: int
    roles: dict[str, Counts]
    max_tokens: int | None = MAX_TOKENS
    split: str | None = None
    instances: str = "tokenizer"
    n_pred_nested_excluded: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": "cofenet",
            "split": self.split,
            "instances": self.instances,
            "n_articles": self.n_articles,
            "n_sets": self.n_sets,
            "n_instances": self.n_instances,
            "n_tokens": self.n_tokens,
            "n_cut": self.n_cut,
            "max_tokens": self.max_tokens,
            "n_pred_nested_excluded": self.n_pred_nested_excluded,
            "roles": {k: v.to_dict() for k, v in self.roles.items()},
        }


def score_cofenet(
    instances: Sequence[Instance],
    predictions: Mapping[str, Sequence[CharSpan]],
    max_tokens: int | None = MAX_TOKENS,
    last_char: bool = False,
) -> CofenetReport:
    """Score predicted character spans against the instances' gold tags, as CofeNet does.

    ``predictions`` maps an article name to its ``(role, start, end)`` character spans (role
    one of :data:`ROLES`; offsets into the article text; an article missing has none). They
    are tagged onto every instance set of the article with :func:`tag_spans` — a span takes
    the tokens it shares a character with, is split at instance boundaries, and the first
    span to claim a token keeps it, so give the spans in priority order. Gold and predicted
    tags are cut to ``max_tokens`` (None: no cut); a predicted span counts when its role and
    exact token boundaries equal a gold span's in the same instance; counts are summed over
    instances per role. ``last_char`` maps predicted spans as the gold was (a token is the
    span's only when the span holds its last character) instead of by any shared character.
    """
    roles = {r: Counts() for r in ROLES}
    n_tokens = n_cut = 0
    for inst in instances:
        pred_tags = tag_spans(inst.offsets, predictions.get(inst.article, ()), last_char)
        gold = bio_spans(inst.tags, max_tokens)
        pred = bio_spans(pred_tags, max_tokens)
        n = len(inst.tokens)
        n_tokens += n if max_tokens is None else min(n, max_tokens)
        n_cut += max_tokens is not None and n > max_tokens
        for role, counts in roles.items():
            g = {s for s in gold if s[0] == role}
            p = {s for s in pred if s[0] == role}
            tp = len(g & p)
            counts.add(tp, len(p) - tp, len(g) - tp)
    return CofenetReport(
        n_articles=len({i.article for i in instances}),
        n_sets=len({i.id for i in instances}),
        n_instances=len(instances),
        n_tokens=n_tokens,
        n_cut=n_cut,
        roles=roles,
        max_tokens=max_tokens,
    )


# --------------------------------------------------------------------------- corpus


def default_instances_file(data_dir: Path, split: str) -> Path | None:
    """CofeNet's own instance file for ``split`` when the corpus folder holds it:
    ``cofenet/valid.txt`` for dev, ``cofenet/<split>.txt`` otherwise."""
    name = "valid" if split == "dev" else split
    for root in (Path(data_dir), Path(data_dir).parent):
        path = root / "cofenet" / f"{name}.txt"
        if path.is_file():
            return path
    return None


def _instances_for(
    golds: Sequence[GoldDoc], instances_file: Path | None
) -> tuple[list[Instance], str]:
    """The instances of ``golds`` (one GoldDoc per annotator file), from the file or built."""
    if instances_file is not None:
        texts = {g.name: g.text for g in golds}
        wanted = {f"{g.name}_{g.annotator}" for g in golds}
        instances = [i for i in load_instances(instances_file, texts) if i.id in wanted]
        missing = sorted(wanted - {i.id for i in instances})
        if missing:
            raise DataNotFound(
                f"{instances_file} has no instances of {len(missing)} annotator file(s) "
                f"of the split, e.g. {missing[0]}"
            )
        return instances, str(instances_file)
    out: list[Instance] = []
    built: dict[str, list[Instance]] = {}
    for g in golds:
        if g.name not in built:
            built[g.name] = build_instances(g.name, g.annotator, g.text)
        out += [
            Instance(f"{g.name}_{g.annotator}", g.name, g.annotator, i.tokens, i.offsets, i.tags)
            for i in built[g.name]
        ]
    return out, "tokenizer"


def load_gold_instances(
    data_dir: Path,
    split: str,
    instances_file: Path | None = None,
    use_default_file: bool = True,
    limit: int | None = None,
) -> tuple[list[GoldDoc], list[Instance], str]:
    """The gold documents of a split (one per annotator file), their instances with gold
    tags set, and where the instances came from.

    ``instances_file`` names a CofeNet instance file; without it, the split's own file
    (:func:`default_instances_file`) is used when ``use_default_file`` and it exists, else
    the instances are built. ``limit`` keeps the first N articles (sorted by name).
    """
    golds = load_split(data_dir, split, all_annotators=True)
    if limit is not None:
        names = sorted({g.name for g in golds})[: max(limit, 0)]
        golds = [g for g in golds if g.name in set(names)]
    if instances_file is None and use_default_file:
        instances_file = default_instances_file(data_dir, split)
    instances, source = _instances_for(golds, instances_file)
    tag_instances(instances, {f"{g.name}_{g.annotator}": gold_spans(g.attributions) for g in golds})
    return golds, instances, source


def evaluate_cofenet(
    data_dir: Path,
    split: str,
    analyze_many: Callable[[list[Article]], Iterable[Analysis]],
    instances_file: Path | None = None,
    limit: int | None = None,
    outermost_only: bool = True,
    max_tokens: int | None = MAX_TOKENS,
) -> CofenetReport:
    """Run ``analyze_many`` on a PolNeAR split and score its attributions under the CofeNet
    protocol (:func:`load_gold_instances`, :func:`attribution_spans`, :func:`score_cofenet`).

    Each article is analyzed once (``Article(text=..., id=name)``) and scored against every
    annotator's instance set. Raises ``ValueError`` when an analysis carries a text that
    differs from the article's.
    """
    golds, instances, source = load_gold_instances(data_dir, split, instances_file, limit=limit)
    texts = {g.name: g.text for g in golds}
    articles = [Article(text=t, id=name) for name, t in texts.items()]
    predictions: dict[str, list[CharSpan]] = {}
    nested = 0
    for analysis in analyze_many(articles):
        name = analysis.article.id or ""
        if name not in texts:
            continue
        if analysis.text and analysis.text != texts[name]:
            raise ValueError(
                f"PolNeAR {split}/{name}: the analysis text differs from the article text, "
                "so its offsets cannot be scored"
            )
        if outermost_only:
            nested += sum(1 for a in analysis.attributions if a.parent is not None)
        predictions.setdefault(name, []).extend(
            attribution_spans(analysis.attributions, outermost_only)
        )
    report = score_cofenet(instances, predictions, max_tokens)
    report.split = split
    report.instances = source
    report.n_pred_nested_excluded = nested
    return report


def format_cofenet_report(report: CofenetReport) -> str:
    """A compact plain-text table of a :class:`CofenetReport`."""
    head = f"PolNeAR {report.split}" if report.split else "PolNeAR"
    cut = f"first {report.max_tokens} tokens" if report.max_tokens else "no cut"
    lines = [
        f"{head}, CofeNet protocol: {report.n_articles} articles, {report.n_sets} annotator "
        f"sets, {report.n_instances} instances, {report.n_tokens} tokens scored ({cut}; "
        f"{report.n_cut} instances cut)",
        f"instances: {report.instances}",
        "",
        f"{'role':<10}{'P':>7}{'R':>7}{'F1':>7}   tp/fp/fn",
    ]
    for role, c in report.roles.items():
        lines.append(
            f"{role:<10}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}   {c.tp}/{c.fp}/{c.fn}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- checks


@dataclass(slots=True)
class InstanceAgreement:
    """How far built instances reproduce reference ones (CofeNet's), over the sets both have.

    ``identical``: reference instances found among the built ones of their set with the
    same tokens at the same offsets; ``tokens_same``: reference tokens (text and offsets)
    that some built instance of their set holds.
    """

    n_instances: int = 0
    identical: int = 0
    n_tokens: int = 0
    tokens_same: int = 0

    @property
    def instance_rate(self) -> float:
        return self.identical / self.n_instances if self.n_instances else 0.0

    @property
    def token_rate(self) -> float:
        return self.tokens_same / self.n_tokens if self.n_tokens else 0.0


def _keyed(inst: Instance) -> Iterator[tuple[str, int, int]]:
    return ((t, s, e) for t, (s, e) in zip(inst.tokens, inst.offsets, strict=True))


def compare_instances(
    reference: Sequence[Instance], built: Sequence[Instance]
) -> InstanceAgreement:
    """Compare ``built`` instances with ``reference`` ones set by set (see
    :class:`InstanceAgreement`)."""
    by_set: dict[str, list[Instance]] = {}
    for inst in built:
        by_set.setdefault(inst.id, []).append(inst)
    out = InstanceAgreement()
    for ref in reference:
        mine = by_set.get(ref.id)
        if mine is None:
            continue
        whole = {tuple(_keyed(i)) for i in mine}
        tokens = {t for i in mine for t in _keyed(i)}
        key = tuple(_keyed(ref))
        out.n_instances += 1
        out.identical += key in whole
        out.n_tokens += len(key)
        out.tokens_same += sum(1 for t in key if t in tokens)
    return out


def _runs(inst: Instance, text: str) -> Iterator[tuple[int, int]]:
    """Index ranges of an instance's tokens that lie one after the other in the text, only
    white space between them."""
    first = 0
    for i in range(1, len(inst.offsets) + 1):
        if i == len(inst.offsets):
            yield first, i
            break
        prev_end, start = inst.offsets[i - 1][1], inst.offsets[i][0]
        repeated = start == prev_end - 1 and inst.tokens[i] == "."  # "U.S." "."
        if not repeated and (start < prev_end or not _SKIPPED.fullmatch(text, prev_end, start)):
            yield first, i
            first = i


def compare_tokenizer(reference: Sequence[Instance], texts: Mapping[str, str]) -> InstanceAgreement:
    """How far :func:`newsledger.eval.ptb.tokenize` reproduces the tokens of ``reference``
    instances, given their extent: each run of an instance's tokens that lies in a row in
    the text is tokenized anew; an instance is identical when every run gives the same
    tokens at the same offsets (see :class:`InstanceAgreement`)."""
    out = InstanceAgreement()
    for ref in reference:
        text = texts.get(ref.article)
        if text is None or not ref.tokens:
            continue
        same = True
        for a, b in _runs(ref, text):
            start, end = ref.offsets[a][0], max(e for _, e in ref.offsets[a:b])
            mine = {(t.text, t.start, t.end) for t in tokenize(text, start, end)}
            key = [(t, s, e) for t, (s, e) in zip(ref.tokens[a:b], ref.offsets[a:b], strict=True)]
            hits = sum(1 for t in key if t in mine)
            out.n_tokens += len(key)
            out.tokens_same += hits
            same = same and hits == len(key) == len(mine)
        out.n_instances += 1
        out.identical += same
    return out
