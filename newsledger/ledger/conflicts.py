"""Conflicts between claims, stored: ``conflicts`` (figures, dates, denials).

Checked when a claim gets a member, against the claims found through the ``claim_keys``
index; the kinds and what makes two figures disagree: :mod:`newsledger.crossdoc.conflicts`.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Collection, Iterable
from typing import Any

from newsledger.crossdoc.claims import stand_in_apart
from newsledger.crossdoc.conflicts import (
    accused_in,
    conflict_confidence,
    days_apart,
    denied_text,
    figure_clarity,
    format_value,
    groups_ok,
    mask_names,
    name_heads,
    named_alike,
    not_after,
    separation,
    subjects_ok,
)
from newsledger.crossdoc.figures import compatible, counts_persons, relative_gap
from newsledger.crossdoc.lexicon import lexicon
from newsledger.crossdoc.propositions import Proposition
from newsledger.extract.figures import GENERAL
from newsledger.extract.tolls import perpetrator_dead
from newsledger.ledger.claims import ClaimIndex, claim_member, member_evidence
from newsledger.records import Conflict, ConflictSide
from newsledger.settings import DEFAULT_SETTINGS
from newsledger.text import normalize_name

__all__ = [
    "VERDICTS",
    "conflict_keys",
    "detect",
    "list_conflicts",
    "read_conflicts",
    "set_verdict",
]

#: What a user may say of a conflict.
VERDICTS = ("confirmed", "dismissed")

Row = dict[str, Any]


_TUNING = DEFAULT_SETTINGS.conflicts


def _first_member(con: sqlite3.Connection, cid: int) -> sqlite3.Row:
    return _members(con, cid, 1)[0]


def _members(
    con: sqlite3.Connection, cid: int, limit: int = _TUNING.max_compared
) -> list[sqlite3.Row]:
    return con.execute(
        "SELECT m.*, coalesce(t.source_name, m.origin_name) AS source_name,"
        " t.confidence AS reading FROM claim_members m LEFT JOIN attributions t ON"
        " t.article_id = m.article_id AND t.id = m.attribution_id"
        " WHERE m.claim_id = ? ORDER BY m.position LIMIT ?",
        (cid, limit),
    ).fetchall()


def _member_of(con: sqlite3.Connection, cid: int, p: Proposition) -> sqlite3.Row:
    return con.execute(
        "SELECT m.*, coalesce(t.source_name, m.origin_name) AS source_name,"
        " t.confidence AS reading FROM claim_members m LEFT JOIN attributions t ON"
        " t.article_id = m.article_id AND t.id = m.attribution_id"
        " WHERE m.article_id = ? AND m.attribution_id = ? AND m.claim_id = ?",
        (p.article_id, p.attribution_id, cid),
    ).fetchone()


def _same_statement(a: sqlite3.Row, b: sqlite3.Row) -> bool:
    """Two members are one statement (two of its figures, in two claims)."""
    return bool(a["article_id"] == b["article_id"] and a["attribution_id"] == b["attribution_id"])


def _ref(m: sqlite3.Row) -> str:
    return f"{m['article_id']}:{m['attribution_id']}"


def _source(m: sqlite3.Row) -> str | None:
    chain = json.loads(m["chain"])
    return " > ".join(chain) if chain else m["source_name"]


def _record(
    con: sqlite3.Connection,
    kind: str,
    side_a: tuple[int, sqlite3.Row, str | None],
    side_b: tuple[int, sqlite3.Row, str | None],
    explanation: str,
    confidence: float,
) -> None:
    """One conflict between (claim, member, value) sides, with how sure it is
    (:func:`~newsledger.crossdoc.conflicts.conflict_confidence`); the lower claim id comes
    first.
    A disagreement already recorded for the same claims and values is not repeated, but one
    recorded within a single article gives way to the same disagreement between two
    articles (two outlets disagreeing say more than one article contradicting itself)."""
    if side_a[0] == side_b[0]:
        return
    if side_a[0] > side_b[0]:
        side_a, side_b = side_b, side_a
    (a, ma, va), (b, mb, vb) = side_a, side_b
    if kind != "denial" and _between_articles(
        con, kind, (ma, va), (mb, vb), explanation.partition(":")[0]
    ):
        return
    if ma["article_id"] != mb["article_id"]:
        old = con.execute(
            "SELECT id, attribution_a, attribution_b FROM conflicts WHERE kind = ? AND"
            " claim_a = ? AND claim_b = ? AND value_a IS ? AND value_b IS ?",
            (kind, a, b, va, vb),
        ).fetchone()
        if old and old[1].rsplit(":", 1)[0] == old[2].rsplit(":", 1)[0]:
            con.execute("DELETE FROM conflicts WHERE id = ?", (old[0],))
    con.execute(
        "INSERT OR IGNORE INTO conflicts(kind, claim_a, claim_b, attribution_a, attribution_b,"
        " value_a, value_b, source_a, source_b, explanation, confidence)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (kind, a, b, _ref(ma), _ref(mb), va, vb, _source(ma), _source(mb), explanation,
         confidence),
    )  # fmt: skip


def _sure(
    ma: sqlite3.Row,
    mb: sqlite3.Row,
    match: float,
    figures: tuple[dict[str, Any], dict[str, Any]] | None = None,
) -> float:
    """The confidence of a conflict between members ``ma`` and ``mb``."""
    days = days_apart(ma["published"], mb["published"])
    readings = (ma["reading"], mb["reading"])
    if figures is None:
        return conflict_confidence(readings, match=match, days=days)
    fa, fb = figures
    return conflict_confidence(
        readings, match=match, days=days,
        clarity=(figure_clarity(fa), figure_clarity(fb)),
        parted=separation((fa["lo"], fa["hi"]), (fb["lo"], fb["hi"])),
    )  # fmt: skip


def _between_articles(
    con: sqlite3.Connection,
    kind: str,
    a: tuple[sqlite3.Row, str | None],
    b: tuple[sqlite3.Row, str | None],
    facet: str,
) -> bool:
    """Whether the same disagreement (kind, facet, values) is already recorded between the
    same two articles, through other claims (an article repeating its count in two
    sentences is one disagreement, not two)."""
    (ma, va), (mb, vb) = a, b
    if ma["article_id"] == mb["article_id"]:
        return False
    sides = {(ma["article_id"], va), (mb["article_id"], vb)}
    for art in (ma["article_id"], mb["article_id"]):
        for ra, rb, xa, xb, why in con.execute(
            "SELECT attribution_a, attribution_b, value_a, value_b, explanation FROM conflicts"
            " WHERE kind = ? AND attribution_a >= ? AND attribution_a < ?",
            (kind, f"{art}:", f"{art};"),
        ):
            if why.partition(":")[0] != facet:
                continue
            if {(ra.rsplit(":", 1)[0], xa), (rb.rsplit(":", 1)[0], xb)} == sides:
                return True
    return False


def _claims_with(con: sqlite3.Connection, key: str, limit: int | None = None) -> list[int]:
    """Claims holding ``key``, the most recent ``conflict_candidates`` of them (a bounded
    cost per attribution whatever the ledger's size), in id order."""
    limit = limit or _TUNING.conflict_candidates
    ids = [r[0] for r in con.execute(
        "SELECT claim_id FROM claim_keys WHERE key = ? ORDER BY claim_id DESC LIMIT ?",
        (key, limit),
    )]  # fmt: skip
    return ids[::-1]


def _origins(con: sqlite3.Connection, cid: int) -> set[str]:
    row = con.execute("SELECT origins FROM claims WHERE id = ?", (cid,)).fetchone()
    return set(json.loads(row[0])) if row else set()


def _same_origin(con: sqlite3.Connection, a: int, b: int) -> bool:
    """Both claims come from one and the same named origin (a source correcting itself is
    not a conflict between sources)."""
    oa, ob = _origins(con, a), _origins(con, b)
    return oa == ob and len(oa) == 1 and not next(iter(oa)).startswith("u:")


def _context_ok(
    index: ClaimIndex,
    a: sqlite3.Row,
    b: sqlite3.Row,
    subjects_a: Iterable[str] = (),
    subjects_b: Iterable[str] = (),
) -> bool:
    return index.same_story(a["article_id"], b["article_id"], subjects_a, subjects_b)


def _is_denial(con: sqlite3.Connection, cid: int) -> bool:
    row = con.execute("SELECT denial FROM claims WHERE id = ?", (cid,)).fetchone()
    return bool(row and row[0])


def detect(index: ClaimIndex, cid: int, p: Proposition) -> None:
    """Record the conflicts of ``p``, just added to claim ``cid`` of ``index``, with other
    claims."""
    con = index.con
    me = _member_of(con, cid, p)
    if me is None:
        return
    if not p.denial:
        only = lexicon()["conflict_facets"]
        measured = set(lexicon()["measured_units"])
        for fig in json.loads(me["figures"]):
            unit, _, facet = fig["key"].partition("/")
            if fig.get("aside"):
                continue  # the report's aside on a source: it corroborates, disputes nothing
            if unit == GENERAL or unit in measured:
                # a count of anything, or in a unit that says nothing of what it counts ("46
                # containers" lost or carried, "$9.5 million"): compared by what it measures
                _general(index, cid, me, fig)
                continue
            if unit in only and facet not in only[unit]:
                continue  # "two girls" vs "one victim": different sets of people
            _keyed(index, cid, me, fig)
            if unit in only and counts_persons(fig):
                _general(index, cid, me, fig, across=True)  # "12 workers were injured"
        if p.part:
            return  # a further figure of a statement: its dates and denials are the first's
        if p.dates and p.start:
            _date_conflicts(index, cid, me, p)
        _denials_of(index, cid, me, p)
    else:
        _denial_targets(index, cid, me, p)


def _keyed(index: ClaimIndex, cid: int, me: sqlite3.Row, fig: dict[str, Any]) -> None:
    """A figure of a class (troops, people killed …) against the claims holding its figure
    key: a conflict where their intervals do not overlap, within one story (and, for tolls,
    one incident), from two origins."""
    con = index.con
    unit = fig["key"].partition("/")[0]
    only = lexicon()["conflict_facets"]
    for other in _claims_with(con, f"q:{fig['key']}"):
        if other == cid or _is_denial(con, other):
            continue
        for om in _members(con, other):
            if _same_statement(me, om):
                continue  # "by 118 votes to 97": two figures of one statement
            for theirs in json.loads(om["figures"]):
                if theirs["key"] != fig["key"] or theirs.get("aside"):
                    continue
                if not subjects_ok(set(fig["subjects"]), set(theirs["subjects"])):
                    continue
                if unit in only and not groups_ok(fig.get("group"), theirs.get("group")):
                    continue  # "five officers" vs "four civilians": other people
                if compatible((fig["lo"], fig["hi"]), (theirs["lo"], theirs["hi"])):
                    continue
                if _same_origin(con, cid, other) or not _context_ok(
                    index, me, om, fig["subjects"], theirs["subjects"]
                ):
                    continue
                if unit in only and not index.same_incident(me["article_id"], om["article_id"]):
                    continue  # tolls of two incidents
                if unit in only and not _tolls_differ(con, me, fig, om, theirs):
                    continue
                match = _TUNING.keyed_match * _agreement(index, me, fig, om, theirs)
                _quantity(con, (cid, me, fig), (other, om, theirs), match)


def _story_claims(index: ClaimIndex, article_id: str) -> list[int]:
    """Claims with figures stated in the story of ``article_id`` (its most recent
    ``story_candidates``), in id order."""
    story = index.story_of(article_id)
    if story is None:
        return []
    ids = [
        r[0]
        for r in index.con.execute(
            "SELECT DISTINCT m.claim_id FROM claim_members m JOIN article_stories s"
            " ON s.article_id = m.article_id WHERE s.story_id = ? AND m.figures != '[]'"
            " ORDER BY m.claim_id DESC LIMIT ?",
            (story, _TUNING.story_candidates),
        )
    ]
    return ids[::-1]


def _heads(m: sqlite3.Row) -> set[str]:
    """The head words a statement's source goes by: its origin's name and the name of the
    source that states it ("The Public Security Police (PSP)" relayed as "PSP")."""
    return name_heads(m["origin_name"]) | name_heads(m["source_name"])


def _one_source(con: sqlite3.Connection, a: int, b: int, ma: sqlite3.Row, mb: sqlite3.Row) -> bool:
    """Two statements of one story come from one source: one named origin, or sources named
    by the same head word ("the coast guard", "The Hellenic Coast Guard"; "the company"), as
    origin or as the source that relays it."""
    if _same_origin(con, a, b) or ma["origin_key"] == mb["origin_key"]:
        return True
    if ma["origin_key"].startswith("o:") or mb["origin_key"].startswith("o:"):
        return False  # an outlet's own statement against a source's
    if _heads(ma) & _heads(mb):
        return True
    return any(
        named_alike(x, y)
        for x in (ma["origin_name"], ma["source_name"])
        for y in (mb["origin_name"], mb["source_name"])
    )


def _described(m: sqlite3.Row) -> bool:
    """A source named by a description, not a name ("the board", "the force", "a letter
    from the company"): it may be a source the story names elsewhere."""
    name = m["origin_name"] or m["source_name"] or ""
    return m["origin_key"].startswith("u:") or not any(c.isupper() for c in name)


Side = tuple[int, sqlite3.Row, dict[str, Any]]


def _revises(con: sqlite3.Connection, new: Side, old: Side, pool: list[Side]) -> bool:
    """``new``, a figure told as its source's new value ("the board now says …", "up from its
    first count"), published after ``old``, revises it (not a second opinion) when it names
    the old value as the one it replaces ("cut the ration to 65 litres, down from the 80
    litres it set last week": :func:`_replaces`), or when its source is a description ("the
    board") and no earlier statement of the same measure comes from a source of its head
    word: the figure it revises can only be one already in the story. With such a statement,
    the revision is of that one, and other sources still disagree."""
    (_, mn, fn), (_, mo, fo) = new, old
    if not fn.get("revised") or mn["article_id"] == mo["article_id"]:
        return False
    if (mo["published"] or "") > (mn["published"] or ""):
        return False
    said = member_evidence(con, mn["article_id"], mn["attribution_id"])
    if said is not None and (_replaces(said[0], fo) or _told_of(said[0], mn, mo)):
        return True
    if _unnamed_own(con, new, old):
        return True
    if not _described(mn):
        return False
    heads = _heads(mn)
    return not any(
        _heads(m) & heads
        for _, m, _ in pool
        if m["article_id"] != mn["article_id"] and (m["published"] or "") <= (mn["published"] or "")
    )


def _told_of(said: str, new: sqlite3.Row, old: sqlite3.Row) -> bool:
    """A report tells in its own voice that the source of ``old`` has a new value ("…, and
    the Indian Ocean Marine Institute has raised its estimate to 44 per cent"): the old
    figure's named source (an entity, or a name of two words or more) is in ``said``, the
    sentence of the new one."""
    if not str(new["origin_key"]).startswith("o:"):
        return False
    name = str(old["origin_name"] or "")
    if not name or (not str(old["origin_key"]).startswith("e:") and len(name.split()) < 2):
        return False
    return re.search(rf"\b{re.escape(name)}\b", said, re.I) is not None


def _unnamed_own(con: sqlite3.Connection, new: Side, old: Side) -> bool:
    """``new``, a named source's new value, revises ``old``, an earlier report's figure whose
    source that report gives by a description or not at all ("the site's operator said";
    "The operator of Brisbane's Pinegrove Tollway said"), when that report names ``new``'s
    source in the sentence of the figure or the one before or after it ("Hallam Stone Ltd
    said the slip happened …"), and neither figure is set against another source's: the
    description is most likely the named source's own."""
    (_, mn, fn), (_, mo, fo) = new, old
    key = str(mn["origin_key"])
    if not key.startswith("e:") or not key[2:].isdigit() or mo["origin_key"].startswith("e:"):
        return False
    if fn.get("contrast") or fo.get("contrast"):
        return False  # "far more than the number the utility gave": two sources, one report
    found = member_evidence(con, mo["article_id"], mo["attribution_id"], around=1)
    if found is None:
        return False
    _, lo, hi = found
    return (
        con.execute(
            "SELECT 1 FROM mentions n JOIN ledger_entity_members l ON l.article_id ="
            " n.article_id AND l.entity_id = n.entity_id WHERE n.article_id = ? AND"
            ' l.ledger_entity = ? AND n.start >= ? AND n."end" <= ? LIMIT 1',
            (mo["article_id"], int(key[2:]), lo, hi),
        ).fetchone()
        is not None
    )


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _replaces(said: str, old: dict[str, Any]) -> bool:
    """Whether ``said``, the statement of a revised figure, names ``old``'s number as the
    value it replaces: after "from" or a word for an earlier figure and "of", a few words
    before it ("down from the 80 litres it set", "up from an initial estimate of about 40",
    "up from the €60 million it forecast", "revising the figure of about 40 it gave")."""
    number = _NUMBER.search(old.get("text") or "")
    if number is None:
        return False
    words = "|".join(re.escape(w) for w in lexicon()["replaced_value_words"])
    pattern = (  # "from" or "<a word for an earlier figure> of", up to five words, a sign
        rf"\b(?:from|(?:{words})\s+of)\s+(?:[^\W\d]+\s+){{0,5}}[^\w\s]?"
        rf"{re.escape(number.group(0))}(?![\d,])"
    )
    return re.search(pattern, said, re.IGNORECASE) is not None


def _agreement(
    index: ClaimIndex,
    ma: sqlite3.Row,
    fa: dict[str, Any],
    mb: sqlite3.Row,
    fb: dict[str, Any],
) -> float:
    """1, or ``elsewhere_agreement`` when the two articles also state one and the same value
    of what the figures count (one says 2 and 3 killed, the other 3): they agree on it, and
    the figures that differ are more likely a part, an earlier count or another incident's
    than a dispute."""
    if ma["article_id"] == mb["article_id"]:
        return 1.0
    shared = index.values_of(ma["article_id"], fa) & index.values_of(mb["article_id"], fb)
    return _TUNING.elsewhere_agreement if shared else 1.0


def _outdated(con: sqlite3.Connection, old: Side, other: Side, pool: list[Side]) -> bool:
    """``old`` was revised by its own source, later, to a value ``other`` agrees with (the
    wildfire service's 12,000 hectares, then its 19,500, beside a satellite count of 19,500):
    ``other`` does not dispute the old value, whose own source has left it. Later
    statements are looked for among ``pool`` and the members of ``other``'s claim."""
    (oc, mo, fo), (xc, _, fx) = old, other
    later = [*pool, *((xc, m, f) for m in _members(con, xc) for f in json.loads(m["figures"]))]
    when = (mo["published"] or "", mo["article_id"])
    for c, m, f in later:
        if f["key"] != fx["key"] or (m["published"] or "", m["article_id"]) <= when:
            continue  # not a later article
        if not compatible((f["lo"], f["hi"]), (fx["lo"], fx["hi"])):
            continue
        if compatible((f["lo"], f["hi"]), (fo["lo"], fo["hi"])):
            continue  # the old value, repeated
        if _one_source(con, oc, c, mo, m):
            return True
    return False


def _compared(
    index: ClaimIndex, fig: dict[str, Any], theirs: dict[str, Any], *, across: bool
) -> tuple[str, float] | None:
    """How ``fig`` is compared with another figure of its story (:func:`_general`): ("same",
    ``measure_match``: one measure in lemmas or close in meaning), ("alike", the chance the
    learned pair model gives that they count one thing, at least ``measure_chance``),
    ("contrast", the cosine of their measures) when only a contrast cue may set them
    against each other, or None (not compared)."""
    if theirs.get("part") or theirs.get("aside") or fig.get("aside"):
        return None  # a part of a count; a report's aside on a source (no claim in dispute)
    same_key = theirs["key"] == fig["key"]
    if same_key == across:
        return None
    if not same_key and not (counts_persons(fig) and counts_persons(theirs)):
        return None
    facets = (fig["key"].partition("/")[2], theirs["key"].partition("/")[2])
    if not same_key and facets[0] != facets[1]:
        if not fig.get("contrast") or "total" not in facets:
            return None  # a count at large against a toll's facet, only when set against it
    elif index.same_measure(fig, theirs):
        return "same", _TUNING.measure_match
    elif (chance := index.measure_chance(fig, theirs)) >= _TUNING.measure_chance:
        # one thing in two wordings, as the pair model reads them ("4,500 properties
        # without water" / "11,000 homes had been without water")
        return "alike", min(_TUNING.measure_match, chance)
    unnamed = same_key and not (fig.get("measure") and theirs.get("measure"))
    if fig.get("contrast") or (unnamed and theirs.get("contrast")):
        # measures in other words ("people march" / "people take part"); a sum without one
        # set against another, whichever of the two was stored first
        # "will cost about $83 million, nearly twice the city's estimate": a sum the parse
        # names nothing for, set against another, is compared by the words around it
        sim = (
            index.context_similarity(fig, theirs)
            if unnamed
            else index.measure_similarity(fig, theirs)
        )
        if sim >= _TUNING.contrast_similarity:
            return "contrast", sim
    return None


def _candidates(
    index: ClaimIndex, cid: int, me: sqlite3.Row, fig: dict[str, Any], *, across: bool
) -> tuple[list[Side], list[float], list[tuple[float, Side]]]:
    """The figures of ``fig``'s story it is compared with (:func:`_compared`): those of one
    measure with how surely each is (of each other article's figures that only the pair
    model reads as its measure, the likeliest), and those only a contrast cue sets against
    it, with their cosines."""
    con = index.con
    pool: list[Side] = []
    matches: list[float] = []
    looser: list[tuple[float, Side]] = []
    alike: dict[str, tuple[float, Side]] = {}  # by article: the figure the model likes best
    for other in _story_claims(index, me["article_id"]):
        if other == cid or _is_denial(con, other):
            continue
        for om in _members(con, other):
            if _same_statement(me, om):
                continue  # "by 118 votes to 97": two figures of one statement
            for theirs in json.loads(om["figures"]):
                how = _compared(index, fig, theirs, across=across)
                if how is None:
                    continue
                if how[0] == "contrast":
                    looser.append((how[1], (other, om, theirs)))
                elif how[0] == "alike":
                    best = alike.get(om["article_id"])
                    if best is None or how[1] > best[0]:
                        alike[om["article_id"]] = (how[1], (other, om, theirs))
                else:
                    matches.append(how[1])
                    pool.append((other, om, theirs))
    for chance, side in alike.values():
        matches.append(chance)
        pool.append(side)
    return pool, matches, looser


def _general(
    index: ClaimIndex, cid: int, me: sqlite3.Row, fig: dict[str, Any], *, across: bool = False
) -> None:
    """A figure of anything counted against the figures of its story that count the same
    thing (:func:`_candidates`): values that disagree from one source are a revision, from
    two a conflict. A figure its sentence sets against another source's ("more than twice
    the official count") also disputes the closest such figure of another source whose
    measure is less close (``contrast_similarity``). A count of persons is also compared
    with the counts of persons of the same facet under another unit ("12 workers were
    injured" / "13 people had been injured": :func:`counts_persons`), and, set against
    another source's, with those of any facet ("treated 950 people, more than twice the
    official count" / "sickened 410 people"); ``across``: only those (a figure of people,
    compared by its key elsewhere)."""
    con = index.con
    if fig.get("part"):
        return
    pool, matches, looser = _candidates(index, cid, me, fig, across=across)
    mine: Side = (cid, me, fig)
    disputed = False
    for at, side in enumerate(pool):
        other, om, theirs = side
        if compatible((fig["lo"], fig["hi"]), (theirs["lo"], theirs["hi"])):
            continue
        if _far_apart(fig, theirs):
            continue
        if (
            om["article_id"] == me["article_id"]
            and not (fig.get("contrast") or theirs.get("contrast"))
            and index.measure_similarity(fig, theirs) < _TUNING.same_article_similarity
        ):
            continue  # two counts one report gives without setting them against each other
        one = _one_source(con, cid, other, me, om)
        if one or _revises(con, mine, side, pool) or _revises(con, side, mine, [*pool, mine]):
            _quantity(con, mine, side, matches[at], "revision")
        elif _outdated(con, side, mine, pool) or _outdated(con, mine, side, pool):
            continue  # its source has since given the other's value: revised, not disputed
        elif om["article_id"] != me["article_id"] and not index.counterparts(
            (me["article_id"], fig), (om["article_id"], theirs)
        ):
            continue  # each counts what another figure of the other report counts
        else:
            match = matches[at] * _agreement(index, me, fig, om, theirs)
            _quantity(con, mine, side, match)
            disputed = True
    if disputed or not looser:
        return
    looser.sort(key=lambda x: -x[0])  # stable: of equals, the earliest claim and figure
    for sim, side in looser:
        other, om, theirs = side
        if om["article_id"] == me["article_id"] or _one_source(con, cid, other, me, om):
            continue
        if _far_apart(fig, theirs):
            continue
        if not compatible((fig["lo"], fig["hi"]), (theirs["lo"], theirs["hi"])):
            match = min(_TUNING.measure_match, sim) * _agreement(index, me, fig, om, theirs)
            _quantity(con, mine, side, match)
        return  # the closest figure of another source is the one disputed


def _far_apart(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two figures ``max_ratio`` times apart or more (their closest bounds): two things
    counted, not two counts of one; or one of them is a single one ("visit more than one
    food bank", "a fault found on one aircraft"), which counts nothing disputed."""
    low = min(a["hi"], b["hi"])
    high = max(a["lo"], b["lo"])
    single = min(a["lo"], b["lo"]) <= 1 and not str(a.get("key", "")).startswith("people/")
    return single or (low > 0 and high / low >= _TUNING.max_ratio)


def _perpetrator_dead(con: sqlite3.Connection, article_id: str) -> bool:
    row = con.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
    return bool(row) and perpetrator_dead(row[0])


def _tolls_differ(
    con: sqlite3.Connection,
    ma: sqlite3.Row,
    fa: dict[str, Any],
    mb: sqlite3.Row,
    fb: dict[str, Any],
) -> bool:
    """Two casualty counts of one incident disagree only as tolls: neither is a part of a
    count ("two remain in critical condition"), and, for the dead, not only by the attacker
    (seven dead "including the gunman" against six killed)."""
    if fa.get("part") or fb.get("part"):
        return False
    key = fa["key"]
    if key.endswith("/killed"):
        pa, pb = _perpetrator_dead(con, ma["article_id"]), _perpetrator_dead(con, mb["article_id"])
        if pa or pb:
            a = (fa["lo"] - (1 if pa else 0), fa["hi"])
            b = (fb["lo"] - (1 if pb else 0), fb["hi"])
            if compatible(a, b):
                return False
    return True


def _quantity(
    con: sqlite3.Connection,
    mine: tuple[int, sqlite3.Row, dict[str, Any]],
    theirs: tuple[int, sqlite3.Row, dict[str, Any]],
    match: float,
    kind: str = "quantity",
) -> None:
    if mine[0] > theirs[0]:
        mine, theirs = theirs, mine
    fa, fb = mine[2], theirs[2]
    a, b = format_value(fa["value"], fa["value_max"]), format_value(fb["value"], fb["value_max"])
    gap = relative_gap(float(fa["value"]), float(fb["value"]))
    what = f"{fa['key']} ({fa['measure']})" if fa.get("measure") else fa["key"]
    if kind == "revision":
        what = f"{what}: revised by its source"
    _record(
        con, kind, (mine[0], mine[1], a), (theirs[0], theirs[1], b),
        f"{what}: {fa['text']!r} vs {fb['text']!r} ({gap:.0%} apart; the stated "
        f"figures allow {fa['lo']:,.0f}–{fa['hi']:,.0f} and {fb['lo']:,.0f}–{fb['hi']:,.0f}, "
        "which do not overlap)", _sure(mine[1], theirs[1], match, (fa, fb)),
    )  # fmt: skip


def _date_conflicts(index: ClaimIndex, cid: int, me: sqlite3.Row, p: Proposition) -> None:
    con = index.con
    dates = [tuple(d) for d in p.dates]
    for other in _claims_with(con, "d:start"):
        if other == cid or _is_denial(con, other) or _same_origin(con, cid, other):
            continue
        row = con.execute("SELECT subjects FROM claims WHERE id = ?", (other,)).fetchone()
        if not subjects_ok(p.subjects, set(json.loads(row[0]))):
            continue
        for om in _members(con, other):
            if om["date"] is None:
                continue
            if not _context_ok(index, me, om, p.subjects, set(json.loads(row[0]))):
                continue
            theirs = [tuple(d) for d in json.loads(om["date"])]
            mine = dates
            if any(x[0] <= y[1] and y[0] <= x[1] for x in mine for y in theirs):
                continue
            sides = [(cid, me), (other, om)]
            if other < cid:
                mine, theirs, sides = theirs, mine, sides[::-1]
            va = ", ".join(f"{d[0]}…{d[1]}" for d in mine)
            vb = ", ".join(f"{d[0]}…{d[1]}" for d in theirs)
            ta = ", ".join(d[2] for d in mine)
            tb = ", ".join(d[2] for d in theirs)
            _record(
                con, "date", (*sides[0], va), (*sides[1], vb),
                f"when it began: {ta!r} ({va}) vs {tb!r} ({vb}) do not overlap",
                _sure(me, om, _TUNING.date_match),
            )  # fmt: skip


def _counts_people(con: sqlite3.Connection, cid: int) -> bool:
    row = con.execute("SELECT facet FROM claims WHERE id = ?", (cid,)).fetchone()
    return bool(row and row[0] and row[0].split("/")[0] in ("troops", "people"))


def _published(con: sqlite3.Connection, cid: int) -> str | None:
    row = con.execute("SELECT first_published FROM claims WHERE id = ?", (cid,)).fetchone()
    return row[0] if row else None


def _in_story(index: ClaimIndex, article_id: str, other: int) -> bool:
    first = _first_member(index.con, other)
    return index.same_story(article_id, first["article_id"])


def _denier_names(con: sqlite3.Connection, p: Proposition, me: sqlite3.Row) -> list[str]:
    """The names a denial's source goes by: the source as named, its origin, its chain's
    last link; for a source named by a description ("The company also said it was untrue
    that …"), also the organisations its article names that the description may stand for
    (:func:`stand_in_apart`: "the company" is no "… Rail Office"), which a claim it answers
    may accuse by name ("Lakeview was negotiating to sell the east wing")."""
    names = [n for n in (p.source_name, me["origin_name"], *(p.chain[-1:])) if n]
    if not _described(me):
        return names
    stand_in = str(me["origin_name"] or p.source_name or "")
    for (name,) in con.execute(
        "SELECT DISTINCT e.name FROM ledger_entity_members m JOIN ledger_entities e ON"
        " e.id = m.ledger_entity WHERE m.article_id = ? AND e.type = 'organization'"
        " ORDER BY e.name",
        (p.article_id,),
    ):
        if name not in names and not stand_in_apart(stand_in, name, mentioned=True):
            names.append(name)
    return names


def _self_denial(con: sqlite3.Connection, a: int, b: int, ma: sqlite3.Row, mb: sqlite3.Row) -> bool:
    """A denial and a claim from one source, which does not deny itself: one origin, or the
    same name as origin or stating source ("Colorado's health department" twice, one named
    in the lead and one in a quote); not merely a head word in common ("the agency" is not
    "the state news agency")."""
    if _same_origin(con, a, b) or ma["origin_key"] == mb["origin_key"]:
        return True
    names = [
        {normalize_name(n) for n in (m["origin_name"], m["source_name"]) if n} for m in (ma, mb)
    ]
    return bool(names[0] & names[1])


def _reason_given(con: sqlite3.Connection, p: Proposition) -> list[str]:
    """What a denial that names no claim ("rejected accusations from the campaign") says
    instead, in the statement right after it ("…, saying that no observer had been turned
    away"): the denied claim in the negative, compared as the denial's words too."""
    if "that" in p.content.lower().split():
        return []
    reasons = lexicon()["denial_reasons"]
    rows = con.execute(
        "SELECT content_text, cue_text FROM attributions WHERE article_id = ?"
        " AND cue_start >= ? AND cue_start <= ? ORDER BY cue_start",
        (p.article_id, p.span[1], p.span[1] + 3),
    ).fetchall()
    return [r[0] for r in rows if r[1].lower() in reasons][:1]


def _denial_targets(index: ClaimIndex, cid: int, me: sqlite3.Row, p: Proposition) -> None:
    """A denial against the claims of its story that it answers: those whose figure facets
    it names ("the casualty figures"), the closest in meaning (:func:`_closest`, by what it
    denies: :func:`denied_text`), and the closest of those that accuse its source
    (:func:`accused_in`: "Two Velorian drones flew over our positions" for "Veloria denied
    that any of its aircraft had crossed …"), which meaning alone often ranks below claims
    of the same topic."""
    con = index.con
    targets: dict[int, tuple[str, str, float]] = {}
    for facet in sorted(p.denied_facets):
        unit, _, name = facet.partition("/")
        if unit == GENERAL:
            continue  # "m/total" names no measure: what is denied is found by meaning below
        key = f"f:{name}" if unit == "*" else f"q:{facet}"
        for other in _claims_with(con, key, 50):
            if len(targets) >= _TUNING.max_denial_targets:
                break
            if _is_denial(con, other) or not not_after(_published(con, other), p.published):
                continue
            if unit == "*" and not _counts_people(con, other):
                continue  # "the figures" are figures of people (troops, casualties)
            if not _in_story(index, p.article_id, other):
                continue
            why = f"denies the figures ({facet})"
            targets.setdefault(other, (facet, why, _TUNING.facet_denial_match))
    names = _denier_names(con, p, me)
    texts = [p.content, denied_text(p.content, names[0] if names else None)]
    texts += _reason_given(con, p)
    scored = [
        (other, sim, content)
        for other, sim, content in _story_similarities(index, p, texts, denial=False)
        if not_after(_published(con, other), p.published) and not _same_origin(con, cid, other)
    ]
    found = [(other, sim) for other, sim, _ in scored if sim >= _TUNING.denial_similarity]
    for other, sim in _closest(found):
        why = f"denies what it says (similarity {sim:.2f})"
        targets.setdefault(other, ("text", why, _denial_match(sim)))
    accusing = [
        (other, sim)
        for other, sim, content in scored
        if sim >= _TUNING.accused_similarity and accused_in(content, names)
    ]
    for other, sim in accusing[:1]:
        why = f"denies what it is accused of (similarity {sim:.2f})"
        targets.setdefault(other, ("text", why, _denial_match(sim)))
    for other, (value, why, match) in targets.items():
        om = _first_member(con, other)
        if _self_denial(con, cid, other, me, om):
            continue
        _record(con, "denial", (cid, me, value), (other, om, value), why, _sure(me, om, match))


def _denials_of(index: ClaimIndex, cid: int, me: sqlite3.Row, p: Proposition) -> None:
    """``p`` against earlier denials of its story that name its figures, say the opposite of
    it, or whose source it accuses (the closest such denial: :func:`accused_in`)."""
    con = index.con
    hits: dict[int, tuple[str, str, float]] = {}
    for fig in p.figures[:1]:
        if fig.unit == GENERAL:
            break  # "m/total" names no measure: what a denial denies is found by meaning
        keys = [f"dq:{fig.key}"]
        if fig.unit in ("people", "troops"):
            keys.append(f"dq:*/{fig.facet}")  # "the figures" are figures of people
        for key in keys:
            for other in _claims_with(con, key, 50):
                if _in_story(index, p.article_id, other):
                    why = f"denies the figures ({key[3:]})"
                    hits.setdefault(other, (key[3:], why, _TUNING.facet_denial_match))
    scored = _story_similarities(index, p, [p.content], denial=True)
    for other, sim, _ in scored[:1]:
        if sim >= _TUNING.denial_similarity:
            why = f"denies what it says (similarity {sim:.2f})"
            hits.setdefault(other, ("text", why, _denial_match(sim)))
    for other, sim, _ in scored:
        if sim < _TUNING.accused_similarity:
            break
        dm = _first_member(con, other)
        if accused_in(p.content, [n for n in (dm["source_name"], dm["origin_name"]) if n]):
            # a claim accusing the source of an earlier denial (told the same day)
            why = f"denies what it is accused of (similarity {sim:.2f})"
            hits.setdefault(other, ("text", why, _denial_match(sim)))
            break
    for other, (value, why, match) in list(hits.items())[: _TUNING.max_denial_targets]:
        if not not_after(p.published, _published(con, other)):
            continue
        dm = _first_member(con, other)
        if _self_denial(con, cid, other, me, dm):
            continue
        _record(
            con, "denial", (other, dm, value), (cid, me, value), why, _sure(dm, me, match)
        )  # fmt: skip


def _denial_match(similarity: float) -> float:
    """How surely a denial found by meaning answers a claim: its cosine plus
    ``denial_match_offset``, at most 1 (at the linking threshold 0.4: 0.8)."""
    return min(1.0, similarity + _TUNING.denial_match_offset)


def _closest(found: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Of claims found by meaning (best first), those within ``denial_margin`` of the best,
    at most ``max_denial_targets``: one accusation is often told by several sources in other
    words, and a denial answers all of them."""
    if not found:
        return []
    floor = found[0][1] - _TUNING.denial_margin
    return [x for x in found if x[1] >= floor][: _TUNING.max_denial_targets]


def _content(con: sqlite3.Connection, m: sqlite3.Row) -> str:
    row = con.execute(
        "SELECT content_text FROM attributions WHERE article_id = ? AND id = ?",
        (m["article_id"], m["attribution_id"]),
    ).fetchone()
    return row[0] if row else ""


def _story_similarities(
    index: ClaimIndex, p: Proposition, texts: list[str], *, denial: bool
) -> list[tuple[int, float, str]]:
    """Claims (denials or not) of ``p``'s story in other articles, with how close their
    first member's content is in meaning to the closest of ``texts`` (the cosine of sentence
    embeddings; a denial is compared by the closest of its content and what it denies), and
    that content; best first."""
    con = index.con
    story = index.story_of(p.article_id)
    if story is None:
        return []
    found = con.execute(
        "SELECT c.id, t.content_text, m.article_id, m.attribution_id, m.origin_name,"
        " t.source_name FROM claims c"
        " JOIN claim_members m ON m.claim_id = c.id"
        " AND m.position = 0 JOIN article_stories s ON s.article_id = m.article_id"
        " JOIN attributions t ON t.article_id = m.article_id AND t.id = m.attribution_id"
        " WHERE s.story_id = ? AND c.denial = ? AND m.article_id != ? ORDER BY c.id DESC LIMIT ?",
        (story, int(denial), p.article_id, _TUNING.story_candidates),
    ).fetchall()
    # a statement of several figures leads several claims: its content is compared once,
    # as the claim of its first figure (the earliest of them)
    first: dict[tuple[str, str], sqlite3.Row] = {}
    for r in found:
        first[(r[2], r[3])] = r
    rows = sorted(first.values(), key=lambda r: -int(r[0]))
    if not rows:
        return []
    contents = [r[1] or "" for r in rows]
    if denial:  # the claim against what each earlier denial denies, and the denial whole
        contents += [denied_text(r[1] or "", r[5] or r[4]) for r in rows]
    mine = list(dict.fromkeys(texts))
    every = mine + contents
    masked = [mask_names(t) for t in every]
    unique = list(dict.fromkeys(every + masked))  # a text without names is embedded once
    at = {t: i for i, t in enumerate(unique)}
    vectors = index.embed.embed(unique)
    plain, bare = vectors[[at[t] for t in every]], vectors[[at[t] for t in masked]]
    n = len(mine)
    sims = (plain[n:] @ plain[:n].T).max(axis=1) + (bare[n:] @ bare[:n].T).max(axis=1)
    sims /= 2
    if denial:
        sims = sims.reshape(2, len(rows)).max(axis=0)
    out = [(int(r[0]), float(sim), r[1] or "") for r, sim in zip(rows, sims, strict=True)]
    out.sort(key=lambda x: (-x[1], x[0]))
    return out


def list_conflicts(
    con: sqlite3.Connection,
    *,
    kind: str | None = None,
    limit: int = 100,
    offset: int = 0,
    ids: Collection[int] | None = None,
    min_confidence: float | None = None,
) -> list[Row]:
    """Conflicts with both sides' claim labels, attributions, values and sources, and the
    user's verdict (``verdict``, ``verdict_note``, ``verdict_at``; None without one), the
    surest first (a conflict stored before confidences were kept comes last);
    ``offset`` skips that many (paging); ``ids`` keeps those conflicts only;
    ``min_confidence`` those at least that sure."""
    clauses: list[str] = []
    params: list[Any] = []
    if kind:
        clauses.append("f.kind = ?")
        params.append(kind)
    if min_confidence is not None:
        clauses.append("f.confidence >= ?")
        params.append(float(min_confidence))
    if ids is not None:
        wanted = sorted({int(i) for i in ids})
        if not wanted:
            return []
        clauses.append(f"f.id IN ({', '.join('?' * len(wanted))})")
        params.extend(wanted)
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    rows = con.execute(
        "SELECT f.*, ca.label AS claim_a_label, cb.label AS claim_b_label,"
        " ca.independence AS independence_a, cb.independence AS independence_b,"
        " ca.articles AS articles_a, cb.articles AS articles_b,"
        " v.verdict AS verdict, v.note AS verdict_note, v.decided_at AS verdict_at"
        f" FROM conflicts f JOIN claims ca ON ca.id = f.claim_a JOIN claims cb ON"
        " cb.id = f.claim_b LEFT JOIN conflict_verdicts v ON v.kind = f.kind"
        " AND v.attribution_a = f.attribution_a AND v.attribution_b = f.attribution_b"
        " AND v.value_a = coalesce(f.value_a, '') AND v.value_b = coalesce(f.value_b, '')"
        f"{where} ORDER BY f.confidence IS NULL, f.confidence DESC, f.id"
        " LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    return [dict(r) for r in rows]


def _split_ref(ref: str) -> tuple[str, str]:
    """``article_id:attribution_id`` (attribution ids hold no colon; article ids may)."""
    article_id, _, attribution_id = ref.rpartition(":")
    return article_id, attribution_id


def _side(con: sqlite3.Connection, row: Row, side: str) -> ConflictSide:
    article_id, attribution_id = _split_ref(row[f"attribution_{side}"])
    member = claim_member(con, row[f"claim_{side}"], article_id, attribution_id)
    if member is not None:  # it read its evidence already
        evidence = (member.evidence, member.evidence_start, member.evidence_end)
    else:
        evidence = member_evidence(con, article_id, attribution_id) or (None, None, None)
    return ConflictSide(
        claim=row[f"claim_{side}"],
        label=row[f"claim_{side}_label"],
        independence=row[f"independence_{side}"],
        articles=row[f"articles_{side}"],
        value=row[f"value_{side}"],
        source=row[f"source_{side}"],
        article_id=article_id,
        attribution_id=attribution_id,
        published=member.published if member else None,
        chain=member.chain if member else [],
        content=member.content if member else None,
        attribution_kind=member.kind if member else None,
        evidence=evidence[0],
        evidence_start=evidence[1],
        evidence_end=evidence[2],
    )


def read_conflicts(
    con: sqlite3.Connection,
    *,
    kind: str | None = None,
    limit: int = 100,
    offset: int = 0,
    ids: Collection[int] | None = None,
    min_confidence: float | None = None,
) -> list[Conflict]:
    """Conflicts (:func:`list_conflicts`, the surest first) as typed records, each with its
    confidence and both sides: value, source and chain, article, date, the claim it belongs
    to, and the sentences that state it (with their offsets)."""
    rows = list_conflicts(
        con, kind=kind, limit=limit, offset=offset, ids=ids, min_confidence=min_confidence
    )
    return [
        Conflict(
            id=r["id"],
            kind=r["kind"],
            explanation=r["explanation"],
            a=_side(con, r, "a"),
            b=_side(con, r, "b"),
            confidence=r["confidence"],
            verdict=r["verdict"],
            verdict_note=r["verdict_note"],
        )
        for r in rows
    ]


def set_verdict(
    con: sqlite3.Connection, conflict_id: int, verdict: str | None, note: str | None = None
) -> bool:
    """Store a user's verdict on conflict ``conflict_id`` (``confirmed`` or ``dismissed``,
    with a note; None clears it). It is kept by what the conflict sets against what (its
    attributions and values), so it survives re-ingest and a cross-document rebuild, which
    renumber conflicts. Returns False for an unknown conflict."""
    if verdict is not None and verdict not in VERDICTS:
        raise ValueError(f"verdict {verdict!r}: use {' or '.join(VERDICTS)}")
    row = con.execute(
        "SELECT kind, attribution_a, attribution_b, coalesce(value_a, ''),"
        " coalesce(value_b, '') FROM conflicts WHERE id = ?",
        (conflict_id,),
    ).fetchone()
    if row is None:
        return False
    key = tuple(row)
    con.execute("BEGIN IMMEDIATE")
    try:
        con.execute(
            "DELETE FROM conflict_verdicts WHERE kind = ? AND attribution_a = ? AND"
            " attribution_b = ? AND value_a = ? AND value_b = ?",
            key,
        )
        if verdict is not None:
            con.execute(
                "INSERT INTO conflict_verdicts(kind, attribution_a, attribution_b, value_a,"
                " value_b, verdict, note, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
                " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                (*key, verdict, note),
            )
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    return True


def conflict_keys(con: sqlite3.Connection) -> dict[tuple[str, str, str, str, str], int]:
    """Every conflict by what it sets against what (kind, both attributions, both values: the
    key verdicts are kept by, stable across updates and rebuilds) → its id now."""
    rows = con.execute(
        "SELECT kind, attribution_a, attribution_b, coalesce(value_a, ''),"
        " coalesce(value_b, ''), id FROM conflicts"
    )
    return {(r[0], r[1], r[2], r[3], r[4]): int(r[5]) for r in rows}
