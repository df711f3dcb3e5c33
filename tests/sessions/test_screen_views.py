"""The presenter screen: what it shows (and never shows) and how cheap a poll is (of the
listeners' view too). Who may open it is in tests/test_permissions.py; the listeners' view and
the jotting pad are in tests/findings/test_listen_views.py."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from findings.services.capture import capture_finding
from findings.services.jottings import save_jotting
from sessions.constants import LiveStep, QuestionKind, Status
from sessions.models import Session
from sessions.services import live
from tests.factories import QuestionFactory
from tests.fixtures import login
from tests.room import (
    ALLOWED,
    as_role,
    live_world,
    make_live,
    questions,
    to_question,
    url,
)


@pytest.fixture
def w(db):
    return live_world()


# — what the screen shows —


def test_screen_welcomes_during_check_in(client, w):
    response = as_role(client, w, "facilitator").get(url(w, "screen/"))

    html = response.content.decode()
    assert "<h1" in html and "Welkom" in html
    assert w.session.title in html
    assert 'hx-trigger="every 1s"' in html
    assert 'lang="nl"' in html


def test_screen_shows_the_rules_in_the_opening(client, w):
    session = Session.objects.get(pk=w.session.pk)
    live.check_in(session=session, present_members=[w.member], present_listeners=[])

    html = as_role(client, w, "facilitator").get(url(w, "screen/state")).content.decode()

    assert "Spelregels" in html
    assert "Toehoorders zwijgen." in html
    assert html.count("<li>") == 3


def test_screen_follows_the_current_question_with_its_number(client, w):
    to_question(w, 2)

    html = as_role(client, w, "listener").get(url(w, "screen/state")).content.decode()

    assert "Vraag 3 van 4" in html
    assert questions(w)[2].text in html
    assert questions(w)[1].text not in html


def test_screen_counts_questions_in_guide_order_not_by_id(client, w):
    first, second, *_rest = questions(w)
    first.position, second.position = 2, 1  # the second one is now asked first
    first.save()
    second.save()
    to_question(w, 1)  # `first`, now second in the guide

    html = as_role(client, w, "facilitator").get(url(w, "screen/state")).content.decode()

    assert first.text in html
    assert "Vraag 2 van 4" in html


def test_screen_shows_clarifying_questions_and_thanks_at_the_end(client, w):
    session = Session.objects.get(pk=w.session.pk)
    live.go_to_step(session=session, step=LiveStep.CLARIFYING)
    as_role(client, w, "facilitator")
    assert (
        "Verduidelijkende vragen van toehoorders"
        in client.get(url(w, "screen/state")).content.decode()
    )

    live.end_meeting(session_id=session.pk)
    response = client.get(url(w, "screen/state"))

    assert response.status_code == 286  # htmx stops polling
    assert "Bedankt voor uw bijdrage" in response.content.decode()


def test_screen_before_the_meeting_welcomes_and_keeps_polling(client, w):
    Session.objects.filter(pk=w.session.pk).update(status=Status.PLANNED, live_at=None)

    response = as_role(client, w, "facilitator").get(url(w, "screen/state"))

    assert response.status_code == 200
    assert "Welkom" in response.content.decode()


def test_an_unchanged_state_answers_204_and_a_change_answers_the_fragment(client, w):
    to_question(w, 0)
    as_role(client, w, "facilitator")
    first = client.get(url(w, "screen/state"))
    version = first.content.decode().split('name="v" value="')[1].split('"')[0]

    assert client.get(url(w, "screen/state"), {"v": version}).status_code == 204

    to_question(w, 1)
    changed = client.get(url(w, "screen/state"), {"v": version})
    assert changed.status_code == 200
    assert questions(w)[1].text in changed.content.decode()


def test_the_clock_shows_only_when_asked_for(client, w):
    as_role(client, w, "facilitator")

    assert "data-elapsed-since" not in client.get(url(w, "screen/")).content.decode()
    html = client.get(url(w, "screen/"), {"klok": "1"}).content.decode()
    assert "data-elapsed-since" in html
    assert 'role="timer"' in html
    assert "?klok=1" in html  # the poll keeps the clock


@pytest.mark.parametrize(
    ("length", "size"),
    [(40, "is-roomy"), (200, "is-medium"), (900, "is-very-dense"), (2000, "is-extreme")],
)
def test_a_longer_question_gets_a_smaller_size(client, w, length, size):
    question = questions(w)[0]
    question.text = ("Hoe was het contact? " * 100)[:length]
    question.save()
    to_question(w, 0)

    html = as_role(client, w, "facilitator").get(url(w, "screen/state")).content.decode()

    assert f"question-text {size}" in html


def test_screen_speaks_the_sessions_language(client, w):
    Session.objects.filter(pk=w.session.pk).update(language="en")

    html = as_role(client, w, "facilitator").get(url(w, "screen/")).content.decode()

    assert '<html lang="en"' in html


def test_room_views_never_show_findings_or_names(client, w):
    to_question(w, 0)
    speaker = w.member
    secret = "GEHEIME-BEVINDING: ik voelde me niet gehoord"
    capture_finding(
        session=w.session,
        user=w.facilitator,
        client_id=uuid.uuid4(),
        text=secret,
        kind="quote",
        question_id=questions(w)[0].pk,
        speaker_id=speaker.pk,
        starred=True,
    )
    names = [
        secret,
        speaker.pseudonym,
        speaker.contact.name,
        w.listener_entry.name,
        w.facilitator.get_full_name(),
    ]
    for role in ALLOWED:
        as_role(client, w, role)
        for page in ["screen/", "screen/state", "listen/", "listen/state"]:
            html = client.get(url(w, page)).content.decode()
            for name in names:
                if page.startswith("listen/") and name == w.user(role).get_full_name():
                    continue  # the navbar names the viewer themselves
                assert name not in html, (role, page, name)


# — navigation —


def test_the_session_tabs_lead_to_the_screen_and_the_listener_view_while_live(client, w):
    as_role(client, w, "facilitator")
    html = client.get(url(w, "")).content.decode()
    assert f'href="/sessions/{w.session.pk}/screen/"' in html

    as_role(client, w, "listener")
    html = client.get(url(w, "")).content.decode()
    assert f'href="/sessions/{w.session.pk}/listen/"' in html
    assert "Meekijken als toehoorder" in html


# — cost of a poll —

# Every request reads the django_session row and the user (2), then the session with the
# viewer's roles annotated (1, get_session_for), then what the scene shows: the rules (1), or
# the current question with its number and the guide's length in one query (1). Check-in and
# the end need nothing more.
POLL_QUERIES = {"welcome": 3, "rules": 4, "question": 4, "clarifying": 3, "thanks": 3}


def enter(session, scene):
    session = Session.objects.get(pk=session.pk)
    if scene == "rules":
        live.check_in(session=session, present_members=[], present_listeners=[])
    elif scene == "question":
        live.explain_rules(session=session)
        live.go_to_question(session=session, question=session.questions.order_by("-pk").first())
    elif scene == "clarifying":
        live.go_to_step(session=session, step=LiveStep.CLARIFYING)
    elif scene == "thanks":
        live.end_meeting(session_id=session.pk)


@pytest.mark.parametrize("scene", POLL_QUERIES)
@pytest.mark.parametrize("page", ["screen/state", "listen/state?pad=1"])
def test_a_poll_costs_the_same_few_queries_whatever_the_size_of_the_guide(client, w, scene, page):
    enter(w.session, scene)
    login(client, w.listener)
    counts = []
    for more in (0, 27):
        make_live(w, questions=more, rules=more)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(w, page))
        assert response.status_code in (200, 286)
        counts.append(len(queries))
    assert counts == [POLL_QUERIES[scene]] * 2, "\n".join(
        q["sql"] for q in queries.captured_queries
    )


# Page loads are constant too: the screen as a poll (+ nothing); the listener view as a poll
# + the rules for the reminder + the viewer's own jotting + their leervragen (shown, not
# editable, during the meeting).
@pytest.mark.parametrize("more", [0, 27])
def test_the_pages_cost_a_constant_number_of_queries(client, w, more, django_assert_num_queries):
    make_live(w, questions=more, rules=more)
    enter(w.session, "question")
    login(client, w.listener)
    save_jotting(session=w.session, author=w.listener, text="x", base_version="")

    # + whether the session has tables (kitchen tables: the plenary's tips beside the scene)
    with django_assert_num_queries(5):
        client.get(url(w, "screen/"))
    # + the session's organisations with their logos (the listeners' page wears its look;
    #   the screen, a page of its own for the room, does not)
    with django_assert_num_queries(8):
        client.get(url(w, "listen/"))


@pytest.mark.parametrize("page", ["screen/state", "listen/state?pad=1"])
def test_the_screen_and_listeners_show_the_listener_questions_text_in_the_clarifying_step(
    client, w, page
):
    """Issue 12: a LISTENER question of the guide is the clarifying step, on every screen."""
    QuestionFactory(
        session=w.session, position=99, kind=QuestionKind.LISTENER, text="Wat wilt u nog weten?"
    )
    session = Session.objects.get(pk=w.session.pk)
    live.go_to_step(session=session, step=LiveStep.CLARIFYING)
    as_role(client, w, "listener")
    assert "Wat wilt u nog weten?" in client.get(url(w, page)).content.decode()
