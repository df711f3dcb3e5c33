"""The facilitator's live page: who may open it, the steps, ending, and what each step shows.

Capturing and correcting notes through these pages is in tests/findings/test_capture_views.py.
"""

import re
import uuid

import pytest
from django.utils import timezone

from findings.models import Finding
from findings.views.live import short_name
from participants.constants import AccessAction, RecruitmentStatus
from participants.models import AccessLog
from sessions.constants import LiveStep, QuestionKind, Status
from sessions.models import Question, Session
from tests.factories import (
    ListenerFactory,
    PanelMemberFactory,
    QuestionFactory,
    UserFactory,
    World,
)
from tests.fixtures import login

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}  # the page's buttons post through htmx


def go_live(w):
    Session.objects.filter(pk=w.session.pk).update(status=Status.LIVE, live_at=timezone.now())
    w.session.refresh_from_db()


@pytest.fixture
def w():
    """The access World, its session live, with a co-facilitator and three questions."""
    world = World(status="planned")
    world.co_facilitator = UserFactory(username="co_facilitator")
    world.session.co_facilitator = world.co_facilitator
    world.session.save(update_fields=["co_facilitator"])
    world.q2 = QuestionFactory(session=world.session, position=world.question.position + 1)
    world.q3 = QuestionFactory(session=world.session, position=world.question.position + 2)
    go_live(world)
    return world


def finding(w, **fields):
    defaults = {
        "session": w.session,
        "client_id": uuid.uuid4(),
        "text": "Ik werd niet teruggebeld.",
        "created_by": w.facilitator,
        "question": w.question,
    }
    return Finding.objects.create(**{**defaults, **fields})


# — access —

ENDPOINTS = [
    ("GET", "/sessions/{s}/live/"),
    ("GET", "/sessions/{s}/live/state"),
    ("POST", "/sessions/{s}/live/checkin/"),
    ("POST", "/sessions/{s}/live/rules-explained/"),
    ("POST", "/sessions/{s}/live/question/{q}/"),
    ("POST", "/sessions/{s}/live/step/opening/"),
    ("POST", "/sessions/{s}/live/end/"),
    ("POST", "/sessions/{s}/live/findings/"),
    ("POST", "/sessions/{s}/live/findings/{f}/"),
]


def post_data(w, path):
    if path.endswith("/findings/"):
        return {"client_id": str(uuid.uuid4()), "text": "Goed geholpen.", "kind": "positive"}
    if "/findings/" in path:
        return {"version": 1, "text": "Anders gezegd.", "kind": "positive"}
    return {}


@pytest.mark.parametrize("role", ["facilitator", "co_facilitator"])
@pytest.mark.parametrize(("method", "path"), ENDPOINTS, ids=[p for _m, p in ENDPOINTS])
def test_a_facilitators_change_leads_back_to_the_live_page(client, w, method, path, role):
    """Who may open what: tests/test_permissions.py."""
    url = path.format(s=w.session.pk, q=w.q2.pk, f=finding(w).pk)
    login(client, getattr(w, role))
    response = client.get(url) if method == "GET" else client.post(url, post_data(w, path))

    assert response.status_code == (200 if method == "GET" else 302)
    if method == "POST":
        assert response.url == f"/sessions/{w.session.pk}/live/"


def test_a_listener_is_told_why_not(client, w):
    login(client, w.listener)
    response = client.get(f"/sessions/{w.session.pk}/live/")

    assert response.status_code == 403
    assert "Alleen de gespreksleiders gebruiken de gesprekspagina." in response.text


def test_an_unknown_step_is_404(client, w):
    login(client, w.facilitator)
    response = client.post(f"/sessions/{w.session.pk}/live/step/nowhere/")

    assert response.status_code == 404


def test_a_question_of_another_session_is_404(client, w):
    other = QuestionFactory()
    login(client, w.facilitator)
    response = client.post(f"/sessions/{w.session.pk}/live/question/{other.pk}/", **HTMX)

    assert response.status_code == 404
    w.session.refresh_from_db()
    assert w.session.current_question_id is None


