from django.db.models import F, Func, Subquery
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from findings.models import ImprovementAction, overdue_on
from participants.models import User
from sessions.access import listed_sessions, may_create_sessions, sessions_for, with_access
from sessions.models import TABLE_FIELDS
from sessions.views.rows import session_rows, table_values
from spiegel.compiled import Prepared

DASHBOARD_ACTIONS = 10
TODAY_SESSIONS = 20
TABLE_ROWS = 20

# Only the columns the page shows: no long text.
ACTION_FIELDS = ("title", "due_date", "status", "owner_id", "session__title")


def dashboard(request):
    user = request.user
    today = timezone.localdate()
    # Built once for both lists of sessions: the access filter costs milliseconds of Python.
    visible, by_roles = listed_sessions(user)
    table = _OPEN_SESSIONS.rows(user=user.pk) if by_roles else list(_open_sessions(visible, user))
    # The user's open actions as owner or co-owner, the most urgent (overdue) first; one more
    # than shown tells the page whether to point to the full list.
    my_actions = _MY_ACTIONS.rows(user=user.pk, today=today)
    rows = _action_rows(my_actions[:DASHBOARD_ACTIONS], user, today)
    overdue_count = my_actions[0].overdue_total if my_actions else 0
    return render(
        request,
        "dashboard.html",
        {
            "sessions": session_rows(table, user),
            "my_actions": rows,
            "more_actions": len(my_actions) > DASHBOARD_ACTIONS,
            "overdue_count": overdue_count,
            "today": _today(visible, user),
            "can_create": may_create_sessions(user),
        },
    )


def _open_sessions(visible, user):
    """The table: the oldest open sessions of those the user sees."""
    return table_values(visible.not_closed().order_by("starts_at", "pk"), user)[:TABLE_ROWS]


def _my_actions(user, today):
    """Every late action counts, also beyond the ten listed ("Vandaag" said 10 when 12 were
    late): counted by a subquery of the same query, which the database runs once, so the
    page's queries do not depend on the data. (A window count over the open actions made
    PostgreSQL walk every action of the installation by due date.)"""
    late = (
        ImprovementAction.objects.owned_by(user)
        .overdue(today)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return (
        ImprovementAction.objects.open()
        .owned_by(user)
        .select_related("session")
        .only(*ACTION_FIELDS)
        .annotate(overdue_total=Subquery(late))
        .order_by("due_date", "pk")[: DASHBOARD_ACTIONS + 1]
    )


# Both depend on nothing but the user (and the day): compiled once per process, ~2 ms of
# Python per view of the page (spiegel.compiled.Prepared). The table only for a user involved
# in many sessions; for one in few it is a list of ids of its own (`listed_sessions`).
_OPEN_SESSIONS = Prepared(
    lambda user: _open_sessions(sessions_for(User(pk=user)), User(pk=user)), "user"
)
_MY_ACTIONS = Prepared(
    lambda user, today: _my_actions(User(pk=user), today), "user", days=("today",)
)


def _today(visible, user):
    """ "Vandaag": the meetings running now or starting today, each with the page to go to
    (the live page for its facilitators, the listeners' view for the others while it runs).

    Their own query, not a pick from the table below it: that table holds the twenty oldest
    open sessions, and with a longer history (a coordinator of a region has hundreds in their
    debrief) today's meeting is not among them."""
    sessions = with_access(
        visible.of_the_day()
        .only(*TABLE_FIELDS, "ended_at")
        .order_by("starts_at", "pk")[:TODAY_SESSIONS],
        user,
    )
    rows = []
    for session in sessions:
        running = session.access.offers_live or session.access.offers_listen_now
        if session.access.offers_live:
            name = "live"
        elif session.access.offers_listen_now:
            name = "listen"
        else:
            name = "session_detail"
        rows.append(
            {
                "session": session,
                "running": running,
                # Held earlier today: its status (nagesprek, afgesloten) says it is not to come.
                "held": not running and session.ended_at is not None,
                "url": reverse(name, args=[session.pk]),
            }
        )
    return rows


def _action_rows(actions, user, today):
    """What each row of the user's actions shows, worked out once (a template looks up every
    attribute and method anew per row and per use)."""
    prefix, suffix = reverse("action_detail", args=[0]).rsplit("0", 1)
    return [
        {
            "url": f"{prefix}{action.pk}{suffix}",
            "title": action.title,
            "session": action.session.title,
            "due": date_format(action.due_date, "SHORT_DATE_FORMAT"),
            "status": action.status,
            "status_label": action.get_status_display(),
            "overdue": overdue_on(today, status=action.status, due_date=action.due_date),
            "your_role": action.role_of(user),
        }
        for action in actions
    ]
