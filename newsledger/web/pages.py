"""The HTML pages; each has a ``.json`` twin serving the same data."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from newsledger.model import ATTRIBUTION_KINDS
from newsledger.records import CONFLICT_KINDS, INDEPENDENCE
from newsledger.web import data, render

router = APIRouter(include_in_schema=False)

CLAIMS_NOTE = (
    "Claims group what different articles attribute to the same source about the same thing"
    " (who said how many troops were sent, and when). They come from the cross-document step,"
    " which has not been run on this ledger: there is no claims table yet."
)
CONFLICTS_NOTE = (
    "Conflicts pair claims that disagree (14,000 troops according to one source, 11,000"
    " according to another; a confirmation against a denial). They come from the"
    " cross-document step, which has not been run on this ledger: there is no conflicts table"
    " yet."
)


def _respond(
    request: Request,
    template: str,
    payload: dict[str, Any],
    extra: dict[str, Any] | None = None,
    json_payload: dict[str, Any] | None = None,
    partial: str | None = None,
) -> Response:
    if request.url.path.endswith(".json"):
        return JSONResponse(json_payload if json_payload is not None else payload)
    templates = request.app.state.templates
    context = {**payload, **(extra or {}), "request_path": request.url.path}
    if partial and request.headers.get("HX-Request") == "true":
        template = partial  # HTMX asks for the fragment only
    return templates.TemplateResponse(request, template, context)


@router.get("/")
@router.get("/index.json")
def index(request: Request) -> Response:
    with request.app.state.db.read() as con:
        payload = data.overview(con)
    return _respond(request, "index.html", payload, {"json_url": "/index.json"})


@router.get("/search")
@router.get("/search.json")
def search(request: Request) -> Response:
    params = dict(request.query_params)
    q = params.get("q", "")
    filters, notes = data.Filters.parse(params)
    paging = data.Paging.parse(params.get("page"), params.get("limit"))
    db = request.app.state.db
    with db.read() as con:
        payload = data.search(con, q, filters, paging)
    outlets = db.cached("sites", lambda con: data.query.sites(con, limit=200))
    payload["notes"] = notes
    base = {k: v for k, v in params.items() if k not in ("page",) and v}
    extra = {
        "kinds": ATTRIBUTION_KINDS,
        "outlets": outlets,
        "params": base,
        "json_url": "/search.json" + (f"?{request.url.query}" if request.url.query else ""),
    }
    return _respond(
        request,
        "search.html",
        payload,
        extra,
        data.plain_snippets(payload),
        partial="_search_results.html",
    )


@router.get("/articles/{article_id:path}")
def article(request: Request, article_id: str) -> Response:
    db = request.app.state.db
    with db.read() as con:
        analysis = data.get_analysis(con, article_id)
        if analysis is None and article_id.endswith(".json"):
            analysis = data.get_analysis(con, article_id[: -len(".json")])
            as_json = analysis is not None
        else:
            as_json = False
    if analysis is None:
        raise HTTPException(404, f"no article with id {article_id!r} in this ledger")
    if as_json:
        return JSONResponse(analysis.to_dict(include_text=True))
    sources: dict[str, int] = {}
    for a in analysis.attributions:
        if a.source:
            sources[a.source.name] = sources.get(a.source.name, 0) + 1
    issues = sorted({i.kind for i in analysis.issues})
    context = {
        "analysis": analysis,
        "article": analysis.article,
        "text_html": render.highlight_article(analysis),
        "sources": sorted(sources.items(), key=lambda kv: (-kv[1], kv[0].casefold())),
        "issue_kinds": issues,
        "attribution_title": render.attribution_title,
        "json_url": render.article_url(analysis.article.id) + ".json",
    }
    return request.app.state.templates.TemplateResponse(request, "article.html", context)


@router.get("/attribution")
@router.get("/attribution.json")
def attribution(request: Request, article: str = "", id: str = "") -> Response:
    """One attribution (source, cue, chain, nested ones): the article page's side panel."""
    with request.app.state.db.read() as con:
        analysis = data.get_analysis(con, article)
    found = None
    if analysis is not None:
        found = next((a for a in analysis.attributions if a.id == id), None)
    if analysis is None or found is None:
        raise HTTPException(404, f"no attribution {id!r} in article {article!r}")
    record = {"article_id": analysis.article.id, **asdict(found)}
    children = [a for a in analysis.attributions if a.parent == found.id]
    parent = next((a for a in analysis.attributions if a.id == found.parent), None)
    if request.url.path.endswith(".json"):
        return JSONResponse(record)
    context = {
        "a": found,
        "article": analysis.article,
        "children": children,
        "parent": parent,
        "attribution_title": render.attribution_title,
    }
    return request.app.state.templates.TemplateResponse(request, "_attribution.html", context)


