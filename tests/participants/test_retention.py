import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from participants.constants import AccessAction
from participants.models import AccessLog, PanelMemberContact
from sessions.constants import Status
from sessions.models import Session
from tests.factories import OrganisationFactory, PanelMemberFactory, SessionFactory

pytestmark = pytest.mark.django_db


def closed_session(days_ago, retention_days):
    organisation = OrganisationFactory(retention_days=retention_days)
    session = SessionFactory(organisations=[organisation])
    PanelMemberFactory(session=session)
    Session.objects.filter(pk=session.pk).update(
        status=Status.CLOSED, closed_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return session


def test_contacts_are_purged_only_after_the_retention_period():
    expired = closed_session(days_ago=40, retention_days=30)
    kept = closed_session(days_ago=10, retention_days=30)
    call_command("purge_contacts", stdout=io.StringIO())
    assert not PanelMemberContact.objects.filter(panel_member__session=expired).exists()
    assert PanelMemberContact.objects.filter(panel_member__session=kept).exists()
    assert expired.panel_members.count() == 1  # pseudonym and consent stay
    assert AccessLog.objects.filter(
        session=expired, action=AccessAction.PURGE_CONTACTS, user=None
    ).exists()


def test_a_dry_run_deletes_nothing():
    session = closed_session(days_ago=400, retention_days=30)
    call_command("purge_contacts", "--dry-run", stdout=io.StringIO())
    assert PanelMemberContact.objects.filter(panel_member__session=session).exists()
