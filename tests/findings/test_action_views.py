"""The action pages: who may do what, the list's filters and sorting, the detail page with its
progress log, editing, hostile input and constant query counts."""

import datetime as dt
import re
from html import escape
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from findings.models import ActionUpdate, ImprovementAction, Theme
from participants.constants import Role
from tests.factories import (
    FindingFactory,
    ImprovementActionFactory,
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EDITORS = ["owner", "co_owner", "listener", "coordinator"]
READERS = ["facilitator"]
STRANGERS = ["professional", "outsider"]
ROLES = EDITORS + READERS + STRANGERS + ["anonymous"]

SCRIPT = "<script>alert(1)</script>"
LONG = "x" * 10_000
EMOJI = "🙂👩🏽‍⚕️"
RTL = "مرحبا"
NUL = "a\x00b"
HUGE = "99999999999999999999"
NUL_ERROR = "Null-tekens zijn niet toegestaan."
INVALID_CHOICE = "Selecteer een geldige keuze."
BAD_DATE = "Voer een geldige datum in."


@pytest.fixture
def w(action_world):
    return action_world


def as_role(client, w, role):
    if role != "anonymous":
        client.force_login(getattr(w, role))
    return client


def today():
    return timezone.localdate()


def progress(**changes):
    return {
        "text": "Eerste belronde gedaan.",
        "status": "in_progress",
        "closing_note": "",
        **changes,
    }


def edit_data(w, **changes):
    data = {
        "title": "Terugbelbelofte nakomen",
        "description": "Binnen twee werkdagen terugbellen.",
        "owner": str(w.owner.pk),
        "co_owners": [str(w.co_owner.pk)],
        "due_date": (today() + dt.timedelta(days=14)).isoformat(),
        "priority": "high",
        "client_sentence": "U wordt binnen twee werkdagen teruggebeld.",
    }
    return {**data, **changes}


def is_login_redirect(response):
    return response.status_code == 302 and urlsplit(response.url).path == "/accounts/login/"


# — access —


EXPECTED_EDIT = {**dict.fromkeys(EDITORS, 200), "facilitator": 403}


@pytest.mark.parametrize("role", EDITORS + READERS)
def test_who_may_open_an_action(client, w, role):
    """Strangers' and anonymous answers: tests/test_permissions.py."""
    response = as_role(client, w, role).get(f"/actions/{w.action.pk}/")
    assert response.status_code == 200
    if response.status_code == 200:
        page = response.content.decode()
        assert w.action.title in page
        assert w.finding.text in page
        assert "Deelnemer A" in page
        # Only those who may edit get the forms.
        assert ('id="progress-form"' in page) == (role in EDITORS)
        assert (f"/actions/{w.action.pk}/edit/" in page) == (role in EDITORS)


@pytest.mark.parametrize("role", EDITORS + READERS)
def test_who_may_record_progress(client, w, role):
    response = as_role(client, w, role).post(f"/actions/{w.action.pk}/", progress())
    w.action.refresh_from_db()
    if role == "anonymous":
        assert is_login_redirect(response)
    elif role in EDITORS:
        assert response.status_code == 302
        assert response.url == f"/actions/{w.action.pk}/"
        assert w.action.status == "in_progress"
        update = w.action.updates.latest("pk")
        assert (update.author, update.old_status, update.new_status) == (
            getattr(w, role),
            "open",
            "in_progress",
        )
        return
    else:
        assert response.status_code == EXPECTED_EDIT[role]
    assert w.action.status == "open"
    assert w.action.updates.count() == 1


@pytest.mark.parametrize("role", EDITORS + READERS)
def test_who_may_edit_an_action(client, w, role):
    as_role(client, w, role)
    response = client.get(f"/actions/{w.action.pk}/edit/")
    posted = client.post(f"/actions/{w.action.pk}/edit/", edit_data(w, title="Nieuwe titel"))
    w.action.refresh_from_db()
    if role == "anonymous":
        assert is_login_redirect(response) and is_login_redirect(posted)
    elif role in EDITORS:
        assert response.status_code == 200
        assert posted.status_code == 302
        assert w.action.title == "Nieuwe titel"
        return
    else:
        assert response.status_code == posted.status_code == EXPECTED_EDIT[role]
    assert w.action.title != "Nieuwe titel"


@pytest.mark.parametrize("role", ROLES)
def test_the_list_and_the_exports_hold_only_what_the_user_may_see(client, w, role):
    other = SessionFactory(organisations=[OrganisationFactory(name="Gemeente Gamma")])
    hidden = ImprovementActionFactory(
        session=other,
        by=other.facilitator,
        owner=other.facilitator,
        findings=[FindingFactory(session=other, text="Geheim van Gamma.")],
        title="Actie van Gamma",
    )
    as_role(client, w, role)
    for path in ("/actions/", "/actions/export.csv", "/actions/export.xlsx"):
        response = client.get(path)
        if role == "anonymous":
            assert is_login_redirect(response)
            continue
        assert response.status_code == 200
        if path.endswith("xlsx"):
            continue  # its rows are checked in test_exports
        content = response.getvalue().decode("utf-8-sig")
        assert (w.action.title in content) == (role not in STRANGERS)
        assert hidden.title not in content


@pytest.mark.parametrize("role", ROLES)
def test_insights_are_for_coordinators_of_the_organisation(client, w, role):
    response = as_role(client, w, role).get("/actions/insights/")
    if role == "anonymous":
        assert is_login_redirect(response)
        return
    assert response.status_code == 200
    page = response.content.decode()
    if role == "coordinator":
        assert "Gemeente Alfa" in page and 'role="img"' in page
    elif role == "outsider":  # coordinates organisation B: sees B, never A
        assert "Gemeente Beta" in page and "Gemeente Alfa" not in page
    else:
        assert "U bent bij geen enkele organisatie coördinator." in page


def test_a_coordinator_cannot_ask_for_insights_of_another_organisation(client, w):
    client.force_login(w.outsider)
    response = client.get(f"/actions/insights/?organisation={w.org_a.pk}")
    page = response.content.decode()
    assert response.status_code == 200
    assert INVALID_CHOICE in page
    assert "Gemeente Alfa" not in page
    assert 'role="img"' not in page


def test_the_navigation_has_the_actions(client, w):
    client.force_login(w.listener)
    page = client.get("/actions/").content.decode()
    assert 'aria-current="page" href="/actions/">Verbeteracties</a>' in page


def test_a_row_of_the_list_shows_the_action_its_people_and_its_state(client, w):
    """The row is built from values (findings.views.actions._rows), not from the action."""
    w.action.co_owners.add(w.listener)  # beside Cor Mede: named in the users' order
    ImprovementAction.objects.filter(pk=w.action.pk).update(
        status="in_progress", priority="high", due_date=today() - dt.timedelta(days=2)
    )
    client.force_login(w.coordinator)
    page = client.get("/actions/").content.decode()
    row = page[page.index(f'<a href="/actions/{w.action.pk}/">') :]
    row = row[: row.index("</tr>")]
    for text in (
        escape(w.action.title),
        escape(w.session.title),
        escape(w.org_a.name),
        "Olga Eigenaar",
        f"met Cor Mede, {escape(str(w.listener))}",
        date_format(today() - dt.timedelta(days=2), "SHORT_DATE_FORMAT"),
        "Bezig",
        "Te laat",
        "Hoog",
    ):
        assert text in row, text


# — the detail page and the progress log —


def test_the_detail_shows_everything_about_the_action(client, w):
    client.force_login(w.owner)
    page = client.get(f"/actions/{w.action.pk}/").content.decode()
    for text in (
        w.action.title,
        w.action.description,
        w.action.client_sentence,
        "Olga Eigenaar",
        "Cor Mede",
        "Verbeterpunt",
        "Bereikbaarheid",
        "Actie aangemaakt.",
        "Status: Open",
    ):
        assert escape(text) in page, text
    # The owner did not listen in: the session is named, not linked.
    assert f'href="/sessions/{w.session.pk}/"' not in page
    client.force_login(w.listener)
    assert (
        f'href="/sessions/{w.session.pk}/"'
        in client.get(f"/actions/{w.action.pk}/").content.decode()
    )


def test_done_needs_a_closing_note_and_is_logged(client, w):
    client.force_login(w.owner)
    url = f"/actions/{w.action.pk}/"
    response = client.post(url, progress(status="done", text="Alle terugbelverzoeken gedaan."))
    assert response.status_code == 200
    assert "Schrijf bij afronden of laten vallen een afsluitende toelichting." in (
        response.content.decode()
    )
    w.action.refresh_from_db()
    assert w.action.status == "open"

    response = client.post(
        url, progress(status="done", closing_note="Terugbellen binnen twee dagen is nu de norm.")
    )
    assert response.status_code == 302
    w.action.refresh_from_db()
    assert w.action.status == "done" and w.action.closed_at
    assert w.action.closing_note == "Terugbellen binnen twee dagen is nu de norm."
    page = client.get(url).content.decode()
    assert "De voortgang is vastgelegd." in page
    assert "Status: Open → Gedaan" in page
    assert "Eerste belronde gedaan." in page


def test_nothing_to_record_is_refused_in_dutch(client, w):
    client.force_login(w.owner)
    response = client.post(f"/actions/{w.action.pk}/", progress(text="  ", status="open"))
    assert response.status_code == 200
    assert "Schrijf wat er is gebeurd, of kies een nieuwe status." in response.content.decode()
    assert w.action.updates.count() == 1


def test_a_closed_action_can_be_reopened(client, w):
    client.force_login(w.listener)
    url = f"/actions/{w.action.pk}/"
    client.post(url, progress(status="dropped", closing_note="Past niet meer in het beleid."))
    client.post(url, progress(status="open", text="Toch weer opgepakt.", closing_note=""))
    w.action.refresh_from_db()
    assert w.action.status == "open" and w.action.closed_at is None


def test_an_overdue_action_says_so_in_words(client, w):
    ImprovementAction.objects.filter(pk=w.action.pk).update(due_date=today() - dt.timedelta(days=3))
    client.force_login(w.owner)
    assert "(3 dagen te laat)" in client.get(f"/actions/{w.action.pk}/").content.decode()
    page = client.get("/actions/").content.decode()
    assert ">Te laat</span>" in page


# — editing —


def test_editing_changes_the_action_and_logs_what_changed(client, w):
    client.force_login(w.coordinator)
    new_owner = w.listener
    response = client.post(
        f"/actions/{w.action.pk}/edit/",
        edit_data(w, owner=str(new_owner.pk), co_owners=[str(w.owner.pk)], priority="high"),
    )
    assert response.status_code == 302
    w.action.refresh_from_db()
    assert w.action.owner == new_owner
    assert list(w.action.co_owners.all()) == [w.owner]
    assert w.action.priority == "high"
    update = w.action.updates.latest("pk")
    assert update.author == w.coordinator
    assert "eigenaar: Olga Eigenaar → Voornaam" in update.text
    assert "mede-eigenaren" in update.text
    assert "prioriteit: Normaal → Hoog" in update.text


def test_saving_unchanged_logs_nothing(client, w):
    client.force_login(w.owner)
    action = w.action
    data = edit_data(
        w,
        title=action.title,
        description=action.description,
        due_date=action.due_date.isoformat(),
        priority=action.priority,
        client_sentence=action.client_sentence,
    )
    assert client.post(f"/actions/{action.pk}/edit/", data).status_code == 302
    assert action.updates.count() == 1


def test_the_owner_is_not_also_a_co_owner(client, w):
    client.force_login(w.owner)
    data = edit_data(w, co_owners=[str(w.owner.pk), str(w.co_owner.pk)])
    assert client.post(f"/actions/{w.action.pk}/edit/", data).status_code == 302
    assert list(w.action.co_owners.all()) == [w.co_owner]


def test_a_new_due_date_may_not_lie_in_the_past(client, w):
    client.force_login(w.owner)
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    response = client.post(f"/actions/{w.action.pk}/edit/", edit_data(w, due_date=yesterday))
    assert response.status_code == 200
    assert "Kies een datum vanaf vandaag." in response.content.decode()
    w.action.refresh_from_db()
    assert w.action.due_date > today()


def test_an_overdue_date_may_stay_when_other_fields_change(client, w):
    overdue = today() - dt.timedelta(days=5)
    ImprovementAction.objects.filter(pk=w.action.pk).update(due_date=overdue)
    client.force_login(w.owner)
    response = client.post(
        f"/actions/{w.action.pk}/edit/",
        edit_data(w, due_date=overdue.isoformat(), title="Terugbellen, nu echt"),
    )
    assert response.status_code == 302
    w.action.refresh_from_db()
    assert (w.action.title, w.action.due_date) == ("Terugbellen, nu echt", overdue)


def test_only_people_of_the_session_can_own_an_action(client, w):
    stranger = UserFactory(username="vreemde")
    MembershipFactory(user=stranger, organisation=w.org_b, role=Role.PROFESSIONAL)
    client.force_login(w.owner)
    page = client.get(f"/actions/{w.action.pk}/edit/").content.decode()
    assert str(stranger) not in page
    for data in (edit_data(w, owner=str(stranger.pk)), edit_data(w, co_owners=[str(stranger.pk)])):
        response = client.post(f"/actions/{w.action.pk}/edit/", data)
        assert response.status_code == 200
        assert INVALID_CHOICE in response.content.decode()
    w.action.refresh_from_db()
    assert w.action.owner == w.owner


# — hostile input in every field —


TEXT_FIELDS = [
    # (form, field, limit)
    ("progress", "text", 4000),
    ("progress", "closing_note", 4000),
    ("edit", "title", 200),
    ("edit", "description", 4000),
    ("edit", "client_sentence", 500),
]


def post_field(client, w, form, field, value):
    if form == "progress":
        data = progress(**{field: value, "status": "done" if field == "closing_note" else "open"})
        return client.post(f"/actions/{w.action.pk}/", data)
    return client.post(f"/actions/{w.action.pk}/edit/", edit_data(w, **{field: value}))


def stored(w, form, field):
    w.action.refresh_from_db()
    if form == "progress" and field == "text":
        return ActionUpdate.objects.filter(action=w.action).latest("pk").text
    return getattr(w.action, field)


@pytest.mark.parametrize(("form", "field", "limit"), TEXT_FIELDS)
@pytest.mark.parametrize("value", [SCRIPT, EMOJI, RTL, f'=HYPERLINK("x") {RTL} {EMOJI}'])
def test_any_text_is_saved_exactly_and_shown_escaped(client, w, form, field, limit, value):
    client.force_login(w.owner)
    response = post_field(client, w, form, field, value)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert stored(w, form, field) == value
    page = client.get(f"/actions/{w.action.pk}/").content.decode()
    assert escape(value) in page
    assert SCRIPT not in page


@pytest.mark.parametrize(("form", "field", "limit"), TEXT_FIELDS)
@pytest.mark.parametrize("value", [LONG, NUL])
def test_too_long_text_and_nul_bytes_are_refused_in_dutch(client, w, form, field, limit, value):
    client.force_login(w.owner)
    before = (w.action.updates.count(), stored(w, form, field))
    response = post_field(client, w, form, field, value)
    assert response.status_code == 200
    page = response.content.decode()
    if value == NUL:
        assert NUL_ERROR in page
    else:
        assert f"Zorg dat deze waarde niet meer dan {limit} tekens bevat" in page
    assert (w.action.updates.count(), stored(w, form, field)) == before


BOGUS = [
    ("progress", {"status": "gesloten"}, INVALID_CHOICE),
    ("progress", {"status": HUGE}, INVALID_CHOICE),
    ("edit", {"owner": HUGE}, INVALID_CHOICE),
    ("edit", {"owner": "-1"}, INVALID_CHOICE),
    ("edit", {"owner": "abc"}, INVALID_CHOICE),
    ("edit", {"owner": ""}, "Dit veld is verplicht."),
    ("edit", {"co_owners": [HUGE]}, INVALID_CHOICE),
    ("edit", {"co_owners": ["<b>"]}, "is geen geldige waarde"),
    ("edit", {"priority": "urgent"}, INVALID_CHOICE),
    ("edit", {"due_date": "31-02-2026"}, BAD_DATE),
    ("edit", {"due_date": "0001-01-01"}, "Kies een datum tussen 2000 en 2100."),
    ("edit", {"due_date": "9999-12-31"}, "Kies een datum tussen 2000 en 2100."),
    ("edit", {"due_date": SCRIPT}, BAD_DATE),
    ("edit", {"title": ""}, "Dit veld is verplicht."),
]


@pytest.mark.parametrize(("form", "changes", "message"), BOGUS)
def test_bogus_values_are_refused_in_dutch(client, w, form, changes, message):
    client.force_login(w.owner)
    if form == "progress":
        response = client.post(f"/actions/{w.action.pk}/", progress(**changes))
    else:
        response = client.post(f"/actions/{w.action.pk}/edit/", edit_data(w, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    w.action.refresh_from_db()
    assert (w.action.status, w.action.owner, w.action.updates.count()) == ("open", w.owner, 1)


HOSTILE_VALUES = [SCRIPT, HUGE, "-1", "0", "abc", NUL, "9" * 400, "'; DROP TABLE x; --", EMOJI]
LIST_PARAMS = ["organisation", "session", "theme", "owner", "status", "overdue", "due_before",
               "sort", "page"]  # fmt: skip


@pytest.mark.parametrize("param", LIST_PARAMS)
@pytest.mark.parametrize("path", ["/actions/", "/actions/export.csv", "/actions/export.xlsx"])
def test_hostile_query_parameters_never_answer_500(client, w, param, path):
    client.force_login(w.coordinator)
    for value in HOSTILE_VALUES:
        response = client.get(path, {param: value})
        assert response.status_code == 200, (param, value)
        if path == "/actions/":
            page = response.content.decode()
            assert SCRIPT not in page


def test_a_bogus_filter_is_reported_in_dutch_and_the_others_still_apply(client, w):
    w.more_actions(4)
    client.force_login(w.coordinator)
    response = client.get("/actions/", {"organisation": HUGE, "status": "done"})
    page = response.content.decode()
    assert "Een of meer filters zijn niet geldig" in page
    assert INVALID_CHOICE in page
    assert "1 verbeteractie die aan de filters voldoen" in page


@pytest.mark.parametrize("param", ["organisation", "start", "end"])
def test_hostile_insights_parameters_never_answer_500(client, w, param):
    client.force_login(w.coordinator)
    for value in [*HOSTILE_VALUES, "2026-02-30", "0001-01-01"]:
        response = client.get("/actions/insights/", {param: value})
        assert response.status_code == 200, (param, value)
        assert SCRIPT not in response.content.decode()


def test_an_inverted_period_is_refused_in_dutch(client, w):
    client.force_login(w.coordinator)
    response = client.get("/actions/insights/", {"start": "2026-05-01", "end": "2026-01-01"})
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [f"/actions/{HUGE}/", f"/actions/{HUGE}/edit/", "/actions/0/", "/actions/0/edit/"],
)
def test_huge_ids_in_addresses_answer_404(client, w, path):
    client.force_login(w.coordinator)
    assert client.get(path).status_code == 404
    assert client.post(path, progress()).status_code == 404


# — filters and sorting —


def listed(client, **params):
    """The action titles on the list page, in order."""
    page = client.get("/actions/", params).content.decode()
    import re

    return [escape_back(t) for t in re.findall(r'<a href="/actions/\d+/">([^<]*)</a>', page)]


def escape_back(text):
    from html import unescape

    return unescape(text)


@pytest.fixture
def many(w):
    """Two organisations' actions that every filter can tell apart."""
    w.more_actions(8)
    gamma = OrganisationFactory(name="Gemeente Gamma")
    MembershipFactory(user=w.coordinator, organisation=gamma, role=Role.COORDINATOR)
    session = SessionFactory(
        title="Spiegelgesprek jeugdhulp", facilitator=w.facilitator, organisations=[gamma]
    )
    theme = Theme.objects.create(organisation=gamma, name="Wachttijden")
    w.gamma_action = ImprovementActionFactory(
        session=session,
        by=w.coordinator,
        owner=w.coordinator,
        findings=[
            FindingFactory(session=session, text="Acht maanden wachten op jeugdhulp.", theme=theme)
        ],
        title="Wachtlijst jeugdhulp wekelijks bellen",
        due_in=-2,
        priority="high",
    )
    w.gamma, w.gamma_session, w.gamma_theme = gamma, session, theme
    return w


def test_filters_narrow_the_list(client, many):
    w = many
    client.force_login(w.coordinator)
    everything = listed(client)
    assert len(everything) == 10
    assert listed(client, organisation=w.gamma.pk) == [w.gamma_action.title]
    assert listed(client, session=w.gamma_session.pk) == [w.gamma_action.title]
    assert listed(client, theme=w.gamma_theme.pk) == [w.gamma_action.title]
    assert w.gamma_action.title not in listed(client, theme=w.theme.pk)
    # Owner means owner or co-owner.
    mine = ImprovementAction.objects.owned_by(w.co_owner)
    assert sorted(listed(client, owner=w.co_owner.pk)) == sorted(a.title for a in mine)
    done = ImprovementAction.objects.filter(status="done")
    assert sorted(listed(client, status="done")) == sorted(a.title for a in done)
    unfinished = ImprovementAction.objects.open()
    assert sorted(listed(client, status="unfinished")) == sorted(a.title for a in unfinished)
    overdue = ImprovementAction.objects.overdue()
    assert sorted(listed(client, overdue="on")) == sorted(a.title for a in overdue)
    assert overdue.count() >= 2
    before = today() + dt.timedelta(days=10)
    due = ImprovementAction.objects.filter(due_date__lt=before)
    assert sorted(listed(client, due_before=before.isoformat())) == sorted(a.title for a in due)
    assert listed(client, organisation=w.gamma.pk, status="done") == []


def test_session_and_owner_are_searched_by_text_without_javascript(client, many):
    w = many
    client.force_login(w.coordinator)
    assert listed(client, session_search="jeugdHULP") == [w.gamma_action.title]
    assert listed(client, session_search="geen gesprek heet zo") == []
    mine = ImprovementAction.objects.owned_by(w.co_owner)
    assert sorted(listed(client, owner_search="cor mede")) == sorted(a.title for a in mine)
    # The page shows the text field, not a list of every session or person.
    page = client.get("/actions/").content.decode()
    assert 'name="session_search"' in page and 'name="owner_search"' in page
    assert '<select name="session"' not in page and '<select name="owner"' not in page


def test_a_chosen_session_or_owner_is_named_and_can_be_cleared(client, many):
    w = many
    client.force_login(w.coordinator)
    page = client.get("/actions/", {"session": w.gamma_session.pk, "status": "open"}).text
    assert "Gekozen:" in page and "Spiegelgesprek jeugdhulp" in page
    assert 'href="?status=open"' in page
    page = client.get("/actions/", {"owner": w.coordinator.pk}).text
    assert "<strong>Ikzelf</strong>" in page


def test_a_session_the_user_may_not_see_is_not_found(client, many):
    w = many
    client.force_login(w.outsider if hasattr(w, "outsider") else UserFactory())
    page = client.get("/actions/", {"session": w.gamma_session.pk}).text
    assert "Dit gesprek is niet gevonden." in page
    assert "Spiegelgesprek jeugdhulp" not in page


def test_suggestions_hold_at_most_twenty_of_what_the_user_may_see(client, many):
    w = many
    for i in range(25):
        SessionFactory(title=f"Spiegelgesprek wijkteam {i}", facilitator=w.facilitator,
                       organisations=[w.gamma])  # fmt: skip
    SessionFactory(title="Spiegelgesprek wijkteam elders", organisations=[OrganisationFactory()])
    client.force_login(w.coordinator)
    answer = client.get("/actions/suggest/sessions/", {"session_search": "wijkteam"}).text
    assert answer.count('name="session"') == 20
    assert "elders" not in answer
    answer = client.get("/actions/suggest/sessions/", {"session_search": "jeugdhulp"}).text
    assert f'value="{w.gamma_session.pk}"' in answer
    assert client.get("/actions/suggest/sessions/", {"session_search": ""}).text.strip() == ""
    stranger = UserFactory(first_name="Olga", last_name="Vreemd")  # owns nothing visible
    answer = client.get("/actions/suggest/owners/", {"owner_search": "olga"}).text
    assert f'name="owner" value="{w.owner.pk}"' in answer
    assert f'value="{stranger.pk}"' not in answer


def test_sorting_orders_the_list(client, many):
    client.force_login(many.coordinator)
    actions = list(ImprovementAction.objects.all())
    by_due = sorted(actions, key=lambda a: (a.due_date, a.pk))
    assert listed(client, sort="due") == [a.title for a in by_due]
    assert listed(client) == [a.title for a in by_due]
    assert listed(client, sort="-due") == [a.title for a in reversed(by_due)]
    rank = {"open": 0, "in_progress": 1, "done": 2, "dropped": 3}
    by_status = sorted(actions, key=lambda a: (rank[a.status], a.due_date, a.pk))
    assert listed(client, sort="status") == [a.title for a in by_status]
    prio = {"high": 0, "normal": 1, "low": 2}
    by_priority = sorted(actions, key=lambda a: (prio[a.priority], a.due_date, a.pk))
    assert listed(client, sort="priority") == [a.title for a in by_priority]
    by_owner = listed(client, sort="owner")
    owners = [ImprovementAction.objects.get(title=t).owner.first_name for t in by_owner]
    assert owners == sorted(owners)
    by_session = listed(client, sort="session")
    assert by_session[0] == many.gamma_action.title  # the newest session first


def test_the_list_pages_by_25_and_keeps_the_filters(client, w):
    # Keyset pages (spiegel/pagination.py): "next" continues after the last action shown,
    # "previous" before the first; no page numbers, no total beyond the capped count.
    w.more_actions(30)
    client.force_login(w.coordinator)
    page = client.get("/actions/", {"sort": "-due"}).content.decode()
    first = listed(client, sort="-due")
    assert len(first) == 25
    last = ImprovementAction.objects.get(title=first[-1])
    assert f"?sort=-due&amp;after={last.pk}" in page
    assert "Vorige" not in page
    second = listed(client, sort="-due", after=last.pk)
    assert len(second) == 6
    assert not set(second) & set(first)
    assert 'href="/actions/export.csv?sort=-due"' in page
    earliest = ImprovementAction.objects.get(title=second[0])
    assert listed(client, sort="-due", before=earliest.pk) == first
    # Every order pages without overlap or gap, also through ties and NULL dates.
    for sort in ["due", "status", "priority", "session", "owner"]:
        seen, after = [], None
        while True:
            params = {"sort": sort} | ({"after": after} if after else {})
            titles = listed(client, **params)
            seen += titles
            if len(titles) < 25:
                break
            after = ImprovementAction.objects.get(title=titles[-1]).pk
        assert seen == listed_all(client, sort), sort


def listed_all(client, sort):
    from findings.filters import ActionFilter

    user = client.session["_auth_user_id"]
    from participants.models import User

    return [a.title for a in ActionFilter(User.objects.get(pk=user), {"sort": sort}).queryset()]


# — query counts —


# Two queries for every request (django_session, the user), then the filter's choices: the
# organisations the user is involved in and their themes (2; sessions and owners are searched,
# not listed); the page of actions (with session, owning organisation and owner joined, LIMIT
# 26) and their co-owners (prefetch); the count, capped at 1,000 (a COUNT over a LIMIT
# subquery, where the paginator counted everything); and whether the user coordinates
# anything (the insights link). Was 11 with four full choice lists and the paginator's COUNT,
# 9 while a row showed all its session's organisations (a prefetch) instead of its owner's.
# Plus, first, the user's own session and co-owned action ids (`findings.models._INVOLVED`):
# for a user involved in few, the actions are filtered by those (8 before).
# The organisations are kept by the worker for a minute (findings.filters.filter_organisations),
# so only a worker's first view of the list in that minute asks for them.
LIST_QUERIES = 8
FIRST_LIST_QUERIES = LIST_QUERIES + 1
# A later page reads its cursor's sort values first; a chosen session or owner is checked (and
# named) by one query each.
LATER_PAGE_QUERIES = LIST_QUERIES + 1
CHOSEN_QUERIES = LIST_QUERIES + 2


def count_queries(client, path, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(queries), queries


def test_the_list_answers_in_constant_queries_for_10_and_300_actions(client, w):
    client.force_login(w.coordinator)
    w.more_actions(9)
    first, _ = count_queries(client, "/actions/")
    small, _ = count_queries(client, "/actions/")
    filtered_small, _ = count_queries(client, "/actions/", {"overdue": "on", "sort": "owner"})
    w.more_actions(290, start=9)
    assert ImprovementAction.objects.count() == 300
    large, queries = count_queries(client, "/actions/")
    filtered_large, _ = count_queries(client, "/actions/", {"overdue": "on", "sort": "owner"})
    listing = "\n".join(q["sql"][:150] for q in queries.captured_queries)
    assert first == FIRST_LIST_QUERIES
    assert small == large == LIST_QUERIES, listing
    assert filtered_small == filtered_large == LIST_QUERIES
    after = ImprovementAction.objects.order_by("due_date", "pk")[30].pk
    later, _ = count_queries(client, "/actions/", {"after": after})
    assert later == LATER_PAGE_QUERIES
    chosen = {"session": w.session.pk, "owner": w.owner.pk, "owner_search": "a"}
    filtered, queries = count_queries(client, "/actions/", chosen)
    assert filtered == CHOSEN_QUERIES, "\n".join(q["sql"][:150] for q in queries.captured_queries)


# The action with its session and owner (get_action_for); whether the viewer may open the
# session; its findings (speaker, theme, question joined); co-owners; the progress log (author
# joined); the session's organisations with their logos (the page wears the session's look).
# Plus the two of every request.
DETAIL_QUERIES = 8


def test_the_detail_answers_in_constant_queries(client, w):
    client.force_login(w.owner)
    small, _ = count_queries(client, f"/actions/{w.action.pk}/")
    findings = [
        FindingFactory(session=w.session, text=f"Bevinding {i}", speaker=w.member)
        for i in range(20)
    ]
    w.action.findings.add(*findings)
    w.action.co_owners.add(w.listener, w.coordinator)
    for i in range(20):
        ActionUpdate.objects.create(action=w.action, author=w.owner, text=f"Stap {i}")
    large, queries = count_queries(client, f"/actions/{w.action.pk}/")
    assert small == large == DETAIL_QUERIES, [q["sql"][:120] for q in queries.captured_queries]


# The two of every request, the organisations the user coordinates, then the insights: the
# sessions and their actions' counts (one query), the findings per theme and session of the
# period (grouped in the database), each theme's first blind-spot finding, each theme's first
# dropped or overdue action; when a marked theme returned, one more: the titles of the
# sessions listed (here none is). Was 6, with one query returning a row per session and theme
# of the whole history.
# Plus the actions from listeners' reflections per month (issue 13, its own template block).
# Both are kept in the cache until the organisation changes (findings.changes): one query more
# each, for the organisation's stamp. Asked again with nothing changed, only the stamps are
# read (the tests' cache is in memory; in production one more query each reads the cache).
INSIGHTS_QUERIES = 10
INSIGHTS_QUERIES_CACHED = 5


def test_insights_answer_in_constant_queries(client, w):
    client.force_login(w.coordinator)
    small, _ = count_queries(client, "/actions/insights/")
    w.more_actions(30)
    for i in range(5):
        session = SessionFactory(facilitator=w.facilitator, organisations=[w.org_a])
        theme = Theme.objects.create(organisation=w.org_a, name=f"Thema {i}")
        FindingFactory(session=session, text="Nog een bevinding", theme=theme)
    large, queries = count_queries(client, "/actions/insights/")
    assert small == large == INSIGHTS_QUERIES, [q["sql"][:120] for q in queries.captured_queries]
    again, queries = count_queries(client, "/actions/insights/")
    assert again == INSIGHTS_QUERIES_CACHED, [q["sql"][:120] for q in queries.captured_queries]


# The dashboard: the two of every request, the ids of the sessions the user is involved in (when
# few), the sessions and their organisations (as before),
# the user's open actions with their sessions and the count of their late ones ("Vandaag"), the
# sessions running now or starting today ("Vandaag"), and whether the user may create sessions
# ("Nieuw spiegelgesprek").
DASHBOARD_QUERIES = 8


def test_the_dashboard_lists_my_open_actions_overdue_first(client, w):
    w.more_actions(12)
    client.force_login(w.listener)  # listens in the session, owns some of its actions
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert len(queries) == DASHBOARD_QUERIES
    assert "Mijn open verbeteracties" in page
    mine = list(ImprovementAction.objects.open().owned_by(w.listener).order_by("due_date", "pk"))
    overdue = [a for a in mine if a.is_overdue]
    assert overdue
    assert escape(mine[0].title) in page
    assert f"{len(overdue)} acties zijn te laat." in page or "1 actie is te laat." in page
    first = page.index(escape(mine[0].title))
    assert page.index(">Te laat</span>") > first
    for action in ImprovementAction.objects.exclude(status__in=["open", "in_progress"]):
        assert escape(action.title) not in page


def test_the_dashboard_says_when_there_is_nothing_to_do(client, w):
    client.force_login(w.facilitator)
    assert "U heeft geen open verbeteracties." in client.get("/").content.decode()


def organisation_options(client):
    page = client.get("/actions/").content.decode()
    select = page[page.index('name="organisation"') :]
    return re.findall(
        r'<option value="\d+"[^>]*>([^<]+)</option>', select[: select.index("</select>")]
    )


def test_the_filter_keeps_a_users_organisations_for_a_minute_and_never_what_they_see(client, w):
    """A worker keeps the filter's organisations for a minute: a new one is offered a minute
    later, and one the user left is offered for that minute. Which actions the list shows is
    decided anew on every request, so choosing the stale organisation shows none of its
    actions."""
    from django.core.cache import caches

    from tests.factories import ListenerFactory

    assert caches["worker"].get(f"action-filter-organisations:{w.outsider.pk}") is None
    client.force_login(w.outsider)  # coordinates organisation B only
    gamma = OrganisationFactory(name="Gemeente Gamma")
    joint = SessionFactory(title="Samen met Gamma", organisations=[gamma])
    ImprovementActionFactory(session=joint, title="Actie van Gamma")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert "Gemeente Gamma" not in organisation_options(client)
        listener = ListenerFactory(session=joint, user=w.outsider)
        assert "Gemeente Gamma" not in organisation_options(client)  # kept from before
        clock.shift(dt.timedelta(seconds=61))
        assert "Gemeente Gamma" in organisation_options(client)
        assert listed(client, organisation=gamma.pk) == ["Actie van Gamma"]

        listener.delete()
        assert "Gemeente Gamma" in organisation_options(client)  # for the rest of the minute
        assert listed(client, organisation=gamma.pk) == []  # but none of its actions
        clock.shift(dt.timedelta(seconds=61))
        assert "Gemeente Gamma" not in organisation_options(client)


@pytest.mark.parametrize(
    "route", ["facilitator", "co_facilitator", "listener", "owner", "co_owner"]
)
def test_the_organisation_filter_offers_every_organisation_the_user_is_involved_in(route):
    """Each way into an organisation's actions puts it in the filter, without a membership."""
    from findings.filters import involved_organisations
    from tests.factories import ListenerFactory

    user = UserFactory()
    delta, elsewhere = OrganisationFactory(name="Gemeente Delta"), OrganisationFactory()
    session = SessionFactory(organisations=[delta])
    SessionFactory(organisations=[elsewhere])
    if route in ("facilitator", "co_facilitator"):
        setattr(session, route, user)
        session.save()
    elif route == "listener":
        ListenerFactory(session=session, user=user)
    else:
        action = ImprovementActionFactory(session=session, by=session.facilitator)
        if route == "owner":
            ImprovementAction.objects.filter(pk=action.pk).update(owner=user)
        else:
            action.co_owners.add(user)

    assert list(involved_organisations(user)) == [delta]