# — before and after the meeting —


def test_going_live_lands_on_the_live_page(client):
    world = World(status="planned")
    login(client, world.facilitator)
    response = client.post(f"/sessions/{world.session.pk}/status/go_live/")

    assert response.status_code == 302
    assert response.url == f"/sessions/{world.session.pk}/live/"
    world.session.refresh_from_db()
    assert world.session.status == Status.LIVE


def test_a_planned_session_shows_the_start_button(client):
    world = World(status="planned")
    login(client, world.facilitator)
    response = client.get(f"/sessions/{world.session.pk}/live/")

    assert response.status_code == 200
    assert "Het gesprek is nog niet gestart" in response.text
    assert f'action="/sessions/{world.session.pk}/status/go_live/"' in response.text


def test_a_draft_session_points_to_the_preparation(client):
    world = World()
    login(client, world.facilitator)
    response = client.get(f"/sessions/{world.session.pk}/live/")

    assert "Dit gesprek is nog niet gepland" in response.text
    assert "go_live" not in response.text


def test_the_detail_page_links_to_the_live_page_while_live(client, w):
    login(client, w.facilitator)
    response = client.get(f"/sessions/{w.session.pk}/")
    assert "Naar het gesprek" in response.text
    assert f'href="/sessions/{w.session.pk}/live/"' in response.text
    login(client, w.listener)
    assert "Naar het gesprek" not in client.get(f"/sessions/{w.session.pk}/").text


def test_steps_move_on_the_server(client, w):
    member = w.member
    absent = PanelMemberFactory(session=w.session)
    login(client, w.facilitator)
    base = f"/sessions/{w.session.pk}/live/"

    response = client.post(
        f"{base}checkin/", {"members": [member.pk], "listeners": [w.listener_entry.pk]}, **HTMX
    )
    assert response.status_code == 200 and 'id="live-stage" hx-swap-oob' in response.text
    statuses = dict(w.session.panel_members.values_list("pk", "status"))
    assert statuses == {member.pk: RecruitmentStatus.ATTENDED, absent.pk: RecruitmentStatus.NO_SHOW}

    client.post(f"{base}rules-explained/", **HTMX)
    w.session.refresh_from_db()
    assert w.session.live_step == LiveStep.QUESTIONS
    assert w.session.current_question == w.question
    assert w.session.rules_explained_at is not None

    client.post(f"{base}question/{w.q3.pk}/", **HTMX)
    client.post(f"{base}step/clarifying/", **HTMX)
    w.session.refresh_from_db()
    assert (w.session.live_step, w.session.current_question) == (LiveStep.CLARIFYING, w.q3)


def test_check_in_refuses_people_of_another_session(client, w):
    stranger = PanelMemberFactory()
    login(client, w.facilitator)
    response = client.post(
        f"/sessions/{w.session.pk}/live/checkin/", {"members": [stranger.pk]}, **HTMX
    )

    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.text


def test_check_in_shows_names_only_there_and_logs_it(client, w):
    login(client, w.facilitator)
    response = client.get(f"/sessions/{w.session.pk}/live/")

    name = w.member.contact.name
    short = f"{name.split()[0]} {name.split()[1][0]}."
    assert "Deelnemer A" in response.text and short in response.text
    assert name not in response.text
    assert AccessLog.objects.filter(action=AccessAction.VIEW_CONTACTS, detail="check-in").exists()
    client.post(f"/sessions/{w.session.pk}/live/checkin/", {"members": [w.member.pk]})
    client.post(f"/sessions/{w.session.pk}/live/rules-explained/")
    response = client.get(f"/sessions/{w.session.pk}/live/")
    assert "Deelnemer A" in response.text and short not in response.text


def test_the_opening_shows_the_rules(client, w):
    Session.objects.filter(pk=w.session.pk).update(live_step=LiveStep.OPENING)
    login(client, w.facilitator)
    response = client.get(f"/sessions/{w.session.pk}/live/")

    assert w.rule.text in response.text
    assert "Spelregels zijn uitgelegd" in response.text


