"""The web UI and REST API over a ledger: ``create_app(db_path)`` builds the FastAPI app.

Read-only by default (the database is opened with ``mode=ro`` and ``query_only``); every
query is time-limited; every response carries a strict Content-Security-Policy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from newsledger.web import api, pages, render
from newsledger.web.db import Database, QueryTimeout

HERE = Path(__file__).parent
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]", "testserver")

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


def create_app(
    db_path: str,
    allow_write: bool = False,
    *,
    time_limit: float = 1.0,
    allowed_hosts: list[str] | None = None,
    max_analyze_bytes: int = 200_000,
    analyzer: Any = None,
) -> FastAPI:
    """The app for the ledger at ``db_path``.

    ``allow_write`` opens it writable and lets ``POST /api/analyze?store=true`` store records.
    ``time_limit`` bounds every SQL query (seconds). ``allowed_hosts`` are the Host header
    values accepted (default: loopback names only, against DNS rebinding; ``["*"]`` for any).
    """
    db = Database(db_path, allow_write=allow_write, time_limit=time_limit)
    app = FastAPI(
        title="newsledger",
        summary="Who claims what, on whose authority, when, with what figures.",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the interactive docs load scripts from a CDN; the CSP forbids it
        redoc_url=None,
    )
    app.state.db = db
    app.state.allow_write = allow_write
    app.state.max_analyze_bytes = max_analyze_bytes
    app.state.analyzer = analyzer  # an Analyzer, created on the first POST /api/analyze if None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,  # every {{ value }} is HTML-escaped
        undefined=jinja2.Undefined,
    )
    templates = Jinja2Templates(env=env)
    templates.env.globals.update(
        article_url=render.article_url,
        source_url=render.source_url,
        attribution_url=render.attribution_url,
        chain_text=render.chain_text,
        snippet_html=render.snippet_html,
        number=render.number,
        figure_text=render.figure_text,
        independence_text=render.INDEPENDENCE_TEXT,
    )
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or list(LOOPBACK_HOSTS))

    def wants_json(request: Request) -> bool:
        path = request.url.path
        return path.startswith("/api/") or path.endswith(".json")

    def error(request: Request, status: int, message: str) -> Response:
        if wants_json(request):
            return JSONResponse({"error": message, "status": status}, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status
        )

    @app.exception_handler(QueryTimeout)
    async def timeout(request: Request, exc: QueryTimeout) -> Response:
        return error(request, 503, f"{exc}; narrow the query (fewer words, filters)")

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
        if wants_json(request):
            return JSONResponse(
                {"error": f"invalid request: {problems}", "status": 422, "detail": exc.errors()},
                status_code=422,
            )
        return error(request, 422, f"invalid request: {problems}")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    return app
