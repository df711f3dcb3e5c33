import pytest
from django.template import engines

from spiegel.pdf import locked_url_fetcher_class, render_pdf
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
