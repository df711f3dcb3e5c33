from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions.access import get_session_for

from . import services
from .constants import MAX_LISTENERS, MIN_CONFIRMED_PANEL, AccessAction
from .forms import ContactForm, ListenerForm, PanelMemberForm
from .models import AccessLog, PanelMemberContact


def panel(request, pk):
    session = get_session_for(request.user, pk)
    access = session.access
    members = session.panel_members.all()
    member_form = contact_form = None
    if access.can_see_contacts:
        members = members.select_related("contact")
        AccessLog.record(request.user, AccessAction.VIEW_CONTACTS, session=session)
    if access.can_edit:
        member_form = PanelMemberForm(request.POST or None, prefix="member")
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
        get_session_for(request.user, pk, can_edit=True)  # answers with the reason why not
    members = list(members)
    confirmed = sum(1 for m in members if m.status in ("confirmed", "attended"))
    return render(
        request,
        "participants/panel.html",
        {
            "session": session,
            "members": members,
            "confirmed": confirmed,
            "min_confirmed": MIN_CONFIRMED_PANEL,
            "member_form": member_form,
            "contact_form": contact_form,
        },
    )


def panel_member_edit(request, pk, member_pk):
    session = get_session_for(request.user, pk, can_edit=True)
    member = get_object_or_404(session.panel_members, pk=member_pk)
    contact = PanelMemberContact.objects.filter(panel_member=member).first() or (
        PanelMemberContact(panel_member=member)
    )
    member_form = PanelMemberForm(request.POST or None, instance=member, prefix="member")
    contact_form = ContactForm(request.POST or None, instance=contact, prefix="contact")
    if request.method == "POST" and member_form.is_valid() & contact_form.is_valid():
        services.update_panel_member(
            member_form=member_form, contact_form=contact_form, by=request.user
        )
        messages.success(request, _("%(pseudonym)s is opgeslagen.") % {"pseudonym": member})
        return redirect("panel", pk)
    if request.method == "GET":
        AccessLog.record(
            request.user, AccessAction.VIEW_CONTACTS, session=session, detail=member.pseudonym
        )
    return render(
        request,
        "participants/panel_member_form.html",
        {
            "session": session,
            "member": member,
            "member_form": member_form,
            "contact_form": contact_form,
        },
    )


@require_POST
def panel_member_withdraw(request, pk, member_pk):
    session = get_session_for(request.user, pk, can_edit=True)
    member = get_object_or_404(session.panel_members, pk=member_pk)
    if member.consent_withdrawn:
        messages.info(request, _("De toestemming was al ingetrokken."))
    else:
        member.withdraw_consent()
        messages.success(
            request,
            _(
                "De toestemming van %(pseudonym)s is ingetrokken: citaten van deze deelnemer "
                "komen niet in verslagen."
            )
            % {"pseudonym": member},
        )
    return redirect("panel", pk)


@require_POST
def panel_member_delete(request, pk, member_pk):
    session = get_session_for(request.user, pk, can_edit=True)
    member = get_object_or_404(session.panel_members, pk=member_pk)
    pseudonym = member.pseudonym
    member.delete()
    AccessLog.record(
        request.user, AccessAction.EDIT_CONTACTS, session=session, detail=f"{pseudonym} verwijderd"
    )
    messages.success(request, _("%(pseudonym)s is verwijderd.") % {"pseudonym": pseudonym})
    return redirect("panel", pk)


def listeners(request, pk):
    session = get_session_for(request.user, pk)
    form = None
    if session.access.can_edit:
        form = ListenerForm(request.POST or None, session=session, prefix="new")
        if request.method == "POST" and form.is_valid():
            listener = form.save()
            messages.success(request, _("%(name)s is toegevoegd.") % {"name": listener.name})
            if session.listeners.count() > MAX_LISTENERS:
                messages.warning(
                    request,
                    _("Meer dan %(max)s toehoorders maakt het voor cliënten minder veilig.")
                    % {"max": MAX_LISTENERS},
                )
            return redirect("listeners", pk)
    elif request.method == "POST":
        get_session_for(request.user, pk, can_edit=True)
    items = list(session.listeners.all())
    return render(
        request,
        "participants/listeners.html",
        {
            "session": session,
            "listeners": items,
            "max_listeners": MAX_LISTENERS,
            "too_many": len(items) > MAX_LISTENERS,
            "form": form,
        },
    )


def listener_edit(request, pk, listener_pk):
    session = get_session_for(request.user, pk, can_edit=True)
    listener = get_object_or_404(session.listeners, pk=listener_pk)
    form = ListenerForm(request.POST or None, instance=listener, session=session)
    if form.is_valid():
        form.save()
        messages.success(request, _("%(name)s is opgeslagen.") % {"name": listener.name})
        return redirect("listeners", pk)
    return render(
        request,
        "participants/listener_form.html",
        {"session": session, "listener": listener, "form": form},
    )


@require_POST
def listener_briefed(request, pk, listener_pk):
    session = get_session_for(request.user, pk, can_edit=True)
    listener = get_object_or_404(session.listeners, pk=listener_pk)
    listener.briefed = request.POST.get("briefed") == "1"
    listener.save(update_fields=["briefed"])
    if request.htmx:
        return render(
            request,
            "participants/listeners.html#listener-row",
            {"session": session, "listener": listener},
        )
    return redirect("listeners", pk)


@require_POST
def listener_delete(request, pk, listener_pk):
    session = get_session_for(request.user, pk, can_edit=True)
    listener = get_object_or_404(session.listeners, pk=listener_pk)
    listener.delete()
    messages.success(request, _("%(name)s is verwijderd.") % {"name": listener.name})
    return redirect("listeners", pk)
