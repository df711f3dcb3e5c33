import io

import pytest
from django.template import engines

from spiegel.pdf import html_class, lean_user_agent_css, locked_url_fetcher_class, render_pdf
from tests.pdf_helpers import (
    assert_accessible,
    assert_pages_not_blank,
    pdf_text,
    weasyprint_log_must_stay_clean,
)

HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    "http://127.0.0.1:9/x.png",
    'url("file:///etc/passwd")',
    "</style><style>body{background:url(http://127.0.0.1:9/y.png)}</style>",
    '<script>alert("x")</script>',
]


def test_the_floor_document_is_tagged_dutch_and_not_blank(tmp_path):
    with weasyprint_log_must_stay_clean():
        data = render_pdf("reports/floor.html", {"text": "Hallo Öztürk, ş ğ Ĳ"}, language="nl")
    assert_accessible(data, lang="nl")
    assert "Hallo Öztürk, ş ğ Ĳ" in pdf_text(data)
    assert "Pagina 1 van 1" in pdf_text(data)
    assert_pages_not_blank(data, tmp_path)


def test_an_english_document_says_so(tmp_path):
    data = render_pdf("reports/floor.html", {"text": "Hello"}, language="en")
    assert_accessible(data, lang="en")
    assert "Page 1 of 1" in pdf_text(data)


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_is_printed_as_text_and_fetches_nothing(payload):
    fetcher = locked_url_fetcher_class()()
    with weasyprint_log_must_stay_clean():
        data = render_pdf("reports/floor.html", {"text": payload}, language="nl", fetcher=fetcher)
    assert fetcher.refused == []
    assert all(url == "data:" or url.startswith("asset:") for url in fetcher.served)
    text = " ".join(pdf_text(data).split())
    assert " ".join(payload.split()) in text


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="file:///etc/passwd" alt="x">',
        '<link rel="attachment" href="file:///etc/passwd">',
        '<img src="http://127.0.0.1:9/x.png" alt="x">',
        '<div style="background: url(file:///etc/passwd)">x</div>',
        '<img src="https://example.org/redirect" alt="x">',
        '<img src="../../../../etc/passwd" alt="x">',
    ],
)
def test_the_fetcher_refuses_everything_outside_its_map_even_in_raw_markup(markup, tmp_path):
    """Should a template ever print markup unescaped, the fetcher still reads nothing."""
    from weasyprint import HTML

    fetcher = locked_url_fetcher_class()()
    html = f'<html lang="nl"><body><p>{markup}</p></body></html>'
    HTML(string=html, base_url="asset:", url_fetcher=fetcher).write_pdf()
    assert fetcher.refused, "the fetcher was not even asked"
    assert not any(url.startswith(("file:", "http")) for url in fetcher.served)


def test_data_urls_and_our_assets_are_served():
    fetcher = locked_url_fetcher_class()()
    template = engines["django"].from_string(
        '<html lang="nl"><head><link rel="stylesheet" href="asset:print.css"></head><body>'
        '<img alt="punt" src="data:image/gif;base64,R0lGODlhAQABAAAAACwAAAAAAQABAAA=">'
        "</body></html>"
    )
    from weasyprint import HTML

    HTML(string=template.render({}), base_url="asset:", url_fetcher=fetcher).write_pdf()
    assert "asset:print.css" in fetcher.served and "data:" in fetcher.served
    assert fetcher.refused == []


# — the lean user-agent stylesheet (spiegel.pdf.html_class) —


def test_the_renderer_picks_its_user_agent_sheet_through_the_method_weasyprint_calls():
    """render_pdf renders with a subclass of WeasyPrint's HTML whose `_ua_stylesheets` gives
    the lean sheet. Should WeasyPrint stop asking that method, this fails (and the overview
    is ~17 % slower again)."""
    from unittest import mock

    from weasyprint import HTML
    from weasyprint.html import UA_STYLESHEET

    lean = html_class()
    assert lean is not HTML and issubclass(lean, HTML)
    assert lean(string="<p>x</p>")._ua_stylesheets() != [UA_STYLESHEET]
    original = lean._ua_stylesheets
    asking = mock.patch.object(lean, "_ua_stylesheets", autospec=True, side_effect=original)
    with asking as asked, weasyprint_log_must_stay_clean():
        render_pdf("reports/floor.html", {"text": "Spiegel"}, language="nl")
    assert asked.call_count == 1