def test_clarifying_step_is_refused_when_the_rules_forbid_it(client, w):
    Session.objects.filter(pk=w.session.pk).update(listener_questions_allowed=False)
    login(client, w.facilitator)
    response = client.post(f"/sessions/{w.session.pk}/live/step/clarifying/", **HTMX)

    assert response.status_code == 409
    assert "toehoorders" in response.text


def test_a_step_when_not_live_is_a_dutch_message(client, w):
    Session.objects.filter(pk=w.session.pk).update(status=Status.DEBRIEF)
    login(client, w.facilitator)
    response = client.post(f"/sessions/{w.session.pk}/live/rules-explained/", **HTMX)

    assert response.status_code == 409
    assert 'hx-swap-oob="innerHTML">Het gesprek is niet bezig.</div>' in response.text


# — the state other tabs follow —


def versions(response):
    """The versions a poll sends back, read from the hidden fields of the last answer."""
    return dict(re.findall(r'name="(stage_v|notes_v)" value="([^"]*)"', response.text))


def test_state_sends_html_only_for_what_changed(client, w):
    login(client, w.facilitator)
    url = f"/sessions/{w.session.pk}/live/state"
    first = client.get(url)
    assert first.status_code == 200 and "Wie is er?" in first.text
    assert 'id="live-stage"' in first.text and 'id="live-notes"' in first.text
    seen = versions(first)

    same = client.get(url, seen)
    assert same.status_code == 204 and not same.content

    client.post(f"/sessions/{w.session.pk}/live/rules-explained/")
    moved = client.get(url, seen)
    assert f'name="question" id="capture-question" value="{w.question.pk}"' in moved.text
    assert "data-capturing" in moved.text
    assert w.question.text in moved.text
    assert 'id="live-announce" hx-swap-oob="innerHTML">Nu: vraag 1 van 3.</div>' in moved.text
    seen = versions(moved)

    finding(w, text="Nieuw <b>hier</b>")
    noted = client.get(url, seen)
    assert 'id="live-stage"' not in noted.text
    assert "Nieuw &lt;b&gt;hier&lt;/b&gt;" in noted.text


def test_state_of_an_ended_meeting_says_so(client, w):
    Session.objects.filter(pk=w.session.pk).update(status=Status.DEBRIEF)
    login(client, w.facilitator)

    response = client.get(f"/sessions/{w.session.pk}/live/state")
    # 286 stops htmx polling; the reload shows the summary.
    assert response.status_code == 286 and response["HX-Refresh"] == "true"


def test_state_costs_four_queries(client, w, django_assert_num_queries):
    login(client, w.facilitator)
    url = f"/sessions/{w.session.pk}/live/state"
    seen = versions(client.get(url))
    # django_session, user, the session with the viewer's roles, the notes' count and latest
    with django_assert_num_queries(4):
        client.get(url, seen)


@pytest.mark.parametrize("n", [3, 30])
def test_the_live_page_costs_the_same_whatever_the_notes(client, w, n, django_assert_num_queries):
    Session.objects.filter(pk=w.session.pk).update(
        live_step=LiveStep.QUESTIONS, current_question=w.question
    )
    for i in range(n):
        finding(w, speaker=PanelMemberFactory(session=w.session), text=f"Notitie {i}")
    login(client, w.facilitator)
    # django_session, user, session; questions; speakers; the notes (with speaker); version;
    # whether it has tables; the organisations with their logos (the look)
    with django_assert_num_queries(9):
        response = client.get(f"/sessions/{w.session.pk}/live/")
    assert response.text.count('class="live-note ') == n


# — ending —


def test_ending_is_offered_only_at_the_last_step(client, w):
    Session.objects.filter(pk=w.session.pk).update(
        live_step=LiveStep.QUESTIONS, current_question=w.question
    )
    login(client, w.facilitator)
    url = f"/sessions/{w.session.pk}/live/"
    assert "Gesprek beëindigen" not in client.get(url).text
    response = client.post(f"{url}end/", **HTMX)
    assert response.status_code == 409
    refusal = "Beëindig het gesprek na de laatste vraag."
    assert f'hx-swap-oob="innerHTML">{refusal}</div>' in response.text

    Session.objects.filter(pk=w.session.pk).update(current_question=w.q3)
    page = client.get(url).text
    assert "Gesprek beëindigen" in page and "Naar vragen van toehoorders" in page


