"""The workbench's list and detail pages, each with its ``.json`` twin: articles, sources,
entities, stories and one story, an entity's timeline, and the interactive relay graph.

Filters, sort and paging are in the URL; an invalid value is dropped with a note on the page
(never an error); sort keys come from fixed lists; the ledger's queries are in
:mod:`newsledger.ledger.browse` and :mod:`newsledger.ledger.timeline`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from newsledger.ledger import browse, query
from newsledger.ledger.conflicts import read_conflicts
from newsledger.ledger.entities import find_entity
from newsledger.ledger.timeline import timeline, timeline_counts
from newsledger.text import fts_query
from newsledger.web import charts, data, graph
from newsledger.web.render import MARK_CLOSE, MARK_OPEN, snippet_plain, story_url, timeline_url

router = APIRouter(include_in_schema=False)

#: most nodes the relay graph draws (the default is readable on one screen with zoom)
GRAPH_NODES, MAX_GRAPH_NODES = 150, 300
#: articles listed per page of a story, claims and conflicts shown on it
STORY_ARTICLES, STORY_CLAIMS, STORY_CONFLICTS = 50, 30, 50
#: statements of a source shown in the graph's side panel
PANEL_STATEMENTS = 8
ROLES = ("said", "about")
ORDERS = ("oldest", "newest")
CROSSDOC_NOTE = (
    "Entities, stories and timelines come from the cross-document step (run by"
    " `newsledger ingest`, or `newsledger crossdoc rebuild`), which has found none in this"
    " ledger yet."
)


# ------------------------------------------------------------------ shared helpers
class Params:
    """Query parameters read leniently: a bad value is dropped and noted."""

    def __init__(self, request: Request) -> None:
        self.raw = dict(request.query_params)
        self.notes: list[str] = []
        self.state: dict[str, Any] = {}  # what the page's links carry over

    def text(self, name: str, size: int = 200) -> str | None:
        value = self.raw.get(name)
        value = value.strip()[:size] or None if isinstance(value, str) else None
        if value is not None:
            self.state[name] = value
        return value

    def choice(self, name: str, allowed: list[str] | tuple[str, ...], default: str) -> str:
        value = self.raw.get(name) or default
        if value not in allowed:
            self.notes.append(f"{name}={value!r} ignored: not one of {', '.join(allowed)}")
            value = default
        if value != default:
            self.state[name] = value
        return value

    def words(self, name: str) -> str | None:
        """A full-text search parameter: dropped, with a note, when it has no words."""
        value = self.text(name, data.MAX_QUERY_CHARS)
        if value is not None and fts_query(value) is None:
            self.notes.append(f"{name}={value!r} ignored: it has no words to search for")
            self.state.pop(name)
            return None
        return value

    def date(self, name: str, until: bool = False) -> str | None:
        value = self.text(name, 10)
        if value and not data.DATE.match(value):
            self.notes.append(f"{name}={value!r} ignored: expected YYYY, YYYY-MM or YYYY-MM-DD")
            self.state.pop(name, None)
            return None
        if value and until and len(value) < 10:
            return value + "-99"  # "2025-04" takes every day of April
        return value

    def number(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.raw.get(name)
        if raw in (None, ""):
            return default
        try:
            value = max(low, min(high, int(raw)))
        except (TypeError, ValueError):
            self.notes.append(f"{name}={raw!r} ignored: not a whole number")
            return default
        if value != default:
            self.state[name] = value
        return value

    def paging(self, default: int = 20) -> data.Paging:
        paging = data.Paging.parse(self.raw.get("page"), self.raw.get("limit"), default=default)
        if paging.limit != default:
            self.state["limit"] = paging.limit
        return paging


def _url(path: str, state: dict[str, Any], **changes: Any) -> str:
    merged = {k: v for k, v in {**state, **changes}.items() if v not in (None, "")}
    return path + ("?" + urlencode(merged) if merged else "")


def _links(path: str, p: Params, paging: data.Paging, next_page: int | None) -> dict[str, Any]:
    """Previous/next page links and the JSON twin's, all keeping the filters."""
    return {
        "params": p.state,
        "prev_url": _url(path, p.state, page=paging.page - 1) if paging.page > 1 else None,
        "next_url": _url(path, p.state, page=next_page) if next_page else None,
        "json_url": _url(path + ".json", p.state, page=paging.page if paging.page > 1 else None),
    }


