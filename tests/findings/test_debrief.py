"""The debrief page (/sessions/<id>/debrief/): who may see and do what, the workflow, hostile
input and a constant number of queries."""

import datetime as dt
from dataclasses import dataclass
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from findings.models import (
    Debrief,
    FeedbackLetter,
    Finding,
    FindingRevision,
    ImprovementAction,
    Jotting,
    Lesson,
    Theme,
)
from findings.services.actions import record_progress
from participants.models import PanelMemberContact, User
from sessions.constants import Status
from sessions.models import Session
from tests.factories import FindingFactory, OrganisationFactory
from tests.fixtures import login

pytestmark = pytest.mark.django_db

READERS_ONLY = "Alleen toehoorders en coördinatoren werken aan het nagesprek."
CONCLUDED = "Het nagesprek is afgerond en kan niet meer worden gewijzigd."
ONLY_COORDINATOR = "Alleen een coördinator rondt het nagesprek af."
NUL_ERROR = "Null-tekens zijn niet toegestaan."
SCRIPT = "<script>alert(1)</script>"
EMOJI_RTL = "Goed gedaan 🙂👩🏽‍⚕️ مرحبا factuur\u202egpj.exe"


@pytest.fixture
def w(debrief_world):
    return debrief_world


def url(w, suffix=""):
    return f"/sessions/{w.session.pk}/debrief/{suffix}"


def future(days=30):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def action_data(w, **changes):
    data = {
        "findings": [w.findings[1].pk, w.findings[6].pk],
        "title": "Terugbelbelofte nakomen",
        "description": "Iedere aanvraag krijgt binnen twee werkdagen een telefoontje.",
        "owner": w.listener.pk,
        "co_owners": [w.coordinator.pk],
        "due_date": future(),
        "priority": "high",
        "client_sentence": "U wordt binnen twee werkdagen teruggebeld.",
    }
    return {**data, **changes}


def own_lesson(w, user):
    return Lesson.objects.create(session=w.session, created_by=user, text="Vraag door.")


# — refusals (the status codes: tests/test_permissions.py) —


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # {f} a finding, {l} the requesting user's own lesson
    data: object = None

    def url(self, w, user):
        lesson = own_lesson(w, user).pk if "{l}" in self.path else 0
        return self.path.format(s=w.session.pk, f=w.findings[0].pk, l=lesson)

    def post_data(self, w):
        return self.data(w) if self.data else {}

    def __str__(self):
        return self.name


EDIT_POSTS = [
    Endpoint(
        "answers",
        "/sessions/{s}/debrief/answers/",
        lambda w: {"impact": "Het raakte ons.", "act_on": "Terugbellen.", "base": ""},
    ),
    Endpoint("theme_create", "/sessions/{s}/debrief/themes/", lambda w: {"name": "Bereikbaarheid"}),
    Endpoint(
        "bulk_theme",
        "/sessions/{s}/debrief/findings/theme/",
        lambda w: {"findings": [w.findings[0].pk], "theme": w.theme.pk},
    ),
    Endpoint("finding_theme", "/sessions/{s}/debrief/findings/{f}/theme/", lambda w: {"theme": ""}),
    Endpoint(
        "blind_spot", "/sessions/{s}/debrief/findings/{f}/blind-spot/", lambda w: {"blind_spot": 1}
    ),
    Endpoint("lesson_add", "/sessions/{s}/debrief/lessons/", lambda w: {"text": "Luister eerst."}),
    Endpoint("lesson_delete", "/sessions/{s}/debrief/lessons/{l}/delete/"),
    Endpoint("action_new", "/sessions/{s}/debrief/actions/new/", action_data),
]
POST_ONLY = [e for e in EDIT_POSTS if e.name != "action_new"] + [
    Endpoint("conclude", "/sessions/{s}/debrief/conclude/")
]


def user_of(w, role):
    return None if role == "anonymous" else w.user(role)


def request_as(client, w, role, method, endpoint):
    user = user_of(w, role)
    if user is not None:
        login(client, user)
    address = endpoint.url(w, user or w.listener)
    if method == "GET":
        return address, client.get(address)
    return address, client.post(address, endpoint.post_data(w))


@pytest.fixture
def themed(w):
    w.theme = Theme.objects.create(organisation=w.org_a, name="Bereikbaarheid")
    return w


