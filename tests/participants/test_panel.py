import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from participants.models import PanelMember, number_to_letters
from participants.services import add_panel_member, purge_contacts
from tests.factories import PanelMemberFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "letters"), [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (28, "AB"), (702, "ZZ")]
)
def test_numbers_become_spreadsheet_letters(number, letters):
    assert number_to_letters(number) == letters


def test_panel_members_get_consecutive_pseudonyms_per_session():
    session, other = SessionFactory(), SessionFactory()
    members = [PanelMemberFactory(session=session) for _ in range(3)]
    assert [m.pseudonym for m in members] == ["Deelnemer A", "Deelnemer B", "Deelnemer C"]
    assert PanelMemberFactory(session=other).pseudonym == "Deelnemer A"


def test_a_removed_members_pseudonym_is_never_reused():
    session = SessionFactory()
    first, second = PanelMemberFactory(session=session), PanelMemberFactory(session=session)
    second.delete()
    assert PanelMemberFactory(session=session).pseudonym == "Deelnemer C"
    assert first.pseudonym == "Deelnemer A"


def test_the_database_keeps_pseudonyms_unique_within_a_session():
    member = PanelMemberFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PanelMember.objects.create(session=member.session, number=member.number)


def test_consent_needs_a_date():
    member = PanelMemberFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PanelMember.objects.filter(pk=member.pk).update(consent_date=None)


def test_withdrawing_consent_ends_quotes_and_feedback_but_keeps_the_record():
    member = PanelMemberFactory(consent_quotes=True, consent_feedback=True)
    assert member.has_consent and member.may_be_quoted
    member.withdraw_consent()
    member.refresh_from_db()
    assert member.consent_participation  # what was agreed stays on record
    assert not member.has_consent
    assert not member.may_be_quoted
    assert not PanelMember.objects.quotable().filter(pk=member.pk).exists()
    assert not PanelMember.objects.reachable_for_feedback().filter(pk=member.pk).exists()


def test_only_consenting_members_with_an_email_are_reachable_for_feedback():
    session = SessionFactory()
    yes = PanelMemberFactory(session=session, consent_feedback=True)
    PanelMemberFactory(session=session, consent_feedback=False)
    no_mail = PanelMemberFactory(session=session, consent_feedback=True)
    no_mail.contact.email = ""
    no_mail.contact.save()
    assert list(PanelMember.objects.reachable_for_feedback()) == [yes]


def test_adding_a_member_through_the_service_stores_contact_apart_and_logs_it():
    session, user = SessionFactory(), UserFactory()
    member = add_panel_member(
        session=session,
        by=user,
        member_fields={"status": "invited"},
        contact_fields={"name": "Fatima el Amrani", "email": "f@example.org"},
    )
    assert member.pseudonym == "Deelnemer A"
    assert member.contact.name == "Fatima el Amrani"
    assert "Fatima" not in str(member)


def test_purging_contacts_keeps_pseudonyms_and_consent():
    member = PanelMemberFactory(consent_date=dt.date(2026, 1, 5))
    purge_contacts(session=member.session)
    member = PanelMember.objects.get(pk=member.pk)
    assert not hasattr(member, "contact") or member.contact is None
    assert member.pseudonym == "Deelnemer A"
    assert member.consent_date == dt.date(2026, 1, 5)
    member.session.refresh_from_db()
    assert member.session.contacts_purged_at is not None
