"""Issue 12 (a6, c2.4): the hand-written staff forms open with the same error summary as the
forms crispy renders (templates/bootstrap5/errors.html): at the top, focusable, each error a
link to a field that exists on the page (js/spiegel.js moves the focus there)."""

import re

import pytest

from sessions.models import Session
from tests.factories import DebriefWorld, World
from tests.fixtures import login

pytestmark = pytest.mark.django_db


def summary_of(page):
    """The summary's links (href, text); it must come before the form's first field."""
    assert page.count("data-error-summary") == 1, "one summary"
    start = page.index("data-error-summary")
    summary = page[start : page.index("</div>", start)]
    assert 'tabindex="-1"' in page[page.rindex("<div", 0, start) : start]
    assert "Er is een probleem: verbeter het volgende" in summary
    links = re.findall(r'<a href="#([^"]+)">([^<]*)</a>', summary)
    for target, _text in links:
        assert f'id="{target}"' in page, f"the link to #{target} leads nowhere"
        assert page.index(f'id="{target}"') > start, "the summary comes first"
    return links


def test_the_letter_text(client):
    w = DebriefWorld()
    login(client, w.listener)
    page = client.post(f"/sessions/{w.session.pk}/feedback/", {"text": ""}).content.decode()
    assert summary_of(page) == [("id_text", "Tekst van de brief: De brief is leeg.")]


def test_the_action_form(client):
    w = DebriefWorld()
    login(client, w.listener)
    page = client.post(
        f"/sessions/{w.session.pk}/debrief/actions/new/", {"title": "Zonder herkomst"}
    ).content.decode()
    targets = dict(summary_of(page))
    assert "id_findings" in targets and "minstens één bevinding" in targets["id_findings"]


def test_the_tables_formset(client):
    w = World(status="planned")
    login(client, w.facilitator)
    data = {"tables-TOTAL_FORMS": "1", "tables-INITIAL_FORMS": "0", "tables-0-name": "Keuken"}
    page = client.post(f"/sessions/{w.session.pk}/tables/", data).content.decode()
    summary_of(page)
    start = page.index("data-error-summary")
    assert "Kies een tafelleider of een ambassadeur" in page[start : page.index("</div>", start)]
    assert Session.objects.get(pk=w.session.pk).tables.count() == 0


def test_the_action_filters(client):
    w = DebriefWorld()
    login(client, w.coordinator)
    page = client.get("/actions/?due_before=gisteren&status=zoek").content.decode()
    targets = dict(summary_of(page))
    assert set(targets) == {"id_due_before", "id_status"}
    assert "niet geldig en worden niet gebruikt" in page
