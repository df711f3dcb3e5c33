"""Theme suggestions for the debrief (/sessions/<pk>/debrief/suggestions/).

A page of its own, linked from the debrief's themes card: computing suggestions costs a
TF-IDF fit, which the debrief page itself should not pay on every load. Who may change the
debrief's themes may use it (the debrief's "edit_debrief"). Every suggestion waits for a
person: accepting goes through debrief.assign_theme, the same path as choosing by hand.
The forms work without JavaScript; with htmx a decision swaps only its own row.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from findings.forms.themes import ACCEPT, GroupForm, SuggestionForm
from findings.services import debrief, themes
from sessions.access import get_session_for

PAGE = "findings/debrief/suggestions.html"


def _page_url(session, anchor=""):
    return reverse("theme_suggestions", args=[session.pk]) + (f"#{anchor}" if anchor else "")


def theme_suggestions(request, pk):
    session = get_session_for(request.user, pk, "edit_debrief")
    suggestions = themes.suggestions_for(session)
    return render(request, PAGE, {"session": session, "suggestions": suggestions})


@require_POST
def theme_suggestion_decide(request, pk, finding_pk):
    """Accept (with the theme as suggested or as changed) or reject one finding's
    suggestions."""
    session = get_session_for(request.user, pk, "edit_debrief")
    finding = get_object_or_404(session.findings.select_related("speaker"), pk=finding_pk)
    form = SuggestionForm(request.POST, session=session)
    error, outcome = None, None
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == ACCEPT:
                theme = form.cleaned_data["theme"]
                debrief.assign_theme(session=session, finding_ids=[finding.pk], theme=theme)
                outcome = _("Thema “%(name)s” toegekend.") % {"name": theme.name}
            else:
                themes.dismiss(session=session, finding=finding, by=request.user)
                outcome = _("Afgewezen: deze bevinding blijft zonder thema.")
        except ValidationError as refused:
            error = refused.messages[0]
    else:
        error = next(iter(form.errors.values()))[0]
    if request.htmx:
        return render(
            request,
            f"{PAGE}#decided",
            {"session": session, "finding": finding, "outcome": outcome, "error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, outcome)
    return redirect(_page_url(session, "suggested"))


@require_POST
def theme_suggestion_group(request, pk):
    """Make a proposed group a theme under the name the person gave it, or reject it."""
    session = get_session_for(request.user, pk, "edit_debrief")
    form = GroupForm(request.POST, session=session)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_page_url(session, "groups"))
    chosen = list(form.cleaned_data["findings"])
    try:
        if form.cleaned_data["decision"] == ACCEPT:
            theme, n = themes.accept_group(
                session=session, name=form.cleaned_data["name"], findings=chosen
            )
            message = ngettext(
                "%(n)s bevinding staat nu bij thema “%(name)s”.",
                "%(n)s bevindingen staan nu bij thema “%(name)s”.",
                n,
            ) % {"n": n, "name": theme.name}
        else:
            n = themes.dismiss_group(session=session, findings=chosen, by=request.user)
            message = ngettext(
                "Voorstel afgewezen; %(n)s bevinding blijft zonder thema.",
                "Voorstel afgewezen; %(n)s bevindingen blijven zonder thema.",
                n,
            ) % {"n": n}
    except ValidationError as refused:
        for text in refused.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect(_page_url(session, "groups"))
