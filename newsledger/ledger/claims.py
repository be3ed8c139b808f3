"""Claim clusters, stored: ``claims``, ``claim_members``, ``claim_keys`` and ``term_stats``.

:class:`ClaimIndex` puts each proposition into its claim (method:
:mod:`newsledger.crossdoc.claims`). Candidates come from the ``claim_keys`` index (figure
facets, events, content terms), never from a scan of the ledger. Each claim's first member
fixes its label and its figure. :func:`list_claims` and :func:`claim_detail` read them back.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from newsledger.crossdoc.claims import (
    claim_keys,
    count_key,
    dates_conflict,
    days_apart,
    figure_dict,
    main_figure,
    origin_of,
    quote_key,
    quoted_passages,
    stated_count,
    subjects_ok,
    value_key,
)
from newsledger.crossdoc.figures import (
    MEASURE_FEATURES,
    bare_noun,
    bare_unit,
    compatible,
    exclusive_measures,
    measure_chance,
    measure_features,
    same_counted,
    same_kind,
)
from newsledger.crossdoc.lexicon import lexicon
from newsledger.crossdoc.propositions import Proposition, own_span, terms_of
from newsledger.crossdoc.stories import Embed, as_vector
from newsledger.extract.figures import GENERAL, Figure, sentence_at
from newsledger.ledger.claim_refresh import refresh_claim
from newsledger.ledger.entities import lookup_name
from newsledger.ledger.stories import story_of
from newsledger.records import Claim, ClaimMember, ClaimOrigin
from newsledger.settings import DEFAULT_SETTINGS
from newsledger.text import cosine, fts_query

__all__ = ["ClaimIndex", "claim_detail", "claim_member", "list_claims", "member_evidence"]

_TUNING = DEFAULT_SETTINGS.claims
_CONFLICT_TUNING = DEFAULT_SETTINGS.conflicts


class ClaimIndex:
    """The claims of one ledger connection as an index to cluster propositions into, with
    the caches of one run of updates: term document frequencies, the compared members of
    claims, article words, article pairs and incident days (all kept in step with what the
    index writes; :meth:`reset` forgets them, e.g. after a rolled-back transaction)."""

    def __init__(self, con: sqlite3.Connection, embed: Embed) -> None:
        self.con = con
        self.embed = embed
        self.reset()

    def reset(self) -> None:
        """Forget every cached value (the next reads go to the tables)."""
        self.n: int | None = None
        self.df: dict[str, int] = {}
        self.members: dict[int, list[tuple[frozenset[str], Any, Any, Any, str]]] = {}
        self.article_terms_of: dict[str, frozenset[str]] = {}
        self.near: dict[tuple[str, str], bool] = {}
        self.incident: dict[str, frozenset[str]] = {}
        # the values each article states, by what they count (values_of)
        self.stated: dict[str, dict[tuple[str, str], set[float]]] = {}
        self.figures: dict[str, list[dict[str, Any]]] = {}  # every figure of an article
        self.story: dict[str, int | None] = {}
        self.measure_sim: dict[tuple[str, str], float] = {}
        self.vectors: dict[str, Any] = {}  # short texts' embeddings (_cosine)

    def idf(self, terms: set[str]) -> dict[str, float]:
        """Inverse document frequency of ``terms`` over the propositions clustered so far
        (``term_stats``): log((N + 1) / (df + 0.5)), at least 0."""
        if self.n is None:
            row = self.con.execute("SELECT df FROM term_stats WHERE term = ''").fetchone()
            self.n = row[0] if row else 0
        n = self.n
        missing = sorted(t for t in terms if t not in self.df)
        for i in range(0, len(missing), 500):
            chunk = missing[i : i + 500]
            for t in chunk:
                self.df[t] = 0
            marks = ", ".join("?" for _ in chunk)
            for term, df in self.con.execute(
                f"SELECT term, df FROM term_stats WHERE term IN ({marks})", chunk
            ):
                self.df[term] = df
        return {t: max(0.0, math.log((n + 1) / (self.df[t] + 0.5))) for t in terms}

    def _compared_members(self, cid: int) -> list[tuple[frozenset[str], Any, Any, Any, str]]:
        if cid not in self.members:
            self.members[cid] = [
                (frozenset(json.loads(m[0])), m[1], m[2], m[3], m[4]) for m in self.con.execute(
                    "SELECT terms, lo, hi, date, article_id FROM claim_members WHERE claim_id = ?"
                    " ORDER BY position LIMIT ?", (cid, _TUNING.max_compared_members),
                )
            ]  # fmt: skip
        return self.members[cid]

    def note_values(self, article_id: str, props: Iterable[Proposition]) -> None:
        """What the article being added states, every figure of it, before its first
        statement is compared (:meth:`values_of` reads the stored ones for the others)."""
        figures = [figure_dict(f) for p in props for f in p.figures]
        self.stated[article_id] = _values(figures)
        self.figures[article_id] = figures

    def values_of(self, article_id: str, fig: dict[str, Any]) -> set[float]:
        """The values an article states for what ``fig`` counts (its unit and facet, and for
        a figure of anything counted its measure), cached for the run."""
        if article_id not in self.stated:
            figures = [
                f
                for (blob,) in self.con.execute(
                    "SELECT figures FROM claim_members WHERE article_id = ?", (article_id,)
                )
                for f in json.loads(blob or "[]")
            ]
            if len(self.stated) > 50_000:
                self.stated.clear()
            self.stated[article_id] = _values(figures)
        return self.stated[article_id].get(_counts(fig), set())

    def article_figures(self, article_id: str) -> list[dict[str, Any]]:
        """Every figure an article states (as stored: :func:`figure_dict`), the article
        being added with all of its statements (:meth:`note_values`); cached for the run."""
        if article_id not in self.figures:
            if len(self.figures) > 50_000:
                self.figures.clear()
            self.figures[article_id] = [
                f
                for (blob,) in self.con.execute(
                    "SELECT figures FROM claim_members WHERE article_id = ?", (article_id,)
                )
                for f in json.loads(blob or "[]")
            ]
        return self.figures[article_id]

    def counterparts(self, a: tuple[str, dict[str, Any]], b: tuple[str, dict[str, Any]]) -> bool:
        """Whether two figures of two reports ((article, figure) each) may count one thing
        as far as the other figures of the two reports tell: a report's count of a thing
        answers one count of the other report, not one that the other report tells apart
        from a count likelier to be its own ("84 runners treated", "dozens needed help" /
        "212 runners attended to", "27 taken to hospital": 27 answers "dozens", 84 answers
        212). A figure of one report stands in the way when the pair model
        (:meth:`measure_chance`) gives it and the figure of the other report a chance
        higher by ``counterpart_margin``, the report tells it apart (a chance below the
        conflicts' ``measure_chance``: a report that gives several sources' counts of one
        thing tells none apart), and that figure of the other report is its likeliest
        counterpart there. Figures of either figure's value never stand in the way."""
        (xa, fa), (xb, fb) = a, b
        floor = self.measure_chance(fa, fb) + _TUNING.counterpart_margin
        for (article, mine), (home, theirs) in (((xb, fa), (xa, fb)), ((xa, fb), (xb, fa))):
            for other in self.article_figures(article):
                if _same_value(other, theirs) or _same_value(other, mine):
                    continue  # the figure itself, its value told again, or the other's value
                if self.measure_chance(mine, other) <= floor:
                    continue
                if self.measure_chance(other, theirs) >= _CONFLICT_TUNING.measure_chance:
                    continue  # the report gives both as counts of one thing
                best = self._likeliest(home, other, theirs)
                if best is not None and _same_value(best, mine):
                    return False
        return True

    def _likeliest(
        self, article_id: str, fig: dict[str, Any], skip: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The figure of an article the pair model likeliest counts what ``fig`` counts, of
        those not of ``skip``'s value (the first of equals)."""
        best, top = None, 0.0
        for other in self.article_figures(article_id):
            if _same_value(other, skip):
                continue
            if (chance := self.measure_chance(fig, other)) > top:
                best, top = other, chance
        return best

    def article_terms(self, article_id: str) -> frozenset[str]:
        """The content words of a whole article (cached for the run)."""
        if article_id not in self.article_terms_of:
            if len(self.article_terms_of) > 50_000:
                self.article_terms_of.clear()
            row = self.con.execute(
                "SELECT text FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            self.article_terms_of[article_id] = frozenset(terms_of(row[0]) if row else ())
        return self.article_terms_of[article_id]

    def count_article(self, article_id: str) -> None:
        """Add an article's words to the article document frequencies (``a:`` rows of
        ``term_stats``; ``a:`` alone holds the number of articles)."""
        counts = {f"a:{t}": 1 for t in self.article_terms(article_id)}
        counts["a:"] = 1
        self.con.executemany(
            "INSERT INTO term_stats(term, df) VALUES (?, ?)"
            " ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            sorted(counts.items()),
        )
        for t in counts:
            if t in self.df:
                self.df[t] += 1

    def story_similarity(self, a: str, b: str) -> float:
        """How much two articles are about the same story: the cosine of their word sets weighted
        by idf over the articles added so far."""
        ta, tb = self.article_terms(a), self.article_terms(b)
        keys = {f"a:{t}" for t in ta | tb} | {"a:"}
        self.idf(keys)  # fills self.df for the keys
        n = self.df.get("a:", 0)
        weights = {
            t: max(0.0, math.log((n + 1) / (self.df.get(f"a:{t}", 0) + 0.5))) for t in ta | tb
        }
        return cosine(set(ta), set(tb), weights)[0]

    def _articles_near(self, a: str, b: str) -> bool:
        """Published at most ``max_days`` apart (when both dates are known) and naming a place in
        common (when both name places; cached per pair for the run)."""
        key = (a, b) if a < b else (b, a)
        if key in self.near:
            return self.near[key]
        if len(self.near) > 200_000:
            self.near.clear()
        pubs = dict(
            self.con.execute("SELECT id, published FROM articles WHERE id IN (?, ?)", (a, b))
        )
        days = days_apart(pubs.get(a), pubs.get(b))
        ok = days is None or days <= _TUNING.max_days
        if ok:
            places = [
                {r[0] for r in self.con.execute(
                    "SELECT m.ledger_entity FROM ledger_entity_members m JOIN ledger_entities e"
                    " ON e.id = m.ledger_entity WHERE m.article_id = ?"
                    " AND e.type IN ('place', 'gpe', 'loc')", (x,),
                )}
                for x in (a, b)
            ]  # fmt: skip
            ok = not places[0] or not places[1] or bool(places[0] & places[1])
        self.near[key] = ok
        return ok

    def same_story(
        self,
        a: str,
        b: str,
        subjects_a: Iterable[str] = (),
        subjects_b: Iterable[str] = (),
    ) -> bool:
        """Whether two articles can speak of the same thing: the same article, or of one
        story (``article_stories``; :mod:`newsledger.crossdoc.stories`). Articles added
        before stories were kept (a ledger not rebuilt since) fall back to: published at most
        ``max_days`` apart, naming a place in common, and either sharing a subject of the
        statements compared or close as whole texts (:func:`story_similarity` ≥
        ``story_similarity``)."""
        if a == b:
            return True
        sa, sb = self.story_of(a), self.story_of(b)
        if sa is not None and sb is not None:
            return sa == sb
        if not self._articles_near(a, b):
            return False
        if set(subjects_a) & set(subjects_b):
            return True
        return self.story_similarity(a, b) >= _TUNING.story_similarity

    def same_measure(self, a: dict[str, Any], b: dict[str, Any]) -> bool:
        """Two figures (as stored: :func:`figure_dict`) count the same thing: units of one
        kind and the same measure, in lemmas or in meaning (the cosine of the measures'
        sentence embeddings ≥ ``measure_similarity``)."""
        return self.measure_similarity(a, b) >= _TUNING.measure_similarity

    def measure_similarity(self, a: dict[str, Any], b: dict[str, Any]) -> float:
        """How close two figures' measures are: 1 for the same lemmas, the cosine of their
        sentence embeddings otherwise, 0 without a measure or for units of two kinds; where
        both figures keep their context (the words around them, numbers masked), the mean of
        that and the cosine of their contexts: "beach shut" / "beach closed" in two reports
        of one closure, not "farm empty" / "farm lie inside zone" of two zones."""
        sim = self._measure_cosine(a, b)
        ca, cb = a.get("context"), b.get("context")
        if sim <= 0.0 or not ca or not cb:
            return sim
        return (sim + self._cosine(ca, cb)) / 2

    def measure_chance(self, a: dict[str, Any], b: dict[str, Any]) -> float:
        """How likely two figures of one story count the same thing, 0–1 (the learned pair
        model, :func:`newsledger.crossdoc.figures.measure_chance`, over
        :meth:`measure_features`); 0 for units of two kinds, and for two counted nouns that
        name two things (not one noun, not both persons, and less close in meaning than
        ``counted_floor``: "29 degrees" / "27 runners", however close the values)."""
        features = self.measure_features(a, b)
        if features is None:
            return 0.0
        ca, cb = a.get("counted"), b.get("counted")
        counted = features[MEASURE_FEATURES.index("counted")]
        if same_counted(ca, cb) is False and counted < _TUNING.counted_floor:
            return 0.0
        return measure_chance(features)

    def measure_features(self, a: dict[str, Any], b: dict[str, Any]) -> list[float] | None:
        """The pair model's features of two figures
        (:func:`newsledger.crossdoc.figures.measure_features`: their measures, contexts and
        counted nouns in meaning, their values, contrast, where they stand in their texts);
        None for units of two kinds."""
        if not same_kind(a.get("counted"), b.get("counted")):
            return None
        cosines = (
            self._measure_cosine(a, b),
            self.context_similarity(a, b),
            self.counted_similarity(a, b),
        )
        return measure_features(a, b, cosines)

    def counted_similarity(self, a: dict[str, Any], b: dict[str, Any]) -> float:
        """The cosine of two figures' counted nouns as single words ("communes" /
        "municipalities"), 0 where either has none."""
        ca, cb = str(a.get("counted") or "").lower(), str(b.get("counted") or "").lower()
        return self._cosine(ca, cb) if ca and cb else 0.0

    def context_similarity(self, a: dict[str, Any], b: dict[str, Any]) -> float:
        """The cosine of two figures' contexts (the words around them, numbers masked), 0
        where either has none or they count things of two kinds."""
        ca, cb = a.get("context"), b.get("context")
        if not ca or not cb or not same_kind(a.get("counted"), b.get("counted")):
            return 0.0
        return self._cosine(ca, cb)

    def _measure_cosine(self, a: dict[str, Any], b: dict[str, Any]) -> float:
        ma, mb = a.get("measure"), b.get("measure")
        if not ma or not mb or not same_kind(a.get("counted"), b.get("counted")):
            return 0.0
        if bare_unit(ma) or bare_unit(mb):
            # "38,000 tonnes" cut / "a total catch of 612,000 tonnes"; "18 percent" of the
            # arrivals / bookings down "12 percent": a unit alone says nothing of what
            return 0.0
        if ma == mb:
            return 1.0
        if bare_noun(a) != bare_noun(b):
            # "240 pharmacies" / "1,100 pharmacies took part": a noun alone against the same
            # noun scoped by a verb or a qualifier names too little to be one measure
            return 0.0
        if exclusive_measures(ma, mb):
            return 0.0  # "ballots remaining" / "ballots rejected"
        if same_counted(a.get("counted"), b.get("counted")) is False:
            # "12 shots fired" / "six victims of the shooting": two things counted, however
            # close their verbs make the measures; synonyms ("vessels", "ships") stay close
            if self.counted_similarity(a, b) < _TUNING.counted_similarity:
                return 0.0
        return self._cosine(ma, mb)

    def _cosine(self, ma: str, mb: str) -> float:
        """The cosine of two short texts' sentence embeddings, cached for the run (the
        cosines and each text's vector)."""
        key = (ma, mb) if ma < mb else (mb, ma)
        if key not in self.measure_sim:
            if len(self.measure_sim) > 200_000:
                self.measure_sim.clear()
            if len(self.vectors) > 50_000:
                self.vectors.clear()
            missing = [t for t in dict.fromkeys(key) if t not in self.vectors]
            if missing:
                for text, vec in zip(missing, self.embed.embed(missing), strict=True):
                    self.vectors[text] = vec
            self.measure_sim[key] = float(self.vectors[ma] @ self.vectors[mb])
        return self.measure_sim[key]

    def same_measure_as_claim(self, fig: Figure, cid: int) -> bool:
        """``fig`` counts what claim ``cid``'s main figure counts."""
        row = self.con.execute(
            "SELECT figures FROM claim_members WHERE claim_id = ? ORDER BY position LIMIT 1",
            (cid,),
        ).fetchone()
        theirs = json.loads(row[0]) if row and row[0] else []
        return bool(theirs) and self.same_measure(figure_dict(fig), theirs[0])

    def same_value_in_claim(self, fig: Figure, cid: int) -> bool:
        """``fig`` states the very value a member of claim ``cid`` states for its unit and
        facet (:func:`stated_count`), and their measures are close enough for one value
        (``same_value_similarity``), or the value is large enough not to repeat by chance
        (``same_value_distinct``), or has a fraction and counts one noun ("reached 44.6
        degrees" / "a peak of 44.6 degrees"), or is at least ``same_value_named`` and counts
        nouns close in meaning ("38 communes" / "38 municipalities"): "4,000 residents were
        under evacuation orders" and "forced about 4,000 people from their homes"
        corroborate each other."""
        value = stated_count(fig)
        if value is None:
            return False
        mine = figure_dict(fig)
        for (blob,) in self.con.execute(
            "SELECT figures FROM claim_members WHERE claim_id = ? ORDER BY position LIMIT ?",
            (cid, _TUNING.max_compared_members),
        ):
            for theirs in json.loads(blob or "[]"):
                if count_key(theirs.get("key") or "") != count_key(fig.key):
                    continue  # "27 of the 43 municipalities" counts as "27 municipalities"
                if stated_count(theirs) != value:
                    continue
                if not same_kind(mine.get("counted"), theirs.get("counted")):
                    continue
                if value >= _TUNING.same_value_distinct:
                    return True
                if value != int(value) and same_counted(mine.get("counted"), theirs.get("counted")):
                    return True  # "reached 44.6 degrees" / "a peak of 44.6 degrees": as rare
                if _same_thing(mine, theirs):
                    return True  # "escorted 46 boats" / "logged 46 boats": one count
                if (
                    value >= _TUNING.same_value_named
                    and self.counted_similarity(mine, theirs) >= _TUNING.counted_floor
                ):
                    return True  # "a fleet of 64 aircraft" / "operate 64 planes"
                if self.measure_similarity(mine, theirs) >= _TUNING.same_value_similarity:
                    return True
        return False

    def story_of(self, article_id: str) -> int | None:
        """The story of an article (cached for the run; None before it has one)."""
        if article_id not in self.story:
            if len(self.story) > 200_000:
                self.story.clear()
            found = story_of(self.con, article_id)
            if found is None:
                return None  # not cached: the article gets its story later in the run
            self.story[article_id] = found
        return self.story[article_id]

    def same_incident(self, a: str, b: str) -> bool:
        """Whether two articles can report the toll of one incident (killed / injured counts):
        the same article, or :func:`same_story` articles published at most ``count_max_days``
        apart and close as whole texts (:func:`story_similarity` ≥ ``story_similarity``) even
        when the statements share a subject: a city's shootings a month apart share places and
        subjects but not their tolls."""
        if a == b:
            return True
        if not self._articles_near(a, b):
            return False
        pubs = dict(
            self.con.execute("SELECT id, published FROM articles WHERE id IN (?, ?)", (a, b))
        )
        days = days_apart((pubs.get(a) or "")[:10] or None, (pubs.get(b) or "")[:10] or None)
        if days is not None and days > _TUNING.count_max_days:
            return False
        days_a, days_b = self.incident_days(a), self.incident_days(b)
        slack = _TUNING.incident_date_slack_days
        if days_a and days_b and all(
            (days_apart(x, y) or 0) > slack for x in days_a for y in days_b
        ):  # fmt: skip
            return False  # two shootings a week apart, each reported the next day
        if self.story_similarity(a, b) >= _TUNING.story_similarity:
            return True
        # word statistics starve in a small ledger: articles of one story whose leads say
        # the same in meaning report one incident, at any ledger size
        return self.lead_similarity(a, b) >= _TUNING.incident_similarity and self.same_story(a, b)

    def lead_similarity(self, a: str, b: str) -> float:
        """The cosine of two articles' lead embeddings (as stories found them; 0 when
        either has none, or they come from two models)."""
        rows = dict(
            (r[0], (r[1], r[2])) for r in self.con.execute(
                "SELECT article_id, model, vector FROM article_vectors WHERE article_id IN (?, ?)",
                (a, b),
            )
        )  # fmt: skip
        if a not in rows or b not in rows or rows[a][0] != rows[b][0]:
            return 0.0
        return float(as_vector(rows[a][1]) @ as_vector(rows[b][1]))

    def incident_days(self, article_id: str) -> frozenset[str]:
        """The days an article's incident may have happened on, as far as it says: the days it
        states (the record's dates: "Saturday", "Nov. 16") within ``count_max_days`` before its
        publication, on or before it; empty without a published date or such a day."""
        if article_id in self.incident:
            return self.incident[article_id]
        if len(self.incident) > 200_000:
            self.incident.clear()
        row = self.con.execute(
            "SELECT published FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        found: frozenset[str] = frozenset()
        try:
            pub = date.fromisoformat((row[0] or "")[:10]) if row else None
        except ValueError:
            pub = None
        if pub is not None:
            lo, hi = (
                (pub - timedelta(days=_TUNING.count_max_days)).isoformat(),
                pub.isoformat(),
            )
            found = frozenset(
                d for (v,) in self.con.execute(
                    "SELECT value FROM dates WHERE article_id = ? AND value IS NOT NULL",
                    (article_id,),
                )
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d := v[:10]) and lo <= d <= hi
            )  # fmt: skip
        self.incident[article_id] = found
        return found

    def count_terms(self, props: list[Proposition]) -> None:
        """Add the propositions' terms to ``term_stats`` (after they are clustered)."""
        counts: dict[str, int] = {"": len(props)}
        for p in props:
            for t in p.terms:
                counts[t] = counts.get(t, 0) + 1
        self.con.executemany(
            "INSERT INTO term_stats(term, df) VALUES (?, ?)"
            " ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            sorted(counts.items()),
        )
        if self.n is not None:
            self.n += counts.pop("")
        for t, c in counts.items():
            if t in self.df:
                self.df[t] += c

    def _score(self, p: Proposition, claim: sqlite3.Row, weights: dict[str, float]) -> float:
        """How well ``p`` fits ``claim`` (0: not the same proposition)."""
        if bool(claim["denial"]) != p.denial:
            return 0.0
        if (claim["facet"] is None) != (not p.figures):
            return 0.0  # a figure and a statement without one are different propositions
        if any(
            self.con.execute(
                "SELECT 1 FROM claim_keys WHERE key = ? AND claim_id = ?", (key, claim["id"])
            ).fetchone()
            for key in map(quote_key, quoted_passages(p.content))
        ):
            return 3.0  # the same quotation, word for word: the same claim, relayed
        subjects = set(json.loads(claim["subjects"]))
        fig = main_figure(p)
        members = self._compared_members(claim["id"])
        if members and not self.same_story(
            p.article_id, members[0][4], p.subjects, json.loads(claim["subjects"])
        ):
            return 0.0
        best_sim, best_shared = 0.0, 0
        for theirs, *_ in members:
            if not (p.terms & theirs):
                continue
            missing = theirs - weights.keys()
            if missing:
                weights.update(self.idf(set(missing)))
            sim, shared = cosine(p.terms, theirs, weights)
            if sim > best_sim:
                best_sim, best_shared = sim, shared
                if sim > 0.999:
                    break
        claim_dates = json.loads(members[0][3]) if members and members[0][3] else []
        if dates_conflict([tuple(d) for d in claim_dates], p.dates) and p.start:
            return 0.0
        if fig is not None and claim["facet"] is not None:
            if count_key(claim["facet"]) != count_key(fig.key):
                return 0.0
            if not compatible((fig.lo, fig.hi), (members[0][1], members[0][2])):
                return 0.0
            if (
                fig.unit == GENERAL
                and not self.same_measure_as_claim(fig, claim["id"])
                and not self.same_value_in_claim(fig, claim["id"])
            ):
                return 0.0  # 14 people detained and 14 homes destroyed: another claim
            wanted = lexicon()["conflict_facets"].get(fig.unit, [])
            if fig.facet in wanted and not self.same_incident(p.article_id, members[0][4]):
                return 0.0  # "one person was killed": the same toll of two shootings is no claim
            if subjects_ok(p.subjects, subjects):
                return 2.0 + best_sim
            return 0.0
        if p.events and best_sim >= _TUNING.event_min_similarity and any(
            self.con.execute("SELECT 1 FROM claim_keys WHERE key = ? AND claim_id = ?", (f"v:{e}",
                        claim["id"])).fetchone() for e in p.events
        ):  # fmt: skip
            return 2.0 + best_sim
        if best_sim >= _TUNING.text_similarity and best_shared >= _TUNING.text_min_shared:
            return best_sim
        return 0.0

    def _holds(self, cid: int, p: Proposition) -> bool:
        """Claim ``cid`` already holds ``p``'s statement (through another of its figures)."""
        return self.con.execute(
            "SELECT 1 FROM claim_members WHERE claim_id = ? AND article_id = ?"
            " AND attribution_id = ?", (cid, p.article_id, p.attribution_id),
        ).fetchone() is not None  # fmt: skip

    def _share_quote_origin(self, cid: int, p: Proposition) -> None:
        """The same quotation, word for word, in members of several articles is one quote
        relayed: every member holding it takes the origin of the earliest one."""
        shared = quoted_passages(p.content)
        if not shared:
            return
        rows = [r for r in _member_quotes(self.con, cid) if quoted_passages(r[5] or "") & shared]
        if len({r[0] for r in rows}) < 2:
            return
        first = rows[0]  # ordered by date published
        self.con.executemany(
            "UPDATE claim_members SET origin_key = ?, origin_name = ?"
            " WHERE claim_id = ? AND article_id = ? AND attribution_id = ?",
            [(first[3], first[4], cid, r[0], r[1]) for r in rows[1:]],
        )

    def add_proposition(
        self, p: Proposition, entity_map: dict[str, int]
    ) -> tuple[int, bool] | None:
        """Put ``p`` into its claim (an existing one or a new one); returns (claim id, new)."""
        if len(p.terms) < 2 and not p.figures and not p.events:
            return None  # "the figures", "the briefing": too little to compare
        weights = self.idf(p.terms)
        scored = [
            (s, cid) for cid in _candidates(self.con, p)
            if (row := _claim_row(self.con, cid)) is not None
            and (s := self._score(p, row, weights)) > 0
            and not (p.part and self._holds(cid, p))
        ]  # fmt: skip
        origin, origin_name, source_ledger = origin_of(
            p, entity_map, lambda name: lookup_name(self.con, name)
        )
        fig = main_figure(p)
        if scored:
            scored.sort(key=lambda x: (-x[0], x[1]))
            cid, new = scored[0][1], False
        else:
            kind = "quantity" if fig else "event" if p.events else "date" if p.dates else "text"
            cur = self.con.execute(
                "INSERT INTO claims(label, kind, facet, value, value_max, date_lo, date_hi, denial,"
                " subjects, independence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'single')",
                (
                    p.content[:300],
                    kind,
                    fig.key if fig else None,
                    fig.value if fig else None,
                    fig.value_max if fig else None,
                    min(d[0] for d in p.dates) if p.dates else None,
                    max(d[1] for d in p.dates) if p.dates else None,
                    int(p.denial),
                    json.dumps(sorted(p.subjects)),
                ),
            )
            cid, new = int(cur.lastrowid or 0), True
        position = self.con.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM claim_members WHERE claim_id = ?", (cid,)
        ).fetchone()[0]
        self.con.execute(
            "INSERT OR REPLACE INTO claim_members(claim_id, article_id, attribution_id, position,"
            " source_entity, origin_key, origin_name, chain, published, date, value, value_max,"
            " lo, hi, figures, terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                cid, p.article_id, p.attribution_id, position, source_ledger, origin, origin_name,
                json.dumps(p.chain, ensure_ascii=False), p.published,
                json.dumps(p.dates) if p.dates else None,
                fig.value if fig else None, fig.value_max if fig else None,
                fig.lo if fig else None, fig.hi if fig else None,
                json.dumps([figure_dict(f) for f in p.figures], ensure_ascii=False),
                json.dumps(sorted(p.terms), ensure_ascii=False),
            ),
        )  # fmt: skip
        self.members.pop(cid, None)
        if not new:
            self._share_quote_origin(cid, p)
        if position < _TUNING.max_compared_members:
            keys = claim_keys(p)
        else:
            keys = [k for k in claim_keys(p) if not k.startswith(("t:", "dt:"))]
        self.con.executemany(
            "INSERT OR IGNORE INTO claim_keys(key, claim_id) VALUES (?, ?)",
            [(k, cid) for k in keys],
        )
        refresh_claim(self.con, cid)
        return cid, new


