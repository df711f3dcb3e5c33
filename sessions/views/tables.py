"""The tables of a kitchen-table session: prepared here, captured per table in findings."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sessions.access import get_session_for
from sessions.forms import table_formset


def tables(request, pk):
    """All tables on one page: a formset (one empty form adds a table, a tick removes one).
    Everyone who sees the session reads who sits where; the facilitators change it."""
    session = get_session_for(request.user, pk)
    if request.method == "POST":
        session.access.require("prepare_tables")
    formset = (
        table_formset(session, request.POST or None) if session.access.can_prepare_tables else None
    )
    if formset is not None and request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, _("De tafels zijn opgeslagen."))
        return redirect("session_tables", pk)
    items = list(
        session.tables.select_related("host", "ambassador").prefetch_related(
            "panel_members", "listeners"
        )
    )
    for table in items:
        table.may_capture = session.access.can_capture_at(table)
    return render(
        request, "sessions/tables.html", {"session": session, "tables": items, "formset": formset}
    )
