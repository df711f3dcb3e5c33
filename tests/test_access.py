"""Who may see and do what with a session being prepared (DESIGN.md §6): refusal texts, refused
changes that change nothing, client contact details, tampering across sessions, closed sessions.

The status code of every address for every role is in tests/test_permissions.py.

Roles around the World's session of organisation A: its facilitator, a listener of it, the
coordinator of A, a professional of A who does not listen in (an "other user"), a coordinator
of organisation B (outsider) and an anonymous visitor.
"""

import itertools
from dataclasses import dataclass

import pytest

from participants.constants import AccessAction, Role
from participants.models import AccessLog, Listener, PanelMember, PanelMemberContact
from sessions.models import LibraryQuestion, Question, Rule, Session
from tests.fixtures import login, panel_form_data, session_form_data

ONLY_FACILITATORS = "Alleen de gespreksleider kan dit wijzigen."
CLOSED = "Dit gesprek is afgesloten en kan niet meer worden gewijzigd."
NO_CREATE = "Alleen gespreksleiders en coördinatoren maken gesprekken aan."


def library_choice(w):
    return {"lib-questions": [LibraryQuestion.objects.create(text="Wat ging goed?").pk]}


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # {s} session, {q} question, {r} rule, {m} panel member, {l} listener
    data: object = None  # callable(world) -> POST data

    def url(self, w, **ids):
        values = {
            "s": w.session.pk,
            "q": w.question.pk,
            "r": w.rule.pk,
            "m": w.member.pk,
            "l": w.listener_entry.pk,
        }
        return self.path.format(**{**values, **ids})

    def post_data(self, w):
        return self.data(w) if self.data else {}

    def __str__(self):
        return self.name


# Read by facilitator, listener and coordinator; the first four also take an "add" POST.
READ_PAGES = [
    Endpoint("session_detail", "/sessions/{s}/"),
    Endpoint("guide", "/sessions/{s}/guide/"),
    Endpoint("rules", "/sessions/{s}/rules/"),
    Endpoint("panel", "/sessions/{s}/panel/"),
    Endpoint("listeners", "/sessions/{s}/listeners/"),
]
ADD_POSTS = [
    Endpoint(
        "guide",
        "/sessions/{s}/guide/",
        lambda w: {"new-text": "Hoe ging het?", "new-kind": "prepared", "new-planned_minutes": 10},
    ),
    Endpoint("rules", "/sessions/{s}/rules/", lambda w: {"new-text": "Iedereen is veilig."}),
    Endpoint("panel", "/sessions/{s}/panel/", lambda w: panel_form_data()),
    Endpoint(
        "listeners",
        "/sessions/{s}/listeners/",
        lambda w: {"new-name": "Gast Gerda", "new-function": "Beleidsmedewerker"},
    ),
]
# Form pages only the facilitator opens; each also takes the form's POST.
EDIT_FORMS = [
    Endpoint("session_edit", "/sessions/{s}/edit/", session_form_data),
    Endpoint(
        "question_edit",
        "/sessions/{s}/guide/{q}/",
        lambda w: {"text": "Anders gesteld?", "kind": "prepared", "planned_minutes": 5},
    ),
    Endpoint("rule_edit", "/sessions/{s}/rules/{r}/", lambda w: {"text": "Wij luisteren."}),
    Endpoint(
        "panel_member_edit",
        "/sessions/{s}/panel/{m}/",
        lambda w: panel_form_data(**{"contact-name": "Andere Naam"}),
    ),
    Endpoint(
        "listener_edit",
        "/sessions/{s}/listeners/{l}/",
        lambda w: {"user": w.listener.pk, "name": "Lies", "function": "Manager"},
    ),
]
# require_POST: a GET answers 405 to everyone who is logged in.
POST_ONLY = [
    Endpoint("session_transition", "/sessions/{s}/status/plan/"),
    Endpoint("guide_library", "/sessions/{s}/guide/library/", library_choice),
    Endpoint("question_move", "/sessions/{s}/guide/{q}/move/", lambda w: {"direction": "up"}),
    Endpoint("question_delete", "/sessions/{s}/guide/{q}/delete/"),
    Endpoint("rules_load", "/sessions/{s}/rules/load/"),
    Endpoint(
        "rules_settings",
        "/sessions/{s}/rules/settings/",
        lambda w: {"settings-listener_questions_allowed": "on"},
    ),
    Endpoint("rule_move", "/sessions/{s}/rules/{r}/move/", lambda w: {"direction": "down"}),
    Endpoint("rule_delete", "/sessions/{s}/rules/{r}/delete/"),
    Endpoint("panel_member_delete", "/sessions/{s}/panel/{m}/delete/"),
    Endpoint("listener_briefed", "/sessions/{s}/listeners/{l}/briefed/", lambda w: {"briefed": 1}),
    Endpoint("listener_delete", "/sessions/{s}/listeners/{l}/delete/"),
]
SESSION_POSTS = ADD_POSTS + EDIT_FORMS + POST_ONLY
SESSION_GETS = READ_PAGES + EDIT_FORMS + POST_ONLY
# Addresses that carry the id of a question, rule, panel member or listener.
OBJECT_ENDPOINTS = [e for e in EDIT_FORMS + POST_ONLY if any(f"{{{k}}}" in e.path for k in "qrml")]


