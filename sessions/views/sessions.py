from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions.access import (
    get_session_for,
    may_create_sessions,
    require_may_create_sessions,
    sessions_listed_for,
)
from sessions.constants import Status
from sessions.forms import SessionForm
from sessions.models import Session, TransitionError
from sessions.services import sessions as services
from sessions.services.checklist import (
    main_action,
    next_step,
    preparation_checklist,
    preparation_counts,
    summary,
)
from sessions.views.rows import session_rows, table_values
from spiegel.pagination import keyset_page

PAGE_SIZE = 25

TRANSITIONS = {
    "plan": (Session.plan, _("Het gesprek is gepland.")),
    "unplan": (Session.unplan, _("Het gesprek is terug naar concept.")),
    "go_live": (Session.go_live, _("Het gesprek is gestart.")),
}


def session_list(request):
    sessions = sessions_listed_for(request.user)
    status = request.GET.get("status", "")
    if status in Status.values:
        sessions = sessions.filter(status=status)
    query = request.GET.get("q", "").strip()[:200].replace("\x00", "")
    if query:
        sessions = sessions.filter(
            Q(title__icontains=query) | Q(theme__icontains=query) | Q(location__icontains=query)
        )
    # Newest first, sessions without a date (drafts) before all others; keyset pages, no
    # COUNT: the index on (starts_at, id) answers a page by reading one page.
    page = keyset_page(
        table_values(sessions, request.user),
        request.GET,
        keys=("-starts_at", "-pk"),
        size=PAGE_SIZE,
        nullable={"starts_at"},
    )
    return render(
        request,
        "sessions/session_list.html",
        {
            "page": page,
            "rows": session_rows(page.object_list, request.user),
            "status": status,
            "query": query,
            "statuses": Status.choices,
            "can_create": may_create_sessions(request.user),
        },
    )


def session_create(request):
    require_may_create_sessions(request.user)
    form = SessionForm(request.POST or None, user=request.user)
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "organisations"}
        session = services.create_session(
            created_by=request.user, organisations=form.cleaned_data["organisations"], **fields
        )
        _warn_independence(request, session)
        messages.success(request, _("Het spiegelgesprek is aangemaakt."))
        return redirect("session_detail", session.pk)
    return render(request, "sessions/session_form.html", {"form": form, "session": None})


def session_edit(request, pk):
    session = get_session_for(request.user, pk, "edit")
    form = SessionForm(request.POST or None, instance=session, user=request.user)
    if form.is_valid():
        form.save()
        _warn_independence(request, session)
        messages.success(request, _("De gegevens zijn opgeslagen."))
        return redirect("session_detail", session.pk)
    return render(request, "sessions/session_form.html", {"form": form, "session": session})


def _warn_independence(request, session):
    for _blocking, message in session.independence_problems():
        messages.warning(request, message)


def session_detail(request, pk):
    session = get_session_for(request.user, pk)
    counts = preparation_counts(session)
    items = preparation_checklist(session, counts)
    action, action_item = main_action(session, items)
    return render(
        request,
        "sessions/session_detail.html",
        {
            "session": session,
            "organisations": session.organisations_with_logos,
            "checklist": items,
            "checklist_summary": summary(items),
            "next_step": next_step(session),
            "main_action": action,
            "main_item": action_item,
            # The facts box's totals, counted for the checklist already.
            "panel_count": counts["panel"]["total"],
            "listener_count": counts["listeners"]["total"],
            "question_count": counts["guide"]["total"],
        },
    )


@require_POST
def session_transition(request, pk, action):
    if action not in TRANSITIONS:
        raise Http404
    session = get_session_for(request.user, pk, "edit")
    method, done = TRANSITIONS[action]
    try:
        method(session)
    except TransitionError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
        if action == "go_live":
            return redirect("live", session.pk)
    return redirect("session_detail", session.pk)
