"""Workflows around the client panel: atomic, and logged where client data is touched."""

from django.db import transaction
from django.utils import timezone

from participants.constants import AccessAction
from participants.models import AccessLog, PanelMember, PanelMemberContact


@transaction.atomic
def add_panel_member(*, session, by, member_fields, contact_fields) -> PanelMember:
    member = PanelMember(session=session, **member_fields)
    member.save()  # assigns the next pseudonym under a lock on the session row
    PanelMemberContact.objects.create(panel_member=member, **contact_fields)
    AccessLog.record(
        by, AccessAction.EDIT_CONTACTS, session=session, detail=f"{member.pseudonym} toegevoegd"
    )
    return member


@transaction.atomic
def update_panel_member(*, member_form, contact_form, by) -> PanelMember:
    member = member_form.save()
    contact = contact_form.save(commit=False)
    contact.panel_member = member
    contact.save()
    AccessLog.record(
        by,
        AccessAction.EDIT_CONTACTS,
        session=member.session,
        detail=f"{member.pseudonym} gewijzigd",
    )
    return member


@transaction.atomic
def purge_contacts(*, session, by=None) -> int:
    """Delete every panel member's private details; pseudonyms and consent records stay."""
    deleted, _ = PanelMemberContact.objects.filter(panel_member__session=session).delete()
    session.contacts_purged_at = timezone.now()
    session.save(update_fields=["contacts_purged_at"])
    AccessLog.record(by, AccessAction.PURGE_CONTACTS, session=session)
    return deleted