def request_as(client, w, role, method, endpoint, **ids):
    if role != "anonymous":
        login(client, w.user(role))
    url = endpoint.url(w, **ids)
    if method == "GET":
        return url, client.get(url)
    return url, client.post(url, endpoint.post_data(w))


def refused_edits():
    for method, endpoints in (("GET", EDIT_FORMS), ("POST", SESSION_POSTS)):
        for e in endpoints:
            for role in ("listener", "coordinator"):
                yield pytest.param(method, e, role, id=f"{method} {e} {role}")


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "endpoint", "role"), list(refused_edits()))
def test_a_reader_who_may_not_edit_is_told_why_in_dutch(client, world, method, endpoint, role):
    _url, response = request_as(client, world, role, method, endpoint)

    assert response.status_code == 403
    assert ONLY_FACILITATORS in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["listener", "professional"])
def test_who_may_not_create_sessions_is_told_why_in_dutch(client, world, role):
    login(client, world.user(role))

    response = client.get("/sessions/new/")

    assert response.status_code == 403
    assert NO_CREATE in response.text


@pytest.mark.django_db
def test_a_missing_session_and_a_hidden_session_look_the_same_to_an_outsider(client, world):
    login(client, world.outsider)
    hidden = client.get(f"/sessions/{world.session.pk}/")
    missing = client.get("/sessions/999999/")

    assert hidden.status_code == missing.status_code == 404
    assert world.session.title not in hidden.text


@pytest.mark.django_db
@pytest.mark.parametrize("for_update", [False, True])
def test_get_session_for_sees_exactly_the_sessions_of_for_user(world, other, for_update):
    """get_session_for decides visibility from the roles it loads (one query, no WHERE on
    the roles); that must stay the rule of Session.objects.for_user, for every kind of user."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import transaction
    from django.http import Http404

    from sessions.access import access_of, annotate_access, get_session_for
    from sessions.models import SessionTable
    from tests.factories import UserFactory

    host = UserFactory(username="tafelhost")
    SessionTable.objects.create(session=world.session, name="Tafel 1", host=host)
    roles = ("facilitator", "listener", "coordinator", "professional", "outsider")
    users = [world.user(r) for r in roles] + [host, other.session.facilitator, AnonymousUser()]
    for user in users:
        for session in (world.session, other.session):
            expected = Session.objects.for_user(user).filter(pk=session.pk).exists()
            with transaction.atomic():
                try:
                    loaded = get_session_for(user, session.pk, for_update=for_update)
                    seen = True
                except Http404:
                    seen = False
            assert seen == expected, (user, session)
            if seen:
                # The roles it loads (compiled once, sessions.models.ROLES) are the
                # roles the querysets annotate for this user.
                annotated = annotate_access(Session.objects.filter(pk=session.pk), user).get()
                assert loaded.access == access_of(annotated, user), (user, session)


@pytest.mark.django_db
@pytest.mark.parametrize("few", [0, 1_000], ids=["involved-in-many", "involved-in-few"])
def test_the_session_lists_see_exactly_the_sessions_of_for_user_with_the_same_roles(
    world, other, monkeypatch, few
):
    """sessions_for filters on the role annotations it reads out, for_user on the same
    conditions built anew, and sessions_listed_for (the lists, the dashboard) by the ids of
    the sessions a user is involved in when they are few: one rule, three ways of building
    it. All must let the same sessions through, with the user's own roles read out."""
    from django.contrib.auth.models import AnonymousUser

    import sessions.models
    from sessions.access import sessions_for, sessions_listed_for, with_access
    from sessions.models import SessionTable, involved_session_ids

    monkeypatch.setattr(sessions.models, "FEW_INVOLVEMENTS", few)

    host = world.user("professional")
    SessionTable.objects.create(session=other.session, name="Tafel 1", host=host)
    roles = ("facilitator", "listener", "coordinator", "professional", "outsider")
    users = [world.user(r) for r in roles] + [other.session.facilitator, AnonymousUser()]
    for user, built in itertools.product(users, (sessions_for, sessions_listed_for)):
        expected = set(Session.objects.for_user(user).values_list("pk", flat=True))
        if user.is_authenticated:  # which way the lists took: by ids when few, or not
            assert (involved_session_ids(user) is None) is (few == 0 and bool(expected))
        listed = with_access(built(user), user)
        assert {s.pk for s in listed} == expected, (user, built)
        for session in listed:
            access = session.access
            assert access.may_see, (user, session)
            assert access.is_listener == session.listeners.filter(user=user).exists()
            assert access.is_table_host == session.tables.filter(host=user).exists()
            assert (
                access.is_coordinator
                == user.memberships.filter(
                    role=Role.COORDINATOR, organisation__sessions=session
                ).exists()
            )
    assert other.session.pk in {s.pk for s in sessions_for(host)}


