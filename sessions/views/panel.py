from django.contrib import messages
from django.db import transaction
from django.db.models import RestrictedError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants.constants import MIN_CONFIRMED_PANEL, AccessAction
from participants.forms import ContactForm, PanelMemberForm
from participants.models import AccessLog, PanelMemberContact
from participants.services import panel as services
from sessions.access import get_session_for


def panel(request, pk):
    session = get_session_for(request.user, pk)
    access = session.access
    members = session.panel_members.select_related("recruited_by")
    # Who recruited whom matters to those who know who the members are (a werkplaats).
    organisations = list(session.organisations.order_by("pk")) if access.can_see_contacts else []
    member_form = contact_form = None
    if access.can_see_contacts:
        members = members.select_related("contact")
        AccessLog.record(request.user, AccessAction.VIEW_CONTACTS, session=session)
    if access.can_edit:
        member_form = PanelMemberForm(
            request.POST or None,
            prefix="member",
            organisations=organisations,
            hybrid=session.is_hybrid,
        )
        contact_form = ContactForm(request.POST or None, prefix="contact")
        if request.method == "POST" and member_form.is_valid() & contact_form.is_valid():
            member = services.add_panel_member(
                session=session,
                by=request.user,
                member_fields=member_form.cleaned_data,
                contact_fields=contact_form.cleaned_data,
            )
            messages.success(
                request, _("%(pseudonym)s is toegevoegd.") % {"pseudonym": member.pseudonym}
            )
            return redirect("panel", pk)
    elif request.method == "POST":
        session.access.require("edit")
    members = list(members)
    for member in members:
        # Per member: in a werkplaats a coordinator sees only the own organisation's residents.
        member.contact_shown = access.can_see_contacts_of(member)
        member.rights_offered = access.can_exercise_rights_for(member)
    confirmed = sum(1 for m in members if m.is_confirmed)
    return render(
        request,
        "sessions/panel.html",
        {
            "session": session,
            "members": members,
            "several_organisations": len(organisations) > 1,
            "confirmed": confirmed,
            "min_confirmed": MIN_CONFIRMED_PANEL,
            "member_form": member_form,
            "contact_form": contact_form,
        },
    )


def panel_member_edit(request, pk, member_pk):
    session = get_session_for(request.user, pk, "edit")
    member = get_object_or_404(session.panel_members, pk=member_pk)
    contact = PanelMemberContact.objects.filter(panel_member=member).first() or (
        PanelMemberContact(panel_member=member)
    )
    member_form = PanelMemberForm(
        request.POST or None,
        instance=member,
        prefix="member",
        organisations=list(session.organisations.order_by("pk")),
        hybrid=session.is_hybrid,
    )
    contact_form = ContactForm(request.POST or None, instance=contact, prefix="contact")
    if request.method == "POST" and member_form.is_valid() & contact_form.is_valid():
        services.update_panel_member(
            member_form=member_form, contact_form=contact_form, by=request.user
        )
        messages.success(request, _("%(pseudonym)s is opgeslagen.") % {"pseudonym": member})
        return redirect("panel", pk)
    if request.method == "GET":
        AccessLog.record(
            request.user, AccessAction.VIEW_CONTACTS, panel_member=member, detail=member.pseudonym
        )
    return render(
        request,
        "sessions/panel_member_form.html",
        {
            "session": session,
            "member": member,
            "member_form": member_form,
            "contact_form": contact_form,
        },
    )


@require_POST
def panel_member_delete(request, pk, member_pk):
    session = get_session_for(request.user, pk, "edit")
    member = get_object_or_404(session.panel_members, pk=member_pk)
    pseudonym = member.pseudonym
    try:
        with transaction.atomic():
            member.delete()
    except RestrictedError:
        # Deleting would leave their words without a speaker, and reports would show them
        # again: a member who spoke is erased on the rights page, which removes the words.
        messages.error(
            request,
            _(
                "%(pseudonym)s heeft iets gezegd dat is vastgelegd en kan daarom niet worden "
                "verwijderd. Gebruik “Gegevens wissen” bij de rechten van de deelnemer."
            )
            % {"pseudonym": pseudonym},
        )
        return redirect("panel_member_edit", pk, member_pk)
    AccessLog.record(
        request.user, AccessAction.EDIT_CONTACTS, session=session, detail=f"{pseudonym} verwijderd"
    )
    messages.success(request, _("%(pseudonym)s is verwijderd.") % {"pseudonym": pseudonym})
    return redirect("panel", pk)
