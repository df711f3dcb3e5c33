"""The kitchen tables during and after the meeting: each table's own live page (notes and
golden tips, on the host's own device), the plenary that merges the tips, and the tips on the
presenter screen.

Notes go through the same capture service and the same browser queue as the facilitator's
live page (static/js/note-queue.js, its own queue per table); tips through the small queue in
static/js/tip-queue.js, stored once per browser-made id. Who may capture at a table is
`SessionAccess.can_capture_at(table)`: the session's facilitators, and the table's host.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from findings.constants import FINDING_TEXT_LIMIT, FindingKind
from findings.forms.live import error_list
from findings.forms.tips import MergeForm, TipForm
from findings.services.capture import CaptureRefused
from findings.services.tips import (
    SUGGESTED_THEMES,
    capture_tip,
    merge_tips,
    split_tip,
    tips_overview,
)
from findings.views.live import _millis, _strings, _wants_json, capture_note
from sessions.access import get_session_for


def _table_for(request, pk, table_pk, *, people=True):
    session = get_session_for(request.user, pk, people=people)
    table = get_object_or_404(session.tables.select_related("host", "ambassador"), pk=table_pk)
    session.access.require_table(table)
    return session, table


def _tip_strings():
    return {
        **_strings(),
        "tipEmpty": _("Schrijf eerst de tip op en geef haar een thema."),
        "tipWaitingOne": _("1 tip wacht op opslaan."),
        "tipWaitingMany": _("{n} tips wachten op opslaan."),
        "tipRejected": _("Deze tip is niet opgeslagen:"),
        "tipsSaved": _("Alle tips zijn opgeslagen."),
    }


@never_cache
def table_live(request, pk, table_pk):
    """A table's live page: the host writes what is said at the table, and its golden tips."""
    session, table = _table_for(request, pk, table_pk)
    notes = table.findings.select_related("speaker").order_by("-created_at", "-pk")
    tips = table.tips.order_by("created_at", "pk")
    themes = list(dict.fromkeys([*SUGGESTED_THEMES, *(t.theme for t in session.golden_tips.all())]))
    return render(
        request,
        "findings/tables/table_live.html",
        {
            "session": session,
            "table": table,
            "notes": notes,
            "tips": tips,
            "themes": themes,
            "speakers": list(table.panel_members.filter(erased_at__isnull=True)),
            "kinds": FindingKind.choices,
            "default_kind": FindingKind.IMPROVEMENT,
            "client_id": uuid.uuid4(),
            "server_now_ms": _millis(timezone.now()),
            "text_limit": FINDING_TEXT_LIMIT,
            "strings": _tip_strings(),
        },
    )


@require_POST
def table_capture(request, pk, table_pk):
    """One note said at this table, stored once per client_id (201 new, 200 already)."""
    session, table = _table_for(request, pk, table_pk, people=False)
    return capture_note(request, session, redirect("table_live", session.pk, table.pk), table=table)


@require_POST
def table_tip(request, pk, table_pk):
    """One golden tip of this table, stored once per client_id (201 new, 200 already)."""
    session, table = _table_for(request, pk, table_pk, people=False)
    form = TipForm(request.POST)
    errors = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            tip, created = capture_tip(session=session, table=table, user=request.user, **data)
        except CaptureRefused as error:
            errors = error.messages
    else:
        errors = error_list(form)
    if not _wants_json(request):
        for message in errors or [_("De tip is opgeslagen.")]:
            (messages.error if errors else messages.success)(request, message)
        return redirect("table_live", session.pk, table.pk)
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    html = render_to_string("findings/tables/_tip.html", {"tip": tip})
    return JsonResponse({"id": tip.pk, "html": html}, status=201 if created else 200)


def plenary(request, pk):
    """The plenary: every table's tips side by side, and the merged list. The facilitators
    merge tips that say the same (and split a merge again)."""
    session = get_session_for(request.user, pk, "see_tips")
    form = None
    if request.method == "POST":
        session.access.require("merge_tips")
        form = MergeForm(request.POST, session=session)
        if form.is_valid():
            data = form.cleaned_data
            try:
                merge_tips(session=session, user=request.user, **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("De tips zijn samengevoegd."))
                return redirect("plenary", pk)
    elif session.access.can_merge_tips:
        form = MergeForm(session=session)
    tables, merged = tips_overview(session)
    return render(
        request,
        "findings/tables/plenary.html",
        {
            "session": session,
            "tables": tables,
            "merged": merged,
            "form": form,
            "selected": {str(v) for v in (form["tips"].value() or [])} if form else set(),
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
def plenary_split(request, pk, tip_pk):
    session = get_session_for(request.user, pk, "merge_tips")
    merged = get_object_or_404(session.golden_tips, pk=tip_pk)
    try:
        split_tip(session=session, merged=merged)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De samengevoegde tip is weer gesplitst."))
    return redirect("plenary", pk)


@never_cache
@require_GET
def plenary_screen(request, pk):
    """The presenter screen's plenary part (loaded and refreshed by htmx from the screen in
    sessions, which knows no tips): the tables and their tips as they come in."""
    session = get_session_for(request.user, pk, "see_tips", people=False)
    with translation.override(session.language):
        return render(
            request,
            "findings/tables/_screen.html",
            {"session": session, "tables": tips_overview(session)[0]},
        )
