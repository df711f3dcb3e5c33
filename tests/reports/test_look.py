"""An organisation's own look in its PDFs (issue 12): its colour on the headings and its logo
on the first page of the session report, the letter to the clients and the overview made for
it, checked on pictures of the pages; without a look of its own a document stays Spiegel's."""

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from findings.reports.documents import render_session_document
from participants.models import Organisation, OrganisationLogo
from tests.factories import ReportWorld
from tests.fixtures import login
from tests.pdf_helpers import page_images, weasyprint_log_must_stay_clean

pytestmark = pytest.mark.django_db

BRAND = (0x8B, 0x1A, 0x1A)  # dark red: 8.6:1 on white, as the settings page would accept
LOGO = (0x2E, 0x7D, 0x32)  # a green no report uses


def logo_png():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), LOGO).save(buffer, "PNG")
    return buffer.getvalue()


def pixels_of(path, colour, tolerance=30):
    image = Image.open(path).convert("RGB")
    return sum(
        1
        for pixel in image.get_flattened_data()
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))
    )


def first_page(data, folder):
    folder.mkdir()
    images = len(PdfReader(io.BytesIO(data)).pages[0].images)
    return images, page_images(data, folder, dpi=50)[0]


def test_the_report_the_letter_and_the_overview_wear_the_organisations_look(client, tmp_path):
    w = ReportWorld()
    images, plain = first_page(render_session_document("report", w.session), tmp_path / "plain")
    assert images == 0 and pixels_of(plain, BRAND) == 0

    Organisation.objects.filter(pk=w.org_a.pk).update(brand_color="#8b1a1a")
    OrganisationLogo.objects.create(organisation=w.org_a, content_type="image/png", data=logo_png())
    for slug in ("report", "feedback-letter"):
        with weasyprint_log_must_stay_clean():
            data = render_session_document(slug, w.session)
        images, page = first_page(data, tmp_path / slug)
        assert images == 1, slug
        assert pixels_of(page, LOGO) > 300, slug
        assert pixels_of(page, BRAND) > 100, slug

    login(client, w.coordinator)
    response = client.get("/actions/report.pdf", {"organisation": w.org_a.pk})
    assert response.status_code == 200
    images, page = first_page(response.content, tmp_path / "overview")
    assert images == 1 and pixels_of(page, LOGO) > 300 and pixels_of(page, BRAND) > 100
