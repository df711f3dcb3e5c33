"""Invitations page (preview and send) and the session's calendar file."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.tasks import TaskResultStatus
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from participants.constants import AccessAction
from participants.models import AccessLog
from sessions.access import get_session_for
from sessions.forms import InvitationForm
from sessions.services import invitations as service
from sessions.tasks import send_invitations_task


@require_http_methods(["GET", "HEAD", "POST"])
def invitations(request, pk):
    if request.method == "POST":
        return _send(request, pk)
    session = get_session_for(request.user, pk)
    return _page(request, session, InvitationForm())


def _page(request, session, form, status=200):
    plan = service.plan_invitations(session)
    access = session.access
    for recipient in plan.recipients + plan.skipped:
        # Per panel member: a coordinator sees only the residents their organisation recruited.
        recipient.shown = access.can_see_contacts and (
            recipient.kind != service.PANEL or access.can_see_contacts_of(recipient.person)
        )
    if access.can_see_contacts and any(
        r.kind == service.PANEL for r in plan.recipients + plan.skipped
    ):
        AccessLog.record(
            request.user,
            AccessAction.VIEW_CONTACTS,
            session=session,
            detail="uitnodigingen: ontvangers bekeken",
        )
    return render(
        request,
        "sessions/invitations.html",
        {
            "session": session,
            "plan": plan,
            "blocker": service.send_blocker(session),
            "subjects": service.subject_preview(session) if session.starts_at else None,
            "form": form if access.can_invite else None,
            "show_contacts": access.can_see_contacts,
        },
        status=status,
    )


def _send(request, pk):
    session = get_session_for(request.user, pk, "invite")
    blocker = service.send_blocker(session)
    if blocker:
        messages.error(request, blocker)
        return redirect("invitations", pk)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _page(request, session, form, status=400)
    options = form.cleaned_data
    plan = service.plan_invitations(session, **options)
    if not plan.recipients:
        messages.warning(request, _("Er is niemand (meer) om een uitnodiging te sturen."))
        return redirect("invitations", pk)
    result = send_invitations_task.enqueue(session.pk, request.user.pk, **options)
    if not result.is_finished:
        # A worker sends them (django-tasks-db): we know whom we asked it to mail.
        messages.success(
            request,
            ngettext(
                "%(n)s uitnodiging wordt verstuurd.",
                "%(n)s uitnodigingen worden verstuurd.",
                len(plan.recipients),
            )
            % {"n": len(plan.recipients)},
        )
    elif result.status != TaskResultStatus.SUCCESSFUL or "error" in result.return_value:
        messages.error(request, _("Het versturen is mislukt. Probeer het later opnieuw."))
    else:
        _report(request, result.return_value)
    return redirect("invitations", pk)


def _report(request, counts):
    sent = ngettext(
        "%(n)s uitnodiging verstuurd (%(listeners)s aan toehoorders, %(panel)s aan panelleden).",
        "%(n)s uitnodigingen verstuurd (%(listeners)s aan toehoorders, %(panel)s aan panelleden).",
        counts["sent"],
    ) % {"n": counts["sent"], "listeners": counts["sent_listeners"], "panel": counts["sent_panel"]}
    if counts["skipped"]:
        sent += " " + ngettext("%(n)s overgeslagen.", "%(n)s overgeslagen.", counts["skipped"]) % {
            "n": counts["skipped"]
        }
    messages.success(request, sent)
    if counts["failed"]:
        messages.error(
            request,
            ngettext(
                "%(n)s e-mail kon niet worden verstuurd; probeer het later opnieuw.",
                "%(n)s e-mails konden niet worden verstuurd; probeer het later opnieuw.",
                counts["failed"],
            )
            % {"n": counts["failed"]},
        )


@require_safe
def session_ics(request, pk):
    session = get_session_for(request.user, pk)
    if not session.starts_at:
        raise Http404(_("Dit gesprek heeft nog geen datum."))
    response = HttpResponse(service.build_ics(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{service.ics_filename(session)}"'
    return response