@router.get("/sources/{name:path}")
def source(request: Request, name: str) -> Response:
    as_json = name.endswith(".json")
    if as_json:
        name = name[: -len(".json")]
    params = request.query_params
    paging = data.Paging.parse(params.get("page"), params.get("limit"), default=50)
    with request.app.state.db.read() as con:
        payload = data.source(con, name, paging)
    if not payload["attributions"] and not payload["relays"] and paging.page == 1:
        raise HTTPException(404, f"no source named {name!r} in this ledger")
    if as_json:
        return JSONResponse(payload)
    extra = {
        "timeline_svg": render.timeline_svg(payload["timeline"]),
        "json_url": render.source_url(name) + ".json",
    }
    return _respond(request, "source.html", payload, extra)


def _query_url(path: str, params: dict[str, Any], **changes: Any) -> str:
    """``path`` with ``params`` (empty values left out) updated by ``changes``."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return path + ("?" + urlencode(merged) if merged else "")


@router.get("/claims")
@router.get("/claims.json")
def claims(request: Request) -> Response:
    params = dict(request.query_params)
    filters, notes = data.ClaimFilters.parse(params)
    paging = data.Paging.parse(params.get("page"), params.get("limit"), default=20)
    with request.app.state.db.read() as con:
        payload = data.claims(con, filters, paging)
    payload["notes"] = notes
    payload["note"] = None if payload["available"] else CLAIMS_NOTE
    state: dict[str, Any] = {**filters.as_dict()}
    if filters.min_articles == 1:
        del state["min_articles"]
    if paging.limit != 20:
        state["limit"] = paging.limit
    extra = {
        "independence_values": INDEPENDENCE,
        "shown_members": data.SHOWN_MEMBERS,
        "prev_url": _query_url("/claims", state, page=paging.page - 1) if paging.page > 1 else None,
        "next_url": _query_url("/claims", state, page=payload["next_page"])
        if payload["next_page"]
        else None,
        "json_url": _query_url(
            "/claims.json", state, page=paging.page if paging.page > 1 else None
        ),
    }
    return _respond(request, "claims.html", payload, extra)


@router.get("/conflicts")
@router.get("/conflicts.json")
def conflicts(request: Request) -> Response:
    params = dict(request.query_params)
    notes: list[str] = []
    kind = params.get("kind") or None
    if kind is not None and kind not in CONFLICT_KINDS:
        notes.append(f"kind={kind!r} ignored: not one of {', '.join(CONFLICT_KINDS)}")
        kind = None
    floor: float | None = None
    if params.get("min_confidence"):
        try:
            floor = float(params["min_confidence"])
        except ValueError:
            floor = None
        if floor is None or not 0.0 <= floor <= 1.0:
            notes.append(f"min_confidence={params['min_confidence']!r} ignored: not a number 0–1")
            floor = None
    paging = data.Paging.parse(params.get("page"), params.get("limit"), default=20)
    with request.app.state.db.read() as con:
        payload = data.conflicts(con, kind, paging, floor)
    payload["notes"] = notes
    payload["note"] = None if payload["available"] else CONFLICTS_NOTE
    state: dict[str, Any] = {"kind": kind, "min_confidence": floor}
    if paging.limit != 20:
        state["limit"] = paging.limit
    extra = {
        "kinds": CONFLICT_KINDS,
        "prev_url": _query_url("/conflicts", state, page=paging.page - 1)
        if paging.page > 1
        else None,
        "next_url": _query_url("/conflicts", state, page=payload["next_page"])
        if payload["next_page"]
        else None,
        "json_url": _query_url(
            "/conflicts.json", state, page=paging.page if paging.page > 1 else None
        ),
    }
    return _respond(request, "conflicts.html", payload, extra)