def test_the_lean_sheet_is_weasyprints_without_its_rules_for_every_elements_pseudo_elements():
    """The only change to WeasyPrint's own sheet: `::marker` for list items only, no footnote
    or note rules (no report uses them). A new WeasyPrint whose sheet differs, or that adds
    another rule for a pseudo-element of every element, fails here: look at it again."""
    import difflib

    from weasyprint.html import UA

    lean = lean_user_agent_css(UA)
    assert lean is not None
    changed = [
        line
        for line in difflib.unified_diff(UA.splitlines(), lean.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("---", "+++") and line[1:].strip()
    ]
    assert [line.split("{")[0].strip() for line in changed] == [
        "-::marker",
        "+li::marker, summary::marker",
        "-::footnote-call",
        "-::footnote-marker",
        "-::note-call",
        "-::note-marker",
        "-::note-callback",
    ]
    assert not [line for line in lean.splitlines() if line.startswith("::")]
    assert lean_user_agent_css("p { color: red }") is None  # a changed sheet: the stock one


def test_lists_keep_their_markers_and_their_tags():
    template = engines["django"].from_string(
        '<html lang="nl"><head><title>Lijst</title><link rel="stylesheet" href="asset:print.css">'
        "</head><body><ol><li>Een</li><li>Twee</li></ol><ul><li>Drie</li></ul></body></html>"
    )
    from weasyprint import HTML

    html = template.render({})
    rendered = {
        cls: cls(
            string=html, base_url="asset:", url_fetcher=locked_url_fetcher_class()()
        ).write_pdf(pdf_variant="pdf/ua-1")
        for cls in (HTML, html_class())
    }
    for data in rendered.values():
        assert_accessible(data, lang="nl")
        text = pdf_text(data)
        assert "1. " in text and "2. " in text and "• " in text
    assert pdf_text(rendered[HTML]) == pdf_text(rendered[html_class()])


# — pydyf's page references, built once per page count (spiegel.pdf._cache_page_references) —


def test_page_references_are_the_stock_ones_built_once_per_page_count():
    import pydyf

    html_class()
    cached = pydyf.PDF.page_references.fget
    assert getattr(cached, "counts_pages", False), "the stock property is back"
    pdf = pydyf.PDF()
    for count in (1, 2, 3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        references = pdf.page_references
        assert references == cached.stock.fget(pdf) and len(references) == count
        assert pdf.page_references is references  # read again, not built again


def test_every_tag_points_at_the_page_its_content_is_on(tmp_path):
    """The structure tree of a three-page document: each element's page (/Pg) is one of the
    document's pages, and the text of each page is tagged on that page."""
    from pypdf import PdfReader

    text = " ".join(["Een lange zin over het gesprek."] * 900)
    data = render_pdf("reports/floor.html", {"text": text}, language="nl")
    reader = PdfReader(io.BytesIO(data))
    pages = [page.indirect_reference.idnum for page in reader.pages]
    assert len(pages) >= 3
    tagged_on = []

    def walk(element):
        if "/Pg" in element:
            tagged_on.append(element.raw_get("/Pg").idnum)
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"].get_object())
    assert set(tagged_on) == set(pages)
    assert tagged_on == sorted(tagged_on, key=pages.index)  # in reading order, page by page


# — pydyf's streams at zlib's default level (spiegel.pdf._compress_at_the_default_level) —


def test_every_stream_of_a_render_is_compressed_at_zlibs_default_level(monkeypatch):
    import zlib

    from pypdf import PdfReader

    levels = []
    stock = zlib.compressobj

    def recording(level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        levels.append(level)
        return stock(level, *args, **kwargs)

    monkeypatch.setattr(zlib, "compressobj", recording)
    data = render_pdf("reports/floor.html", {"text": "Spiegel"}, language="nl")
    assert levels and set(levels) == {zlib.Z_DEFAULT_COMPRESSION}
    # Still Flate: every stream reads back, and the page says what it said.
    reader = PdfReader(io.BytesIO(data))
    assert "Spiegel" in reader.pages[0].extract_text()
    assert_accessible(data, lang="nl")


def test_the_default_level_zlib_is_zlib_for_everything_else():
    import zlib

    import pydyf

    html_class()
    assert pydyf.zlib.compress is zlib.compress and pydyf.zlib.error is zlib.error
    data = b"BT /F1 8 Tf (Spiegel) Tj ET\n" * 200
    compressor = pydyf.zlib.compressobj(level=9)
    assert zlib.decompress(compressor.compress(data) + compressor.flush()) == data


def test_with_stack_headroom_passes_arguments_results_and_exceptions():
    from spiegel.pdf import HEADROOM_SLOTS, with_stack_headroom

    assert with_stack_headroom(dict, a=1) == {"a": 1}
    assert with_stack_headroom(divmod, 7, 2) == (3, 1)
    with pytest.raises(ZeroDivisionError):
        with_stack_headroom(divmod, 1, 0)
    assert with_stack_headroom.__code__.co_stacksize == HEADROOM_SLOTS


def _minor_faults():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def test_a_render_maps_no_frame_chunks_however_deep_it_is_called():
    """Without the headroom, CPython (before gh-142183's fix) mapped and unmapped a 16 KB chunk
    of frames each time WeasyPrint's layout called across a chunk's edge; where the edges fall
    depends on how deep the render is called from. Each mapping costs a page fault when it is
    first written. Here the render is called from below frames of 16 sizes, 128 slots apart,
    so that the edges fall across a whole chunk's width: a 60-row table took 96–11,824 minor
    faults per render without the headroom (CPython 3.13.0), 97–172 with it."""
    from spiegel.pdf import html_to_pdf, with_stack_headroom

    rows = "".join(
        f"<tr><td>Verbeteractie {i}: terugbellen binnen twee werkdagen</td><td>Gesprek {i}</td>"
        "<td>Sanne Jansen</td><td>1-1-27</td><td>Open</td></tr>"
        for i in range(60)
    )
    html = (
        '<!doctype html><html lang="nl"><head><title>Acties</title>'
        '<link rel="stylesheet" href="asset:print.css"></head><body>'
        '<table class="actions long"><thead><tr><th>Actie</th><th>Gesprek</th>'
        f"<th>Eigenaar</th><th>Klaar op</th><th>Status</th></tr></thead><tbody>{rows}</tbody>"
        "</table></body></html>"
    )

    def render():
        return with_stack_headroom(html_to_pdf, html, locked_url_fetcher_class()())

    def called_below(slots):
        """`render` called from a frame of `slots` more stack slots: a chunk (2,048 slots)
        has its edges elsewhere for each."""

        def frame(call):
            return call()

        frame.__code__ = frame.__code__.replace(co_stacksize=slots)
        return frame(render)

    assert "Verbeteractie 59" in pdf_text(called_below(8))  # also fills the caches
    called_below(8)
    faults = []
    for slots in range(8, 2048, 128):
        before = _minor_faults()
        called_below(slots)
        faults.append(_minor_faults() - before)
    assert max(faults) < 1000, faults
