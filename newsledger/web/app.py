"""The web UI and REST API over a ledger: ``create_app(db_path)`` builds the FastAPI app.

Read-only by default (the database is opened with ``mode=ro`` and ``query_only``) and without
``POST /api/analyze`` unless asked for; every query is time-limited; every response, errors
and 500s included, carries the same strict Content-Security-Policy and security headers; an
unexpected error answers a generic 500 (the details go to the log only).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsledger.pipeline import Analyzer
from newsledger.resources import speech_acts
from newsledger.web import actions, api, csrf, pages, render, workbench
from newsledger.web.analysis import AnalysisFailed, AnalysisPool, AnalysisTimeout, PoolFull
from newsledger.web.db import Database, QueryTimeout
from newsledger.web.jobs import IngestJobs

HERE = Path(__file__).parent
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
LOG = logging.getLogger("newsledger.web")

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
        " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

#: What an unexpected error answers: nothing of the exception itself.
INTERNAL_ERROR = "internal error: the server could not answer this request"
INTERNAL_ERROR_HTML = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>500 internal error</title>"
    f"<h1>500</h1><p>{INTERNAL_ERROR}.</p><p><a href=/>newsledger</a></p></html>"
)


def wants_json(path: str) -> bool:
    """API paths and ``.json`` twins answer errors in JSON; pages answer them in HTML."""
    return path.startswith("/api/") or path.endswith(".json")


class Guard:
    """The outermost layer: the security headers on every response, and a generic 500.

    An exception no handler took becomes a complete 500 answer here (logged, never shown), so
    the server has nothing left to fail on and keeps the connection open.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        try:
            await self.app(scope, receive, send_guarded)
        except Exception:
            LOG.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:  # part of the answer is out: nothing sound can follow it
                raise
            response: Response
            if wants_json(scope.get("path", "")):
                response = JSONResponse({"error": INTERNAL_ERROR, "status": 500}, status_code=500)
            else:
                response = HTMLResponse(INTERNAL_ERROR_HTML, status_code=500)
            await response(scope, receive, send_guarded)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """On shutdown, the analysis worker process goes with the server."""
    yield
    if app.state.analysis is not None:
        app.state.analysis.stop()
    if app.state.jobs is not None:
        app.state.jobs.stop()


def create_app(
    db_path: str,
    allow_write: bool = False,
    *,
    allow_analyze: bool = False,
    time_limit: float = 1.0,
    allowed_hosts: list[str] | None = None,
    max_analyze_bytes: int = 200_000,
    analyze_time_limit: float = 30.0,
    analyze_queue: int = 2,
    analyzer: Any = None,
    analyzer_factory: Callable[[], Any] | None = None,
    allow_private_fetch: bool = False,
) -> FastAPI:
    """The app for the ledger at ``db_path``.

    ``allow_analyze`` turns on ``POST /api/analyze`` (off by default: any web page could
    otherwise make a visitor's browser spend the server's CPU); ``allow_write`` implies it,
    opens the ledger writable and lets ``POST /api/analyze?store=true`` store records, and
    turns on the workbench's writes (:mod:`newsledger.web.actions`: ingest, verdicts, entity
    merges and splits, each form with a CSRF token; ``allow_private_fetch`` lets its URL
    ingests reach private and loopback hosts). Each
    analysis answers within ``analyze_time_limit`` seconds (else 503); one runs at a time and
    ``analyze_queue`` more may wait (beyond that, 503 with ``Retry-After``). ``time_limit``
    bounds every SQL query (seconds). ``allowed_hosts`` are the Host header values accepted
    (default: loopback names only, against DNS rebinding; ``["*"]`` for any).

    The analyses run in a worker process that builds its analyzer with ``analyzer_factory``
    (picklable; default :class:`~newsledger.pipeline.Analyzer`). An ``analyzer`` object
    instead runs them in a thread of this process (tests, embedding): see
    :mod:`newsledger.web.analysis` for what that gives up.
    """
    db = Database(db_path, allow_write=allow_write, time_limit=time_limit)
    app = FastAPI(
        title="newsledger",
        summary="Who claims what, on whose authority, when, with what figures.",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the interactive docs load scripts from a CDN; the CSP forbids it
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.allow_write = allow_write
    app.state.max_analyze_bytes = max_analyze_bytes
    app.state.allow_private_fetch = allow_private_fetch
    app.state.csrf = csrf.Csrf()
    app.state.jobs = (
        IngestJobs(
            db_path,
            (lambda: analyzer) if analyzer is not None else (analyzer_factory or Analyzer),
            analyzer=analyzer,
        )
        if allow_write
        else None
    )
    app.state.analysis = (
        AnalysisPool(
            (lambda: analyzer) if analyzer is not None else (analyzer_factory or Analyzer),
            queue=analyze_queue,
            time_limit=analyze_time_limit,
            in_process=analyzer is not None,
        )
        if allow_analyze or allow_write
        else None
    )
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,  # every {{ value }} is HTML-escaped
        undefined=jinja2.Undefined,
    )
    templates = Jinja2Templates(env=env)
    templates.env.globals.update(
        article_url=render.article_url,
        source_url=render.source_url,
        timeline_url=render.timeline_url,
        story_url=render.story_url,
        attribution_url=render.attribution_url,
        chain_text=render.chain_text,
        snippet_html=render.snippet_html,
        number=render.number,
        figure_text=render.figure_text,
        independence_text=render.INDEPENDENCE_TEXT,
        claim_acts=speech_acts().claim_acts,
        write_enabled=allow_write,
        csrf_token=app.state.csrf.token,
        csrf_field=csrf.FIELD,
        export_url=actions.export_url,
    )
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(actions.router)
    app.include_router(pages.router)
    app.include_router(workbench.router)

    if allow_write:
        app.add_middleware(csrf.CsrfCookie)  # the forms' CSRF tokens are made from it
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or list(LOOPBACK_HOSTS))
    app.add_middleware(Guard)  # added last: the outermost of the app's own layers

    def error(request: Request, status: int, message: str) -> Response:
        if wants_json(request.url.path):
            return JSONResponse({"error": message, "status": status}, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status
        )

    @app.exception_handler(QueryTimeout)
    async def timeout(request: Request, exc: QueryTimeout) -> Response:
        return error(request, 503, f"{exc}; narrow the query (fewer words, filters)")

    @app.exception_handler(PoolFull)
    @app.exception_handler(AnalysisTimeout)
    async def busy(request: Request, exc: PoolFull | AnalysisTimeout) -> Response:
        response = error(request, 503, str(exc))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(AnalysisFailed)
    async def failed(request: Request, exc: AnalysisFailed) -> Response:
        return error(request, 500, INTERNAL_ERROR)  # the details are in the server log

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        response = error(request, exc.status_code, message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'query')}: {e.get('msg')}"
            for e in exc.errors()
        )
        if wants_json(request.url.path):
            return JSONResponse(
                {"error": f"invalid request: {problems}", "status": 422, "detail": exc.errors()},
                status_code=422,
            )
        return error(request, 422, f"invalid request: {problems}")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    return app