@pytest.mark.django_db
def test_an_unknown_transition_reveals_nothing_about_the_session(client, world):
    login(client, world.outsider)

    hidden = client.post(f"/sessions/{world.session.pk}/status/close-everything/")
    missing = client.post("/sessions/999999/status/close-everything/")

    assert hidden.status_code == missing.status_code
    assert world.session.title not in hidden.text


def snapshot(session):
    session.refresh_from_db()
    return {
        "session": (session.title, session.status, session.listener_questions_allowed),
        "questions": list(
            Question.objects.filter(session=session).values_list("pk", "position", "text")
        ),
        "rules": list(Rule.objects.filter(session=session).values_list("pk", "position", "text")),
        "members": list(
            PanelMember.objects.filter(session=session).values_list("pk", "consent_withdrawn_at")
        ),
        "contacts": list(
            PanelMemberContact.objects.filter(panel_member__session=session).values_list("name")
        ),
        "listeners": list(
            Listener.objects.filter(session=session).values_list("pk", "name", "briefed")
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["listener", "coordinator", "professional", "outsider", "anonymous"]
)
def test_a_refused_post_changes_nothing(client, world, role):
    before = snapshot(world.session)
    if role != "anonymous":
        login(client, world.user(role))

    for endpoint in SESSION_POSTS:
        client.post(endpoint.url(world), endpoint.post_data(world))

    assert snapshot(world.session) == before
    assert Session.objects.count() == 1


@pytest.mark.django_db
def test_outsider_cannot_create_a_session_for_another_organisation(client, world):
    login(client, world.outsider)

    response = client.post("/sessions/new/", session_form_data(world))

    assert response.status_code == 200
    assert "Selecteer een geldige keuze." in response.text
    assert Session.objects.count() == 1


# — client contact details —


def contact_details(w):
    contact = w.member.contact
    return [contact.name, contact.email, contact.phone]


@pytest.mark.django_db
def test_listener_never_sees_a_client_name_email_or_phone(client, world):
    login(client, world.listener)

    pages = {e.name: client.get(e.url(world)).text for e in READ_PAGES}
    pages["dashboard"] = client.get("/").text
    pages["session_list"] = client.get("/sessions/").text
    pages["panel_member_edit"] = client.get(
        f"/sessions/{world.session.pk}/panel/{world.member.pk}/"
    ).text

    for name, text in pages.items():
        for detail in contact_details(world):
            assert detail not in text, (name, detail)
    assert world.member.pseudonym in pages["panel"]
    assert "Als toehoorder ziet u alleen pseudoniemen." in pages["panel"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["facilitator", "coordinator"])
def test_facilitator_and_coordinator_see_client_contact_details_on_the_panel_page(
    client, world, role
):
    login(client, world.user(role))

    response = client.get(f"/sessions/{world.session.pk}/panel/")

    assert response.status_code == 200
    for detail in contact_details(world):
        assert detail in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["facilitator", "coordinator"])
