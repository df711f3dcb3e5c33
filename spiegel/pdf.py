"""One way to make a PDF: render_pdf(template_name, context, *, language) -> bytes.

User text ends up in these documents, and a PDF engine that follows URLs in user text could
be made to read local files or call internal addresses. So the renderer's URL fetcher denies
everything except `data:` URLs and a fixed map of our own print stylesheet and fonts, served
from memory under the `asset:` scheme: no http(s), no file:, no redirects.

WeasyPrint is imported inside the functions: it is slow to import and only PDFs need it.
"""

import gc
import logging
import ssl
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

PRINT_DIR = Path(settings.BASE_DIR) / "static" / "print"
ASSET_SCHEME = "asset:"
MEDIA_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".svg": "image/svg+xml"}


def _asset_map() -> dict[str, Path]:
    """`asset:print.css`, `asset:fonts/…woff2`: every file of static/print, nothing else."""
    return {
        ASSET_SCHEME + path.relative_to(PRINT_DIR).as_posix(): path
        for path in PRINT_DIR.rglob("*")
        if path.is_file() and path.suffix in MEDIA_TYPES
    }


ASSETS = _asset_map()
# https is refused anyway; a bare context spares loading the CA store (~40 ms) per render.
_UNUSED_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
_cache: dict[str, bytes] = {}


class RefusedURL(ValueError):
    """The fetcher was asked for something outside its map."""


def locked_url_fetcher_class():
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class LockedURLFetcher(URLFetcher):
        """Serves `data:` URLs and our own print assets; refuses (and records) the rest."""

        def __init__(self):
            super().__init__(
                allowed_protocols=("data", "asset"),
                allow_redirects=False,
                ssl_context=_UNUSED_TLS,
            )
            self.refused: list[str] = []
            self.served: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                self.served.append("data:")
                return super().fetch(url, headers)
            path = ASSETS.get(url)
            if path is None:
                self.refused.append(url)
                logger.warning("PDF renderer refused to fetch %r", url[:200])
                raise RefusedURL(f"not an allowed resource: {url[:200]}")
            if url not in _cache:
                _cache[url] = path.read_bytes()
            self.served.append(url)
            return URLFetcherResponse(
                url, body=_cache[url], headers={"Content-Type": MEDIA_TYPES[path.suffix]}
            )

    return LockedURLFetcher


def render_pdf(template_name, context, *, language, fetcher=None) -> bytes:
    """Render `template_name` (under templates/reports/) to a tagged PDF/UA-1 document.

    The template sets `<html lang>` and `<title>` (the PDF's /Lang and title) and links
    `asset:print.css`. Pass `fetcher` to inspect what was fetched (tests do).
    """
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template_name, {**context, "LANGUAGE_CODE": language})
    fetcher = fetcher or locked_url_fetcher_class()()
    with _collector_paused():
        document = HTML(string=html, base_url=ASSET_SCHEME, url_fetcher=fetcher)
        return document.write_pdf(pdf_variant="pdf/ua-1")


@contextmanager
def _collector_paused():
    """No cyclic garbage collection while WeasyPrint renders.

    A render builds hundreds of thousands of boxes and styles that all live until the PDF is
    written; the collector kept walking them as they accumulated (each generation-2 pass over
    everything so far), ~15 % of the CPU of the 1,000-action overview, for almost nothing to
    collect. They are freed by reference counting when the render returns; the few cycles
    wait for the next collection. Another thread rendering at the same time leaves the
    switch as it found it, so the collector is never left off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def pdf_response(data: bytes, filename: str):
    """A PDF to download, kept by no cache (reports carry an organisation's internal work)."""
    from django.http import HttpResponse

    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
