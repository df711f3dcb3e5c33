"""Listeners learn (issue 13): leervragen before the meeting, a reflection after it, private
unless shared; the debrief and the report show what they may; actions from reflections are
counted for coordinators over time."""

import datetime as dt
from html import escape

import pytest
from django.utils import timezone

from findings.models import ImprovementAction, ListenerLearning
from findings.reports.documents import session_report_context
from findings.services import learning
from participants.constants import Role
from sessions.access import get_session_for
from sessions.constants import Status
from sessions.models import Session
from tests.factories import ListenerFactory, MembershipFactory, UserFactory, World
from tests.fixtures import login

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def listen(session, suffix=""):
    return f"/sessions/{session.pk}/listen/{suffix}"


def set_status(session, status):
    Session.objects.filter(pk=session.pk).update(status=status)
    session.refresh_from_db()


@pytest.fixture
def w():
    w = World(status=Status.PLANNED)
    w.colleague = UserFactory(username="colleague")
    MembershipFactory(user=w.colleague, organisation=w.org_a, role=Role.PROFESSIONAL)
    ListenerFactory(session=w.session, user=w.colleague, name="Cor Collega")
    return w


def test_a_listener_writes_up_to_three_leervragen_before_the_meeting(client, w):
    login(client, w.listener)
    page = client.get(listen(w.session)).content.decode()
    assert 'id="learning"' in page and "Leervraag 3" in page
    response = client.post(
        listen(w.session, "learning/"),
        {"question_1": "  Wat   maakt wachten zwaar? ", "question_2": "", "question_3": SCRIPT},
    )
    assert response.status_code == 302
    stored = ListenerLearning.objects.get(session=w.session, author=w.listener)
    assert stored.questions == ["Wat maakt wachten zwaar?", SCRIPT]
    assert stored.shared is False  # private unless the listener shares
    page = client.get(listen(w.session)).content.decode()
    assert escape(SCRIPT) in page and SCRIPT not in page


def test_more_than_three_leervragen_are_refused_by_the_service(w):
    with pytest.raises(learning.LearningRefused):
        learning.save_questions(
            session=w.session, author=w.listener, questions=["a", "b", "c", "d"], shared=False
        )


