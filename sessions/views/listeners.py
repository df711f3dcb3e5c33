from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants.constants import MAX_LISTENERS
from participants.forms import ListenerForm
from sessions.access import get_session_for


def listeners(request, pk):
    session = get_session_for(request.user, pk)
    form = None
    if session.access.can_edit:
        form = ListenerForm(request.POST or None, session=session, prefix="new")
        if request.method == "POST" and form.is_valid():
            listener = form.save()
            messages.success(request, _("%(name)s is toegevoegd.") % {"name": listener.name})
            for warning in form.warnings:
                messages.warning(request, warning)
            if session.listeners.count() > MAX_LISTENERS:
                messages.warning(
                    request,
                    _("Meer dan %(max)s toehoorders maakt het voor cliënten minder veilig.")
                    % {"max": MAX_LISTENERS},
                )
            return redirect("listeners", pk)
    elif request.method == "POST":
        session.access.require("edit")
    items = list(session.listeners.all())
    return render(
        request,
        "sessions/listeners.html",
        {
            "session": session,
            "listeners": items,
            "max_listeners": MAX_LISTENERS,
            "too_many": len(items) > MAX_LISTENERS,
            "form": form,
        },
    )


def listener_edit(request, pk, listener_pk):
    session = get_session_for(request.user, pk, "edit")
    listener = get_object_or_404(session.listeners, pk=listener_pk)
    form = ListenerForm(request.POST or None, instance=listener, session=session)
    if form.is_valid():
        form.save()
        messages.success(request, _("%(name)s is opgeslagen.") % {"name": listener.name})
        for warning in form.warnings:
            messages.warning(request, warning)
        return redirect("listeners", pk)
    return render(
        request,
        "sessions/listener_form.html",
        {"session": session, "listener": listener, "form": form},
    )


@require_POST
def listener_briefed(request, pk, listener_pk):
    session = get_session_for(request.user, pk, "edit")
    listener = get_object_or_404(session.listeners, pk=listener_pk)
    listener.briefed = request.POST.get("briefed") == "1"
    listener.save(update_fields=["briefed"])
    if request.htmx:
        return render(
            request,
            "sessions/listeners.html#listener-row",
            {"session": session, "listener": listener},
        )
    return redirect("listeners", pk)


@require_POST
def listener_delete(request, pk, listener_pk):
    session = get_session_for(request.user, pk, "edit")
    listener = get_object_or_404(session.listeners, pk=listener_pk)
    listener.delete()
    messages.success(request, _("%(name)s is verwijderd.") % {"name": listener.name})
    return redirect("listeners", pk)
