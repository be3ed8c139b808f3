"""The workbench's actions: ingest, verdicts on conflicts, entity merges and splits (writes,
only with ``serve --write``), and exports (reads, always on).

Every write route refuses with 403 unless the server runs with ``--write``, refuses
cross-site requests (``Sec-Fetch-Site``, ``Origin``) and checks the form's CSRF token
(:mod:`newsledger.web.csrf`) before it changes anything. Uploads are capped in number and
size; each input that cannot be taken gets an error naming it.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.datastructures import FormData, UploadFile

from newsledger.errors import NewsledgerError
from newsledger.ledger import entities as identity
from newsledger.ledger.conflicts import VERDICTS, read_conflicts, set_verdict
from newsledger.ledger.export import DATASET_FORMATS, DATASETS, dataset_records, export_dataset
from newsledger.ledger.query import table_exists
from newsledger.model import ATTRIBUTION_KINDS, Article
from newsledger.readers import is_url, normalize_date
from newsledger.web import csrf
from newsledger.web.jobs import IngestJobs, Job, JobRequest, JobsFull

router = APIRouter(include_in_schema=False)

#: Upload limits: files per form, bytes per file, bytes per form (files and fields).
MAX_FILES = 20
MAX_UPLOAD_BYTES = 10_000_000
MAX_FORM_BYTES = 50_000_000
MAX_URLS = 20
MAX_TEXT_CHARS = 200_000
MAX_NOTE_CHARS = 2_000
#: What an upload may be, by its name's ending.
UPLOAD_KINDS = (
    ".txt", ".text", ".html", ".htm", ".jsonl", ".ndjson", ".csv", ".warc", ".warc.gz",
    ".rss", ".atom", ".xml",
)  # fmt: skip
#: Seconds an export may read for (longer than a page's query limit).
EXPORT_TIME_LIMIT = 120.0
WRITE_OFF = (
    "writing is off on this server: start it with `newsledger serve --write` to ingest, give"
    " verdicts and merge or split entities from the browser"
)
_MEDIA = {
    "csv": "text/csv",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


# ------------------------------------------------------------------ shared checks
def _require_write(request: Request) -> None:
    if not request.app.state.allow_write:
        raise HTTPException(403, WRITE_OFF)


async def _checked_form(request: Request, what: str, cap: int = 64_000) -> FormData:
    """The posted form, after the checks every write makes: writing on, not cross-site, a
    body under ``cap`` bytes, the CSRF token of its cookie."""
    _require_write(request)
    csrf.forbid_cross_site(request, what)
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit():
        raise HTTPException(411, f"POST {what} needs a Content-Length")
    if int(declared) > cap:
        raise HTTPException(
            413, f"the form is larger than {cap:,} bytes; send fewer or smaller files"
        )
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=100)
    except HTTPException:
        raise
    except Exception as exc:  # a malformed multipart body
        raise HTTPException(400, f"the form could not be read ({type(exc).__name__})") from exc
    token = form.get(csrf.FIELD) or request.headers.get(csrf.HEADER)
    request.app.state.csrf.check(request, token if isinstance(token, str) else None)
    return form


def _text(form: FormData, name: str, limit: int = 500) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, template, {**context, "request_path": request.url.path}, status_code=status
    )


def _jobs(request: Request) -> IngestJobs:
    jobs: IngestJobs | None = request.app.state.jobs
    if jobs is None:
        raise HTTPException(403, WRITE_OFF)
    return jobs


# ------------------------------------------------------------------ ingest
@router.get("/ingest")
def ingest_page(request: Request) -> Response:
    _require_write(request)
    return _render(request, "ingest.html", _ingest_context())


def _ingest_context(**values: Any) -> dict[str, Any]:
    return {
        "errors": [],
        "form": {},
        "max_files": MAX_FILES,
        "max_upload_bytes": MAX_UPLOAD_BYTES,
        "max_urls": MAX_URLS,
        "kinds": ", ".join(UPLOAD_KINDS),
        **values,
    }


def _upload_name(upload: UploadFile, used: set[str]) -> str:
    """A safe, unique file name for an upload that keeps its own name and ending."""
    base = os.path.basename((upload.filename or "upload").replace("\\", "/"))
    name = _SAFE_NAME.sub("_", base).strip("._") or "upload"
    stem, ext = (
        (name[:-8], name[-8:]) if name.lower().endswith(".warc.gz") else os.path.splitext(name)
    )
    stem = stem[:80] or "upload"
    name, n = stem + ext, 2
    while name.lower() in used:
        name, n = f"{stem}-{n}{ext}", n + 1
    used.add(name.lower())
    return name


def _pasted(
    form: FormData, shown: dict[str, str], errors: list[tuple[str, str]]
) -> tuple[Article | None, str]:
    """The pasted article (and the text as typed), its problems added to ``errors``."""
    text = form.get("text")
    text = text if isinstance(text, str) else ""
    if not text.strip():
        if any(shown[k] for k in ("title", "published", "site", "url")):
            errors.append(("pasted text", "title, date, site or URL given without a text"))
        return None, text
    title = shown["title"] or None
    name = f"pasted text ({title})" if title else "pasted text"
    published = None
    if shown["published"]:
        published = normalize_date(shown["published"])
        if published is None:
            errors.append((name, f"date {shown['published']!r} is not a date (YYYY-MM-DD)"))
    if len(text) > MAX_TEXT_CHARS:
        errors.append((name, f"the text is longer than {MAX_TEXT_CHARS:,} characters"))
    if shown["url"] and not is_url(shown["url"]):
        errors.append((name, f"URL {shown['url']!r} is not an http(s) URL"))
    article = Article(
        text=text,
        title=title,
        published=published,
        site=shown["site"] or None,
        url=shown["url"] or None,
        origin=name,
    )
    return article, text


def _urls(value: str, errors: list[tuple[str, str]]) -> list[str]:
    urls = [u.strip() for u in value.splitlines() if u.strip()]
    for u in urls:
        if not is_url(u):
            errors.append((u[:200], "not an http:// or https:// URL"))
    if len(urls) > MAX_URLS:
        errors.append(("URLs", f"{len(urls)} URLs given; at most {MAX_URLS} per ingest"))
    return urls


def _uploads(form: FormData, errors: list[tuple[str, str]]) -> list[UploadFile]:
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    for upload in uploads:
        name = upload.filename or "upload"
        if not name.lower().endswith(UPLOAD_KINDS):
            kinds = ", ".join(UPLOAD_KINDS)
            errors.append((name, f"not a kind of file newsledger reads ({kinds})"))
        elif upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            errors.append(
                (name, f"{upload.size:,} bytes; an upload may have at most {MAX_UPLOAD_BYTES:,}")
            )
        elif upload.size == 0:
            errors.append((name, "the file is empty"))
    return uploads


@router.post("/ingest")
async def ingest_submit(request: Request) -> Response:
    """Start an ingest of what the form holds: a pasted article (text, title, date, site,
    URL), uploaded files, URLs or feeds (one per line)."""
    form = await _checked_form(request, "/ingest", MAX_FORM_BYTES)
    errors: list[tuple[str, str]] = []
    shown = {k: _text(form, k) for k in ("title", "published", "site", "url")}
    shown["urls"] = _text(form, "urls", 20_000)
    article, text = _pasted(form, shown, errors)
    articles = [article] if article is not None else []
    inputs = [a.origin or "pasted text" for a in articles]
    urls = _urls(shown["urls"], errors)
    uploads = _uploads(form, errors)

    if not errors and not (articles or urls or uploads):
        errors.append(("form", "nothing to ingest: paste a text, choose files or give URLs"))
    if errors:
        context = _ingest_context(errors=errors, form={**shown, "text": text[:MAX_TEXT_CHARS]})
        return _render(request, "ingest.html", context, status=422)

    folder = None
    paths: list[str] = []
    if uploads:
        folder = tempfile.mkdtemp(prefix="newsledger-upload-")
        used: set[str] = set()
        for upload in uploads:
            name = _upload_name(upload, used)
            path = os.path.join(folder, name)
            data = await upload.read()
            await asyncio.to_thread(_save, path, data)
            paths.append(path)
            inputs.append(name)
    paths.extend(urls)
    inputs.extend(urls)
    job_request = JobRequest(
        inputs=inputs,
        articles=articles,
        paths=paths,
        folder=folder,
        reader_options={"allow_private": request.app.state.allow_private_fetch},
        max_bytes=MAX_UPLOAD_BYTES,
    )
    try:
        job = _jobs(request).submit(job_request, tmpdir=folder)
    except JobsFull as exc:
        if folder:
            await asyncio.to_thread(_remove, folder)
        raise HTTPException(503, str(exc), headers={"Retry-After": str(exc.retry_after)}) from exc
    if request.headers.get("HX-Request") == "true":
        return _render(request, "_job.html", {"job": job}, status=202)
    return RedirectResponse(f"/ingest/jobs/{job.id}", status_code=303)


def _save(path: str, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


def _remove(folder: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)


@router.get("/ingest/jobs/{job_id}")
def ingest_job(request: Request, job_id: str) -> Response:
    """An ingest's progress and per-input errors (``.json``: the same as data); HTMX polls
    the fragment until the job ends."""
    _require_write(request)
    as_json = job_id.endswith(".json")
    job: Job | None = _jobs(request).get(job_id.removesuffix(".json"))
    if job is None:
        raise HTTPException(404, "no such ingest (the server keeps the last 50 of this session)")
    if as_json:
        return JSONResponse(job.to_dict())
    template = "_job.html" if request.headers.get("HX-Request") == "true" else "ingest_job.html"
    return _render(request, template, {"job": job, "json_url": f"/ingest/jobs/{job.id}.json"})


# ------------------------------------------------------------------ conflicts and verdicts
def _conflict(request: Request, conflict_id: int) -> dict[str, Any]:
    with request.app.state.db.read() as con:
        found = table_exists(con, "conflicts") and read_conflicts(con, ids=[conflict_id], limit=1)
    if not found:
        raise HTTPException(404, f"no conflict {conflict_id} in this ledger")
    return found[0].to_dict()


@router.get("/conflicts/{conflict_id:int}")
@router.get("/conflicts/{conflict_id:int}.json")
def conflict_page(request: Request, conflict_id: int) -> Response:
    """One conflict, both sides, and its verdict (with ``--write``: the verdict form)."""
    conflict = _conflict(request, conflict_id)
    if request.url.path.endswith(".json"):
        return JSONResponse(conflict)
    context = {"f": conflict, "json_url": f"/conflicts/{conflict_id}.json"}
    return _render(request, "conflict.html", context)


@router.post("/conflicts/{conflict_id:int}/verdict")
async def conflict_verdict(request: Request, conflict_id: int) -> Response:
    """Confirm or dismiss a conflict with a note, or clear the verdict (``verdict`` empty);
    the answer offers to undo, which posts the verdict before this one back."""
    form = await _checked_form(request, f"/conflicts/{conflict_id}/verdict")
    verdict = _text(form, "verdict") or None
    note = _text(form, "note", MAX_NOTE_CHARS + 1) or None
    if verdict is not None and verdict not in VERDICTS:
        raise HTTPException(422, f"verdict {verdict!r}: use confirmed, dismissed or nothing")
    if note is not None and len(note) > MAX_NOTE_CHARS:
        raise HTTPException(422, f"the note is longer than {MAX_NOTE_CHARS:,} characters")
    before = _conflict(request, conflict_id)
    db = request.app.state.db

    def write() -> bool:
        with db.writer() as ledger:
            return set_verdict(ledger.con, conflict_id, verdict, note if verdict else None)

    if not await asyncio.to_thread(write):
        raise HTTPException(404, f"no conflict {conflict_id} in this ledger")
    undo = {"verdict": before["verdict"] or "", "note": before["verdict_note"] or ""}
    if request.headers.get("HX-Request") == "true":
        after = _conflict(request, conflict_id)
        return _render(request, "_verdict.html", {"f": after, "undo": undo})
    return RedirectResponse(f"/conflicts/{conflict_id}", status_code=303)


# ------------------------------------------------------------------ entities
@router.get("/edit/entities")
def entities_page(request: Request) -> Response:
    """Find ledger entities by name, see one's members; with ``--write``: merge two, split a
    member off."""
    return _render(request, "entities_edit.html", _entities_context(request))


def _entities_context(request: Request, **values: Any) -> dict[str, Any]:
    params = request.query_params
    q = (params.get("q") or "").strip()[:200]
    chosen = (params.get("entity") or "").strip()
    with request.app.state.db.read() as con:
        available = table_exists(con, "ledger_entities")
        found = identity.list_entities(con, text=q or None, limit=50) if available else []
        entity = None
        if available and chosen.isdigit():
            entity = identity.show_entity(con, int(chosen))
    return {"q": q, "available": available, "found": found, "entity": entity,
            "message": None, "problem": None, **values}  # fmt: skip


async def _entity_rule(request: Request, action: str) -> Response:
    form = await _checked_form(request, f"/edit/entities/{action}")
    a, b = _text(form, "a", 300), _text(form, "b", 600)
    if not a or not b:
        raise HTTPException(422, f"{action} needs both entities (ids or names)")
    db = request.app.state.db

    def write() -> int:
        with db.writer() as ledger, ledger.transaction() as con:
            return identity.add_rule(con, action, a, b)

    status, message, problem, entity = 200, None, None, None
    try:
        entity = await asyncio.to_thread(write)
    except KeyError as exc:
        status, problem = 404, str(exc.args[0] if exc.args else exc)
    except ValueError as exc:
        status, problem = 409, str(exc)
    else:
        what = "merged into" if action == "merge" else "split off as"
        message = f"{b} {what} ledger entity {entity}"
    context = _entities_context(request, message=message, problem=problem, form={"a": a, "b": b})
    if entity is not None:
        with request.app.state.db.read() as con:
            context["entity"] = identity.show_entity(con, entity)
    return _render(request, "entities_edit.html", context, status=status)


@router.post("/edit/entities/merge")
async def entities_merge(request: Request) -> Response:
    """Merge ledger entity ``b`` into ``a`` (ids or unambiguous names), kept as a hand rule."""
    return await _entity_rule(request, "merge")


@router.post("/edit/entities/split")
async def entities_split(request: Request) -> Response:
    """Give member ``b`` (``ARTICLE_ID:ENTITY_ID``) of ledger entity ``a`` its own entity."""
    return await _entity_rule(request, "split")


# ------------------------------------------------------------------ export
#: The filters each dataset's export takes from the query string (those of its page).
EXPORT_FILTERS = {
    "articles": ("q",),
    "attributions": ("q", "source", "kind", "since", "until", "site", "article_id"),
    "claims": ("about", "independence", "min_articles", "claim"),
    "conflicts": ("kind",),
}


def export_url(dataset: str, fmt: str, params: Any = None) -> str:
    """The export of ``dataset`` in ``fmt`` with the filters of ``params`` (a page's query)."""
    wanted = EXPORT_FILTERS.get(dataset, ())
    kept = {k: v for k, v in dict(params or {}).items() if k in wanted and v not in (None, "")}
    return f"/export/{dataset}.{fmt}" + (f"?{urlencode(kept)}" if kept else "")


@router.get("/export")
def export_page(request: Request) -> Response:
    return _render(
        request,
        "export.html",
        {"datasets": list(DATASETS), "formats": DATASET_FORMATS, "export_url": export_url},
    )


def _export_filters(dataset: str, request: Request) -> dict[str, Any]:
    params = request.query_params
    out: dict[str, Any] = {}
    for name in EXPORT_FILTERS[dataset]:
        value = (params.get(name) or "").strip()[:500]
        if not value:
            continue
        if name in ("min_articles", "claim"):
            if not value.isdigit() or not 0 < int(value) < 2**63:
                raise HTTPException(422, f"{name}={value!r} is not a whole number")
            out[name] = int(value)
        else:
            out[name] = value
    if out.get("kind") and dataset == "attributions":
        if out["kind"] not in ATTRIBUTION_KINDS:
            raise HTTPException(422, f"kind={out['kind']!r} is not an attribution kind")
    return out


@router.get("/export/{name}")
async def export_file(request: Request, name: str) -> Response:
    """``/export/DATASET.FORMAT`` (articles, attributions, claims or conflicts; csv, jsonl
    or parquet), filtered by the query string as the dataset's page is; a download."""
    dataset, _, fmt = name.partition(".")
    if dataset not in DATASETS or fmt not in DATASET_FORMATS:
        raise HTTPException(
            404,
            f"no export {name!r}: use /export/DATASET.FORMAT with DATASET one of"
            f" {', '.join(DATASETS)} and FORMAT one of {', '.join(DATASET_FORMATS)}",
        )
    filters = _export_filters(dataset, request)
    db = request.app.state.db

    def build() -> tempfile.SpooledTemporaryFile[bytes]:
        out: tempfile.SpooledTemporaryFile[bytes] = tempfile.SpooledTemporaryFile(8_000_000)
        try:
            with db.read(time_limit=EXPORT_TIME_LIMIT) as con:
                export_dataset(dataset_records(con, dataset, filters), dataset, fmt, out)
        except BaseException:
            out.close()
            raise
        out.seek(0)
        return out

    try:
        file = await asyncio.to_thread(build)
    except NewsledgerError:
        raise
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc

    def chunks() -> Any:
        with file:
            while chunk := file.read(65_536):
                yield chunk

    return StreamingResponse(
        chunks(),
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="newsledger-{dataset}.{fmt}"'},
    )