def test_viewing_the_panel_logs_who_saw_client_contact_details(client, world, role):
    login(client, world.user(role))

    client.get(f"/sessions/{world.session.pk}/panel/")

    log = AccessLog.objects.get()
    assert (log.user, log.action, log.session) == (
        world.user(role),
        AccessAction.VIEW_CONTACTS,
        world.session,
    )


@pytest.mark.django_db
def test_listener_viewing_the_panel_writes_no_access_log(client, world):
    login(client, world.listener)

    response = client.get(f"/sessions/{world.session.pk}/panel/")

    assert response.status_code == 200
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_opening_a_panel_member_form_logs_which_client_was_seen(client, world):
    login(client, world.facilitator)

    client.get(f"/sessions/{world.session.pk}/panel/{world.member.pk}/")

    log = AccessLog.objects.get()
    assert (log.user, log.action, log.detail) == (
        world.facilitator,
        AccessAction.VIEW_CONTACTS,
        world.member.pseudonym,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["listener", "professional", "outsider"])
def test_who_may_not_see_contacts_leaves_no_access_log_on_any_page(client, world, role):
    login(client, world.user(role))

    for endpoint in READ_PAGES + EDIT_FORMS:
        client.get(endpoint.url(world))

    assert not AccessLog.objects.exists()


# — no tampering across sessions —


def tamper_ids(other):
    return {
        "q": other.question.pk,
        "r": other.rule.pk,
        "m": other.member.pk,
        "l": other.listener_entry.pk,
    }


def tamper_cases():
    for e in OBJECT_ENDPOINTS:
        if e in EDIT_FORMS:
            yield pytest.param("GET", e, id=f"GET {e}")
        yield pytest.param("POST", e, id=f"POST {e}")


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "endpoint"), list(tamper_cases()))
def test_an_id_of_another_session_in_the_facilitators_session_gives_404(
    client, world, other, method, endpoint
):
    before = snapshot(other.session)

    _url, response = request_as(client, world, "facilitator", method, endpoint, **tamper_ids(other))

    assert response.status_code == 404
    assert snapshot(other.session) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "endpoint"),
    [pytest.param("GET", e, id=f"GET {e}") for e in SESSION_GETS]
    + [pytest.param("POST", e, id=f"POST {e}") for e in SESSION_POSTS],
)
def test_facilitator_gets_404_for_a_session_they_do_not_lead(
    client, world, other, method, endpoint
):
    ids = {"s": other.session.pk, **tamper_ids(other)}
    before = snapshot(other.session)

    _url, response = request_as(client, world, "facilitator", method, endpoint, **ids)

    assert response.status_code == (405 if method == "GET" and endpoint in POST_ONLY else 404)
    assert snapshot(other.session) == before


# — a closed session is read-only —


def closed_edits():
    for e in EDIT_FORMS:
        yield pytest.param("GET", e, id=f"GET {e}")
    for e in SESSION_POSTS:
        yield pytest.param("POST", e, id=f"POST {e}")


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "endpoint"), list(closed_edits()))
def test_facilitator_of_a_closed_session_is_refused_every_edit_with_the_reason(
    client, closed_world, method, endpoint
):
    before = snapshot(closed_world.session)

    _url, response = request_as(client, closed_world, "facilitator", method, endpoint)

    assert response.status_code == 403
    assert CLOSED in response.text
    assert snapshot(closed_world.session) == before


@pytest.mark.django_db
def test_a_closed_session_shows_its_facilitator_no_edit_forms(client, closed_world):
    login(client, closed_world.facilitator)
    s = closed_world.session.pk

    guide = client.get(f"/sessions/{s}/guide/").text
    panel = client.get(f"/sessions/{s}/panel/").text

    assert "Dit gesprek is afgesloten en alleen nog te lezen." in guide
    assert f'action="/sessions/{s}/guide/"' not in guide
    assert f'href="/sessions/{s}/panel/{closed_world.member.pk}/"' not in panel
    # A client's rights work at any time: the way to them stays (issue 10).
    assert f'href="/sessions/{s}/panel/{closed_world.member.pk}/rights/"' in panel