@pytest.mark.parametrize("endpoint", EDIT_POSTS + POST_ONLY[-1:], ids=str)
def test_the_facilitator_reads_but_is_told_why_they_may_not_change_the_debrief(
    client, themed, endpoint
):
    _address, response = request_as(client, themed, "facilitator", "POST", endpoint)

    assert response.status_code == 403
    assert READERS_ONLY in response.text


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PLANNED, Status.LIVE])
@pytest.mark.parametrize("role", ["facilitator", "listener", "coordinator"])
def test_there_is_no_debrief_before_the_meeting_has_ended(client, w, status, role):
    Session.objects.filter(pk=w.session.pk).update(status=status)
    login(client, w.user(role))

    assert client.get(url(w)).status_code == 404
    assert client.post(url(w, "lessons/"), {"text": "Te vroeg."}).status_code == 404
    assert not Lesson.objects.exists()


def test_a_session_of_another_organisation_and_a_missing_one_look_the_same(client, w):
    login(client, w.outsider)

    hidden, missing = client.get(url(w)), client.get("/sessions/999999/debrief/")

    assert hidden.status_code == missing.status_code == 404
    assert w.findings[0].text not in hidden.text


def test_the_debrief_tab_appears_once_the_meeting_has_ended(client, w):
    login(client, w.listener)
    assert (
        f'href="/sessions/{w.session.pk}/debrief/"' in client.get(f"/sessions/{w.session.pk}/").text
    )
    Session.objects.filter(pk=w.session.pk).update(status=Status.LIVE)
    assert "/debrief/" not in client.get(f"/sessions/{w.session.pk}/").text


# — the page —


def test_the_page_groups_findings_by_question_and_kind_with_pseudonyms_only(client, w):
    login(client, w.listener)

    page = client.get(url(w)).text

    first, second = page.index("Vraag 1"), page.index("Vraag 2")
    loose = page.index("Zonder vraag")
    assert first < page.index(escape(w.findings[0].text)) < second
    assert second < page.index(escape(w.findings[4].text)) < loose
    assert loose < page.index(escape(w.findings[6].text))
    # Within a question, kinds in their fixed order: positive before verbeterpunt before quote.
    assert page.index("Positief <span") < page.index("Verbeterpunt <span") < page.index("Citaat <")
    assert "Deelnemer A" in page and "Deelnemer C" in page
    for contact in PanelMemberContact.objects.all():
        assert contact.name not in page and contact.email not in page


def test_withdrawn_consent_and_unquotable_quotes_are_marked_do_not_quote(client, w):
    quote_c = FindingFactory(
        session=w.session, text="“Ze luisterden niet.”", kind="quote", speaker=w.member_c
    )
    login(client, w.coordinator)

    page = client.get(url(w)).text

    withdrawn = page[page.index(f'id="finding-{w.findings[2].pk}"') :]
    assert "Toestemming ingetrokken – niet citeren" in withdrawn[: withdrawn.index("</li>")]
    unquotable = page[page.index(f'id="finding-{quote_c.pk}"') :]
    assert "Geen toestemming voor citaten" in unquotable[: unquotable.index("</li>")]


def test_filters_narrow_the_list_on_the_server_and_htmx_gets_only_the_list(client, w):
    theme = Theme.objects.create(organisation=w.org_a, name="Bereikbaarheid")
    Finding.objects.filter(pk__in=[w.findings[1].pk, w.findings[6].pk]).update(theme=theme)
    Finding.objects.filter(pk=w.findings[4].pk).update(blind_spot=True)
    login(client, w.listener)

    def shown(query, **headers):
        page = client.get(url(w) + query, **headers).text
        return {f.pk for f in w.findings if f'id="finding-{f.pk}"' in page}, page

    assert shown("?kind=wish")[0] == {w.findings[3].pk}
    assert shown(f"?theme={theme.pk}")[0] == {w.findings[1].pk, w.findings[6].pk}
    assert w.findings[1].pk not in shown("?theme=none")[0]
    assert shown("?starred=1")[0] == {w.findings[1].pk}
    assert shown("?blind_spot=1")[0] == {w.findings[4].pk}
    assert shown("?kind=improvement&theme=none")[0] == {w.findings[4].pk}
    only_list, fragment = shown(
        "?kind=positive", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="finding-list"
    )
    assert only_list == {w.findings[0].pk}
    assert fragment.lstrip().startswith('<div id="finding-list">')
    assert "<html" not in fragment


