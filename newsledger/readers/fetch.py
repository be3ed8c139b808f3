"""Fetching ``http(s)://`` inputs: an HTML page is one article, a feed one per entry.

Safe by default: connect and read timeouts, a byte cap on the (decompressed) body, at most
:data:`MAX_REDIRECTS` redirects followed by hand, and every hop's host resolved and refused
when any of its addresses is private, loopback, link-local, multicast, reserved,
unspecified or otherwise not public (IPv4 and IPv6), unless ``allow_private``. The address
each connection actually reaches is checked again before a request is sent on it, so a
name that resolves differently the second time is caught. Environment proxies and
``.netrc`` are ignored. Only HTML and feed content types are accepted.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from typing import Any

import httpcore
import httpx

from newsledger.errors import NewsledgerError
from newsledger.readers.common import looks_like_feed, too_large


def _installed_version() -> str:
    """newsledger's version from its installed metadata (readers sit below the top package)."""
    try:
        return package_version("newsledger")
    except PackageNotFoundError:  # a source tree that was never installed
        return "unknown"


USER_AGENT = f"newsledger/{_installed_version()} (+https://github.com/newsledger)"
MAX_REDIRECTS = 5
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
XML_TYPES = ("application/xml", "text/xml")
_REDIRECTS = (301, 302, 303, 307, 308)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(NewsledgerError):
    """Why a URL could not be fetched; ``iter_articles`` turns it into an InputError.

    ``status`` is the HTTP status when the server answered one, ``retry_after`` the seconds
    its ``Retry-After`` header asked for (429, 503), when given as a number.
    """

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class NotModified(FetchError):
    """The server answered 304 Not Modified to a conditional request (nothing new)."""


@dataclass(frozen=True, slots=True)
class FetchOptions:
    timeout: float = 10.0  # seconds, for connecting and for each read
    max_bytes: int = 10_000_000  # the largest body accepted, after decompression
    allow_private: bool = False  # let private, loopback etc. addresses through
    max_redirects: int = MAX_REDIRECTS


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # the final URL, after redirects
    content_type: str  # lower-case media type without parameters
    charset: str | None
    body: bytes
    etag: str | None = None  # validators for the next conditional request
    last_modified: str | None = None

    @property
    def is_feed(self) -> bool:
        if self.content_type in FEED_TYPES:
            return True
        if self.content_type in XML_TYPES or self.content_type in HTML_TYPES:
            return looks_like_feed(self.body[:4096])
        return False

    def text(self) -> bytes | str:
        """The body decoded with the declared charset, or the raw bytes when none is declared."""
        if self.charset:
            try:
                return self.body.decode(self.charset, errors="replace")
            except LookupError:
                pass
        return self.body


def fetch(
    url: str,
    options: FetchOptions,
    *,
    accept_feeds: bool = True,
    conditional: Mapping[str, str] | None = None,
) -> Fetched:
    """GET ``url`` under the safety rules of this module; raise :class:`FetchError` on refusal.

    ``conditional`` holds the validators of an earlier answer (``{"etag": …,
    "last_modified": …}``), sent as ``If-None-Match`` / ``If-Modified-Since``; a 304 answer
    then raises :class:`NotModified`.
    """
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
        "application/xml;q=0.9,*/*;q=0.1",
    }
    if conditional and conditional.get("etag"):
        headers["If-None-Match"] = conditional["etag"]
    if conditional and conditional.get("last_modified"):
        headers["If-Modified-Since"] = conditional["last_modified"]
    timeout = httpx.Timeout(options.timeout)
    deadline = time.monotonic() + 3 * options.timeout  # a slow trickle cannot go on for ever
    current = url
    transport = httpx.HTTPTransport(trust_env=False)
    if not options.allow_private:
        # Check the address each connection reaches before a request is sent on it.
        transport._pool = httpcore.ConnectionPool(  # noqa: SLF001 - no public hook for this
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_PublicOnlyBackend(httpcore.SyncBackend()),
        )
    with httpx.Client(
        headers=headers,
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        transport=transport,
    ) as client:
        for _hop in range(options.max_redirects + 1):
            target = _parse(current)
            if not options.allow_private:
                check_host(target.host)
            try:
                with client.stream("GET", target) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        current = _redirect(target, response.headers["location"])
                        continue
                    return _read(response, str(target), options, deadline, accept_feeds)
            except httpx.TimeoutException as e:
                raise FetchError(f"timed out after {options.timeout:g} s ({_kind(e)})") from e
            except httpx.HTTPError as e:
                raise FetchError(f"could not fetch: {type(e).__name__}: {e}") from e
            except (httpx.InvalidURL, ValueError) as e:  # e.g. a Location that cannot be parsed
                raise FetchError(f"could not fetch: an invalid URL in the response ({e})") from e
    raise FetchError(f"too many redirects (more than {options.max_redirects}); last: {current}")


