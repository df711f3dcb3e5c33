from django.shortcuts import render

from findings.models import ImprovementAction
from sessions.access import sessions_for, with_access

DASHBOARD_ACTIONS = 10


def dashboard(request):
    sessions = with_access(
        sessions_for(request.user)
        .not_closed()
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
    for action in my_actions:
        action.your_role = action.role_of(request.user)
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