@pytest.mark.parametrize(
    "query",
    [
        "?kind=<script>",
        "?theme=abc",
        "?theme=99999999999999999999",
        "?starred=false",
        "?kind=\x00",
    ],
)
def test_nonsense_filters_are_ignored_never_an_error(client, w, query):
    login(client, w.listener)

    response = client.get(url(w) + query)

    assert response.status_code == 200
    assert all(f'id="finding-{f.pk}"' in response.text for f in w.findings)


def test_a_theme_of_another_organisation_is_no_filter(client, w):
    foreign = Theme.objects.create(organisation=OrganisationFactory(), name="Elders")
    login(client, w.listener)

    page = client.get(url(w) + f"?theme={foreign.pk}").text

    assert all(f'id="finding-{f.pk}"' in page for f in w.findings)


def test_a_listener_sees_only_their_own_jotting(client, w):
    Jotting.objects.create(session=w.session, author=w.listener, text="Mijn eigen gedachte.")
    Jotting.objects.create(
        session=w.session, author=w.coordinator, text="Geheim van de coördinator."
    )

    login(client, w.listener)
    page = client.get(url(w)).text
    assert "Uw eigen aantekeningen" in page and "Mijn eigen gedachte." in page
    assert "Geheim van de coördinator." not in page

    login(client, w.facilitator)
    page = client.get(url(w)).text
    assert "Mijn eigen gedachte." not in page and "Geheim van de coördinator." not in page


# — the two questions —


def test_answers_are_saved_with_a_form_and_with_htmx_autosave(client, w):
    login(client, w.listener)

    response = client.post(
        url(w, "answers/"), {"impact": "Het raakte ons.", "act_on": "Het terugbellen.", "base": ""}
    )
    assert response.status_code == 302
    debrief = Debrief.objects.get(session=w.session)
    assert (debrief.impact, debrief.act_on) == ("Het raakte ons.", "Het terugbellen.")

    response = client.post(
        url(w, "answers/"),
        {"impact": "Het raakte ons diep.", "act_on": "", "base": debrief.updated_at.isoformat()},
        HTTP_HX_REQUEST="true",
    )
    debrief.refresh_from_db()
    assert debrief.impact == "Het raakte ons diep."
    assert "Opgeslagen om" in response.text
    assert f'value="{debrief.updated_at.isoformat()}" hx-swap-oob="true"' in response.text


def test_answers_saved_meanwhile_by_a_colleague_are_never_overwritten(client, w):
    Debrief.objects.create(session=w.session, impact="Tekst van een collega.")
    login(client, w.listener)

    response = client.post(url(w, "answers/"), {"impact": "Mijn tekst.", "act_on": "", "base": ""})

    assert response.status_code == 200
    assert "Iemand anders heeft de antwoorden intussen gewijzigd." in response.text
    assert "Tekst van een collega." in response.text and "Mijn tekst." in response.text
    assert Debrief.objects.get(session=w.session).impact == "Tekst van een collega."


# — themes, blind spots —


def test_a_theme_made_inline_belongs_to_the_first_organisation_and_is_reused_by_name(client, w):
    w.session.organisations.add(OrganisationFactory(name="Zorgaanbieder Zeta"))
    login(client, w.listener)

    assert client.post(url(w, "themes/"), {"name": "  Bereikbaarheid  "}).status_code == 302
    client.post(url(w, "themes/"), {"name": "BEREIKBAARHEID"})

    theme = Theme.objects.get()
    assert (theme.organisation, theme.name) == (w.org_a, "Bereikbaarheid")
    assert "Bereikbaarheid" in client.get(url(w)).text


