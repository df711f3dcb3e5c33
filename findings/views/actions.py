"""Improvement actions across sessions: the list with filters and exports, one action with its
progress log, editing it, and the coordinators' insights.

Every action is loaded through `get_action_for` (findings.access) or
`ImprovementAction.objects.visible_to`: owners, co-owners, listeners and coordinators edit;
facilitators read; everyone else gets 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from findings.access import get_action_for
from findings.constants import ActionStatus, Priority
from findings.filters import NULLABLE, RANKS, ActionFilter, suggest_owners, suggest_sessions
from findings.forms.actions import ActionForm, ProgressForm
from findings.models import Finding, co_owner_names, overdue_on
from findings.reports import jobs as report_jobs
from findings.services import exports, insights, network_insights
from findings.services.actions import record_progress, update_action
from participants.models import User
from sessions.access import (
    insight_organisations,
    may_open_session,
    may_see_insights,
    networks_among,
    require_network_insights,
)
from spiegel.choices import label_of
from spiegel.pagination import capped_count, keyset_page

PAGE_SIZE = 25
COUNT_CAP = 1000


@require_GET
def action_list(request):
    action_filter = ActionFilter(request.user, request.GET)
    matching = action_filter.queryset()  # built once: its filters cost ~1 ms to build
    # Only the columns the rows show, as values: no descriptions, closing notes or the
    # session's other thirty columns, and no model objects for the action, its session, owner
    # and organisation (building those took ~2.5 ms of the page for 25 rows).
    # Keyset pages and a count that stops at COUNT_CAP: neither reads more than a page (or
    # the cap) of actions, however many the user may see.
    ranks = [name for name in RANKS if name in action_filter.keys]  # sort keys to page by
    page = keyset_page(
        matching.values(*ROW_VALUES, *ranks),
        request.GET,
        keys=action_filter.keys,
        size=PAGE_SIZE,
        nullable=NULLABLE,
    )
    form = action_filter.form
    return render(
        request,
        "findings/actions/action_list.html",
        {
            "filter": action_filter,
            "form": form,
            "options": {
                name: form.options(name) for name in ("organisation", "theme", "status", "sort")
            },
            "due_before": form.input_value("due_before"),
            "overdue_checked": form.is_checked("overdue"),
            "page": page,
            "rows": _rows(page.object_list, today=action_filter.today),
            "count": capped_count(matching, COUNT_CAP),
            "count_cap": COUNT_CAP,
            "clear": {name: _without(request.GET, name) for name in ("session", "owner")},
            "may_see_insights": may_see_insights(request.user),
        },
    )


ROW_VALUES = (
    *("pk", "title", "due_date", "status", "priority", "session__title", "organisation__name"),
    *("owner__first_name", "owner__last_name", "owner__username"),
)


def _rows(actions, *, today):
    """What each row of the list shows, worked out once in Python from the values of
    ROW_VALUES: a template looks every attribute and method up anew, per row and per use (the
    action's address, its overdue state, the names of its owner and co-owners). The
    co-owners' names in one query."""
    prefix, suffix = reverse("action_detail", args=[0]).rsplit("0", 1)
    co_owners = co_owner_names([action["pk"] for action in actions])
    return [
        {
            "url": f"{prefix}{action['pk']}{suffix}",
            "title": action["title"],
            "session": action["session__title"],
            "organisations": action["organisation__name"],
            "owner": User.name_of(
                action["owner__first_name"], action["owner__last_name"], action["owner__username"]
            ),
            "co_owners": ", ".join(co_owners[action["pk"]]),
            "due": date_format(action["due_date"], "SHORT_DATE_FORMAT"),
            "status": action["status"],
            "status_label": label_of(ActionStatus, action["status"]),
            "overdue": overdue_on(today, status=action["status"], due_date=action["due_date"]),
            "priority": action["priority"],
            "priority_label": label_of(Priority, action["priority"]),
        }
        for action in actions
    ]


def _without(params, name) -> str:
    """The list's address without the filter `name` (and on its first page)."""
    params = params.copy()
    for key in (name, "after", "before", "page"):
        params.pop(key, None)
    return "?" + params.urlencode() if params else "?"


@require_GET
def action_suggestions(request, field):
    """At most twenty sessions or owners matching the search text, as buttons of the filter
    form (htmx swaps them in under the search field; without JavaScript the text itself
    filters)."""
    if field == "session":
        options = suggest_sessions(request.user, request.GET.get("session_search", "")[:100])
    else:
        options = suggest_owners(request.user, request.GET.get("owner_search", "")[:100])
    return render(
        request,
        "findings/actions/_suggestions.html",
        {"field": field, "options": options},
    )


@require_GET
def action_suggest_sessions(request):
    return action_suggestions(request, "session")


@require_GET
def action_suggest_owners(request):
    return action_suggestions(request, "owner")


# Above these numbers of actions an export is made in the background, like a large overview PDF
# (findings.reports.jobs), and the requester follows its progress page. A workbook is built
# whole before its first byte goes out (flat memory, but openpyxl needs ~0.8 ms a row: 5,000
# take about 4 s). A CSV streams as it is read, in flat memory, its first byte at once, ~70 µs
# a row: only the time it holds a sync worker (gunicorn's timeout is 30 s) limits it, and a
# stored file costs the background worker several times its size, so it streams far longer.
XLSX_INLINE_LIMIT = 5_000
CSV_INLINE_LIMIT = 100_000


def _export(request, *, kind):
    action_filter = ActionFilter(request.user, request.GET)
    actions = action_filter.queryset()
    query = request.GET.urlencode()
    count = actions.count()
    today = action_filter.today
    limit = CSV_INLINE_LIMIT if kind == "csv" else XLSX_INLINE_LIMIT
    if count > limit:
        job = report_jobs.start_job(
            user=request.user,
            report=report_jobs.EXPORT_REPORTS[kind],
            query=query,
            language=translation.get_language(),
            item_count=count,
        )
        return redirect("actions_report_job", job.pk)
    # Logged when the download starts, with the number of actions it holds.
    exports.log_export(request.user, kind=kind, count=count, query=query)
    filename = exports.export_filename(kind, today)
    if kind == "csv":
        response = StreamingHttpResponse(
            exports.csv_chunks(actions, today=today, language=translation.get_language()),
            content_type=exports.CSV_CONTENT_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        file = exports.xlsx_file(actions, today=today)
        response = FileResponse(
            file,
            as_attachment=True,
            filename=filename,
            content_type=exports.XLSX_CONTENT_TYPE,
        )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def action_export_csv(request):
    return _export(request, kind="csv")


@require_GET
def action_export_xlsx(request):
    return _export(request, kind="xlsx")


@require_http_methods(["GET", "POST"])
def action_detail(request, pk):
    action = get_action_for(request.user, pk, can_edit=request.method == "POST")
    form = None
    if action.can_edit:
        form = ProgressForm(request.POST or None, action=action)
        if request.method == "POST" and form.is_valid():
            try:
                record_progress(action=action, by=request.user, **form.service_kwargs())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("De voortgang is vastgelegd."))
                return redirect("action_detail", action.pk)
    findings = (
        Finding.objects.filter(actions=action)
        .select_related("speaker", "theme", "question")
        .order_by("created_at", "pk")
    )
    updates = action.updates.select_related("author").order_by("-created_at", "-pk")
    return render(
        request,
        "findings/actions/action_detail.html",
        {
            "action": action,
            "session": action.session,
            "may_open_session": may_open_session(request.user, action.session_id),
            "findings": findings,
            "co_owners": action.co_owners.all(),
            "updates": updates,
            "form": form,
            "days_late": (timezone.localdate() - action.due_date).days,
        },
    )


@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = get_action_for(request.user, pk, can_edit=True)
    stored_title = action.title  # the form puts typed values on the instance
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        fields = form.service_kwargs()
        co_owners = fields.pop("co_owners")
        # The ModelForm has already put the new values on the instance; the service compares
        # against what is stored, so it starts from a fresh copy.
        action.refresh_from_db()
        try:
            update_action(action=action, by=request.user, co_owners=co_owners, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De verbeteractie is opgeslagen."))
            return redirect("action_detail", action.pk)
    return render(
        request,
        "findings/actions/action_form.html",
        {"action": action, "title": stored_title, "form": form},
    )


@require_GET
def action_insights(request):
    organisations = list(insight_organisations(request.user).order_by("name"))
    form = insights.InsightsForm(request.GET or None, organisations=organisations)
    result = None
    if organisations and form.is_valid():
        result = insights.insights_for(**form.period(), returns_limit=insights.SHOWN_RETURNS)
    return render(
        request,
        "findings/actions/insights.html",
        {
            "form": form,
            "organisations": organisations,
            "insights": result,
            "networks": networks_among(organisations),
        },
    )


@require_GET
def action_network_insights(request):
    """The partners of a network the user coordinates, side by side (counts only)."""
    networks = require_network_insights(request.user)
    form = network_insights.NetworkInsightsForm(request.GET or None, organisations=networks)
    result = None
    if form.is_valid():
        result = network_insights.network_insights_for(**form.period())
    return render(
        request,
        "findings/actions/network_insights.html",
        {"form": form, "insights": result},
    )
