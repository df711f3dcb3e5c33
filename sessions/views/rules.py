from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions.access import get_session_for
from sessions.forms import (
    RuleForm,
    SessionRulesSettingsForm,
)
from sessions.services import sessions as services
from spiegel.forms import move_offset


def rules(request, pk):
    session = get_session_for(request.user, pk)
    form = settings_form = None
    if session.access.can_edit:
        form = RuleForm(request.POST or None, prefix="new")
        settings_form = SessionRulesSettingsForm(instance=session, prefix="settings")
        if request.method == "POST" and form.is_valid():
            services.add_rule(session=session, text=form.cleaned_data["text"])
            messages.success(request, _("De spelregel is toegevoegd."))
            return redirect("rules", pk)
    elif request.method == "POST":
        session.access.require("edit")
    return render(
        request,
        "sessions/rules.html",
        {
            "session": session,
            "rules": session.rules.all(),
            "form": form,
            "settings_form": settings_form,
        },
    )


@require_POST
def rules_settings(request, pk):
    session = get_session_for(request.user, pk, "edit")
    form = SessionRulesSettingsForm(request.POST, instance=session, prefix="settings")
    if form.is_valid():
        form.save()
        messages.success(request, _("De instelling is opgeslagen."))
    return redirect("rules", pk)


@require_POST
def rules_load(request, pk):
    session = get_session_for(request.user, pk, "edit")
    try:
        services.load_rules(session=session)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("De standaard spelregels zijn opgenomen."))
    return redirect("rules", pk)


def rule_edit(request, pk, rule_pk):
    session = get_session_for(request.user, pk, "edit")
    rule = get_object_or_404(session.rules, pk=rule_pk)
    form = RuleForm(request.POST or None, instance=rule)
    if form.is_valid():
        form.save()
        messages.success(request, _("De spelregel is opgeslagen."))
        return redirect("rules", pk)
    return render(
        request,
        "sessions/item_form.html",
        {"session": session, "form": form, "title": _("Spelregel wijzigen"), "back": "rules"},
    )


@require_POST
def rule_move(request, pk, rule_pk):
    session = get_session_for(request.user, pk, "edit")
    rule = get_object_or_404(session.rules, pk=rule_pk)
    services.move(item=rule, siblings=session.rules.all(), offset=move_offset(request))
    if request.htmx:
        return render(
            request,
            "sessions/rules.html#rule-list",
            {"session": session, "rules": session.rules.all()},
        )
    return redirect("rules", pk)


@require_POST
def rule_delete(request, pk, rule_pk):
    session = get_session_for(request.user, pk, "edit")
    get_object_or_404(session.rules, pk=rule_pk).delete()
    messages.success(request, _("De spelregel is verwijderd."))
    return redirect("rules", pk)
