"""`/actions/report.pdf`: exactly the actions `/actions/` shows, with the insights for
coordinators, safe, accessible and built in a constant number of queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from findings.filters import ActionFilter
from findings.models import ImprovementAction, Theme
from findings.reports.documents import (
    actions_report_context,
    actions_report_request,
    render_actions_report,
)
from findings.services.insights import year_before
from participants.models import PanelMemberContact
from spiegel.pdf import locked_url_fetcher_class
from tests.pdf_helpers import (
    assert_accessible,
    assert_pages_not_blank,
    pdf_text,
    weasyprint_log_must_stay_clean,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shared_action_world(shared_action_world, django_db_blocker):
    """The module's ActionWorld (built once) with twelve more actions."""
    world = shared_action_world
    with django_db_blocker.unblock():
        world.more_actions(12)
        # Unique titles, none a part of another, so the PDF's text tells the actions apart.
        ImprovementAction.objects.filter(pk=world.action.pk).update(
            title="Eerste actie: terugbellen"
        )
        world.action.refresh_from_db()
    return world


@pytest.fixture
def w(action_world):
    return action_world


def flat(text):
    return "".join(text.split())


def listed_ids(client, params):
    """What the list shows, every page of it."""
    ids, page = [], 1
    while True:
        html = client.get("/actions/", {**params, "page": page}).content.decode()
        found = [int(pk) for pk in re.findall(r'<a href="/actions/(\d+)/">', html)]
        ids += found
        if f"page={page + 1}" not in html:
            return ids
        page += 1


def pdf_titles(data, actions):
    """The actions whose (unique) titles appear in the PDF, in the order they appear."""
    text = flat(pdf_text(data))
    positions = {a.pk: text.find(flat(a.title)) for a in actions}
    return [pk for pk, at in sorted(positions.items(), key=lambda kv: kv[1]) if at >= 0]


FILTERS = [
    {},
    {"status": "unfinished", "sort": "priority"},
    {"overdue": "on"},
    {"status": "done", "sort": "-due"},
    {"owner": "OWNER", "sort": "owner"},
    {"organisation": "ORG", "sort": "status"},
    {"due_before": "2099-01-01", "sort": "session", "nonsense": "x"},
]


@pytest.mark.parametrize("params", FILTERS)
def test_the_report_holds_exactly_the_actions_the_list_shows_in_the_same_order(client, w, params):
    params = {
        k: {"OWNER": str(w.owner.pk), "ORG": str(w.org_a.pk)}.get(v, v) for k, v in params.items()
    }
    client.force_login(w.coordinator)
    listed = listed_ids(client, params)
    with weasyprint_log_must_stay_clean():
        response = client.get("/actions/report.pdf", params)
    assert response.status_code == 200
    data = response.getvalue()
    every = list(ImprovementAction.objects.all())
    assert pdf_titles(data, every) == listed
    assert_accessible(data)


def test_the_report_answers_as_a_download_that_is_not_cached(client, w):
    client.force_login(w.coordinator)
    response = client.get("/actions/report.pdf")
    today = timezone.localdate()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="verbeteracties-{today:%Y-%m-%d}.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"


def test_a_coordinator_gets_the_insights_of_the_chosen_organisation(client, w):
    ImprovementAction.objects.filter(pk=w.action.pk).update(due_date=dt.date(2026, 11, 3))
    client.force_login(w.coordinator)
    with weasyprint_log_must_stay_clean():
        response = client.get("/actions/report.pdf", {"organisation": w.org_a.pk})
    text = flat(pdf_text(response.getvalue()))
    for expected in [
        "Gemeente Alfa",
        "Inzichten Gemeente Alfa",
        "Thema's die terugkomen",
        "Per thema:",
        "Positief en verbeterpunten per thema",
        "Verbeteracties per status.",
        "Bereikbaarheid",
        "Filters en volgorde",
        "Organisatie:GemeenteAlfa",
        # The table's date, the month the Dutch way: not "3 Nov 2026" nor "03-11-2026".
        "3nov.2026",
    ]:
        assert flat(expected) in text, expected
    assert "03-11-2026" not in text


