"""Hand-made records and ledgers, and the example corpus ledger, shared by the
``test_crossdoc_*`` files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.ledger import Ledger, claims, conflicts
from newsledger.model import (
    Analysis,
    Article,
    ArticleInfo,
    Attribution,
    DateMention,
    Entity,
    Quantity,
    Source,
    Span,
)

ROOT = Path(__file__).resolve().parents[1]


def span_of(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(part, start, start + len(part))


def record(
    aid: str,
    published: str,
    text: str,
    says: list[tuple[list[str], str, str]],
    entities: list[tuple[str, str, list[str]]] = (),  # type: ignore[assignment]
    quantities: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> Analysis:
    """An analysis of ``text``: ``says`` = [(chain, cue, content)], ``entities`` =
    [(name, type, aliases)] with mentions found in the text; a chain's last link is the
    source and gets the entity of that name when there is one."""
    ents = []
    for i, (name, type_, aliases) in enumerate(entities, start=1):
        mentions = []
        for n in (name, *aliases):
            pos = text.find(n)
            while pos >= 0:
                mentions.append([pos, pos + len(n)])
                pos = text.find(n, pos + 1)
        ents.append(Entity(f"e{i}", name, type_, list(aliases), sorted(mentions)))
    atts = []
    for i, (chain, cue, content) in enumerate(says, start=1):
        last = chain[-1]
        ent = next((e for e in ents if last in (e.name, *e.aliases)), None)
        s = text.index(last)
        source = Source(last, s, s + len(last), ent.name if ent else last,
                        ent.id if ent else None, ent.type if ent else "unknown")  # fmt: skip
        atts.append(Attribution(
            f"a{i}", "indirect", span_of(text, cue), span_of(text, content), source,
            chain=[*chain[:-1], source.name],
        ))  # fmt: skip
    qs = []
    for j, q in enumerate(quantities, start=1):
        sp = span_of(text, q.pop("text"))
        qs.append(Quantity(sp.text, sp.start, sp.end, id=f"q{j}", **q))
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Analysis(
        ArticleInfo(aid, None, published, None, sha), text,
        attributions=atts, entities=ents, quantities=qs,
    )  # fmt: skip


A1 = record(
    "a1", "2025-04-20",
    "Ukrainian officials said North Korea has sent 14,000 troops to Russia. "
    "Kim Jong Un visited a factory.",
    [(["Ukrainian officials"], "said", "North Korea has sent 14,000 troops to Russia")],
    [("North Korea", "place", []), ("Russia", "place", []), ("Kim Jong Un", "person", []),
     ("Ukrainian officials", "group", [])],
)  # fmt: skip


A2 = record(
    "a2", "2025-04-21",
    "The National Intelligence Service (NIS) said North Korea had sent 11,000 troops to "
    "Russia. Kim Jong-un was not seen.",
    [(["National Intelligence Service"], "said",
      "North Korea had sent 11,000 troops to Russia")],
    [("National Intelligence Service", "organization", ["NIS"]), ("North Korea", "place", []),
     ("Russia", "place", []), ("Kim Jong-un", "person", [])],
)  # fmt: skip


A3 = record(
    "a3", "2025-04-22",
    "Yonhap, citing the NIS, reported that North Korea had sent 11,000 troops to Russia.",
    [(["Yonhap", "NIS"], "reported", "North Korea had sent 11,000 troops to Russia")],
    [("Yonhap", "organization", []), ("NIS", "organization", []),
     ("North Korea", "place", []), ("Russia", "place", [])],
)  # fmt: skip


# Kim's words through KCNA in two outlets, KCNA spelled out in one of them
K1 = record(
    "k1", "2025-04-28",
    "KCNA quoted Kim Jong Un as saying that the heroic soldiers liberated the Kursk region "
    "with unmatched courage.",
    [(["KCNA", "Kim Jong Un"], "quoted",
      "that the heroic soldiers liberated the Kursk region with unmatched courage")],
    [("KCNA", "organization", []), ("Kim Jong Un", "person", [])],
)  # fmt: skip


K2 = record(
    "k2", "2025-04-29",
    "The Korean Central News Agency quoted Kim Jong-un as saying that heroic soldiers "
    "liberated the Kursk region with unmatched courage.",
    [(["Korean Central News Agency", "Kim Jong-un"], "quoted",
      "that heroic soldiers liberated the Kursk region with unmatched courage")],
    [("Korean Central News Agency", "organization", []), ("Kim Jong-un", "person", [])],
)  # fmt: skip


# a denial of the casualty figures, and the figures
C1 = record(
    "c1", "2025-04-20",
    "According to Ukraine's HUR, about 4,700 North Korean soldiers have been killed or "
    "injured.",
    [(["HUR"], "According to",
      "about 4,700 North Korean soldiers have been killed or injured")],
    [("HUR", "organization", [])],
)  # fmt: skip


D1 = record(
    "d1", "2025-04-30",
    "Pyongyang dismissed the HUR casualty figures for North Korean soldiers as a fabrication "
    "from start to finish.",
    [(["Pyongyang"], "dismissed", "the HUR casualty figures for North Korean soldiers as a "
      "fabrication from start to finish")],
    [("Pyongyang", "place", []), ("HUR", "organization", [])],
)  # fmt: skip


def make_ledger(path: Path, *records: Analysis) -> Ledger:
    ledger = Ledger(path)
    for r in records:
        assert ledger.add(r)
    ledger.update_crossdoc([r.article.id for r in records])
    return ledger


def member_entity(ledger: Ledger, article: str, name: str) -> int:
    row = ledger.con.execute(
        "SELECT m.ledger_entity FROM ledger_entity_members m JOIN entities e ON"
        " e.article_id = m.article_id AND e.id = m.entity_id WHERE m.article_id = ?"
        " AND e.name = ?",
        (article, name),
    ).fetchone()
    return row[0]


def snapshot(ledger: Ledger) -> tuple[Any, ...]:
    """Clusters and conflicts as comparable sets of attribution references."""
    con = ledger.con
    groups = {}
    for cid, ref in con.execute(
        "SELECT claim_id, article_id || ':' || attribution_id FROM claim_members"
    ):
        groups.setdefault(cid, set()).add(ref)
    clusters = sorted(tuple(sorted(g)) for g in groups.values())
    verdicts = sorted(
        (tuple(sorted(groups[r[0]])), r[1])
        for r in con.execute("SELECT id, independence FROM claims")
    )
    found = sorted(
        (r[0], *sorted((tuple(sorted(groups[r[1]])), tuple(sorted(groups[r[2]])))), r[3], r[4])
        for r in con.execute(
            "SELECT kind, claim_a, claim_b, value_a || '|' || value_b, attribution_a"
            " || '|' || attribution_b FROM conflicts"
        )
    )
    entities = sorted(
        tuple(sorted(f"{a}:{e}" for a, e in con.execute(
            "SELECT article_id, entity_id FROM ledger_entity_members WHERE ledger_entity = ?",
            (lid,),
        ))) for (lid,) in con.execute("SELECT id FROM ledger_entities")
    )  # fmt: skip
    return clusters, verdicts, found, entities


def claim_of(ledger: Ledger, article: str) -> dict[str, Any]:
    cid = ledger.con.execute(
        "SELECT claim_id FROM claim_members WHERE article_id = ?", (article,)
    ).fetchone()[0]
    found = claims.claim_detail(ledger.con, cid)
    assert found is not None
    return found.to_dict()


def report(aid: str, published: str, text: str, site: str | None = None) -> Analysis:
    """A record with no attributions: every count in it is the outlet's own statement. The
    reports of one test name the same police department, so they are of one story."""
    rec = record(
        aid, published, text, [], [("Chicago", "place", []), ("Chicago Police", "organization", [])]
    )
    rec.article.site = site
    return rec


def pair_conflicts(tmp_path: Path, name: str, first: str, second: str) -> list[dict[str, Any]]:
    ledger = make_ledger(
        tmp_path / f"{name}.db",
        report("r1", "2017-04-01", first),
        report("r2", "2017-04-02", second),
    )  # fmt: skip
    return conflicts.list_conflicts(ledger.con, kind="quantity")


def dated(rec: Analysis, *days: tuple[str, str]) -> Analysis:
    """``rec`` with date mentions: (text in the article, ISO value)."""
    for text, value in days:
        start = rec.text.index(text)
        rec.dates.append(DateMention(text, start, start + len(text), value, "published"))
    return rec


def cli(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ledger_of(analyzer: Any, path: Path, texts: dict[str, tuple[str, str, str]]) -> Ledger:
    """A ledger of ``texts`` (id -> (published, site, text)) analysed and added across
    articles, in order."""
    ledger = Ledger(path)
    for aid, (day, site, text) in texts.items():
        ledger.add(next(analyzer.pipe([Article(text=text, id=aid, published=day, site=site)])))
    ledger.update_crossdoc(list(texts))
    return ledger


def disputed_values(ledger: Ledger, kinds: tuple[str, ...] | None = None) -> set[frozenset[str]]:
    """The value pairs of the ledger's conflicts (of ``kinds`` only, when given)."""
    return {
        frozenset((r["value_a"], r["value_b"]))
        for r in conflicts.list_conflicts(ledger.con)
        if kinds is None or r["kind"] in kinds
    }
