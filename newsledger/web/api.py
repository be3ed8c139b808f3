"""The REST API under ``/api/``: JSON, paginated, described at ``/api/openapi.json``."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from newsledger.ledger.conflicts import VERDICTS, set_verdict
from newsledger.model import Article
from newsledger.readers import normalize_date
from newsledger.records import (
    CONFLICT_KINDS,
    INDEPENDENCE,
    AttributionRow,
    Claim,
    Conflict,
    DayCount,
    OutletCount,
    RelayLink,
    SourceSummary,
)
from newsledger.web import data
from newsledger.web.analysis import AnalysisPool, AnalysisTimeout, Outcome

router = APIRouter(prefix="/api", tags=["api"])

PageQ = Annotated[int, Query(ge=1, le=data.MAX_PAGE, description="1-based page number")]
LimitQ = Annotated[
    int, Query(ge=1, le=1_000_000, description=f"rows per page (capped at {data.MAX_LIMIT})")
]
DateQ = Annotated[
    str | None,
    Query(pattern=data.DATE.pattern, description="published on or after/before (YYYY[-MM[-DD]])"),
]
KindQ = Annotated[
    str | None,
    Query(pattern="^(direct|mixed|indirect|according_to|statement)$", description="kind"),
]
TextQ = Annotated[str | None, Query(max_length=200)]


# ------------------------------------------------------------------ response shapes
class Paged(BaseModel):
    page: int
    limit: int
    next_page: int | None


class ArticleRow(BaseModel):
    id: str
    title: str | None
    published: str | None
    url: str | None
    site: str | None
    text_sha256: str | None = None
    ingested_at: str | None = None
    attributions: int | None = None
    snippet: str | None = None
    score: float | None = None


class ArticlesPage(Paged):
    articles: list[ArticleRow]


class AttributionsPage(Paged):
    attributions: list[AttributionRow]


class SourcesPage(Paged):
    sources: list[SourceSummary]


class SourceDetail(Paged):
    name: str
    names: list[str]
    timeline: list[DayCount]
    outlets: list[OutletCount]
    relays: list[RelayLink]
    attributions: list[AttributionRow]


class RelaysPage(BaseModel):
    relays: list[RelayLink]


class SearchResult(Paged):
    q: str
    filters: dict[str, str | None]
    attributions: list[AttributionRow]
    articles: list[ArticleRow]


class ClaimFilters(BaseModel):
    about: str | None
    independence: str | None
    min_articles: int
    claim: int | None


class ClaimsPage(Paged):
    available: bool
    filters: ClaimFilters
    claims: list[Claim]  # the record the CLI prints too


class ConflictsPage(Paged):
    available: bool
    kind: str | None
    min_confidence: float | None = None
    conflicts: list[Conflict]  # the record the CLI prints too


class Error(BaseModel):
    error: str
    status: int


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Error, "description": "not found"},
    503: {"model": Error, "description": "query time limit exceeded"},
}


def _paging(page: int, limit: int) -> data.Paging:
    return data.Paging(page, min(limit, data.MAX_LIMIT))


def _filters(**values: str | None) -> data.Filters:
    filters, _ = data.Filters.parse({k: v for k, v in values.items() if v is not None})
    return filters


def _page(
    request: Request,
    key: str,
    page: int,
    limit: int,
    rows: Callable[..., list[Any]],
    *args: Any,
    **kwargs: Any,
) -> dict[str, Any]:
    """One page of ``rows(con, *args, **kwargs)`` under ``key``, with the paging fields."""
    paging = _paging(page, limit)
    with request.app.state.db.read() as con:
        found, more = paging.fetch(rows, con, *args, **kwargs)
    return {key: found, **paging.info(more)}


# ------------------------------------------------------------------ read endpoints
@router.get("/articles", response_model=ArticlesPage, responses=ERRORS)
def list_articles(
    request: Request, q: TextQ = None, page: PageQ = 1, limit: LimitQ = 20
) -> dict[str, Any]:
    """Stored articles, newest first; with ``q``, those whose text matches, best first."""
    if q:
        return _page(request, "articles", page, limit, data.query.search_articles, q)
    return _page(request, "articles", page, limit, data.query.articles)


@router.get("/articles/{article_id:path}", responses=ERRORS)
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    """One article's ``newsledger.analysis/1`` record, with its text."""
    with request.app.state.db.read() as con:
        analysis = data.get_analysis(con, article_id)
    if analysis is None:
        raise HTTPException(404, f"no article with id {article_id!r} in this ledger")
    return analysis.to_dict(include_text=True)


