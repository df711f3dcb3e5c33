"""The access log in the app (DESIGN.md §7, NEN 7513 spirit): who viewed, changed or exported
client data of an organisation's sessions, and when.

For the organisations whose log the user reads (`sessions.access.access_log_organisations`:
their coordinators): the rows about their sessions, filtered per panel member ("who viewed this
person's data": the rows naming the member, and the rows about the whole panel of the member's
session, such as the panel list or a report), per session, per user ("what did this person
view"), per action and per period; and the same rows as CSV.
"""

import csv
import io

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from participants.constants import AccessAction
from participants.models import AccessLog, User
from sessions.access import require_may_read_access_log
from sessions.forms import AccessLogFilterForm
from sessions.models import Session
from spiegel.spreadsheet import safe_text

PAGE_SIZE = 100
CSV_DATE_TIME = "%d-%m-%Y %H:%M"


class AccessLogFilter:
    """The rows of the log `user` may read, filtered by the query string; invalid filters are
    shown as errors on the form and left out."""

    def __init__(self, user, params):
        self.organisations = require_may_read_access_log(user)
        self.sessions = Session.objects.filter(organisations__in=self.organisations)
        self.rows = AccessLog.objects.filter(session__in=self.sessions)
        users = User.objects.filter(pk__in=self.rows.values("user")).order_by(
            "first_name", "last_name", "username"
        )
        self.form = AccessLogFilterForm(params or None, sessions=self.sessions, users=users)
        self.form.is_valid()
        self.values = getattr(self.form, "cleaned_data", {})

    def queryset(self):
        rows = self.rows
        v = self.values
        if member := v.get("member"):
            rows = rows.filter(
                Q(panel_member=member) | Q(session=member.session_id, panel_member__isnull=True)
            )
        if session := v.get("session"):
            rows = rows.filter(session=session)
        if user := v.get("user"):
            rows = rows.filter(user_id=user)
        if action := v.get("action"):
            rows = rows.filter(action=action)
        if start := v.get("start"):
            rows = rows.filter(at__date__gte=start)
        if end := v.get("end"):
            rows = rows.filter(at__date__lte=end)
        return rows.select_related("user", "session", "panel_member").order_by("-at", "-pk")

    def query(self) -> str:
        return self.form.data.urlencode() if hasattr(self.form.data, "urlencode") else ""


def _log_reading(user, what, filters):
    AccessLog.record(user, AccessAction.VIEW_ACCESS_LOG, detail=f"{what}; {filters.query()}")


@require_GET
def access_log(request):
    filters = AccessLogFilter(request.user, request.GET)
    page = Paginator(filters.queryset(), PAGE_SIZE).get_page(request.GET.get("page"))
    _log_reading(request.user, "toegangslog", filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sessions/access_log.html",
        {
            "filters": filters,
            "form": filters.form,
            "page": page,
            "query": query.urlencode(),
            "member": filters.values.get("member"),
            "session": None,  # the page is not about one session: no session tabs
            "chosen_session": filters.values.get("session"),
        },
    )


@require_GET
def access_log_csv(request):
    filters = AccessLogFilter(request.user, request.GET)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Dutch Excel reads UTF-8 with a BOM
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Tijdstip"),
            _("Medewerker"),
            _("Handeling"),
            _("Gesprek"),
            _("Deelnemer"),
            _("Toelichting"),
        ]
    )
    labels = dict(AccessAction.choices)
    for row in filters.queryset().iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(row.at).strftime(CSV_DATE_TIME),
                safe_text(str(row.user) if row.user else _("het systeem")),
                str(labels.get(row.action, row.action)),
                safe_text(row.session.title if row.session else ""),
                row.panel_member.pseudonym if row.panel_member else "",
                safe_text(row.detail),
            ]
        )
    _log_reading(request.user, "toegangslog.csv", filters)
    response = HttpResponse(
        buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="toegangslog-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    return response