def _parse(url: str) -> httpx.URL:
    try:
        target = httpx.URL(url)
        host = target.host  # decoding an IDNA host ("xn--…") may fail only here
    except (httpx.InvalidURL, ValueError) as e:  # UnicodeError (IDNA) is a ValueError
        raise FetchError(f"not a valid URL ({e})") from e
    if target.scheme not in ("http", "https"):
        raise FetchError(f"refused: only http and https URLs are fetched (got {target.scheme!r})")
    if not host:
        raise FetchError("not a valid URL (no host)")
    return target


def _redirect(target: httpx.URL, location: str) -> str:
    """The URL a redirect's ``Location`` points to, or :class:`FetchError` when it is none."""
    try:
        return str(target.join(location))
    except (httpx.InvalidURL, ValueError) as e:
        shown = ascii(location[:200])
        raise FetchError(f"redirected to an invalid URL {shown} ({e})") from e


def _read(
    response: httpx.Response, url: str, options: FetchOptions, deadline: float, feeds: bool
) -> Fetched:
    if response.status_code == 304:
        raise NotModified("HTTP 304 Not Modified", status=304)
    if response.status_code != 200:
        reason = response.reason_phrase or "error"
        raise FetchError(
            f"HTTP {response.status_code} {reason}",
            status=response.status_code,
            retry_after=_retry_after(response.headers.get("retry-after")),
        )
    raw_type = response.headers.get("content-type", "")
    media = raw_type.split(";")[0].strip().lower()
    accepted = HTML_TYPES + (FEED_TYPES + XML_TYPES if feeds else ())
    if media not in accepted:
        shown = media or "none given"
        wanted = "HTML or an RSS/Atom feed" if feeds else "HTML"
        raise FetchError(f"refused: content type {shown!r} is not {wanted}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > options.max_bytes:
        raise FetchError(too_large(int(declared), options.max_bytes, "response"))
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > options.max_bytes:
            raise FetchError(
                f"response is too large (more than {options.max_bytes:,} bytes; "
                "raise the limit with --max-bytes)"
            )
        if time.monotonic() > deadline:
            raise FetchError(f"timed out: the body took more than {3 * options.timeout:g} s")
        chunks.append(chunk)
    return Fetched(
        url,
        media,
        response.charset_encoding,
        b"".join(chunks),
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
    )


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds when it is a number (an HTTP date is not used)."""
    if value is None or not value.strip().isdigit():
        return None
    return float(value.strip())


def _kind(e: httpx.TimeoutException) -> str:
    if isinstance(e, httpx.ConnectTimeout):
        return "connecting"
    if isinstance(e, httpx.ReadTimeout):
        return "waiting for data"
    return type(e).__name__


# --- address checks -------------------------------------------------------------------------


def address_problem(ip: IPAddress) -> str | None:
    """What makes ``ip`` a non-public address ("a loopback address"), or None if it is public."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return address_problem(ip.ipv4_mapped)
    checks = (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private address"),
    )
    for attribute, name in checks:
        if getattr(ip, attribute):
            return name
    if not ip.is_global:
        return "not a public address"
    return None


def resolve(host: str) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise FetchError(f"cannot resolve host {host!r} ({e})") from e
    found: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if ip not in found:
            found.append(ip)
    return found


def check_host(host: str) -> None:
    """Refuse ``host`` if any of its addresses is not public."""
    for ip in resolve(host):
        if problem := address_problem(ip):
            raise FetchError(_refusal(host, ip, problem))


class _PublicOnlyBackend(httpcore.NetworkBackend):
    """Connects like ``inner``, then refuses a connection whose peer is not public.

    The host was checked before the request; this catches a name that resolves to another
    address when the connection is made (DNS rebinding), before anything is sent.
    """

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )
        peer = stream.get_extra_info("server_addr")
        problem = None
        if peer:
            ip = ipaddress.ip_address(str(peer[0]).split("%")[0])
            problem = address_problem(ip)
        if problem or not peer:
            stream.close()
            if not peer:
                raise FetchError(f"refused: cannot tell which address {host!r} connected to")
            raise FetchError(_refusal(host, ip, problem or ""))
        return stream

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise FetchError("refused: unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _refusal(host: str, ip: IPAddress, problem: str) -> str:
    if host.strip("[]") == str(ip):
        what = f"{ip} is {problem}"
    else:
        what = f"host {host!r} resolves to {ip}, {problem}"
    return f"refused: {what}; fetching it needs --allow-private (allow_private=True)"