def test_a_too_long_leervraag_is_refused_in_dutch_and_the_others_are_kept_on_the_page(client, w):
    login(client, w.listener)
    response = client.post(
        listen(w.session, "learning/"), {"question_1": "Kort.", "question_2": "x" * 301}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kort." in page and "niet meer dan 300 tekens" in page
    assert not ListenerLearning.objects.exists()


def test_during_the_meeting_the_leervragen_are_shown_not_edited(client, w):
    learning.save_questions(
        session=w.session, author=w.listener, questions=["Waar lopen mensen vast?"], shared=False
    )
    set_status(w.session, Status.LIVE)
    login(client, w.listener)
    page = client.get(listen(w.session)).content.decode()
    assert "Waar lopen mensen vast?" in page
    assert 'name="question_1"' not in page
    assert client.post(listen(w.session, "learning/"), {"question_1": "Nieuw"}).status_code == 403


def test_after_the_meeting_the_listener_writes_a_reflection_and_may_share_it(client, w):
    set_status(w.session, Status.DEBRIEF)
    login(client, w.listener)
    response = client.post(
        listen(w.session, "learning/"),
        {"touched": "Het verhaal van de moeder.", "change": "Ik bel zelf terug.", "shared": "on"},
    )
    assert response.status_code == 302
    stored = ListenerLearning.objects.get(session=w.session, author=w.listener)
    assert (stored.touched, stored.change, stored.shared) == (
        "Het verhaal van de moeder.",
        "Ik bel zelf terug.",
        True,
    )
    # Reflection often comes later: also after closing.
    set_status(w.session, Status.CLOSED)
    client.post(listen(w.session, "learning/"), {"touched": "Later nog.", "change": ""})
    stored.refresh_from_db()
    assert stored.touched == "Later nog." and stored.shared is False


def test_only_listeners_write_and_only_their_own(client, w):
    set_status(w.session, Status.DEBRIEF)
    login(client, w.coordinator)
    response = client.post(listen(w.session, "learning/"), {"touched": "x"})
    assert response.status_code == 403
    assert "toehoorders" in response.content.decode()
    login(client, w.colleague)
    client.post(listen(w.session, "learning/"), {"touched": "Mijn eigen."})
    assert not ListenerLearning.objects.filter(author=w.listener).exists()
    assert ListenerLearning.objects.get(author=w.colleague).touched == "Mijn eigen."


def test_the_debrief_shows_own_and_shared_never_another_ones_private(client, w):
    learning.save_questions(
        session=w.session, author=w.listener, questions=["Mijn privévraag?"], shared=False
    )
    learning.save_questions(
        session=w.session, author=w.colleague, questions=["Gedeelde vraag?"], shared=True
    )
    set_status(w.session, Status.DEBRIEF)
    login(client, w.listener)
    page = client.get(f"/sessions/{w.session.pk}/debrief/").content.decode()
    assert "Mijn privévraag?" in page and "alleen voor u" in page
    assert "Gedeelde vraag?" in page
    login(client, w.coordinator)
    page = client.get(f"/sessions/{w.session.pk}/debrief/").content.decode()
    assert "Gedeelde vraag?" in page
    assert "Mijn privévraag?" not in page


def test_the_report_counts_all_and_lists_only_shared_ones_without_names(w):
    learning.save_questions(
        session=w.session, author=w.listener, questions=["Privé?", "Ook privé?"], shared=False
    )
    learning.save_questions(
        session=w.session, author=w.colleague, questions=["Gedeeld?"], shared=True
    )
    set_status(w.session, Status.DEBRIEF)
    learning.save_reflection(
        session=w.session, author=w.colleague, touched="Raakte me.", change="", shared=True
    )
    session = get_session_for(w.coordinator, w.session.pk)
    context = session_report_context(session)
    c = context["learning_counts"]
    assert (c.listeners, c.questions, c.reflections, c.shared) == (2, 3, 1, 1)
    assert [item.questions for item in context["learnings_shared"]] == [["Gedeeld?"]]


def test_an_action_marked_as_from_a_reflection_is_counted_per_month_with_done(client, w):
    set_status(w.session, Status.DEBRIEF)
    held = timezone.now() - dt.timedelta(days=3)
    Session.objects.filter(pk=w.session.pk).update(starts_at=held)
    finding = w.session.findings.create(
        text="Niemand belde terug.", created_by=w.facilitator, client_id="0" * 32
    )
    login(client, w.listener)
    response = client.post(
        f"/sessions/{w.session.pk}/debrief/actions/new/",
        {
            "findings": [finding.pk],
            "title": "Zelf terugbellen",
            "owner": w.listener.pk,
            "due_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            "priority": "normal",
            "from_reflection": "on",
        },
    )
    assert response.status_code == 302
    action = ImprovementAction.objects.get(title="Zelf terugbellen")
    assert action.from_reflection
    today = timezone.localdate()
    months = learning.reflection_actions(
        organisation=w.org_a, start=today - dt.timedelta(days=60), end=today
    )
    assert [(m.actions, m.done) for m in months] == [(1, 0)]
    ImprovementAction.objects.filter(pk=action.pk).update(status="done", closing_note="Gedaan.")
    months = learning.reflection_actions(
        organisation=w.org_a, start=today - dt.timedelta(days=60), end=today
    )
    assert [(m.actions, m.done) for m in months] == [(1, 1)]
    assert months[0].month == timezone.localtime(held).date().replace(day=1)
    login(client, w.coordinator)
    page = client.get("/actions/insights/").content.decode()
    assert 'id="reflection-actions"' in page
    assert (
        "1 verbeteractie in deze periode kwam voort uit een reflectie; 1 daarvan is gedaan." in page
    )


def test_a_reflection_of_ten_thousand_characters_is_refused_and_the_other_field_kept(client, w):
    set_status(w.session, Status.DEBRIEF)
    login(client, w.listener)
    response = client.post(
        listen(w.session, "learning/"), {"touched": "x" * 10_000, "change": "Ik bel terug."}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "niet meer dan 2000 tekens" in page and "Ik bel terug." in page
    assert not ListenerLearning.objects.exists()


def test_a_nul_byte_in_a_leervraag_is_refused_in_dutch(client, w):
    login(client, w.listener)
    response = client.post(listen(w.session, "learning/"), {"question_1": "a\x00b"})
    assert response.status_code == 200
    assert "Null-tekens zijn niet toegestaan." in response.content.decode()