def _same_value(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (a.get("lo"), a.get("hi"), a.get("key")) == (b.get("lo"), b.get("hi"), b.get("key"))


def _same_thing(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two figures that count one noun ("boats", "pelagic trawlers") in states that do not
    exclude each other: with one value in one story, one count."""
    ma, mb = str(a.get("measure") or ""), str(b.get("measure") or "")
    return bool(
        ma and mb
        and not bare_unit(ma) and not bare_unit(mb)
        and same_counted(a.get("counted"), b.get("counted"))
        and not exclusive_measures(ma, mb)
    )  # fmt: skip


def _counts(fig: dict[str, Any]) -> tuple[str, str]:
    key = str(fig.get("key") or "")
    return key, str(fig.get("measure") or "") if key.startswith(f"{GENERAL}/") else ""


def _values(figures: list[dict[str, Any]]) -> dict[tuple[str, str], set[float]]:
    out: dict[tuple[str, str], set[float]] = {}
    for f in figures:
        if (v := stated_count(f)) is not None:
            out.setdefault(_counts(f), set()).add(v)
    return out


def _member_quotes(con: sqlite3.Connection, cid: int) -> list[sqlite3.Row]:
    """(article, attribution, published, origin key, origin name, content) of a claim's
    members that are attributions, earliest published first."""
    return con.execute(
        "SELECT m.article_id, m.attribution_id, m.published, m.origin_key, m.origin_name,"
        " t.content_text FROM claim_members m JOIN attributions t"
        " ON t.article_id = m.article_id AND t.id = m.attribution_id WHERE m.claim_id = ?"
        " ORDER BY coalesce(m.published, ''), m.position LIMIT 200",
        (cid,),
    ).fetchall()


def _candidates(con: sqlite3.Connection, p: Proposition) -> dict[int, int]:
    """Candidate claim ids with the number of shared index keys (terms count 1 each)."""
    counts: dict[int, int] = {}
    strong = [f"v:{e}" for e in p.events]
    if (fig := main_figure(p)) is not None:
        strong.append(f"q:{fig.key}")
    for key in strong:
        for (cid,) in con.execute("SELECT claim_id FROM claim_keys WHERE key = ?", (key,)):
            counts[cid] = counts.get(cid, 0) + 100
    if fig is not None and (vk := value_key(fig)) is not None:
        # the same value first, among the many claims of one unit and facet: the most recent
        # ones, half the candidates at most (a common value must not crowd out the rest)
        for (cid,) in con.execute(
            "SELECT claim_id FROM claim_keys WHERE key = ? ORDER BY claim_id DESC LIMIT ?",
            (vk, _TUNING.candidate_cap // 2),
        ):
            counts[cid] = counts.get(cid, 0) + 1000
    cap = _TUNING.posting_cap
    for term in sorted(p.terms):
        ids = [r[0] for r in con.execute(
            "SELECT claim_id FROM claim_keys WHERE key = ? LIMIT ?", (f"t:{term}", cap + 1)
        )]  # fmt: skip
        if len(ids) > cap:
            continue  # a word too common to block on
        for cid in ids:
            counts[cid] = counts.get(cid, 0) + 1
    need = _TUNING.text_min_shared
    best = sorted(((c, n) for c, n in counts.items() if n >= need), key=lambda x: (-x[1], x[0]))[
        : _TUNING.candidate_cap
    ]
    return dict(best)


def _claim_row(con: sqlite3.Connection, cid: int) -> sqlite3.Row | None:
    return con.execute("SELECT * FROM claims WHERE id = ?", (cid,)).fetchone()


# ---------------------------------------------------------------- queries


def _origin_label(con: sqlite3.Connection, key: str, name: str | None) -> ClaimOrigin:
    if key.startswith("e:"):
        row = con.execute("SELECT name FROM ledger_entities WHERE id = ?", (int(key[2:]),))
        found = row.fetchone()
        return ClaimOrigin(key, int(key[2:]), found[0] if found else name)
    return ClaimOrigin(key, None, name)


_MEMBER_ROWS = (
    "SELECT m.*, t.content_text, coalesce(t.source_name, m.origin_name) AS source_name,"
    " coalesce(t.kind, 'outlet') AS attribution_kind, t.confidence AS reading FROM claim_members m"
    " LEFT JOIN attributions t ON t.article_id = m.article_id AND t.id = m.attribution_id"
)


def _member(con: sqlite3.Connection, m: sqlite3.Row) -> ClaimMember:
    evidence = member_evidence(con, m["article_id"], m["attribution_id"])
    reading = m["reading"]
    return ClaimMember(
        article_id=m["article_id"],
        attribution_id=m["attribution_id"],
        published=m["published"],
        kind=m["attribution_kind"],
        source=m["source_name"],
        source_entity=m["source_entity"],
        chain=json.loads(m["chain"]),
        origin=_origin_label(con, m["origin_key"], m["origin_name"]),
        content=m["content_text"]
        if m["content_text"] is not None
        else _own_text(con, m["article_id"], m["attribution_id"]),
        dates=json.loads(m["date"]) if m["date"] else [],
        value=m["value"],
        value_max=m["value_max"],
        figures=json.loads(m["figures"]),
        confidence=_CONFLICT_TUNING.own_reading if reading is None else float(reading),
        evidence=evidence[0] if evidence else None,
        evidence_start=evidence[1] if evidence else None,
        evidence_end=evidence[2] if evidence else None,
    )


def claim_member(
    con: sqlite3.Connection, cid: int, article_id: str, attribution_id: str
) -> ClaimMember | None:
    """One member of claim ``cid`` (as :func:`claim_detail` gives it), without reading the
    others."""
    row = con.execute(
        _MEMBER_ROWS + " WHERE m.article_id = ? AND m.attribution_id = ? AND m.claim_id = ?",
        (article_id, attribution_id, cid),
    ).fetchone()
    return _member(con, row) if row is not None else None


def claim_detail(con: sqlite3.Connection, cid: int) -> Claim | None:
    """One claim with its members (attribution, source, chain, origin, date, figure)."""
    row = _claim_row(con, cid)
    if row is None:
        return None
    rows = con.execute(_MEMBER_ROWS + " WHERE m.claim_id = ? ORDER BY m.position", (cid,))
    members = [_member(con, m) for m in rows.fetchall()]
    origins = [
        _origin_label(con, k, next((m.origin.name for m in members if m.origin.key == k), None))
        for k in json.loads(row["origins"])
    ]
    return Claim(
        id=row["id"],
        label=row["label"],
        kind=row["kind"],
        facet=row["facet"],
        value=row["value"],
        value_max=row["value_max"],
        date_lo=row["date_lo"],
        date_hi=row["date_hi"],
        denial=bool(row["denial"]),
        subjects=json.loads(row["subjects"]),
        independence=row["independence"],
        origins=origins,
        members=members,
        confidence=max((m.confidence for m in members if m.confidence is not None), default=None),
        articles=row["articles"],
        first_published=row["first_published"],
        last_published=row["last_published"],
    )


def member_evidence(
    con: sqlite3.Connection, article_id: str, attribution_id: str, around: int = 0
) -> tuple[str, int, int] | None:
    """The sentence(s) of the article that state a claim member, with their offsets in its
    text (``text[start:end]``): those holding the attribution's content, or the sentence of
    an outlet's own statement, and ``around`` sentences before and after them. None when
    the article or attribution is gone."""
    row = con.execute(
        "SELECT a.text, t.content_start, t.content_end FROM articles a LEFT JOIN attributions t"
        " ON t.article_id = a.id AND t.id = ? WHERE a.id = ?",
        (attribution_id, article_id),
    ).fetchone()
    if row is None:
        return None
    text = row[0]
    if row[1] is not None:
        span: tuple[int, int] | None = (int(row[1]), int(row[2]))
    else:
        span = own_span(attribution_id)
    if span is None or not 0 <= span[0] <= span[1] <= len(text):
        return None
    start, end = sentence_at(text, span[0], max(span[0], span[1] - 1))
    start, end = min(start, span[0]), max(end, span[1])
    for _ in range(around):
        start = sentence_at(text, start - 2, start - 2)[0] if start >= 2 else start
        end = sentence_at(text, end + 1, end + 1)[1] if end + 1 < len(text) else end
    return text[start:end], start, end


def _own_text(con: sqlite3.Connection, article_id: str, attribution_id: str) -> str | None:
    """The sentence of an outlet's own statement (members without an attribution)."""
    span = own_span(attribution_id)
    if span is None:
        return None
    row = con.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    start, end = sentence_at(row[0], *span)
    return row[0][start:end]


def list_claims(
    con: sqlite3.Connection,
    *,
    about: str | None = None,
    independence: str | None = None,
    min_articles: int = 1,
    limit: int = 50,
    offset: int = 0,
) -> list[Claim]:
    """Claims, the most reported first; ``about`` keeps those with a member whose content
    matches all its words (full-text search). ``offset`` skips that many (paging)."""
    where = ["c.articles >= ?"]
    params: list[Any] = [min_articles]
    if independence:
        where.append("c.independence = ?")
        params.append(independence)
    if about is not None:
        match = fts_query(about)
        if match is None:
            return []
        where.append(
            "c.id IN (SELECT m.claim_id FROM claim_members m JOIN attributions t ON"
            " t.article_id = m.article_id AND t.id = m.attribution_id WHERE t.seq IN"
            " (SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH ?))"
        )
        params.append(match)
    rows = con.execute(
        f"SELECT c.* FROM claims c WHERE {' AND '.join(where)}"
        " ORDER BY c.articles DESC, c.members DESC, c.id LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    return [c for r in rows if (c := claim_detail(con, r["id"])) is not None]
