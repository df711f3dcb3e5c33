"""Workflows around the client panel: atomic, and logged where client data is touched."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.constants import AccessAction, RightsRequestKind
from participants.models import AccessLog, PanelMember, PanelMemberContact, RightsRequest

REASON_LIMIT = 1000


class RightsRefused(ValidationError):
    """A client's request cannot be handled like this; the message says why, in Dutch."""


def clean_reason(reason) -> str:
    """The recorded reason of a client's request: required, at most REASON_LIMIT characters."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise RightsRefused(
            _("Geef de reden van het verzoek op (bijvoorbeeld wie het vroeg en hoe).")
        )
    if len(reason) > REASON_LIMIT:
        raise RightsRefused(
            _("De reden mag hoogstens %(limit)d tekens lang zijn.") % {"limit": REASON_LIMIT}
        )
    return reason


@transaction.atomic
def add_panel_member(*, session, by, member_fields, contact_fields) -> PanelMember:
    member = PanelMember(session=session, **member_fields)
    member.save()  # assigns the next pseudonym under a lock on the session row
    PanelMemberContact.objects.create(panel_member=member, **contact_fields)
    AccessLog.record(
        by, AccessAction.EDIT_CONTACTS, panel_member=member, detail=f"{member.pseudonym} toegevoegd"
    )
    return member


@transaction.atomic
def update_panel_member(*, member_form, contact_form, by) -> PanelMember:
    member = member_form.save()
    contact = contact_form.save(commit=False)
    contact.panel_member = member
    contact.save()
    AccessLog.record(
        by, AccessAction.EDIT_CONTACTS, panel_member=member, detail=f"{member.pseudonym} gewijzigd"
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


@transaction.atomic
def withdraw_consent(*, member, by, reason, after_close=False) -> RightsRequest:
    """The client withdraws consent, at any time: every scope ends at once, so reports and
    exports leave out all their words from now on (the words stay stored, for the debrief's
    "niet citeren" and for inzage, until the client asks for erasure). The reason and who
    handled it are recorded; `after_close` marks a change to a final report."""
    reason = clean_reason(reason)
    member = PanelMember.objects.select_for_update().get(pk=member.pk)
    if member.consent_withdrawn:
        raise RightsRefused(_("De toestemming was al ingetrokken."))
    member.withdraw_consent()
    request = RightsRequest.objects.create(
        session_id=member.session_id,
        panel_member=member,
        kind=RightsRequestKind.WITHDRAWAL,
        reason=reason,
        by=by,
        after_close=after_close,
    )
    AccessLog.record(
        by,
        AccessAction.WITHDRAW_CONSENT,
        session=member.session,
        panel_member=member,
        detail=f"{member.pseudonym}: {reason}",
    )
    return request


@transaction.atomic
def rectify_contact(*, contact_form, by) -> PanelMemberContact:
    """The client corrects their contact details, at any time (also after closing, while the
    details are kept): saved and logged like any other change."""
    contact = contact_form.save()
    member = contact.panel_member
    AccessLog.record(
        by,
        AccessAction.EDIT_CONTACTS,
        session=member.session,
        panel_member=member,
        detail=f"{member.pseudonym}: gecorrigeerd op verzoek (rectificatie)",
    )
    return contact
