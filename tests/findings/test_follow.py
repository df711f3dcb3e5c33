""" "U zei, wij deden" (issue 13, part 2): a client's personal link to the session's actions as
clients may see them, revocable and expiring, with at most one e-mail a week about actions
done or dropped; consent withdrawal and erasure end both."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from findings.models import FollowLink, FollowMail
from findings.services import follow, rights
from findings.services.actions import record_progress
from participants.constants import Role
from sessions.constants import Status
from sessions.models import Session
from tests.factories import (
    FindingFactory,
    ImprovementActionFactory,
    ListenerFactory,
    MembershipFactory,
    OrganisationFactory,
    PanelMemberFactory,
    SessionFactory,
    UserFactory,
)
from tests.fixtures import login
from tests.pdf_helpers import pdf_text

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


class Loop:
    """A session in its debrief with a consenting member, one who did not consent to be
    contacted, and three actions (two with a sentence for clients)."""

    def __init__(self):
        self.org = OrganisationFactory(name="Gemeente Volg")
        self.facilitator = UserFactory(username="fl-facilitator")
        self.coordinator = UserFactory(username="fl-coordinator")
        self.listener = UserFactory(username="fl-listener", first_name="Bram", last_name="Eigenaar")
        MembershipFactory(user=self.coordinator, organisation=self.org, role=Role.COORDINATOR)
        MembershipFactory(user=self.listener, organisation=self.org, role=Role.PROFESSIONAL)
        self.session = SessionFactory(facilitator=self.facilitator, organisations=[self.org])
        ListenerFactory(session=self.session, user=self.listener, name="Bram Eigenaar")
        self.member = PanelMemberFactory(session=self.session)
        self.member.contact.email = "client@example.nl"
        self.member.contact.save()
        self.no_contact = PanelMemberFactory(session=self.session, consent_feedback=False)
        finding = FindingFactory(session=self.session, text="Ik werd nooit teruggebeld.")
        self.callback = ImprovementActionFactory(
            session=self.session,
            owner=self.listener,
            findings=[finding],
            title="Terugbelbelofte intern",
            client_sentence="U wordt binnen twee werkdagen teruggebeld.",
        )
        self.letters = ImprovementActionFactory(
            session=self.session,
            owner=self.listener,
            findings=[finding],
            title="Brieven herschrijven",
            client_sentence="Onze brieven worden makkelijker om te lezen.",
        )
        self.internal = ImprovementActionFactory(
            session=self.session,
            owner=self.listener,
            findings=[finding],
            title="Interne evaluatie",
            client_sentence="",
        )
        Session.objects.filter(pk=self.session.pk).update(
            status=Status.DEBRIEF, live_at=timezone.now() - dt.timedelta(days=3)
        )
        self.session.refresh_from_db()

    def close(self, action, status, explanation=""):
        record_progress(
            action=action,
            by=self.listener,
            status=status,
            closing_note="Besproken in het teamoverleg met Bram.",
            client_closing=explanation,
        )


@pytest.fixture
def w(db):
    return Loop()


def page(link):
    return Client().get(reverse("follow_page", args=[link.token]))


def test_a_link_is_made_only_for_members_who_consented_to_be_contacted(w, settings):
    settings.FOLLOW_LINK_DAYS = 30
    link = follow.issue_link(member=w.member, by=w.facilitator)

    assert link.is_active
    assert (link.expires_at - link.created_at).days == 30
    with pytest.raises(follow.FollowRefused):
        follow.issue_link(member=w.no_contact, by=w.facilitator)


def test_the_page_shows_client_sentences_and_status_never_titles_notes_findings_or_names(w):
    link = follow.issue_link(member=w.member, by=w.facilitator)
    w.close(w.letters, "done", "De brieven zijn nu in gewone taal.")

    response = page(link)
    body = response.content.decode()

    assert response.status_code == 200
    assert "U wordt binnen twee werkdagen teruggebeld." in body
    assert "Hier gaan we mee aan de slag" in body
    assert "De brieven zijn nu in gewone taal." in body and "Gedaan" in body
    assert timezone.localdate().strftime("%Y") in body  # when it was done
    for secret in (
        "Terugbelbelofte intern",  # a title
        "Interne evaluatie",
        "teamoverleg",  # the professionals' closing note
        "Ik werd nooit teruggebeld.",  # a finding
        "Bram",  # a name
        w.member.pseudonym,
        w.member.contact.name,
    ):
        assert secret not in body, secret
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_page_follows_the_actions_as_they_change(w):
    link = follow.issue_link(member=w.member, by=w.facilitator)
    assert "Gaat niet door" not in page(link).content.decode()

    w.close(w.callback, "dropped", "Dat lukt niet met het aantal mensen dat we hebben.")

    body = page(link).content.decode()
    assert "Gaat niet door" in body
    assert "Dat lukt niet met het aantal mensen dat we hebben." in body


def test_a_revoked_or_reissued_link_answers_a_kind_410_and_the_new_one_works(w):
    first = follow.issue_link(member=w.member, by=w.facilitator)
    second = follow.issue_link(member=w.member, by=w.coordinator)

    gone = page(first)
    assert gone.status_code == 410
    assert "Deze link werkt niet meer" in gone.content.decode()
    assert page(second).status_code == 200

    follow.revoke_link(member=w.member, by=w.coordinator)
    assert page(second).status_code == 410


def test_a_link_expires_after_the_configured_period(w, settings):
    settings.FOLLOW_LINK_DAYS = 10
    with time_machine.travel(START, tick=False):
        link = follow.issue_link(member=w.member, by=w.facilitator)
    with time_machine.travel(START + dt.timedelta(days=9)):
        assert page(link).status_code == 200
    with time_machine.travel(START + dt.timedelta(days=11)):
        assert page(link).status_code == 410


@pytest.mark.parametrize("token", ["bestaat-niet", "a\x00b", "x" * 300, "%3Cscript%3E"])
def test_an_address_that_never_was_a_link_answers_404_without_login(db, token):
    response = Client().get(f"/u/{token}/")

    assert response.status_code == 404
    assert "/accounts/login/" not in response.get("Location", "")


def test_withdrawal_of_consent_ends_the_link_and_the_mails(w):
    link = follow.issue_link(member=w.member, by=w.facilitator)
    follow.set_wants_mail(link=link, wants=True)

    rights.withdraw_consent(member=w.member, by=w.coordinator, reason="Belde op.")

    link.refresh_from_db()
    assert link.is_revoked and not link.wants_mail
    assert page(link).status_code == 410
    w.close(w.letters, "done")
    assert follow.pending_notices() == []


def test_erasure_ends_the_link(w):
    link = follow.issue_link(member=w.member, by=w.facilitator)

    rights.erase_panel_member(member=w.member, by=w.coordinator, reason="Verzoek per brief.")

    assert page(link).status_code == 410


def test_the_client_turns_mail_on_and_off_without_an_account_or_csrf_token(w):
    link = follow.issue_link(member=w.member, by=w.facilitator)
    client = Client(enforce_csrf_checks=True)

    on = client.post(reverse("follow_page_mail", args=[link.token]), {"wants_mail": "1"})
    link.refresh_from_db()
    assert on.status_code == 302 and link.wants_mail
    assert "U krijgt een e-mail als er iets klaar is" in client.get(on["Location"]).content.decode()

    client.post(reverse("follow_page_mail", args=[link.token]), {"wants_mail": "0"})
    link.refresh_from_db()
    assert not link.wants_mail


def test_the_page_speaks_the_members_language_right_to_left_for_arabic(w):
    w.member.language = "ar"
    w.member.save(update_fields=["language"])
    link = follow.issue_link(member=w.member, by=w.facilitator)
    w.close(w.letters, "done")

    body = page(link).content.decode()

    assert '<html lang="ar" dir="rtl"' in body and "bootstrap.rtl.min.css" in body
    assert "قلتم، وفعلنا" in body and "تمّ" in body  # the title, a status in plain words
    assert "Onze brieven worden makkelijker om te lezen." in body  # staff's sentence as written
    assert "U zei, wij deden" not in body


def test_the_switch_picks_another_language_and_the_mail_choice_keeps_it(w):
    link = follow.issue_link(member=w.member, by=w.facilitator)  # a Dutch reader
    client = Client()
    url = reverse("follow_page", args=[link.token])

    turkish = client.get(url + "?taal=tr").content.decode()
    assert '<html lang="tr" dir="ltr"' in turkish and "Siz söylediniz, biz yaptık" in turkish
    assert f'action="{reverse("follow_page_mail", args=[link.token])}?taal=tr"' in turkish

    done = client.post(
        reverse("follow_page_mail", args=[link.token]) + "?taal=tr", {"wants_mail": "1"}
    )
    assert "taal=tr" in done["Location"]
    assert "Tamam. Bir şey bittiğinde" in client.get(done["Location"]).content.decode()
    assert '<html lang="nl"' in client.get(url).content.decode()  # the member's own again


def test_a_link_that_ended_says_so_in_the_members_language(w):
    w.member.language = "tr"
    w.member.save(update_fields=["language"])
    link = follow.issue_link(member=w.member, by=w.facilitator)
    follow.revoke_link(member=w.member, by=w.facilitator)

    response = page(link)

    assert response.status_code == 410
    assert "Bu bağlantı artık çalışmıyor" in response.content.decode()
    assert response["Content-Language"] == "tr"


# — the weekly mail —


def wants_mail(w):
    with time_machine.travel(START, tick=False):
        link = follow.issue_link(member=w.member, by=w.facilitator)
        follow.set_wants_mail(link=link, wants=True)
    return link


def test_news_is_batched_at_most_one_mail_a_week_and_logged(w, mailoutbox):
    link = wants_mail(w)
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        w.close(w.letters, "done", "De brieven zijn nu in gewone taal.")
        assert follow.send_follow_mails() == {"sent": 1, "failed": 0, "actions": 1}
    with time_machine.travel(START + dt.timedelta(days=3), tick=False):
        w.close(w.callback, "dropped", "Dat lukt niet met het aantal mensen.")
        w.close(w.internal, "done")  # no sentence for clients: never told
        assert follow.send_follow_mails()["sent"] == 0  # within the week: it waits
    with time_machine.travel(START + dt.timedelta(days=8, hours=1), tick=False):
        assert follow.send_follow_mails() == {"sent": 1, "failed": 0, "actions": 1}
    with time_machine.travel(START + dt.timedelta(days=20), tick=False):
        assert follow.send_follow_mails()["sent"] == 0  # nothing new

    assert len(mailoutbox) == 2
    first, second = mailoutbox
    assert first.to == ["client@example.nl"]
    assert "De brieven zijn nu in gewone taal." in first.body
    assert "Gaat niet door" in second.body and "Dat lukt niet met het aantal mensen." in second.body
    assert "Onze brieven" not in second.body  # told once
    assert reverse("follow_page", args=[link.token]) in second.body
    for secret in ("Brieven herschrijven", "teamoverleg", "Interne evaluatie", "Bram"):
        assert secret not in first.body + second.body
    log = list(FollowMail.objects.filter(link=link).order_by("sent_at"))
    assert [list(m.actions.all()) for m in log] == [[w.letters], [w.callback]]


def test_the_mail_speaks_the_members_language(w, mailoutbox):
    w.member.language = "ar"
    w.member.save(update_fields=["language"])
    wants_mail(w)
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        w.close(w.letters, "done")
        follow.send_follow_mails()

    (mail,) = mailoutbox
    assert mail.subject == "أخبار عمّا قلتموه في جلسة المرآة"
    assert "تمّ" in mail.body and "Onze brieven worden makkelijker om te lezen." in mail.body
    assert 'dir="rtl"' in mail.alternatives[0].content


def test_no_mail_without_opt_in_or_address(w, mailoutbox):
    with time_machine.travel(START, tick=False):
        follow.issue_link(member=w.member, by=w.facilitator)  # mail not wanted
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        w.close(w.letters, "done")
        assert follow.send_follow_mails()["sent"] == 0
        link = FollowLink.objects.get(panel_member=w.member)
        follow.set_wants_mail(link=link, wants=True)
        w.member.contact.email = ""
        w.member.contact.save()
        assert follow.send_follow_mails()["sent"] == 0
    assert mailoutbox == []


def test_a_revoked_link_gets_no_mail(w, mailoutbox):
    wants_mail(w)
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        follow.revoke_link(member=w.member, by=w.coordinator)
        w.close(w.letters, "done")
        assert follow.send_follow_mails()["sent"] == 0


def test_the_command_sends_the_mails(w, mailoutbox, capsys):
    wants_mail(w)
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        w.close(w.letters, "done")
        call_command("send_follow_mails")

    assert len(mailoutbox) == 1
    assert "1 e-mail(s) aan cliënten verstuurd" in capsys.readouterr().out


# — the professionals' page —


def test_the_coordinator_issues_revokes_and_sets_mail_for_a_member(client, w):
    login(client, w.coordinator)
    base = reverse("follow_links", args=[w.session.pk])

    listing = client.get(base).content.decode()
    assert "Geen toestemming om benaderd te worden." in listing  # the member without consent
    client.post(reverse("follow_link_issue", args=[w.session.pk, w.member.pk]))
    link = FollowLink.objects.get(panel_member=w.member)
    assert follow.link_url(link) in client.get(base).content.decode()

    client.post(reverse("follow_link_mail", args=[w.session.pk, w.member.pk]), {"wants_mail": "1"})
    link.refresh_from_db()
    assert link.wants_mail

    client.post(reverse("follow_link_revoke", args=[w.session.pk, w.member.pk]))
    link.refresh_from_db()
    assert link.is_revoked
    refused = client.post(reverse("follow_link_issue", args=[w.session.pk, w.no_contact.pk]))
    assert refused.status_code == 302
    assert not FollowLink.objects.filter(panel_member=w.no_contact).exists()


def test_the_letter_carries_the_members_own_qr_code_and_address(client, w):
    link = follow.issue_link(member=w.member, by=w.facilitator)
    login(client, w.facilitator)

    response = client.get(reverse("follow_letter_pdf", args=[w.session.pk, w.member.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Volg wat wij doen" in text
    assert link.token[:8] in text.replace(" ", "")
