"""Invitations and reminders (issue 12): who gets a mail, what is in it, the .ics, the pages."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from participants.constants import AccessAction, RecruitmentStatus
from participants.models import AccessLog, Listener, PanelMember
from sessions.constants import Status
from sessions.models import Session
from sessions.services import invitations
from sessions.tasks import send_invitations_task, send_reminders
from tests.factories import (
    ListenerFactory,
    PanelMemberContactFactory,
    PanelMemberFactory,
    RuleFactory,
    SessionFactory,
    UserFactory,
    World,
)
from tests.fixtures import login

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HOSTILE = "<script>alert(1)</script> 🙂 שלום עולם \u202e"


def planned(**fields):
    """A planned session two weeks ahead, led by a facilitator with an e-mail address."""
    facilitator = UserFactory(first_name="Greet", last_name="Gespreksleider")
    fields.setdefault("location", "Stadhuis, zaal 3")
    session = SessionFactory(facilitator=facilitator, **fields)
    Session.objects.filter(pk=session.pk).update(status=Status.PLANNED)
    session.refresh_from_db()
    return session


def member(session, *, email="client@example.org", name="Cliënt Geheimnaam", **fields):
    panel_member = PanelMemberFactory(session=session, contact=None, **fields)
    PanelMemberContactFactory(panel_member=panel_member, name=name, email=email)
    return panel_member


def no_consent():
    return {"consent_participation": False, "consent_date": None}


def send(session, **options):
    return invitations.send_invitations(session=session, by=session.facilitator, **options)


def mails_to(outbox, address):
    return [m for m in outbox if m.to == [address]]


def html_of(message):
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return html


def ics_of(message):
    (attachment,) = message.attachments
    assert attachment.filename.endswith(".ics")
    assert attachment.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(attachment.content)


# — the calendar file —


def test_ics_parses_back_with_tzid_europe_amsterdam_and_the_local_start_time():
    session = planned(starts_at=dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC))
    calendar = icalendar.Calendar.from_ical(invitations.build_ics(session))

    (event,) = calendar.events
    assert calendar["METHOD"] == "PUBLISH"
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.start == dt.datetime(2026, 7, 1, 14, 0, tzinfo=AMSTERDAM)  # CEST, UTC+2
    assert event.end == dt.datetime(2026, 7, 1, 16, 0, tzinfo=AMSTERDAM)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert event.summary == session.title
    assert event["LOCATION"] == "Stadhuis, zaal 3"
    assert event.uid == f"spiegel-session-{session.pk}@127.0.0.1"


def test_ics_uid_is_stable_and_sequence_grows_when_the_session_changes():
    session = planned()
    first = icalendar.Calendar.from_ical(invitations.build_ics(session)).events[0]
    Session.objects.filter(pk=session.pk).update(
        updated_at=session.updated_at + dt.timedelta(hours=1)
    )
    session.refresh_from_db()
    second = icalendar.Calendar.from_ical(invitations.build_ics(session)).events[0]
    assert first.uid == second.uid
    assert second.sequence > first.sequence


def test_online_session_puts_the_link_in_location():
    session = planned(
        location="", online_url="https://meet.example.nl/spiegel", meeting_form="online"
    )
    event = icalendar.Calendar.from_ical(invitations.build_ics(session)).events[0]
    assert event["LOCATION"] == "https://meet.example.nl/spiegel"


# — who gets a mail —


def test_listeners_get_the_information_sheet_and_the_rules_of_the_session(mailoutbox):
    session = planned(listener_questions_allowed=False)
    RuleFactory(session=session, text="Toehoorders zwijgen tijdens het gesprek.")
    RuleFactory(session=session, text="Wat hier gezegd wordt, blijft hier.")
    ListenerFactory(session=session, name="Lies Luisteraar", email="lies@example.nl")

    result = send(session, panel=False)

    assert result.sent == 1
    (mail,) = mailoutbox
    assert mail.to == ["lies@example.nl"]
    assert mail.subject.startswith("Uitnodiging: spiegelgesprek")
    assert mail.reply_to == [session.facilitator.email]
    for part in (mail.body, html_of(mail)):
        assert "Beste Lies Luisteraar" in part
        assert "Wat is een spiegelgesprek?" in part
        assert "U luistert in stilte" in part
        assert "Toehoorders zwijgen tijdens het gesprek." in part
        assert "Wat hier gezegd wordt, blijft hier." in part
        assert "nagesprek" in part and "verbeteracties" in part
        assert "ook aan het eind geen vragen" in part
        assert "Stadhuis, zaal 3" in part
        assert "Greet Gespreksleider" in part
    assert ics_of(mail).events[0].summary == session.title


# A fixed date for the fixed text; planning refuses a date that has passed, so the clock stands
# a month before it.
@time_machine.travel(dt.datetime(2026, 11, 1, 10, 0, tzinfo=AMSTERDAM), tick=False)
def test_mail_shows_the_local_date_and_time_in_dutch(mailoutbox):
    session = planned(starts_at=dt.datetime(2026, 12, 1, 13, 30, tzinfo=dt.UTC))
    ListenerFactory(session=session)
    Session.objects.filter(pk=session.pk).update(starts_at=session.starts_at)
    send(session)
    (mail,) = mailoutbox
    assert "dinsdag 1 december 2026" in mail.subject
    assert "14:30 tot 16:30 uur" in mail.body


def test_listener_without_own_address_gets_the_mail_at_their_account_address(mailoutbox):
    session = planned()
    colleague = UserFactory(email="collega@example.nl")
    ListenerFactory(session=session, user=colleague, email="")
    ListenerFactory(session=session, name="Gast Zonder Adres", email="")

    result = send(session)

    assert [m.to for m in mailoutbox] == [["collega@example.nl"]]
    assert ("Gast Zonder Adres", "geen e-mailadres") in result.skipped
    assert reverse("session_detail", args=[session.pk]) in mailoutbox[0].body


def test_panel_members_get_a_plain_language_mail(mailoutbox):
    session = planned()
    member(session, email="piet@example.org", name="Piet Paneel")

    result = send(session, listeners=False)

    assert result.sent_panel == 1
    (mail,) = mailoutbox
    assert mail.to == ["piet@example.org"]
    assert mail.subject.startswith("Uitnodiging: gesprek over uw ervaringen")
    for part in (mail.body, html_of(mail)):
        assert "Beste Piet Paneel" in part
        assert "U mag een vraag altijd overslaan" in part
        assert "blijft anoniem" in part
        assert "Greet Gespreksleider" in part
        assert session.facilitator.email in part
    assert ics_of(mail).events[0].uid == invitations.calendar_uid(session)


def test_panel_members_without_consent_email_or_with_withdrawn_consent_get_nothing(mailoutbox):
    session = planned()
    member(session, email="ok@example.org")
    member(session, email="noconsent@example.org", **no_consent())
    member(session, email="")
    withdrawn = member(session, email="withdrawn@example.org")
    withdrawn.withdraw_consent()
    member(session, email="cancelled@example.org", status=RecruitmentStatus.CANCELLED)
    purged = PanelMemberFactory(session=session, contact=None)  # contact details purged

    result = send(session)

    assert [m.to for m in mailoutbox] == [["ok@example.org"]]
    reasons = sorted(reason for _label, reason in result.skipped)
    assert reasons == sorted(
        [
            "geen toestemming",
            "geen e-mailadres",
            "toestemming ingetrokken",
            "afgemeld",
            "geen e-mailadres",
        ]
    )
    assert (purged.pseudonym, "geen e-mailadres") in result.skipped
    assert PanelMember.objects.filter(invited_at__isnull=False).count() == 1


def test_each_mail_has_exactly_one_recipient(mailoutbox):
    session = planned()
    for i in range(3):
        ListenerFactory(session=session, email=f"l{i}@example.nl")
        member(session, email=f"c{i}@example.org", name=f"Cliënt {i}")

    result = send(session)

    assert result.sent == 6
    assert len(mailoutbox) == 6
    for mail in mailoutbox:
        assert len(mail.to) == 1
        assert mail.cc == [] and mail.bcc == []
        assert len(mail.recipients()) == 1
    assert len({m.to[0] for m in mailoutbox}) == 6


def test_no_client_name_appears_in_any_listener_mail(mailoutbox):
    session = planned()
    member(session, name="Zeldzame Cliëntnaam", email="zeldzaam@example.org")
    ListenerFactory(session=session, email="a@example.nl")
    ListenerFactory(session=session, email="b@example.nl")

    send(session)

    listener_mails = [m for m in mailoutbox if m.to[0].endswith("@example.nl")]
    assert len(listener_mails) == 2
    for mail in listener_mails:
        raw = mail.message().as_string()
        for text in (mail.subject, mail.body, html_of(mail), raw):
            assert "Zeldzame" not in text
            assert "zeldzaam@example.org" not in text


def test_invited_at_is_recorded_and_panel_invitations_are_logged(mailoutbox):
    session = planned()
    listener = ListenerFactory(session=session)
    panel_member = member(session)
    before = timezone.now()

    send(session)

    listener.refresh_from_db()
    panel_member.refresh_from_db()
    assert listener.invited_at >= before
    assert panel_member.invited_at >= before
    (log,) = AccessLog.objects.filter(action=AccessAction.SEND_INVITATION)
    assert log.user == session.facilitator
    assert log.session == session
    assert panel_member.pseudonym in log.detail
    assert "Geheimnaam" not in log.detail


def test_second_send_with_only_new_skips_those_already_invited(mailoutbox):
    session = planned()
    first = ListenerFactory(session=session, name="Eerste", email="eerste@example.nl")
    member(session, email="client@example.org")
    send(session)
    first.refresh_from_db()
    invited_at = first.invited_at
    mailoutbox.clear()
    ListenerFactory(session=session, name="Later", email="later@example.nl")

    result = send(session, only_new=True)

    assert [m.to for m in mailoutbox] == [["later@example.nl"]]
    assert result.sent == 1
    assert sorted(reason for _label, reason in result.skipped) == ["al uitgenodigd"] * 2
    first.refresh_from_db()
    assert first.invited_at == invited_at


def test_sending_again_without_only_new_mails_everyone_again(mailoutbox):
    session = planned()
    ListenerFactory(session=session)
    send(session)
    send(session)
    assert len(mailoutbox) == 2


def test_a_failed_mail_is_not_recorded_as_sent(mailoutbox, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    session = planned()
    ok = ListenerFactory(session=session, email="ok@example.nl")
    broken = ListenerFactory(session=session, email="broken@example.nl")
    original = EmailBackend.send_messages

    def flaky(self, messages):
        if messages[0].to == ["broken@example.nl"]:
            raise ConnectionRefusedError("mail server away")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)

    result = send(session)

    assert (result.sent, result.failed) == (1, 1)
    ok.refresh_from_db()
    broken.refresh_from_db()
    assert ok.invited_at is not None
    assert broken.invited_at is None


@pytest.mark.parametrize("status", [Status.DRAFT, Status.LIVE, Status.DEBRIEF, Status.CLOSED])
def test_only_planned_sessions_send_invitations(status, mailoutbox):
    session = planned()
    ListenerFactory(session=session)
    Session.objects.filter(pk=session.pk).update(status=status)
    session.refresh_from_db()
    with pytest.raises(ValidationError):
        send(session)
    assert mailoutbox == []


def test_a_session_in_the_past_sends_no_invitations(mailoutbox):
    session = planned(starts_at=timezone.now() - dt.timedelta(days=1))
    ListenerFactory(session=session)
    with pytest.raises(ValidationError, match="voorbij"):
        send(session)
    assert mailoutbox == []


def test_invitation_task_reports_a_session_that_is_no_longer_planned(mailoutbox):
    session = planned()
    ListenerFactory(session=session)
    Session.objects.filter(pk=session.pk).update(status=Status.LIVE)

    result = send_invitations_task.enqueue(session.pk, session.facilitator.pk)

    assert "al begonnen" in result.return_value["error"]
    assert mailoutbox == []


def test_invitation_task_returns_the_counts(mailoutbox):
    session = planned()
    ListenerFactory(session=session)
    member(session, **no_consent())

    result = send_invitations_task.enqueue(session.pk, session.facilitator.pk, only_new=True)

    counts = result.return_value
    assert (counts["sent"], counts["sent_listeners"], counts["skipped"]) == (1, 1, 1)
    assert counts["skipped_reasons"] == [["Deelnemer A", "geen toestemming"]]


# — hostile input —


def test_hostile_title_location_and_rules_are_escaped_in_mail_and_keep_the_ics_valid(
    mailoutbox,
):
    session = planned(
        title=HOSTILE,
        location=f'{HOSTILE}; zaal "3", \\ achter\r\nde bieb',
        theme=HOSTILE,
        notes=(HOSTILE + "\x0b") * 300,  # about 10,000 characters
    )
    RuleFactory(session=session, text=(HOSTILE * 250)[:10_000])
    ListenerFactory(session=session, name=HOSTILE)
    member(session, name=HOSTILE)

    result = send(session)

    assert result.sent == 2
    for mail in mailoutbox:
        html = html_of(mail)
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "🙂 שלום עולם" in html
        assert "\n" not in mail.subject and "\r" not in mail.subject
        mail.message().as_bytes()  # serialises without error
        event = ics_of(mail).events[0]
        assert event.summary == HOSTILE
        assert event["LOCATION"].startswith("<script>alert(1)</script>")
        assert "\x0b" not in (event.get("DESCRIPTION") or "")
    # Private preparation notes are never mailed.
    assert all("\x0b" not in m.body for m in mailoutbox)


def test_control_characters_never_reach_the_ics():
    session = planned(title="Titel\x1b[31m met escape\x07")
    raw = invitations.build_ics(session)
    assert b"\x1b" not in raw and b"\x07" not in raw
    assert icalendar.Calendar.from_ical(raw).events[0].summary == "Titel[31m met escape"


# — reminders —


def test_reminder_task_sends_only_for_sessions_six_to_seven_days_ahead_and_only_once(mailoutbox):
    now = timezone.now()
    due = planned(starts_at=now + dt.timedelta(days=6, hours=12))
    too_soon = planned(starts_at=now + dt.timedelta(days=5))
    too_late = planned(starts_at=now + dt.timedelta(days=8))
    draft = SessionFactory(starts_at=now + dt.timedelta(days=6, hours=12))
    for i, session in enumerate([due, too_soon, too_late, draft]):
        ListenerFactory(session=session, email=f"l{i}@example.nl")
    member(due, email="client@example.org")

    result = send_reminders.enqueue()

    assert result.status == "SUCCESSFUL"
    assert sorted(m.to[0] for m in mailoutbox) == ["client@example.org", "l0@example.nl"]
    assert all(m.subject.startswith("Herinnering") for m in mailoutbox)
    assert "Over een week" in mailoutbox[0].body
    due.refresh_from_db()
    assert due.reminder_sent_at is not None
    assert not Session.objects.exclude(pk=due.pk).filter(reminder_sent_at__isnull=False).exists()
    log = AccessLog.objects.get(action=AccessAction.SEND_INVITATION)
    assert log.user is None and "herinnering" in log.detail

    send_reminders.enqueue()
    assert len(mailoutbox) == 2


def test_reminders_do_not_count_as_invitations(mailoutbox):
    session = planned(starts_at=timezone.now() + dt.timedelta(days=6, hours=1))
    listener = ListenerFactory(session=session)
    send_reminders.enqueue()
    listener.refresh_from_db()
    assert len(mailoutbox) == 1
    assert listener.invited_at is None


def test_reminder_is_retried_when_no_mail_could_be_sent(mailoutbox, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    session = planned(starts_at=timezone.now() + dt.timedelta(days=6, hours=1))
    ListenerFactory(session=session)

    def down(self, messages):
        raise ConnectionRefusedError

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    send_reminders.enqueue()
    session.refresh_from_db()
    assert session.reminder_sent_at is None

    monkeypatch.undo()
    send_reminders.enqueue()
    session.refresh_from_db()
    assert session.reminder_sent_at is not None
    assert len(mailoutbox) == 1


def test_send_reminders_command_runs_the_reminders_once(mailoutbox):
    session = planned(starts_at=timezone.now() + dt.timedelta(days=6, hours=2))
    ListenerFactory(session=session)
    call_command("send_reminders", stdout=io.StringIO())
    call_command("send_reminders", "--enqueue", stdout=io.StringIO())
    assert len(mailoutbox) == 1


# — the pages —


@pytest.fixture
def world(db):
    return World(status=Status.PLANNED)


def invitations_url(world):
    return reverse("invitations", args=[world.session.pk])


def ics_url(world):
    return reverse("session_ics", args=[world.session.pk])


def test_urls_are_stable(world):
    assert invitations_url(world) == f"/sessions/{world.session.pk}/invitations/"
    assert ics_url(world) == f"/sessions/{world.session.pk}/calendar.ics"


def test_facilitator_sees_who_gets_a_mail_with_contacts(client, world):
    world.session.refresh_from_db()
    member(world.session, email="", name="Zonder Mail")
    response = login(client, world.facilitator).get(invitations_url(world))
    assert response.status_code == 200
    content = response.content.decode()
    assert world.member.contact.name in content
    assert world.member.contact.email in content
    assert "geen e-mailadres" in content
    assert "Lies Luisteraar" in content
    assert "Uitnodiging: spiegelgesprek" in content
    assert ics_url(world) in content
    assert 'action="' + invitations_url(world) in content
    assert AccessLog.objects.filter(action=AccessAction.VIEW_CONTACTS).exists()


def test_listener_sees_pseudonyms_only_and_no_send_button(client, world):
    response = login(client, world.listener).get(invitations_url(world))
    assert response.status_code == 200
    content = response.content.decode()
    assert world.member.pseudonym in content
    assert world.member.contact.name not in content
    assert world.member.contact.email not in content
    assert '<form method="post" action="' + invitations_url(world) not in content


def test_facilitator_can_send_and_gets_the_counts(client, world, mailoutbox):
    response = login(client, world.facilitator).post(
        invitations_url(world), {"listeners": "on", "panel": "on", "only_new": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == invitations_url(world)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [world.listener_entry.email, world.member.contact.email]
    )
    (message,) = get_messages(response.wsgi_request)
    assert "2 uitnodigingen verstuurd" in str(message)
    assert Listener.objects.get(pk=world.listener_entry.pk).invited_at is not None

    client.get(response["Location"])  # shows, and so consumes, the message
    response = client.post(invitations_url(world), {"listeners": "on", "only_new": "on"})
    assert len(mailoutbox) == 2
    (message,) = get_messages(response.wsgi_request)
    assert "niemand" in str(message)


def test_choosing_nobody_is_an_error_not_a_send(client, world, mailoutbox):
    response = login(client, world.facilitator).post(invitations_url(world), {})
    assert response.status_code == 400
    assert "Kies toehoorders, panelleden of beide." in response.content.decode()
    assert mailoutbox == []


@pytest.mark.parametrize("role", ["listener", "coordinator"])
def test_only_the_facilitator_may_send(client, world, mailoutbox, role):
    response = login(client, world.user(role)).post(invitations_url(world), {"listeners": "on"})
    assert response.status_code == 403
    assert mailoutbox == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404(client, world, mailoutbox, method):
    response = getattr(login(client, world.outsider), method)(invitations_url(world))
    assert response.status_code == 404
    assert login(client, world.outsider).get(ics_url(world)).status_code == 404
    assert mailoutbox == []


def test_draft_session_cannot_send_and_says_why(client, world, mailoutbox):
    Session.objects.filter(pk=world.session.pk).update(status=Status.DRAFT)
    login(client, world.facilitator)
    page = client.get(invitations_url(world)).content.decode()
    assert "Plan het gesprek eerst" in page
    assert 'name="only_new"' not in page

    response = client.post(invitations_url(world), {"listeners": "on", "panel": "on"})
    assert response.status_code == 302
    assert mailoutbox == []
    (message,) = get_messages(response.wsgi_request)
    assert "Plan het gesprek eerst" in str(message)


def test_closed_session_cannot_send(client, world, mailoutbox):
    Session.objects.filter(pk=world.session.pk).update(status=Status.CLOSED)
    response = login(client, world.facilitator).post(invitations_url(world), {"listeners": "on"})
    assert response.status_code == 403
    assert mailoutbox == []


@pytest.mark.parametrize("role", ["facilitator", "listener", "coordinator"])
def test_everyone_who_sees_the_session_can_download_the_ics(client, world, role):
    response = login(client, world.user(role)).get(ics_url(world))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="spiegelgesprek-{world.session.pk}.ics"'
    )
    event = icalendar.Calendar.from_ical(response.content).events[0]
    assert event.uid == invitations.calendar_uid(world.session)


def test_ics_of_a_session_without_date_is_404(client, world):
    Session.objects.filter(pk=world.session.pk).update(status=Status.DRAFT, starts_at=None)
    assert login(client, world.facilitator).get(ics_url(world)).status_code == 404


def test_detail_page_links_to_invitations_when_planned(client, world):
    content = login(client, world.facilitator).get(
        reverse("session_detail", args=[world.session.pk])
    )
    assert invitations_url(world) in content.content.decode()


def test_hostile_session_renders_escaped_on_the_invitations_page(client, world):
    Session.objects.filter(pk=world.session.pk).update(title=HOSTILE, location=HOSTILE)
    response = login(client, world.facilitator).get(invitations_url(world))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_invitations_page_answers_in_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for i in range(10):
        ListenerFactory(session=world.session, email=f"extra{i}@example.nl")
        member(world.session, email=f"extra{i}@example.org")
    login(client, world.facilitator)
    # 7 queries: the login session, the user, the session with its access annotations,
    # listeners with their users, panel members with their contacts, the access log entry,
    # the session's organisations with their logos (the page's look).
    with django_assert_max_num_queries(7):
        response = client.get(invitations_url(world))
    assert response.status_code == 200
