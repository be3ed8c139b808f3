"""CSRF protection for the workbench's forms (``serve --write``): a signed double-submit token.

Every answer to a browser without the cookie sets ``newsledger_csrf`` (random, ``HttpOnly``,
``SameSite=Strict``). Forms carry the token ``HMAC(server secret, cookie)`` in a hidden field
(``csrf_token``) or the ``X-CSRF-Token`` header; a POST is accepted only when the token
matches its cookie. A page of another site can neither read the token nor compute it (the
secret never leaves the server, and changes when it restarts), and a cookie planted by
someone else is useless without its token. Cross-site requests are refused before that by
``Sec-Fetch-Site`` and ``Origin``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "newsledger_csrf"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
_VALUE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def _cookie_in(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed Cookie header is no cookie
                continue
            morsel = jar.get(COOKIE)
            if morsel is not None and _VALUE.match(morsel.value):
                return morsel.value
    return None


class Csrf:
    """The server's secret, and the tokens made from it."""

    def __init__(self, secret: bytes | None = None) -> None:
        self.secret = secret or secrets.token_bytes(32)

    def token_for(self, cookie: str) -> str:
        return hmac.new(self.secret, cookie.encode("ascii"), hashlib.sha256).hexdigest()

    @staticmethod
    def cookie_of(request: Request) -> str | None:
        """The request's cookie, or the one this answer sets (a first visit)."""
        value = request.cookies.get(COOKIE)
        if value and _VALUE.match(value):
            return value
        return getattr(request.state, "csrf_cookie", None)

    def token(self, request: Request) -> str:
        """The token the forms of this answer carry."""
        cookie = self.cookie_of(request)
        return self.token_for(cookie) if cookie else ""

    def check(self, request: Request, sent: str | None) -> None:
        """Refuse (403) a POST whose token is missing or not its cookie's."""
        cookie = request.cookies.get(COOKIE)
        if not cookie or not _VALUE.match(cookie):
            raise HTTPException(
                403, "the form has no CSRF cookie to match; reload the page and send it again"
            )
        if not sent or not hmac.compare_digest(sent, self.token_for(cookie)):
            raise HTTPException(
                403,
                "the form's CSRF token is missing or wrong (a form from an older page, or"
                " from another site); reload the page and send it again",
            )


def forbid_cross_site(request: Request, what: str) -> None:
    """Refuse (403) what a browser sends on behalf of a page of another site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise HTTPException(403, f"a {fetch_site} request cannot post to {what}")
    origin = request.headers.get("origin")
    # "null": what a browser sends for a form posted under Referrer-Policy: no-referrer (this
    # server's); Sec-Fetch-Site and the token still tell a page of another site apart
    if origin not in (None, "null") and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, f"a request from another origin cannot post to {what}")


class CsrfCookie:
    """Sets the CSRF cookie on the answers to requests that come without one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _cookie_in(scope) is not None:
            await self.app(scope, receive, send)
            return
        value = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_cookie"] = value

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append("Set-Cookie", f"{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict")
            await send(message)

        await self.app(scope, receive, send_with_cookie)
