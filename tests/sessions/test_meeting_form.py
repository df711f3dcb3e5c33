"""Online and hybrid sessions (issue 11, part 4): the link goes to those who join online, the
place to those in the room; planning asks for what the form needs; check-in records who was
online; the report says how the meeting was held."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from findings.reports.documents import session_report_context
from participants.constants import RecruitmentStatus
from participants.models import Listener, PanelMember
from sessions.constants import MeetingForm, Status
from sessions.models import Session
from sessions.services import invitations
from sessions.services.live import check_in
from tests.factories import (
    ListenerFactory,
    PanelMemberContactFactory,
    PanelMemberFactory,
    SessionFactory,
    UserFactory,
    World,
)
from tests.fixtures import login, session_form_data

pytestmark = pytest.mark.django_db

LINK = "https://beeldbellen.example.nl/spiegel-42"
PLACE = "Wijkcentrum De Brug"
ONLINE_NOTE = "U doet online mee"


def planned(meeting_form, **fields):
    facilitator = UserFactory(first_name="Greet", last_name="Gespreksleider")
    session = SessionFactory(
        facilitator=facilitator,
        meeting_form=meeting_form,
        location=fields.pop("location", PLACE),
        online_url=fields.pop("online_url", LINK),
        **fields,
    )
    Session.objects.filter(pk=session.pk).update(status=Status.PLANNED)
    session.refresh_from_db()
    return session


def client_in(session, name, *, online=False):
    member = PanelMemberFactory(session=session, contact=None, online=online)
    PanelMemberContactFactory(panel_member=member, name=name, email=f"{name.lower()}@example.org")
    return member


def mails_by_recipient(session, mailoutbox):
    invitations.send_invitations(session=session, by=session.facilitator)
    return {mail.to[0]: mail for mail in mailoutbox}


def text_and_html(mail):
    return mail.body, mail.alternatives[0].content


def test_a_hybrid_session_mails_the_link_to_who_joins_online_and_the_place_to_the_others(
    mailoutbox,
):
    session = planned(MeetingForm.HYBRID)
    client_in(session, "Thuis", online=True)
    client_in(session, "Zaal", online=False)
    ListenerFactory(session=session, name="Lies", email="lies@example.nl", online=True)
    ListenerFactory(session=session, name="Piet", email="piet@example.nl", online=False)

    mails = mails_by_recipient(session, mailoutbox)

    for address in ("thuis@example.org", "lies@example.nl"):
        for body in text_and_html(mails[address]):
            assert LINK in body and ONLINE_NOTE in body
            assert PLACE not in body
    for address in ("zaal@example.org", "piet@example.nl"):
        for body in text_and_html(mails[address]):
            assert PLACE in body
            assert LINK not in body and ONLINE_NOTE not in body


@pytest.mark.parametrize(
    ("meeting_form", "gets_link", "gets_place"),
    [(MeetingForm.ONLINE, True, False), (MeetingForm.IN_PERSON, False, True)],
)
def test_online_and_in_person_sessions_mail_everyone_the_same(
    mailoutbox, meeting_form, gets_link, gets_place
):
    session = planned(meeting_form)
    # A member's own choice only counts when the session is hybrid.
    client_in(session, "Iemand", online=not gets_link)

    (mail,) = mails_by_recipient(session, mailoutbox).values()

    assert (LINK in mail.body) is gets_link
    assert (PLACE in mail.body) is gets_place


def test_planning_asks_for_what_the_form_needs():
    online = planned(MeetingForm.ONLINE, online_url="")
    hybrid = planned(MeetingForm.HYBRID, location="  ")
    in_person = planned(MeetingForm.IN_PERSON, online_url="", location="")

    assert "Vul de link van de online bijeenkomst in." in online.missing_for_planned()
    assert any("Vul de plaats in" in str(m) for m in hybrid.missing_for_planned())
    assert not any("link" in str(m) or "plaats" in str(m) for m in in_person.missing_for_planned())


def test_a_link_on_a_session_in_a_room_is_questioned_and_nothing_is_lost(client):
    w = World()
    login(client, w.facilitator)
    data = session_form_data(w, online_url=LINK, meeting_form="in_person", title="Met link")

    response = client.post("/sessions/new/", data)

    assert response.status_code == 200
    assert "Een link hoort bij een online of hybride gesprek" in response.text
    assert LINK in response.text  # what was typed stays in the form
    assert not Session.objects.filter(title="Met link").exists()

    response = client.post("/sessions/new/", {**data, "meeting_form": "hybrid"})
    assert response.status_code == 302
    assert Session.objects.get(title="Met link").meeting_form == MeetingForm.HYBRID


def test_an_unknown_meeting_form_is_a_dutch_message(client):
    w = World()
    login(client, w.facilitator)

    response = client.post("/sessions/new/", session_form_data(w, meeting_form="zoom"))

    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.text


def test_only_a_hybrid_session_asks_each_person_whether_they_join_online(client):
    w = World(status="planned")
    login(client, w.facilitator)
    panel = f"/sessions/{w.session.pk}/panel/"
    listeners = f"/sessions/{w.session.pk}/listeners/"
    assert 'name="member-online"' not in client.get(panel).text
    assert 'name="new-online"' not in client.get(listeners).text

    Session.objects.filter(pk=w.session.pk).update(meeting_form=MeetingForm.HYBRID, online_url=LINK)
    assert 'name="member-online"' in client.get(panel).text
    assert 'name="new-online"' in client.get(listeners).text
    response = client.post(
        panel, {"contact-name": "Thuiswerker", "member-status": "invited", "member-online": "on"}
    )
    assert response.status_code == 302
    added = PanelMember.objects.filter(session=w.session).order_by("-number").first()
    assert added.online
    assert "online</span>" in client.get(panel).text


def test_check_in_of_a_hybrid_session_records_who_was_online():
    session = planned(MeetingForm.HYBRID)
    Session.objects.filter(pk=session.pk).update(status=Status.LIVE, live_at=timezone.now())
    session.refresh_from_db()
    planned_online = PanelMemberFactory(
        session=session, online=True, status=RecruitmentStatus.CONFIRMED
    )
    came_to_the_room = PanelMemberFactory(
        session=session, online=True, status=RecruitmentStatus.CONFIRMED
    )
    stayed_home = PanelMemberFactory(session=session, online=True)
    listener = ListenerFactory(session=session, online=False)

    check_in(
        session=session,
        present_members=[planned_online, came_to_the_room],
        present_listeners=[listener],
        online_members=[planned_online, stayed_home],
        online_listeners=[listener],
    )

    online = dict(PanelMember.objects.filter(session=session).values_list("pk", "online"))
    assert online == {planned_online.pk: True, came_to_the_room.pk: False, stayed_home.pk: True}
    assert Listener.objects.get(pk=listener.pk).online

    context = session_report_context(session)
    assert context["online_count"] == 2


def test_check_in_of_a_session_in_a_room_ignores_online_marks():
    session = planned(MeetingForm.IN_PERSON, online_url="")
    Session.objects.filter(pk=session.pk).update(status=Status.LIVE, live_at=timezone.now())
    session.refresh_from_db()
    member = PanelMemberFactory(session=session)

    check_in(
        session=session, present_members=[member], present_listeners=[], online_members=[member]
    )

    assert not PanelMember.objects.get(pk=member.pk).online


def test_the_live_check_in_shows_the_link_and_online_boxes_for_a_hybrid_session(client):
    w = World(status="planned")
    Session.objects.filter(pk=w.session.pk).update(
        status=Status.LIVE,
        live_at=timezone.now(),
        meeting_form=MeetingForm.HYBRID,
        online_url=LINK,
        location=PLACE,
    )
    login(client, w.facilitator)

    page = client.get(f"/sessions/{w.session.pk}/live/").text

    assert f'href="{LINK}"' in page
    assert f'name="online_members" value="{w.member.pk}"' in page
    assert 'name="online_listeners"' in page


def test_existing_sessions_get_their_form_from_their_addresses():
    online = SessionFactory(location="", online_url=LINK)
    both = SessionFactory(location=PLACE, online_url=LINK)
    room = SessionFactory(location=PLACE, online_url="")
    migration = importlib.import_module("sessions.migrations.0009_online")

    migration.meeting_form_from_the_addresses(apps, None)

    forms = dict(Session.objects.values_list("pk", "meeting_form"))
    assert forms[online.pk] == MeetingForm.ONLINE
    assert forms[both.pk] == MeetingForm.HYBRID
    assert forms[room.pk] == MeetingForm.IN_PERSON