@router.get("/attributions", response_model=AttributionsPage, responses=ERRORS)
def list_attributions(
    request: Request,
    article_id: TextQ = None,
    source: TextQ = None,
    kind: KindQ = None,
    since: DateQ = None,
    until: DateQ = None,
    site: TextQ = None,
    page: PageQ = 1,
    limit: LimitQ = 20,
) -> dict[str, Any]:
    """Attributions, filtered by article, source (a name or alias, as the source or a link of
    the chain), kind, date range, outlet."""
    filters = _filters(source=source, kind=kind, since=since, until=until, site=site)
    return _page(
        request,
        "attributions",
        page,
        limit,
        data.attribution_page(data.query.attributions),
        article_id=article_id,
        **filters.as_dict(),
    )


@router.get("/sources", response_model=SourcesPage, responses=ERRORS)
def list_sources(request: Request, page: PageQ = 1, limit: LimitQ = 20) -> dict[str, Any]:
    """Sources by number of attributions."""
    return _page(request, "sources", page, limit, data.sources)


@router.get("/sources/{name:path}", response_model=SourceDetail, responses=ERRORS)
def get_source(request: Request, name: str, page: PageQ = 1, limit: LimitQ = 50) -> dict[str, Any]:
    """What a source said (as source or chain link), per date, through which outlets."""
    paging = _paging(page, limit)
    with request.app.state.db.read() as con:
        payload = data.source(con, name, paging)
    if not payload["attributions"] and not payload["relays"] and paging.page == 1:
        raise HTTPException(404, f"no source named {name!r} in this ledger")
    return payload


@router.get("/relays", response_model=RelaysPage, responses=ERRORS)
def list_relays(request: Request, source: TextQ = None, limit: LimitQ = 50) -> dict[str, Any]:
    """Relay links of source chains (relay passed on what origin said), most used first."""
    with request.app.state.db.read() as con:
        rows = data.relays(con, source=source or None, limit=min(limit, 300))
    return {"relays": rows}


@router.get("/search", response_model=SearchResult, responses=ERRORS)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=data.MAX_QUERY_CHARS)] = "",
    source: TextQ = None,
    kind: KindQ = None,
    since: DateQ = None,
    until: DateQ = None,
    site: TextQ = None,
    page: PageQ = 1,
    limit: LimitQ = 20,
) -> dict[str, Any]:
    """Full-text search over attribution contents and article texts, ranked (bm25).

    Snippets mark matches with ``[`` and ``]``. Every word of ``q`` is required; FTS5 syntax
    in ``q`` has no effect.
    """
    filters = _filters(source=source, kind=kind, since=since, until=until, site=site)
    with request.app.state.db.read() as con:
        payload = data.search(con, q, filters, _paging(page, limit))
    return data.plain_snippets(payload)


IndependenceQ = Annotated[
    str | None,
    Query(pattern=f"^({'|'.join(INDEPENDENCE)})$", description="independence verdict"),
]
ConflictKindQ = Annotated[
    str | None,
    Query(pattern=f"^({'|'.join(CONFLICT_KINDS)})$", description="kind of conflict"),
]

MinConfidenceQ = Annotated[
    float | None, Query(ge=0.0, le=1.0, description="only conflicts at least this sure (0–1)")
]


@router.get("/claims", response_model=ClaimsPage, responses=ERRORS)
def list_claims(
    request: Request,
    about: Annotated[str | None, Query(max_length=data.MAX_QUERY_CHARS)] = None,
    independence: IndependenceQ = None,
    min_articles: Annotated[int, Query(ge=1, le=10_000)] = 1,
    claim: Annotated[int | None, Query(ge=1, le=2**63 - 1, description="one claim")] = None,
    page: PageQ = 1,
    limit: LimitQ = 20,
) -> dict[str, Any]:
    """Claim clusters, the most reported first: the same proposition across articles, with
    its independence verdict (``independent``, ``relay_only``, ``single``) and every member
    (source, chain, origin, article, date, figure). ``about`` keeps claims with a member
    whose content has all these words. Empty (``available: false``) on a ledger without the
    cross-document tables."""
    filters = data.ClaimFilters((about or "").strip() or None, independence, min_articles, claim)
    with request.app.state.db.read() as con:
        return data.claims(con, filters, _paging(page, limit))