def test_ending_moves_to_the_debrief_and_shows_counts(client, w):
    Session.objects.filter(pk=w.session.pk).update(
        live_step=LiveStep.CLARIFYING, current_question=w.q3
    )
    finding(w, kind="positive", starred=True)
    finding(w, kind="positive", question=w.q2)
    finding(w, kind="wish", question=None)
    login(client, w.facilitator)
    response = client.post(f"/sessions/{w.session.pk}/live/end/", follow=True)

    w.session.refresh_from_db()
    assert w.session.status == Status.DEBRIEF and w.session.ended_at
    text = response.text
    assert "Het gesprek is afgelopen" in text
    assert "3 notities" in text
    assert "Het gesprek is beëindigd. Nu volgt het nagesprek." in text


def test_ending_twice_is_a_clear_message_not_an_error(client, w):
    Session.objects.filter(pk=w.session.pk).update(live_step=LiveStep.CLARIFYING)
    login(client, w.facilitator)
    client.post(f"/sessions/{w.session.pk}/live/end/")
    ended_at = Session.objects.get(pk=w.session.pk).ended_at
    response = client.post(f"/sessions/{w.session.pk}/live/end/", follow=True)

    assert response.status_code == 200
    assert "Het gesprek was al beëindigd." in response.text
    assert Session.objects.get(pk=w.session.pk).ended_at == ended_at


def test_a_closed_session_shows_the_summary_but_takes_no_changes(client, w):
    Session.objects.filter(pk=w.session.pk).update(status=Status.CLOSED)
    login(client, w.facilitator)

    assert "Het gesprek is afgelopen" in client.get(f"/sessions/{w.session.pk}/live/").text
    response = client.post(f"/sessions/{w.session.pk}/live/end/")
    assert response.status_code == 403
    assert "afgesloten" in response.text


def test_listeners_are_checked_in_too(client, w):
    absent = ListenerFactory(session=w.session, name="Bram de Wit")
    login(client, w.facilitator)
    client.post(f"/sessions/{w.session.pk}/live/checkin/", {"listeners": [w.listener_entry.pk]})

    assert dict(w.session.listeners.values_list("pk", "attended")) == {
        w.listener_entry.pk: True,
        absent.pk: False,
    }


def test_every_form_of_every_step_carries_a_csrf_token(client, w):
    """Forms the state endpoint sends in (the end button included) post without a reload."""
    login(client, w.facilitator)
    for step in LiveStep.values:
        Session.objects.filter(pk=w.session.pk).update(live_step=step, current_question=w.q3)
        html = client.get(f"/sessions/{w.session.pk}/live/state").text
        assert html.count("<form") == len(
            re.findall(r'name="csrfmiddlewaretoken" value="\w+"', html)
        )


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Margreet Pietersen", "Margreet P."),
        ("Jan de Vries", "Jan de V."),
        ("Anna Maria van der Berg", "Anna M. van der B."),
        ("Margreet", "Margreet"),
        ("", ""),
    ],
)
def test_names_at_check_in_are_cut_short(name, short):
    assert short_name(name) == short


def test_the_ended_summary_lists_questions_in_the_guides_order(client, w):
    """Issue 12: the per-question table followed creation order, not the guide's."""
    Question.objects.filter(pk=w.question.pk).update(position=w.q3.position + 1)
    Question.objects.filter(pk=w.q2.pk).update(text="Tweede in de gids")
    Question.objects.filter(pk=w.q3.pk).update(text="Derde in de gids")
    Question.objects.filter(pk=w.question.pk).update(text="Laatste in de gids")
    Session.objects.filter(pk=w.session.pk).update(status=Status.DEBRIEF, ended_at=timezone.now())
    login(client, w.facilitator)

    page = client.get(f"/sessions/{w.session.pk}/live/").text
    assert page.index("Tweede in de gids") < page.index("Derde in de gids")
    assert page.index("Derde in de gids") < page.index("Laatste in de gids")


