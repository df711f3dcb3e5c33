"""One way to make a PDF: render_pdf(template_name, context, *, language) -> bytes.

User text ends up in these documents, and a PDF engine that follows URLs in user text could
be made to read local files or call internal addresses. So the renderer's URL fetcher denies
everything except `data:` URLs and a fixed map of our own print stylesheet and fonts, served
from memory under the `asset:` scheme: no http(s), no file:, no redirects.

WeasyPrint is imported inside the functions: it is slow to import and only PDFs need it.
"""

import functools
import gc
import logging
import re
import ssl
import zlib
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
    with translation.override(language):
        html = render_to_string(template_name, {**context, "LANGUAGE_CODE": language})
    return with_stack_headroom(html_to_pdf, html, fetcher or locked_url_fetcher_class()())


def html_to_pdf(html: str, fetcher) -> bytes:
    """WeasyPrint's part of `render_pdf`: the document `html` as a tagged PDF/UA-1."""
    with _collector_paused():
        document = html_class()(string=html, base_url=ASSET_SCHEME, url_fetcher=fetcher)
        return document.write_pdf(pdf_variant="pdf/ua-1")


# CPython keeps the frames of Python calls in chunks of 16 KB. A call that does not fit in the
# current chunk gets a new one from mmap, and the chunk is unmapped as soon as that call
# returns: in every CPython released before the fix of gh-142183 (which keeps one chunk;
# merged for 3.13 and 3.14 in March 2026), such as the 3.13.0 here. Code that calls and
# returns again and again right at a chunk's edge maps and unmaps a chunk each time.
# WeasyPrint's layout does, when the caller's depth puts an edge where it calls most: the
# 1,000-action overview made ~88,000 mappings per render in the bench's process (strace), and
# took 17,000–156,000 minor page faults depending only on how deep it was called (2,500–4,400
# with the headroom below), up to a fifth of its CPU.
HEADROOM_SLOTS = 1 << 16


def with_stack_headroom(call, *args, **kwargs):
    """`call(*args, **kwargs)`, with room for the frames of everything it calls.

    This function's frame claims HEADROOM_SLOTS stack slots that it never uses (its
    `co_stacksize`, set below), so CPython gives it a chunk of 1 MB of its own, and the frames
    of the calls it makes fit in the ~512 KB left there: no chunk edge for them to cross.
    """
    return call(*args, **kwargs)


with_stack_headroom.__code__ = with_stack_headroom.__code__.replace(co_stacksize=HEADROOM_SLOTS)


# WeasyPrint's user-agent stylesheet (weasyprint/css/html5_ua.css) has rules for pseudo-elements
# of every element: `::marker` and five footnote and note pseudo-elements. WeasyPrint computes a
# style for each pseudo-element a matching rule names, so every element of a document got six:
# 38,000 styles for the 6,300 elements of the 1,000-action overview, and 330,000 objects the
# collector then walks to free them. Only list items draw a marker, and no report uses footnotes
# (`float: footnote`) or notes (`position: note()`), so the lean sheet scopes the marker rule to
# them and leaves the others out: 10–17 % of the overview's CPU, the same pixels, text and tags.
# The keys are the rules as the stock sheet spells them; the values what replaces them.
_UA_RULES_REPLACED = {
    r"::marker \{(?P<body>[^}]*)\}": r"li::marker, summary::marker {\g<body>}",
    r"::footnote-call \{[^}]*\}": "",
    r"::footnote-marker \{[^}]*\}": "",
    r"::note-call \{[^}]*\}": "",
    r"::note-marker \{[^}]*\}": "",
    r"::note-callback \{[^}]*\}": "",
}


def lean_user_agent_css(stock: str) -> str | None:
    """The stock UA stylesheet without its rules for pseudo-elements of every element, or None
    when one of them is not found once (WeasyPrint changed its sheet: keep the stock one)."""
    for pattern, replacement in _UA_RULES_REPLACED.items():
        stock, found = re.subn(rf"(?m)^{pattern}", replacement, stock)
        if found != 1:
            return None
    return stock


@functools.cache
def html_class():
    """WeasyPrint's HTML, with the lean user-agent stylesheet when WeasyPrint's sheet is as
    expected. `HTML._ua_stylesheets` is how WeasyPrint picks its sheets (weasyprint/__init__.py,
    called by css.get_all_computed_styles); tests/reports/test_pdf_renderer.py fails if it stops
    being used or the sheet changes. Also caches pydyf's page references and has it compress
    at zlib's default level (both below)."""
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA, UA_FORM_STYLESHEET

    _cache_page_references()
    _compress_at_the_default_level()
    lean = lean_user_agent_css(UA)
    if lean is None:
        logger.warning("WeasyPrint's user-agent stylesheet changed: rendering with it as it is")
        return HTML
    # Its @counter-style rules go to a throwaway registry: the render's counter styles still
    # come from HTML._ua_counter_style (the stock ones, the same rules).
    sheet = CSS(string=lean, counter_style=CounterStyle())

    class LeanHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [sheet, UA_FORM_STYLESHEET] if forms else [sheet]

    return LeanHTML


def _cache_page_references():
    """Make pydyf's `PDF.page_references` build its tuple once per page count, not per read.

    The stock property builds a tuple of every page's reference each time it is read, and
    WeasyPrint's PDF/UA tagging (weasyprint/pdf/tags.py) reads it once per structure element:
    12,400 reads of 38 references for the overview, a cost that grows with rows × pages
    (~3 % of the overview, half its tagging). The values are the stock property's; they are
    built again when a page was added since (pydyf only ever appends pages). A process-wide
    change of a class of pydyf, made once; tests/reports/test_pdf_renderer.py compares it with
    the stock property."""
    import pydyf

    stock = pydyf.PDF.page_references
    if getattr(stock.fget, "counts_pages", False):
        return

    def page_references(self):
        pages = len(self.pages["Kids"])
        cached = self.__dict__.get("_page_references_for")
        if cached is None or cached[0] != pages:
            cached = self._page_references_for = (pages, stock.fget(self))
        return cached[1]

    page_references.counts_pages = True
    page_references.stock = stock
    pydyf.PDF.page_references = property(page_references, doc=stock.__doc__)


class _DefaultLevelZlib:
    """zlib as pydyf sees it: every stream compressed at zlib's default level (6).

    pydyf compresses each stream of a PDF (page contents, fonts, the object streams) with
    `zlib.compressobj(level=9)`. For the 1,000-action overview that is 0.19 s of CPU for 47
    streams (3.4 MB); at level 6 it is 0.04 s and the file 3 % larger (341 → 353 KB): ~4.5 %
    of the overview, less for the small reports: level 9 took 5× the time for 3 % fewer bytes."""

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs)


def _compress_at_the_default_level():
    """Give pydyf's module a zlib whose compressobj uses the default level (once per process;
    only pydyf sees it). tests/reports/test_pdf_renderer.py records the levels of a render."""
    import pydyf

    if not isinstance(pydyf.zlib, _DefaultLevelZlib):
        pydyf.zlib = _DefaultLevelZlib()


@contextmanager
def _collector_paused():
    """No cyclic garbage collection while WeasyPrint renders.

    A render builds hundreds of thousands of boxes and styles that all live until the PDF is
    written; the collector kept walking them as they accumulated (each generation-2 pass over
    everything so far), ~15 % of the CPU of the 1,000-action overview, for almost nothing to
    collect. Most of them hang in reference cycles (boxes, elements, layouts): one young
    collection frees them all at the first allocation after the render (~170,000 objects for
    the overview). Another thread rendering at the same time leaves the switch as it found it,
    so the collector is never left off.
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
