"""Who may download which report (DESIGN.md §6, "PDF reports"), the DEBUG-only previews, and
the access log of every download."""

from urllib.parse import urlsplit

import pytest

from participants.constants import AccessAction
from participants.models import AccessLog
from sessions.constants import Status
from sessions.models import Session
from tests.factories import ReportWorld

pytestmark = pytest.mark.django_db

DOCUMENTS = {
    "report": "spiegelgesprek-{pk}-verslag.pdf",
    "listener-info": "spiegelgesprek-{pk}-informatie-toehoorders.pdf",
    "rules-card": "spiegelgesprek-{pk}-spelregels.pdf",
    "feedback-letter": "spiegelgesprek-{pk}-terugkoppelingsbrief.pdf",
}


@pytest.fixture
def matrix_world(db):
    return ReportWorld()


@pytest.mark.parametrize("slug", list(DOCUMENTS))
def test_a_download_is_a_private_pdf_attachment_with_its_name(matrix_world, slug):
    """Who may download which document when: tests/test_permissions.py."""
    w = matrix_world
    response = w.client_for("coordinator").get(f"/sessions/{w.session.pk}/{slug}.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    filename = DOCUMENTS[slug].format(pk=w.session.pk)
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")


@pytest.fixture
def planned(db):
    w = ReportWorld()
    Session.objects.filter(pk=w.session.pk).update(status=Status.PLANNED)
    return w


def test_a_refusal_says_why(planned):
    response = planned.client_for("coordinator").get(f"/sessions/{planned.session.pk}/report.pdf")
    assert "Het verslag is er zodra het gesprek is gehouden." in response.content.decode()


def test_a_listener_who_writes_the_letter_gets_its_pdf(matrix_world):
    """It names nobody; listeners used to get 403 on the letter they wrote (issue 12)."""
    w = matrix_world
    response = w.client_for("listener").get(f"/sessions/{w.session.pk}/feedback-letter.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_a_session_that_does_not_exist_is_404(matrix_world):
    response = matrix_world.client_for("coordinator").get("/sessions/999999/report.pdf")
    assert response.status_code == 404


# — the access log —


@pytest.mark.parametrize("slug", list(DOCUMENTS))
def test_every_download_is_logged_with_who_what_and_which_session(client, slug):
    w = ReportWorld()
    client.force_login(w.coordinator)
    assert client.get(f"/sessions/{w.session.pk}/{slug}.pdf").status_code == 200
    entry = AccessLog.objects.get(action=AccessAction.DOWNLOAD_REPORT)
    assert entry.user == w.coordinator
    assert entry.session == w.session
    assert entry.detail == DOCUMENTS[slug].format(pk=w.session.pk)
    assert entry.at is not None


def test_refused_downloads_are_not_logged_as_downloads(client):
    w = ReportWorld()
    Session.objects.filter(pk=w.session.pk).update(status=Status.PLANNED)
    client.force_login(w.listener)
    assert client.get(f"/sessions/{w.session.pk}/feedback-letter.pdf").status_code == 403
    client.force_login(w.outsider)
    client.get(f"/sessions/{w.session.pk}/report.pdf")
    assert not AccessLog.objects.filter(action=AccessAction.DOWNLOAD_REPORT).exists()


def test_the_actions_overview_download_is_logged_with_its_filters(client):
    w = ReportWorld()
    client.force_login(w.coordinator)
    response = client.get("/actions/report.pdf", {"status": "unfinished"})
    assert response.status_code == 200
    entry = AccessLog.objects.get(action=AccessAction.DOWNLOAD_REPORT)
    assert entry.user == w.coordinator
    assert entry.detail.startswith("actions/report.pdf: 2 acties")
    assert "status=unfinished" in entry.detail


# — the actions overview —


def test_anonymous_users_are_sent_to_the_login_for_the_actions_overview(client):
    response = client.get("/actions/report.pdf")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/accounts/login/"


def test_outsiders_get_an_overview_of_only_their_own_actions(client):
    from tests.pdf_helpers import pdf_text
    from tests.reports.test_actions_report import flat

    w = ReportWorld()
    client.force_login(w.outsider)
    response = client.get("/actions/report.pdf", {"organisation": w.org_a.pk})
    assert response.status_code == 200
    text = flat(pdf_text(response.getvalue()))
    assert flat(w.callback.title) not in text
    assert "Inzichten" not in text


# — DEBUG-only previews —

PREVIEWS = [f"{slug}.html" for slug in DOCUMENTS]


@pytest.mark.parametrize("page", PREVIEWS)
def test_previews_do_not_exist_without_debug(matrix_world, page, settings):
    settings.DEBUG = False
    response = matrix_world.client_for("coordinator").get(
        f"/sessions/{matrix_world.session.pk}/{page}"
    )
    assert response.status_code == 404


def test_the_actions_preview_does_not_exist_without_debug(matrix_world, settings):
    settings.DEBUG = False
    assert matrix_world.client_for("coordinator").get("/actions/report.html").status_code == 404


@pytest.mark.parametrize("page", PREVIEWS)
def test_previews_with_debug_show_the_documents_html(matrix_world, page, settings):
    settings.DEBUG = True
    w = matrix_world
    response = w.client_for("facilitator").get(f"/sessions/{w.session.pk}/{page}")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("<!doctype html>")
    assert "asset:print.css" not in html and "/static/print/fonts/" in html
    assert "'unsafe-inline'" in response["Content-Security-Policy"]


def test_previews_keep_the_access_rules(matrix_world, settings):
    settings.DEBUG = True
    w = matrix_world
    url = f"/sessions/{w.session.pk}/feedback-letter.html"
    assert w.client_for("listener").get(url).status_code == 200
    Session.objects.filter(pk=w.session.pk).update(status=Status.PLANNED)
    assert w.client_for("listener").get(url).status_code == 403
    assert w.client_for("outsider").get(url).status_code == 404


def test_the_actions_preview_with_debug(matrix_world, settings):
    settings.DEBUG = True
    response = matrix_world.client_for("coordinator").get("/actions/report.html")
    assert response.status_code == 200
    assert "Overzicht verbeteracties" in response.content.decode()


def test_only_preview_pages_relax_the_content_security_policy(matrix_world, settings):
    settings.DEBUG = True
    w = matrix_world
    response = w.client_for("coordinator").get(f"/sessions/{w.session.pk}/")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


# — the links on the session page —


def test_the_links_include_offers_each_role_what_it_may_download(matrix_world):
    from django.template.loader import render_to_string

    from sessions.access import get_session_for

    w = matrix_world

    def links(role):
        session = get_session_for(w.user(role), w.session.pk)
        return render_to_string("reports/_links.html", {"session": session})

    coordinator = links("coordinator")
    for slug in DOCUMENTS:
        assert f"/sessions/{w.session.pk}/{slug}.pdf" in coordinator
    listener = links("listener")
    assert "report.pdf" in listener and "listener-info.pdf" in listener
    assert "feedback-letter.pdf" in listener  # it names nobody; the listeners write it