def _listing(
    p: Params,
    paging: data.Paging,
    key: str,
    found: tuple[list[Any], bool],
    filters: dict[str, Any],
    sort: str,
) -> dict[str, Any]:
    """A list page's data (its ``.json`` twin): the filters in force, the sort, the rows
    under ``key``, the notes on dropped parameters and the paging fields."""
    rows, more = found
    return {"filters": filters, "sort": sort, key: rows, "notes": p.notes, **paging.info(more)}


def _respond(
    request: Request,
    template: str,
    payload: dict[str, Any],
    extra: dict[str, Any] | None = None,
    json_payload: dict[str, Any] | None = None,
) -> Response:
    if request.url.path.endswith(".json"):
        return JSONResponse(json_payload if json_payload is not None else payload)
    context = {**payload, **(extra or {}), "request_path": request.url.path}
    return request.app.state.templates.TemplateResponse(request, template, context)


def _outlets(request: Request) -> list[dict[str, Any]]:
    db = request.app.state.db
    return db.cached("sites", lambda con: query.sites(con, limit=200))


# ------------------------------------------------------------------ articles
@router.get("/articles")
@router.get("/articles.json")
def articles(request: Request) -> Response:
    p = Params(request)
    q = p.words("q")
    since, until, site = p.date("since"), p.date("until", until=True), p.text("site")
    sorts = ["relevance", *browse.ARTICLE_SORTS] if q else list(browse.ARTICLE_SORTS)
    sort = p.choice("sort", sorts, "relevance" if q else "newest")
    paging = p.paging()
    with request.app.state.db.read() as con:
        if q and sort == "relevance":
            rows, more = paging.fetch(
                query.search_articles,
                con,
                q,
                since=since,
                until=until,
                site=site,
                mark=(MARK_OPEN, MARK_CLOSE),
            )
        else:
            rows, more = paging.fetch(
                browse.article_list, con, text=q, since=since, until=until, site=site, sort=sort
            )
    filters = {"q": q, "since": since, "until": p.state.get("until"), "site": site}
    payload = _listing(p, paging, "articles", (rows, more), filters, sort)
    plain = {
        **payload,
        "articles": [{**r, "snippet": snippet_plain(r.get("snippet"))} for r in rows],
    }
    extra = {
        "sorts": sorts,
        "outlets": _outlets(request),
        **_links("/articles", p, paging, payload["next_page"]),
    }
    return _respond(request, "articles.html", payload, extra, plain)


# ------------------------------------------------------------------ sources
@router.get("/sources")
@router.get("/sources.json")
def sources(request: Request) -> Response:
    p = Params(request)
    name, type_ = p.text("name"), p.text("type", 40)
    sort = p.choice("sort", tuple(browse.SOURCE_SORTS), "count")
    paging = p.paging()
    db = request.app.state.db
    totals = db.memo("source_totals", browse.source_totals)
    with db.read() as con:
        rows, more = paging.fetch(
            browse.pick_sources, con, totals, name=name, type=type_, sort=sort
        )
    payload = _listing(p, paging, "sources", (rows, more), {"name": name, "type": type_}, sort)
    extra = {
        "sorts": list(browse.SOURCE_SORTS),
        "types": sorted({r["type"] for r in totals if r["type"]}),
        **_links("/sources", p, paging, payload["next_page"]),
    }
    return _respond(request, "sources.html", payload, extra)