@router.get("/conflicts", response_model=ConflictsPage, responses=ERRORS)
def list_conflicts(
    request: Request,
    kind: ConflictKindQ = None,
    min_confidence: MinConfidenceQ = None,
    page: PageQ = 1,
    limit: LimitQ = 20,
) -> dict[str, Any]:
    """Conflicting claims (``quantity``, ``date``, ``denial``, ``revision``), the surest
    first, each with its confidence, the explanation and both sides: value, source and
    chain, article, date, claim, and the sentences that state it (with their offsets)."""
    with request.app.state.db.read() as con:
        return data.conflicts(con, kind, _paging(page, limit), min_confidence)


# ------------------------------------------------------------------ analyze
#: The header ``POST /api/analyze`` requires. A web page of another site cannot send a custom
#: header without a CORS preflight, which this server never grants, so no page can make a
#: visitor's browser post here (no CSRF); ``curl`` and scripts just add it.
ANALYZE_HEADER = "X-Newsledger"
#: The fields of the JSON body besides ``text`` (strings, all optional).
FIELDS = ("id", "title", "published", "url", "site")

_ANALYZE_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["text"],
                "properties": {
                    "text": {"type": "string", "minLength": 1},
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "published": {"type": "string", "description": "YYYY-MM-DD"},
                    "url": {"type": "string"},
                    "site": {"type": "string"},
                },
            }
        },
    },
}
_ANALYZE_HEADER_PARAMETER = {
    "name": ANALYZE_HEADER,
    "in": "header",
    "required": True,
    "description": "must be 1: proves the request does not come from another site's page",
    "schema": {"type": "string", "enum": ["1"]},
}


def _forbid_cross_site(request: Request, what: str = "/api/analyze") -> None:
    """Refuse what a web page of another site could make a browser send."""
    if request.headers.get(ANALYZE_HEADER) != "1":
        raise HTTPException(
            403,
            f"POST {what} needs the header {ANALYZE_HEADER}: 1"
            " (which a page of another site cannot send)",
        )
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise HTTPException(403, f"a {fetch_site} request cannot post to {what}")
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, f"a request from another origin cannot post to {what}")


async def _read_capped(request: Request, cap: int) -> bytes:
    declared = request.headers.get("content-length")
    too_big = HTTPException(
        413, f"the posted text is larger than {cap:,} bytes; post a shorter article"
    )
    if declared and declared.isdigit() and int(declared) > cap:
        raise too_big
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            raise too_big
    return bytes(body)