def listener_question(w, **fields):
    return QuestionFactory(
        session=w.session,
        position=w.q3.position + 1,
        kind=QuestionKind.LISTENER,
        text="Heeft u als toehoorder nog een korte vraag?",
        **fields,
    )


def test_a_listener_question_is_the_clarifying_step_not_a_second_one(client, w):
    """Issue 12: a LISTENER question was walked as a question, then came the clarifying step."""
    question = listener_question(w)
    Session.objects.filter(pk=w.session.pk).update(
        live_step=LiveStep.QUESTIONS, current_question=w.q3
    )
    login(client, w.facilitator)
    base = f"/sessions/{w.session.pk}/live/"
    page = client.get(base).text
    assert "Vraag 3 van 3" in page and "Naar vragen van toehoorders" in page
    assert question.text not in page  # not in the guide list of the questions step

    client.post(f"{base}step/clarifying/", **HTMX)
    page = client.get(base).text
    assert question.text in page
    assert f'id="capture-question" value="{question.pk}"' in page
    # The page sends the LISTENER question with each note, so the report files it there.
    response = client.post(
        f"{base}findings/",
        {
            "client_id": str(uuid.uuid4()),
            "text": "Onder de vraag van toehoorders.",
            "kind": "later",
            "question": str(question.pk),
            "speaker": "",
            "captured_at": timezone.now().isoformat(),
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    assert Finding.objects.filter(question=question).count() == 1
    assert "Onder de vraag van toehoorders." in client.get(base).text


def test_the_guide_warns_when_a_listener_question_will_be_skipped(client, w):
    listener_question(w)
    Session.objects.filter(pk=w.session.pk).update(listener_questions_allowed=False)
    login(client, w.facilitator)
    page = client.get(f"/sessions/{w.session.pk}/guide/").text
    assert "wordt tijdens het gesprek overgeslagen" in page


def planned(w, hours_ahead):
    Session.objects.filter(pk=w.session.pk).update(
        status=Status.PLANNED,
        live_at=None,
        starts_at=timezone.now() + timezone.timedelta(hours=hours_ahead),
    )


def test_starting_asks_first_and_warns_with_the_date_when_the_meeting_is_days_away(client, w):
    """Issue 12: "Gesprek starten" had no confirmation and no warning for a date days away."""
    planned(w, hours_ahead=24 * 5)
    login(client, w.facilitator)
    for page in (f"/sessions/{w.session.pk}/live/", f"/sessions/{w.session.pk}/"):
        text = client.get(page).text
        form = re.search(r"<form[^>]*/status/go_live/[^>]*>", text).group(0)
        assert "data-confirm=" in form and "staat gepland op" in form, page
    text = client.get(f"/sessions/{w.session.pk}/live/").text
    assert "Let op: dit gesprek is gepland voor later." in text
    day = timezone.localtime(Session.objects.get(pk=w.session.pk).starts_at)
    assert f"{day.day} " in text.split("Het gesprek staat gepland op")[1][:40]


def test_starting_on_the_day_asks_first_without_the_warning(client, w):
    planned(w, hours_ahead=1)
    login(client, w.facilitator)
    text = client.get(f"/sessions/{w.session.pk}/live/").text
    form = re.search(r"<form[^>]*/status/go_live/[^>]*>", text).group(0)
    assert "data-confirm=" in form and "staat gepland op" not in form
    assert "gepland voor later" not in text


def test_the_meeting_clock_runs_from_the_real_start(client, w):
    """The clock counts from live_at, whatever the planned start said."""
    login(client, w.facilitator)
    session = Session.objects.get(pk=w.session.pk)
    assert session.live_at != session.starts_at
    text = client.get(f"/sessions/{w.session.pk}/live/").text
    since = int(session.live_at.timestamp() * 1000)
    assert f'data-clock="meeting" data-clock-since="{since}"' in text