# ------------------------------------------------------------------ entities
@router.get("/entities")
@router.get("/entities.json")
def entities(request: Request) -> Response:
    p = Params(request)
    name, type_ = p.text("name"), p.text("type", 40)
    sort = p.choice("sort", tuple(browse.ENTITY_SORTS), "count")
    paging = p.paging()
    db = request.app.state.db
    totals = db.memo("entity_totals", browse.entity_totals)
    with db.read() as con:
        rows, more = paging.fetch(
            browse.pick_entities, con, totals, name=name, type=type_, sort=sort
        )
    payload = {
        "available": bool(totals),
        **_listing(p, paging, "entities", (rows, more), {"name": name, "type": type_}, sort),
    }
    extra = {
        "sorts": list(browse.ENTITY_SORTS),
        "types": sorted({r["type"] for r in totals if r["type"]}),
        "note": CROSSDOC_NOTE,
        **_links("/entities", p, paging, payload["next_page"]),
    }
    return _respond(request, "entities.html", payload, extra)


# ------------------------------------------------------------------ stories
@router.get("/stories")
@router.get("/stories.json")
def stories(request: Request) -> Response:
    p = Params(request)
    q = p.words("q")
    since, until = p.date("since"), p.date("until", until=True)
    min_articles = p.number("min_articles", 1, 1, 1_000_000)
    sort = p.choice("sort", tuple(browse.STORY_SORTS), "latest")
    paging = p.paging()
    with request.app.state.db.read() as con:
        rows, more = paging.fetch(
            browse.story_list,
            con,
            text=q,
            since=since,
            until=until,
            min_articles=min_articles,
            sort=sort,
        )
        available = bool(rows) or browse.has_rows(con, "stories")
    filters = {"q": q, "since": since, "until": p.state.get("until"), "min_articles": min_articles}
    payload = {
        "available": bool(available),
        **_listing(p, paging, "stories", (rows, more), filters, sort),
    }
    extra = {
        "sorts": list(browse.STORY_SORTS),
        "note": CROSSDOC_NOTE,
        **_links("/stories", p, paging, payload["next_page"]),
    }
    return _respond(request, "stories.html", payload, extra)


def _story_id(raw: str) -> tuple[int, bool]:
    as_json = raw.endswith(".json")
    if as_json:
        raw = raw[: -len(".json")]
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise HTTPException(404, f"no story with id {raw!r} in this ledger")
    return int(raw), as_json


@router.get("/stories/{story_ref}")
def story(request: Request, story_ref: str) -> Response:
    story_id, as_json = _story_id(story_ref)
    p = Params(request)
    paging = p.paging(default=STORY_ARTICLES)
    with request.app.state.db.read() as con:
        found = browse.story_detail(con, story_id, limit=paging.limit + 1, offset=paging.offset)
        if found is None:
            raise HTTPException(404, f"no story with id {story_id} in this ledger")
        rows, more = paging.cut(found.pop("articles_page"))
        claims = browse.story_claims(con, story_id, limit=STORY_CLAIMS)
        ids = browse.story_conflict_ids(con, story_id, limit=STORY_CONFLICTS * 2)
        found_conflicts = [c.to_dict() for c in read_conflicts(con, ids=ids, limit=len(ids))]
        figures = browse.story_figures(con, story_id)
    payload = {
        "story": found,
        "story_articles": rows,
        "claims": claims,
        "conflicts": [c for c in found_conflicts if c["kind"] != "revision"][:STORY_CONFLICTS],
        "revisions": [c for c in found_conflicts if c["kind"] == "revision"][:STORY_CONFLICTS],
        "figures": figures,
        "notes": p.notes,
        **paging.info(more),
    }
    path = story_url(story_id)
    extra = {
        "charts": [charts.figures_svg(f) for f in figures],
        **_links(path, p, paging, payload["next_page"]),
    }
    if as_json:
        return JSONResponse(payload)
    return _respond(request, "story.html", payload, extra)


