"""HTML and PDF for printed documents: one WeasyPrint run per document, cached by the HTML's hash.

Each document is laid out on its own (its page numbers start at 1) and the PDFs are merged with
pypdf. A document's PDF depends only on its HTML, so it is kept under MEDIA_ROOT keyed by the
HTML's SHA-256: a batch of documents that have not changed since they were last printed is only a
merge. Documents not yet rendered are laid out in parallel, one process per core.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import weasyprint
from django.conf import settings
from django.utils.html import escape
from pypdf import PdfReader, PdfWriter
from weasyprint.urls import URLFetcher

FONTS = '"FangSong", "FangSong_GB2312", "SimSun", "WenQuanYi Zen Hei", sans-serif'


def data_only() -> URLFetcher:
    """A print format may embed images as ``data:`` URIs; it never reaches a file or the network."""
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def page_css(fmt) -> str:
    return (f"@page {{ size: {fmt.page_size} {fmt.orientation}; margin: 20mm 18mm 18mm 18mm;"
            " @bottom-center { content: counter(page) ' / ' counter(pages); font-size: 9pt; } }\n"
            f"html {{ font-family: {FONTS}; font-size: 11pt; }}\n")


def html_document(fmt, body: str) -> str:
    """The complete page WeasyPrint lays out (and the preview shows): page rules, the format's CSS, the body."""
    return (f'<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>{escape(fmt.name)}</title>'
            f"<style>{page_css(fmt)}{fmt.css}</style></head><body>{body}</body></html>")


def _cache_path(html: str) -> Path:
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    return Path(settings.MEDIA_ROOT) / "print-cache" / key[:2] / f"{key}.pdf"


def render_pdf(html: str) -> bytes:
    """One document's PDF (no cache): WeasyPrint, fetching nothing but data: URIs."""
    return weasyprint.HTML(string=html, url_fetcher=data_only()).write_pdf()


def write_atomically(path: Path, data: bytes) -> None:
    """Readers see the whole file or none: written beside it, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached_pdf(html: str) -> bytes:
    path = _cache_path(html)
    if path.exists():
        return path.read_bytes()
    data = render_pdf(html)
    write_atomically(path, data)
    return data


def _workers() -> int:
    return max(1, min(os.cpu_count() or 1, int(os.environ.get("KAOHE_PRINT_WORKERS", "0")) or 64))


def render_many(htmls: Sequence[str], progress: Callable[[int], None] | None = None,
                workers: int | None = None) -> list[bytes]:
    """Every document's PDF, in order; the cached ones read, the others rendered in parallel and cached."""
    results: list[bytes | None] = [None] * len(htmls)
    missing = []
    for n, html in enumerate(htmls):
        path = _cache_path(html)
        if path.exists():
            results[n] = path.read_bytes()
        else:
            missing.append(n)
    done = len(htmls) - len(missing)
    if progress:
        progress(done)
    workers = min(workers or _workers(), len(missing))
    if workers > 1:
        # fork: the workers inherit the loaded WeasyPrint and fonts instead of importing them again; a
        # process with other threads (a threaded server) starts clean ones instead, as forking it is unsafe
        method = "fork" if threading.active_count() == 1 else "forkserver"
        with ProcessPoolExecutor(workers, mp_context=get_context(method)) as pool:
            for n, data in zip(missing, pool.map(render_pdf, [htmls[n] for n in missing]), strict=True):
                results[n] = data
                write_atomically(_cache_path(htmls[n]), data)
                done += 1
                if progress:
                    progress(done)
    else:
        for n in missing:
            results[n] = cached_pdf(htmls[n])
            done += 1
            if progress:
                progress(done)
    return [r for r in results if r is not None]


def merge(pdfs: Sequence[bytes]) -> bytes:
    if len(pdfs) == 1:
        return pdfs[0]
    writer = PdfWriter()
    for data in pdfs:
        writer.append(PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