def _parse_body(body: bytes) -> dict[str, Any]:
    """The JSON object posted, checked: a ``text`` string and optional string fields."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(422, f"the body is not UTF-8 text (byte {exc.start})") from exc
    try:
        fields = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HTTPException(422, f"the body is not valid JSON: {exc}") from exc
    except RecursionError as exc:  # the C decoder stops at the interpreter's recursion limit
        raise HTTPException(
            422, 'the JSON body is nested too deeply; post one object {"text": ...}'
        ) from exc
    if not isinstance(fields, dict) or not isinstance(fields.get("text"), str):
        raise HTTPException(422, 'the JSON body needs a "text" string')
    bad = [k for k in FIELDS if fields.get(k) is not None and not isinstance(fields[k], str)]
    if bad:
        raise HTTPException(422, f"these fields must be strings: {', '.join(bad)}")
    if not fields["text"].strip():
        raise HTTPException(422, "the posted text is empty")
    return fields


def _article(fields: dict[str, Any]) -> Article:
    published = fields.get("published")
    if published is not None:
        published = normalize_date(published)
        if published is None:
            raise HTTPException(
                422, f"published={fields['published']!r} is not a date (expected YYYY-MM-DD)"
            )
    return Article(
        text=fields["text"],
        id=fields.get("id") or None,
        title=fields.get("title"),
        published=published,
        url=fields.get("url"),
        site=fields.get("site"),
        origin="POST /api/analyze",
    )


@router.post(
    "/analyze",
    openapi_extra={"requestBody": _ANALYZE_BODY, "parameters": [_ANALYZE_HEADER_PARAMETER]},
    responses={
        200: {"description": "the newsledger.analysis/1 record (not stored)"},
        201: {"description": "the record, stored in the ledger"},
        403: {
            "model": Error,
            "description": "analysis is off (no --allow-analyze), store=true on a read-only"
            " server, or a cross-site request",
        },
        408: {"model": Error, "description": "the body did not arrive within the time limit"},
        413: {"model": Error, "description": "text too large"},
        415: {"model": Error, "description": "not a JSON body"},
        422: {"model": Error, "description": "bad body"},
        503: {
            "model": Error,
            "description": "busy (every place in the queue taken) or over the time limit;"
            " see Retry-After",
        },
    },
)
async def analyze(request: Request, store: bool = False) -> Response:
    """Analyze a posted article and return its ``newsledger.analysis/1`` record.

    Only on a server started with ``--allow-analyze`` or ``--allow-write``. Post JSON
    (``{"text": …, "published": "YYYY-MM-DD", "title": …, "id": …}``, Content-Type
    ``application/json``) with the header ``X-Newsledger: 1``. Nothing is stored unless
    ``store=true`` and the server runs with ``--allow-write``.
    """
    state = request.app.state
    if store and not state.allow_write:
        raise HTTPException(
            403, "store=true needs a server started with --allow-write; this one is read-only"
        )
    if state.analysis is None:
        raise HTTPException(
            403,
            "analysis over HTTP is off on this server; start it with --allow-analyze"
            " (or --allow-write) to enable POST /api/analyze",
        )
    _forbid_cross_site(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        shown = f"Content-Type {content_type}" if content_type else "no Content-Type"
        raise HTTPException(
            415,
            f"POST /api/analyze takes a JSON body (Content-Type: application/json), not {shown}",
        )
    pool: AnalysisPool = state.analysis
    try:
        body = await asyncio.wait_for(
            _read_capped(request, state.max_analyze_bytes), pool.time_limit
        )
    except TimeoutError as exc:
        raise HTTPException(408, f"the body did not arrive within {pool.time_limit:g} s") from exc
    article = _article(_parse_body(body))
    db = state.db

    def finish(outcome: Outcome, deadline: float) -> Response:
        stored = False
        if store and outcome.analysis is not None:
            if time.monotonic() > deadline:  # the client was told it timed out: do not store
                raise AnalysisTimeout(pool.time_limit)
            with db.writer() as ledger:
                stored = ledger.add(outcome.analysis, origin="POST /api/analyze")
        return Response(
            outcome.body,
            status_code=201 if stored else 200,
            media_type="application/json",
            headers={"X-Newsledger-Stored": "true" if stored else "false"},
        )

    return await pool.run(article, finish, keep=store)


# ------------------------------------------------------------------ verdicts
_VERDICT_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["verdict"],
                "properties": {
                    "verdict": {"type": ["string", "null"], "enum": [*VERDICTS, None]},
                    "note": {"type": ["string", "null"], "maxLength": 2000},
                },
            }
        },
    },
}


def _verdict_body(body: bytes) -> tuple[str | None, str | None]:
    try:
        fields = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise HTTPException(422, 'the body must be a JSON object {"verdict": …}') from exc
    if not isinstance(fields, dict) or "verdict" not in fields:
        raise HTTPException(422, 'the JSON body needs "verdict": confirmed, dismissed or null')
    verdict, note = fields["verdict"], fields.get("note")
    if verdict is not None and verdict not in VERDICTS:
        raise HTTPException(422, f"verdict {verdict!r}: use confirmed, dismissed or null")
    if note is not None and (not isinstance(note, str) or len(note) > 2000):
        raise HTTPException(422, "note must be a string of at most 2,000 characters")
    return verdict, note


@router.post(
    "/conflicts/{conflict_id}/verdict",
    openapi_extra={"requestBody": _VERDICT_BODY, "parameters": [_ANALYZE_HEADER_PARAMETER]},
    responses={
        200: {"description": "the verdict stored"},
        403: {"model": Error, "description": "a read-only server, or a cross-site request"},
        404: {"model": Error, "description": "no such conflict"},
        415: {"model": Error, "description": "not a JSON body"},
        422: {"model": Error, "description": "bad body"},
    },
)
async def conflict_verdict(request: Request, conflict_id: int) -> dict[str, Any]:
    """Confirm or dismiss a conflict (``{"verdict": "confirmed" | "dismissed" | null, "note":
    …}``; null clears it). Only on a server started with ``--allow-write``, with the header
    ``X-Newsledger: 1``. The verdict survives re-ingest and ``crossdoc rebuild``."""
    state = request.app.state
    where = f"/api/conflicts/{conflict_id}/verdict"
    if not state.allow_write:
        raise HTTPException(403, "verdicts need a server started with --allow-write")
    _forbid_cross_site(request, where)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise HTTPException(415, f"POST {where} takes a JSON body (application/json)")
    verdict, note = _verdict_body(await _read_capped(request, 16_384))

    def write() -> bool:
        with state.db.writer() as ledger:
            return set_verdict(ledger.con, conflict_id, verdict, note)

    if not await asyncio.to_thread(write):
        raise HTTPException(404, f"no conflict {conflict_id}")
    return {"id": conflict_id, "verdict": verdict, "note": note}
