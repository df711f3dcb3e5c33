from django.shortcuts import render

from findings.models import ImprovementAction
from sessions.access import annotate_access, with_access
from sessions.constants import Status
from sessions.models import Session

DASHBOARD_ACTIONS = 10


def dashboard(request):
    sessions = with_access(
        annotate_access(Session.objects.for_user(request.user), request.user)
        .exclude(status=Status.CLOSED)
        .select_related("facilitator")
        .prefetch_related("organisations")
        .order_by("starts_at", "pk")[:20],
        request.user,
    )
    # The user's open actions as owner or co-owner, the most urgent (overdue) first; one more
    # than shown tells the page whether to point to the full list.
    my_actions = list(
        ImprovementAction.objects.open()
        .owned_by(request.user)
        .select_related("session")
        .order_by("due_date", "pk")[: DASHBOARD_ACTIONS + 1]
    )
    return render(
        request,
        "dashboard.html",
        {
            "sessions": sessions,
            "my_actions": my_actions[:DASHBOARD_ACTIONS],
            "more_actions": len(my_actions) > DASHBOARD_ACTIONS,
            "overdue_count": sum(action.is_overdue for action in my_actions[:DASHBOARD_ACTIONS]),
        },
    )