def test_findings_are_put_under_a_theme_one_by_one_and_in_bulk_without_revisions(client, w):
    theme = Theme.objects.create(organisation=w.org_a, name="Bereikbaarheid")
    login(client, w.listener)

    response = client.post(
        url(w, f"findings/{w.findings[0].pk}/theme/"),
        {"theme": theme.pk, "filters": "kind=positive"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="theme-list" hx-swap-oob="true"' in response.text
    assert "Thema: Bereikbaarheid" in response.text

    response = client.post(
        url(w, "findings/theme/"),
        {
            "findings": [w.findings[1].pk, w.findings[2].pk],
            "theme": theme.pk,
            "filters": "starred=1",
        },
    )
    assert response.status_code == 302
    assert response.url == url(w) + "?starred=1#findings"
    assert set(theme.findings.values_list("pk", flat=True)) == {f.pk for f in w.findings[:3]}

    client.post(url(w, "findings/theme/"), {"findings": [w.findings[1].pk], "theme": ""})
    assert set(theme.findings.values_list("pk", flat=True)) == {w.findings[0].pk, w.findings[2].pk}
    assert not FindingRevision.objects.exists()
    assert set(Finding.objects.values_list("version", flat=True)) == {1}


def test_blind_spots_are_toggled_and_say_so_to_assistive_technology(client, w):
    login(client, w.coordinator)
    finding = w.findings[4]

    response = client.post(
        url(w, f"findings/{finding.pk}/blind-spot/"), {"blind_spot": "1"}, HTTP_HX_REQUEST="true"
    )
    assert 'aria-pressed="true"' in response.text
    finding.refresh_from_db()
    assert finding.blind_spot and finding.version == 1

    client.post(url(w, f"findings/{finding.pk}/blind-spot/"), {"blind_spot": "0"})
    finding.refresh_from_db()
    assert not finding.blind_spot


def test_themes_and_findings_of_other_sessions_and_organisations_are_refused(client, w):
    foreign_theme = Theme.objects.create(organisation=OrganisationFactory(), name="Elders")
    own_theme = Theme.objects.create(organisation=w.org_a, name="Bereikbaarheid")
    login(client, w.listener)

    # A foreign theme on one finding, and in bulk.
    client.post(url(w, f"findings/{w.findings[0].pk}/theme/"), {"theme": foreign_theme.pk})
    response = client.post(
        url(w, "findings/theme/"), {"findings": [w.findings[0].pk], "theme": foreign_theme.pk}
    )
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Selecteer een geldige keuze" in m for m in messages)
    # A finding of another session: on its own address 404, in bulk a refusal.
    other = w.other_finding.pk
    assert (
        client.post(url(w, f"findings/{other}/theme/"), {"theme": own_theme.pk}).status_code == 404
    )
    assert (
        client.post(url(w, f"findings/{other}/blind-spot/"), {"blind_spot": 1}).status_code == 404
    )
    response = client.post(
        url(w, "findings/theme/"), {"findings": [w.findings[0].pk, other], "theme": own_theme.pk}
    )
    assert response.status_code == 302
    # Nonsense and overflowing ids.
    for value in ("abc", "99999999999999999999", "-1"):
        response = client.post(
            url(w, "findings/theme/"), {"findings": [value], "theme": value}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code < 500
        response = client.post(url(w, f"findings/{w.findings[0].pk}/theme/"), {"theme": value})
        assert response.status_code < 500
    assert not Finding.objects.filter(theme__isnull=False).exists()
    assert not Finding.objects.filter(blind_spot=True).exists()


def test_ids_no_database_can_hold_and_forged_filters_answer_without_an_error(client, w):
    huge = "99999999999999999999"
    login(client, w.listener)

    assert client.get(f"/sessions/{huge}/debrief/").status_code == 404
    assert client.post(url(w, f"findings/{huge}/theme/"), {"theme": ""}).status_code == 404
    assert client.post(url(w, f"lessons/{huge}/delete/")).status_code == 404
    response = client.post(
        url(w, f"findings/{w.findings[0].pk}/blind-spot/"),
        {"blind_spot": "1", "filters": f"kind=<script>&theme={huge}&starred=1&x=\x00"},
    )
    assert response.status_code == 302
    assert response.url == url(w) + f"?starred=1#finding-{w.findings[0].pk}"


# — lessons —


def test_lessons_are_added_and_only_their_author_takes_them_back(client, w):
    login(client, w.listener)
    response = client.post(url(w, "lessons/"), {"text": "Wij praten te veel in regels."})
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert (lesson.created_by, lesson.session) == (w.listener, w.session)

    response = client.post(
        url(w, "lessons/"), {"text": "Bel altijd terug."}, HTTP_HX_REQUEST="true"
    )
    assert response.text.lstrip().startswith('<section id="lessons"')
    assert "Bel altijd terug." in response.text

    login(client, w.coordinator)
    assert client.post(url(w, f"lessons/{lesson.pk}/delete/")).status_code == 403
    login(client, w.listener)
    assert client.post(url(w, f"lessons/{lesson.pk}/delete/")).status_code == 302
    assert not Lesson.objects.filter(pk=lesson.pk).exists()


def test_a_lesson_of_another_session_cannot_be_deleted_from_this_one(client, w):
    elsewhere = Lesson.objects.create(session=w.other_session, created_by=w.listener, text="X")
    login(client, w.listener)

    assert client.post(url(w, f"lessons/{elsewhere.pk}/delete/")).status_code == 404
    assert Lesson.objects.filter(pk=elsewhere.pk).exists()


# — improvement actions from findings —


def test_actie_maken_opens_the_form_with_the_chosen_findings_ticked(client, w):
    login(client, w.listener)

    response = client.post(
        url(w, "actions/new/"),
        {"start": "1", "findings": [w.findings[1].pk, w.findings[6].pk], "theme": ""},
    )

    assert response.status_code == 200
    chosen = response.text[response.text.index('id="chosen-findings"') :]
    chosen = chosen[: chosen.index("</ul>")]
    assert escape(w.findings[1].text) in chosen and escape(w.findings[6].text) in chosen
    assert escape(w.findings[0].text) not in chosen
    assert "Dit veld is verplicht" not in response.text
    assert not ImprovementAction.objects.exists()


def test_an_action_is_created_from_findings_and_listed_in_the_debrief(client, w):
    login(client, w.listener)

    response = client.post(url(w, "actions/new/"), action_data(w, co_owners=[w.listener.pk]))

    assert response.status_code == 302 and response.url == url(w) + "#actions"
    action = ImprovementAction.objects.get()
    assert set(action.findings.all()) == {w.findings[1], w.findings[6]}
    assert (action.owner, action.created_by, action.priority) == (w.listener, w.listener, "high")
    assert list(action.co_owners.all()) == []  # the owner is no co-owner of their own action
    page = client.get(url(w)).text
    assert "Terugbelbelofte nakomen" in page
    assert f'href="/actions/{action.pk}/"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"findings": []}, "Koppel de actie aan minstens één bevinding."),
        ({"due_date": "2020-01-01"}, "Kies een datum vandaag of later."),
        ({"due_date": "31-02-2030"}, "Voer een geldige datum in."),
        ({"title": ""}, "Dit veld is verplicht."),
        ({"owner": ""}, "Dit veld is verplicht."),
        ({"priority": "urgent"}, "Selecteer een geldige keuze."),
    ],
)
def test_an_action_needs_findings_a_future_date_a_title_and_an_owner(client, w, changes, message):
    login(client, w.coordinator)

    response = client.post(url(w, "actions/new/"), action_data(w, **changes))

    assert response.status_code == 200
    assert escape(message) in response.text
    assert not ImprovementAction.objects.exists()


@pytest.mark.parametrize("field", ["findings", "owner", "co_owners"])
def test_forged_ids_of_other_sessions_and_organisations_are_refused(client, w, field):
    forged = {
        "findings": [w.other_finding.pk],
        "owner": w.outsider.pk,
        "co_owners": [w.outsider.pk],
    }[field]
    login(client, w.listener)

    for value in (forged, "99999999999999999999", "abc"):
        response = client.post(url(w, "actions/new/"), action_data(w, **{field: value}))
        assert response.status_code == 200
        assert any(
            message in response.text
            for message in ("Selecteer een geldige keuze", "is geen geldige waarde")
        )
    assert not ImprovementAction.objects.exists()


def test_today_is_a_valid_due_date(client, w):
    login(client, w.listener)

    client.post(url(w, "actions/new/"), action_data(w, due_date=timezone.localdate().isoformat()))

    assert ImprovementAction.objects.get().due_date == timezone.localdate()


# — concluding —


def test_only_a_coordinator_concludes_the_debrief_which_closes_the_session(client, w):
    action = w.new_action()
    login(client, w.listener)
    response = client.post(url(w, "conclude/"))
    assert response.status_code == 403 and ONLY_COORDINATOR in response.text

    login(client, w.coordinator)
    assert client.post(url(w, "conclude/")).status_code == 302

    w.session.refresh_from_db()
    debrief = Debrief.objects.get(session=w.session)
    assert w.session.status == Status.CLOSED and w.session.closed_at
    assert debrief.concluded_by == w.coordinator and debrief.concluded_at
    page = client.get(url(w)).text
    assert "Het nagesprek is afgerond op" in page
    assert "Nagesprek afronden</button>" not in page
    # Its actions stay alive.
    record_progress(action=action, by=w.listener, status="done", closing_note="Gebeld.")
    action.refresh_from_db()
    assert action.status == "done"


def test_concluding_twice_changes_nothing_the_second_time(client, w):
    login(client, w.coordinator)
    client.post(url(w, "conclude/"))
    first = Debrief.objects.get(session=w.session).concluded_at

    response = client.post(url(w, "conclude/"))

    assert response.status_code == 403 and CONCLUDED in response.text
    assert Debrief.objects.get(session=w.session).concluded_at == first


@pytest.mark.parametrize("endpoint", EDIT_POSTS + POST_ONLY[-1:], ids=str)
@pytest.mark.parametrize("role", ["listener", "coordinator"])
def test_after_closing_everything_is_read_only_and_says_why(client, themed, endpoint, role):
    Session.objects.filter(pk=themed.session.pk).update(status=Status.CLOSED)

    _address, response = request_as(client, themed, role, "POST", endpoint)

    assert response.status_code == 403
    assert CONCLUDED in response.text
    assert client.get(url(themed)).status_code == 200


def test_a_closed_debrief_shows_no_forms(client, w):
    Session.objects.filter(pk=w.session.pk).update(status=Status.CLOSED)
    login(client, w.coordinator)

    page = client.get(url(w)).text

    assert "<textarea" not in page and 'form="bulk-form"' not in page
    assert "Blinde vlek</button>" not in page


# — hostile input —

TEXT_FIELDS = [
    # (name, address suffix, POST data for a value, how to read the stored value, limit)
    (
        "impact",
        "answers/",
        lambda w, v: {"impact": v, "act_on": "", "base": ""},
        lambda w: Debrief.objects.get(session=w.session).impact,
        10_000,
    ),
    (
        "act_on",
        "answers/",
        lambda w, v: {"impact": "", "act_on": v, "base": ""},
        lambda w: Debrief.objects.get(session=w.session).act_on,
        10_000,
    ),
    (
        "theme",
        "themes/",
        lambda w, v: {"name": v},
        lambda w: Theme.objects.get().name,
        120,
    ),
    (
        "lesson",
        "lessons/",
        lambda w, v: {"text": v},
        lambda w: Lesson.objects.get().text,
        2000,
    ),
    (
        "action_title",
        "actions/new/",
        lambda w, v: action_data(w, title=v),
        lambda w: ImprovementAction.objects.get().title,
        200,
    ),
    (
        "action_description",
        "actions/new/",
        lambda w, v: action_data(w, description=v),
        lambda w: ImprovementAction.objects.get().description,
        4000,
    ),
    (
        "client_sentence",
        "actions/new/",
        lambda w, v: action_data(w, client_sentence=v),
        lambda w: ImprovementAction.objects.get().client_sentence,
        500,
    ),
]
FIELD_IDS = [f[0] for f in TEXT_FIELDS]


def stored_or_none(read, w):
    try:
        return read(w)
    except (Debrief.DoesNotExist, Theme.DoesNotExist, Lesson.DoesNotExist):
        return None
    except ImprovementAction.DoesNotExist:
        return None


@pytest.mark.parametrize(("name", "suffix", "data", "read", "limit"), TEXT_FIELDS, ids=FIELD_IDS)
@pytest.mark.parametrize("value", [SCRIPT, EMOJI_RTL], ids=["script", "emoji-rtl"])
def test_markup_emoji_and_rtl_are_stored_exactly_and_shown_escaped(
    client, w, name, suffix, data, read, limit, value
):
    login(client, w.listener)

    response = client.post(url(w, suffix), data(w, value))

    assert response.status_code == 302, response.content[:2000]
    assert read(w) == value
    page = client.get(url(w)).text
    if name not in ("action_description", "client_sentence"):  # shown on the action's page
        assert escape(value) in page
    assert SCRIPT not in page


@pytest.mark.parametrize(("name", "suffix", "data", "read", "limit"), TEXT_FIELDS, ids=FIELD_IDS)
def test_overlong_text_is_refused_with_a_dutch_message(client, w, name, suffix, data, read, limit):
    login(client, w.listener)
    value = "x" * (limit + 1)

    response = client.post(url(w, suffix), data(w, value), follow=True)

    assert response.status_code == 200
    assert f"Zorg dat deze waarde niet meer dan {limit} tekens bevat" in response.text
    assert stored_or_none(read, w) in (None, "")


@pytest.mark.parametrize(("name", "suffix", "data", "read", "limit"), TEXT_FIELDS, ids=FIELD_IDS)
def test_nul_bytes_are_refused_with_a_dutch_message(client, w, name, suffix, data, read, limit):
    login(client, w.listener)

    response = client.post(url(w, suffix), data(w, "a\x00b"), follow=True)

    assert response.status_code == 200
    assert NUL_ERROR in response.text
    assert stored_or_none(read, w) in (None, "")


def test_finding_texts_with_markup_are_escaped_in_the_debrief(client, w):
    FindingFactory(session=w.session, text=SCRIPT, kind="quote", speaker=w.member)
    login(client, w.listener)

    page = client.get(url(w)).text

    assert escape(SCRIPT) in page and SCRIPT not in page


# — a constant number of queries —

# Every request: the django_session row, the user. Then: the session with the viewer's roles
# and its debrief (get_session_for), the findings (with speaker and theme; the counts per kind
# and theme and the filter come from them), the actions they answer (prefetch), the themes,
# the questions, the lessons (with author), the actions (with owner), the viewer's jotting, the
# themes with open or dropped actions from earlier sessions ("komt terug", issue 13; kept in
# the cache until one of the organisations looked back on changes, so one query reads their
# stamps, findings.changes, and the tests' in-memory cache answers without one), the
# leervragen and reflections the viewer may read, the session's organisations with their logos
# and networks (its look, and where its themes come from and new ones go); for those who edit
# the debrief, the privacy guard's open hits (and one query per kind of text that has any:
# none here).
DEBRIEF_QUERIES = 14


def fill(w, n):
    start = Finding.objects.filter(session=w.session).count()
    for i in range(start, start + n):
        finding = FindingFactory(
            session=w.session,
            text=f"Bevinding {i}: de wachttijd was te lang.",
            kind=["positive", "improvement", "wish", "quote", "later"][i % 5],
            question=[w.question, w.question2, None][i % 3],
            speaker=[w.member, w.member_b, w.member_c, None][i % 4],
            starred=i % 7 == 0,
        )
        if i % 10 == 0:
            theme = Theme.objects.create(organisation=w.org_a, name=f"Thema {i}")
            Finding.objects.filter(pk=finding.pk).update(theme=theme, blind_spot=True)
            w.new_action(findings=[finding], title=f"Actie {i}")
            Lesson.objects.create(session=w.session, created_by=w.listener, text=f"Les {i}")


def count_queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("role", ["listener", "coordinator", "facilitator"])
def test_the_debrief_page_answers_in_a_constant_number_of_queries(client, w, role):
    Jotting.objects.create(session=w.session, author=w.listener, text="Notitie.")
    login(client, w.user(role))
    Finding.objects.filter(session=w.session).delete()
    fill(w, 10)
    small, _ = count_queries(client, url(w))
    fill(w, 70)
    large, queries = count_queries(client, url(w))

    assert Finding.objects.filter(session=w.session).count() == 80
    expected = DEBRIEF_QUERIES + (role != "facilitator")
    assert small == large == expected, "\n".join(queries)
    # Nothing changed since: the returning themes come from the cache, one query fewer.
    filtered, queries = count_queries(client, url(w) + "?kind=improvement&starred=1")
    assert filtered == expected - 1, "\n".join(queries)


# — the admin —


@pytest.mark.parametrize(
    "model",
    ["finding", "theme", "debrief", "lesson", "improvementaction", "feedbackletter", "jotting"],
)
def test_the_admin_lists_and_opens_debrief_records_but_never_shows_a_jotting(client, w, model):
    action = w.new_action()
    Theme.objects.create(organisation=w.org_a, name="Bereikbaarheid")
    Debrief.objects.create(session=w.session, impact="Het raakte ons.")
    own_lesson(w, w.listener)
    FeedbackLetter.objects.create(session=w.session, text="Beste deelnemer,")
    jotting = Jotting.objects.create(session=w.session, author=w.listener, text="Heel privé.")
    admin = User.objects.create_superuser("beheer", "beheer@example.nl", "x")
    login(client, admin)
    objects = {"finding": w.findings[0], "improvementaction": action, "jotting": jotting}

    listing = client.get(f"/admin/findings/{model}/?q=a")
    assert listing.status_code == 200
    if model in objects:
        detail = client.get(f"/admin/findings/{model}/{objects[model].pk}/change/")
        assert detail.status_code == 200
        assert "Heel privé." not in detail.text
    assert "Heel privé." not in listing.text