# ------------------------------------------------------------------ an entity's timeline
@router.get("/timeline/{entity:path}")
def entity_timeline(request: Request, entity: str) -> Response:
    p = Params(request)
    role = p.choice("role", ("all", *ROLES), "all")
    order = p.choice("order", ORDERS, "oldest")
    since, until = p.date("since"), p.date("until", until=True)
    paging = p.paging(default=50)
    with request.app.state.db.read() as con:
        as_json = False
        lid = find_entity(con, entity) if entity.strip() else None
        if lid is None and entity.endswith(".json"):
            lid = find_entity(con, entity[: -len(".json")])
            as_json = lid is not None
        if lid is None:
            raise HTTPException(404, f"no entity {entity!r} in this ledger")
        found = timeline(
            con,
            str(lid),
            limit=paging.limit,
            offset=paging.offset,
            role=None if role == "all" else role,
            since=since,
            until=until,
            newest_first=order == "newest",
        )
    if found is None:  # pragma: no cover - the entity was just found
        raise HTTPException(404, f"no entity {entity!r} in this ledger")
    ledger_id: int = found["id"]
    counts = request.app.state.db.memo(
        f"timeline_counts:{ledger_id}:{since}:{until}",
        lambda con: timeline_counts(con, ledger_id, since=since, until=until),
    )
    total = sum(c[r] for c in counts for r in ((role,) if role in ROLES else ROLES))
    more = paging.offset + paging.limit < total
    payload = {
        "entity": {"id": found["id"], "name": found["name"], "type": found["type"]},
        "filters": {"role": role, "order": order, "since": since, "until": p.state.get("until")},
        "counts": counts,
        "said": found["said"],
        "about": found["about"],
        "notes": p.notes,
        **paging.info(more),
    }
    path = timeline_url(entity[: -len(".json")] if as_json else entity)
    extra = {"chart": charts.counts_svg(counts), **_links(path, p, paging, payload["next_page"])}
    if as_json:
        return JSONResponse(payload)
    return _respond(request, "timeline.html", payload, extra)


# ------------------------------------------------------------------ the relay graph
@router.get("/graph")
@router.get("/graph.json")
def relay_graph(request: Request) -> Response:
    p = Params(request)
    limit = p.number("limit", GRAPH_NODES, 2, MAX_GRAPH_NODES)
    min_attributions = p.number("min", 1, 1, 1_000_000)
    named = p.choice("named", ("1", "0"), "1") == "1"
    pairs = request.app.state.db.memo("relay_pairs", browse.relay_pairs)
    found = browse.build_relay_graph(
        pairs, named_only=named, max_nodes=limit, min_attributions=min_attributions
    )
    found["notes"] = p.notes
    if request.url.path.endswith(".json"):
        return JSONResponse(graph.graph_payload(found))
    extra = {
        "params": p.state,
        "json_url": _url("/graph.json", p.state),
        "all_url": _url("/graph", {**p.state, "named": "0"}),
        "named_url": _url("/graph", {k: v for k, v in p.state.items() if k != "named"}),
        "limit": limit,
        "min_attributions": min_attributions,
    }
    return _respond(request, "graph.html", found, extra)


@router.get("/graph/source")
@router.get("/graph/source.json")
def graph_source(request: Request, name: str = "") -> Response:
    """A source's latest statements and relay links: the graph's side panel."""
    name = name.strip()[:200]
    db = request.app.state.db
    pairs = db.memo("relay_pairs", browse.relay_pairs) if name else []
    with db.read() as con:
        said = browse.latest_statements(con, name, limit=PANEL_STATEMENTS + 1) if name else []
        names = query.names_for(con, name) if name else []
    # its relay links, as /api/relays?source= gives them, from the pairs kept for the graph
    folded = {n.casefold() for n in names}
    links = [
        {k: p[k] for k in ("relay", "origin", "attributions", "articles")}
        for p in pairs
        if p["relay"].casefold() in folded or p["origin"].casefold() in folded
    ][:12]
    if not said and not links:
        raise HTTPException(404, f"no source named {name!r} in this ledger")
    payload = {
        "name": name,
        "names": names,
        "relays": links,
        "attributions": data.attribution_records(said[:PANEL_STATEMENTS]),
        "more": len(said) > PANEL_STATEMENTS,
    }
    return _respond(request, "_graph_source.html", payload)