def test_someone_who_coordinates_nothing_gets_the_list_without_insights(client, w):
    client.force_login(w.listener)
    response = client.get("/actions/report.pdf", {"organisation": w.org_a.pk})
    text = flat(pdf_text(response.getvalue()))
    assert "Inzichten" not in text
    assert "GemeenteAlfa" in text  # the filter itself is shown
    assert flat(w.action.title) in text


def test_the_charts_are_inline_svg_that_fetches_nothing(w):
    request = actions_report_request(w.coordinator, QueryDict(f"organisation={w.org_a.pk}"))
    context = request.context(language="nl")
    assert context["insights"] is not None
    for svg in context["insights"].print_charts.values():
        assert svg.startswith("<svg") and "Source Sans 3" in svg
        assert "href" not in svg and "url(" not in svg
    fetcher = locked_url_fetcher_class()()
    with weasyprint_log_must_stay_clean():
        render_actions_report(context, language="nl", fetcher=fetcher)
    assert fetcher.refused == []
    assert all(url == "data:" or url.startswith("asset:") for url in fetcher.served)


HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    "http://127.0.0.1:9/x.png",
    "</style><style>td{background:url(http://127.0.0.1:9/y.png)}</style>",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_titles_and_theme_names_are_text(w, payload):
    ImprovementAction.objects.filter(pk=w.action.pk).update(title=payload)
    Theme.objects.filter(pk=w.theme.pk).update(name=payload)
    w.session.title = payload
    w.session.save(update_fields=["title"])
    request = actions_report_request(w.coordinator, QueryDict(f"organisation={w.org_a.pk}"))
    fetcher = locked_url_fetcher_class()()
    with weasyprint_log_must_stay_clean():
        data = render_actions_report(request.context(language="nl"), language="nl", fetcher=fetcher)
    assert fetcher.refused == []
    assert flat(payload) in flat(pdf_text(data))


def test_no_client_name_reaches_the_actions_report(client, w):
    names = list(PanelMemberContact.objects.values_list("name", flat=True))
    assert names
    client.force_login(w.coordinator)
    text = pdf_text(client.get("/actions/report.pdf", {"organisation": w.org_a.pk}).getvalue())
    assert not [name for name in names if name in text]


def test_every_page_renders_and_is_tagged(client, w, tmp_path):
    client.force_login(w.coordinator)
    with weasyprint_log_must_stay_clean():
        data = client.get("/actions/report.pdf", {"organisation": w.org_a.pk}).getvalue()
    assert_accessible(data)
    assert_pages_not_blank(data, tmp_path)


def test_an_empty_selection_says_so(client, w):
    client.force_login(w.outsider)
    data = client.get("/actions/report.pdf").getvalue()
    text = flat(pdf_text(data))
    assert flat("Geen verbeteracties die aan deze filters voldoen.") in text
    assert flat(w.action.title) not in text


def test_bad_filter_values_are_ignored_not_a_500(client, w):
    client.force_login(w.coordinator)
    response = client.get(
        "/actions/report.pdf",
        {"organisation": "abc", "due_before": "31-02-2026", "sort": "x'--", "start": "nope"},
    )
    assert response.status_code == 200


def test_english_users_get_an_english_overview(client, w):
    client.force_login(w.coordinator)
    client.cookies["django_language"] = "en"
    data = client.get("/actions/report.pdf").getvalue()
    assert_accessible(data, lang="en")
    assert "Page1of" in flat(pdf_text(data))


def test_the_overview_is_built_in_a_constant_number_of_queries(w):
    """The table (one query) and, with an organisation and period, the insights (three)."""
    counts = []
    today = timezone.localdate()
    for extra in (0, 30):
        w.more_actions(extra, start=100)
        actions = ActionFilter(w.coordinator, QueryDict("")).queryset()
        with CaptureQueriesContext(connection) as queries:
            context = actions_report_context(
                actions, organisation=w.org_a, period=(year_before(today), today)
            )
            str(context["insights"].print_charts)
        counts.append((len(queries), context["total"]))
    assert counts[0][0] == counts[1][0], counts
    assert counts[1][1] == counts[0][1] + 30
