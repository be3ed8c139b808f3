"""HTML pages (``.html``/``.htm``, WARC responses, fetched URLs): one page is one article.

The main text is extracted with trafilatura, without navigation, footers, cookie banners,
ads and comments; paragraphs are kept as lines. The page's title, date, site name and
canonical URL fill the article's fields. Feed entries carry HTML fragments rather than
pages; :func:`fragment_text` turns those into text without any boilerplate removal.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import trafilatura

from newsledger.errors import InputError
from newsledger.model import Article
from newsledger.readers.common import binary_reason, make_article, normalize_date, read_limited

NO_TEXT = "no article text found"
_PROSE_WORDS = 12
#: The HTML parser (libxml2) drops what lies deeper than about 255 elements; a page with no
#: text found and elements nested deeper than this is reported as too deeply nested.
MAX_DEPTH = 250
_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
# elements with no end tag, or whose end tag the parser supplies: not counted as nesting
_NOT_NESTING = frozenset(
    b"area base br col embed hr img input link meta source track wbr param keygen "
    b"p li dt dd tr td th option optgroup thead tbody tfoot colgroup caption rp rt "
    b"html head body".split()
)

# Publication date, not last modification; no guessing from dates that appear in the text.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}


def read_file(path: str, id: str, published: str | None, max_bytes: int) -> Article | InputError:
    """Read one HTML file; ``published`` is used when the page has no date of its own."""
    data = read_limited(path, max_bytes)
    if isinstance(data, InputError):
        return data
    return page_article(data, path, id=id, published=published)


def page_article(
    page: bytes | str,
    origin: str,
    *,
    id: str | None,
    published: str | None = None,
    url: str | None = None,
    prefer_page_url: bool = True,
) -> Article | InputError:
    """The article in an HTML page, or an error naming ``origin`` when there is none.

    ``url`` is where the page came from; the page's canonical URL replaces it when
    ``prefer_page_url``. ``published`` is the fallback date. ``id`` defaults to the URL.
    """
    if isinstance(page, bytes) and (reason := binary_reason(page)):
        return InputError(origin, reason)
    try:
        doc = _extract(page, url, precise=True)
        if doc is None or not (doc.text or "").strip():
            # Unusual layouts (text straight in <div>s, <br> breaks) need trafilatura's
            # fallback extractors, which also take menus and banners: keep only prose.
            doc = _extract(page, url, precise=False)
            if doc is not None and not _looks_like_prose(doc.text or ""):
                doc = None
    except Exception as e:  # noqa: BLE001 - a parser failure on one page must not stop a batch
        return InputError(origin, f"could not parse the HTML ({type(e).__name__})")
    if doc is None or not (doc.text or "").strip():
        depth = nesting_depth(page)
        if depth > MAX_DEPTH:
            return InputError(
                origin,
                f"the HTML is too deeply nested ({depth:,} levels of elements; text deeper "
                f"than {MAX_DEPTH} levels is not read)",
            )
        return InputError(origin, NO_TEXT)
    body = doc.text
    page_url = _clean(doc.url)
    final_url = (page_url or url) if prefer_page_url else (url or page_url)
    return make_article(
        _tidy(body),
        origin,
        id=id or final_url,
        title=_clean(doc.title),
        published=normalize_date(doc.date) or published,
        url=final_url,
        site=_clean(doc.sitename),
    )


def nesting_depth(page: bytes | str) -> int:
    """How deep the elements of ``page`` nest, counted from its tags in one pass (elements
    without an end tag, or with one the parser supplies, do not count)."""
    data = page.encode("utf-8", "replace") if isinstance(page, str) else page
    depth = deepest = 0
    for match in _TAG.finditer(data):
        closing, name, self_closed = match.groups()
        if self_closed or name.lower() in _NOT_NESTING:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _extract(page: bytes | str, url: str | None, *, precise: bool) -> Any:
    return trafilatura.bare_extraction(
        page,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=precise,
        fast=precise,
        date_extraction_params=_DATE_PARAMS,
    )


def _looks_like_prose(text: str) -> bool:
    """Whether some line reads like a sentence of an article (not a menu or a banner)."""
    return any(len(line.split()) >= _PROSE_WORDS for line in text.splitlines())


def _clean(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _tidy(text: str) -> str:
    """One paragraph per line: trim each line and drop blank ones."""
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# --- fragments (feed entries) ----------------------------------------------------------------

_BLOCK = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul".split()
)
_SKIP = frozenset("script style template noscript iframe object svg head".split())
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_WHITESPACE = re.compile(r"\s+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:  # in HTML a line break inside text is just a space
            self.parts.append(_WHITESPACE.sub(" ", data))


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, block elements and ``<br>`` as line breaks.

    Scripts, styles and other non-text elements are dropped with their content; nothing is
    executed or fetched. Plain text (no tags) comes back with its lines trimmed.
    """
    parser = _TextCollector()
    parser.feed(fragment)
    parser.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
