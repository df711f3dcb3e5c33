"""The daily reminder: one e-mail per owner and co-owner about overdue actions and actions due
within seven days; done and dropped actions never; nothing when nothing is due."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from findings.services.reminders import collect
from findings.tasks import send_action_reminders
from tests.factories import FindingFactory, ImprovementActionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(action_world):
    """The world's action (due in 30 days) does not remind anyone by itself."""
    return action_world


def action(w, title, due_in, *, owner=None, status=None, co_owners=()):
    finding = FindingFactory(
        session=w.session, text="Ik wist niet waar ik aan toe was.", speaker=w.member
    )
    return ImprovementActionFactory(
        session=w.session,
        by=w.coordinator,
        owner=owner or w.owner,
        findings=[finding],
        title=title,
        due_in=due_in,
        status=status,
        co_owners=co_owners,
    )


def run():
    out = io.StringIO()
    call_command("send_action_reminders", stdout=out)
    return out.getvalue()


def mail_to(mailoutbox, user):
    mails = [m for m in mailoutbox if m.to == [user.email]]
    assert len(mails) == 1, [m.to for m in mailoutbox]
    return mails[0]


def test_one_mail_per_owner_with_overdue_and_due_soon_actions(w, mailoutbox):
    late = action(w, "Terugbellen binnen twee werkdagen", -4)
    today = action(w, "Folder over de eigen bijdrage", 0)
    soon = action(w, "Brief herschrijven op B1-niveau", 7, status="in_progress")
    action(w, "Vast aanspreekpunt invoeren", 8)  # not yet
    action(w, "Wachttijd zichtbaar maken", -2, status="done")
    action(w, "Keukentafelgesprek thuis", -2, status="dropped")

    output = run()

    mail = mail_to(mailoutbox, w.owner)
    assert len(mailoutbox) == 1
    assert mail.subject == "Spiegel: 1 verbeteractie is te laat"
    body = mail.body
    for item in (late, today, soon):
        assert item.title in body
        assert f"{settings.SITE_URL}/actions/{item.pk}/" in body
    for title in ("Vast aanspreekpunt", "Wachttijd zichtbaar", "Keukentafelgesprek"):
        assert title not in body
    assert body.index(late.title) < body.index(today.title) < body.index(soon.title)
    assert "4 dagen te laat" in body
    assert "vandaag" in body and "nog 7 dagen" in body
    assert "Uw rol: eigenaar" in body
    html = mail.alternatives[0].content
    assert late.title in html and "<h1" in html
    assert "1 verbeteractie(s) verstuurd" not in output
    assert "3 verbeteractie(s) verstuurd: 1 e-mail(s), 0 mislukt." in output


def test_co_owners_get_their_own_single_mail(w, mailoutbox):
    shared = action(w, "Terugbelbelofte nakomen", -1, co_owners=[w.co_owner, w.listener])
    action(w, "Brief herschrijven", 3, owner=w.listener)
    send_action_reminders.enqueue()  # the immediate backend runs it now, as a worker would

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        u.email for u in (w.owner, w.co_owner, w.listener)
    )
    co_mail = mail_to(mailoutbox, w.co_owner)
    assert shared.title in co_mail.body and "Uw rol: mede-eigenaar" in co_mail.body
    listener_mail = mail_to(mailoutbox, w.listener)
    assert "Terugbelbelofte nakomen" in listener_mail.body
    assert "Brief herschrijven" in listener_mail.body
    assert listener_mail.subject == "Spiegel: 1 verbeteractie is te laat"


def test_a_mail_about_due_soon_only_says_so(w, mailoutbox):
    action(w, "Brief herschrijven", 2)
    action(w, "Folder maken", 5)
    run()
    assert mail_to(mailoutbox, w.owner).subject == (
        "Spiegel: 2 verbeteracties moeten binnen een week af"
    )


def test_nothing_is_sent_when_nothing_is_due(w, mailoutbox):
    action(w, "Later pas", 20)
    action(w, "Al gedaan", -3, status="done")
    output = run()
    assert mailoutbox == []
    assert "0 e-mail(s)" in output
    assert send_action_reminders.call() == {"sent": 0, "failed": 0, "actions": 0}


def test_people_without_an_address_or_account_get_nothing(w, mailoutbox):
    silent = UserFactory(username="zonder-mail", email="")
    gone = UserFactory(username="vertrokken", is_active=False)
    action(w, "Terugbellen", -1, owner=silent, co_owners=[gone, w.co_owner])
    run()
    assert [m.to for m in mailoutbox] == [[w.co_owner.email]]


def test_reminders_hold_no_words_of_clients(w, mailoutbox):
    action(w, "Terugbellen", -1)
    run()
    mail = mail_to(mailoutbox, w.owner)
    for text in (mail.body, mail.alternatives[0].content):
        assert "Ik wist niet waar ik aan toe was." not in text
        assert w.member.contact.name not in text
        assert "Deelnemer" not in text


def test_markup_in_a_title_is_escaped_in_the_html_mail(w, mailoutbox):
    action(w, "<script>alert(1)</script> terugbellen", -1)
    run()
    mail = mail_to(mailoutbox, w.owner)
    assert "<script>alert(1)</script> terugbellen" in mail.body
    assert "&lt;script&gt;" in mail.alternatives[0].content
    assert "<script>" not in mail.alternatives[0].content


def test_collect_costs_two_queries_whatever_the_number(w, django_assert_num_queries):
    for i in range(10):
        action(w, f"Actie {i}", -i, co_owners=[w.co_owner])
    # the actions (session and owner joined) and their co-owners
    with django_assert_num_queries(2):
        reminders = collect(timezone.localdate())
    assert {r.user for r in reminders} == {w.owner, w.co_owner}


def test_an_owner_who_is_also_listed_as_co_owner_sees_the_action_once(w, mailoutbox):
    late = action(w, "Terugbellen", -1, co_owners=[w.owner])
    run()
    body = mail_to(mailoutbox, w.owner).body
    assert body.count(late.title) == 1
    assert "Uw rol: eigenaar" in body and "Uw rol: mede-eigenaar" not in body
