"""An organisation's rule set and question library, kept by its beheerders (issue 10).

Mounted by spiegel.urls under /organisations/<pk>/ beside participants' pages of the same
organisation; participants.access decides who may (its `can_manage_rules`/`_library`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants import access
from sessions.access import get_session_for
from sessions.forms import LibraryQuestionForm, RuleForm, SaveToLibraryForm
from sessions.models import Rule
from sessions.services import organisation as services
from sessions.services.sessions import move
from spiegel.forms import move_offset


def _organisation(request, pk, permission):
    organisation = access.get_organisation_for(request.user, pk, permission)
    access.remember_administration_on(request, organisation)
    return organisation


def _edit_item(request, organisation, form, *, title, saved, back):
    """One rule or library question in its own form: saved and back to the list, or the form
    again with its errors."""
    if form.is_valid():
        form.save()
        messages.success(request, saved)
        return redirect(back, organisation.pk)
    context = {"organisation": organisation, "form": form, "title": title, "back": back}
    return render(request, "sessions/org_item_form.html", context)


# — the rule set —


def _rules_context(organisation, **extra):
    own = organisation.rules.all()
    return {
        "organisation": organisation,
        "rules": own,
        "defaults": Rule.objects.defaults() if not own else [],
        **extra,
    }


def org_rules(request, pk):
    organisation = _organisation(request, pk, "manage_rules")
    form = RuleForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        services.add_rule(organisation=organisation, text=form.cleaned_data["text"])
        messages.success(request, _("De spelregel is toegevoegd."))
        return redirect("org_rules", pk)
    return render(request, "sessions/org_rules.html", _rules_context(organisation, form=form))


@require_POST
def org_rules_start(request, pk):
    organisation = _organisation(request, pk, "manage_rules")
    try:
        services.start_rule_set(organisation=organisation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("De standaard spelregels zijn overgenomen; pas ze nu aan."))
    return redirect("org_rules", pk)


def org_rule_edit(request, pk, rule_pk):
    organisation = _organisation(request, pk, "manage_rules")
    rule = get_object_or_404(organisation.rules, pk=rule_pk)
    return _edit_item(
        request,
        organisation,
        RuleForm(request.POST or None, instance=rule),
        title=_("Spelregel wijzigen"),
        saved=_("De spelregel is opgeslagen."),
        back="org_rules",
    )


@require_POST
def org_rule_move(request, pk, rule_pk):
    organisation = _organisation(request, pk, "manage_rules")
    rule = get_object_or_404(organisation.rules, pk=rule_pk)
    move(item=rule, siblings=organisation.rules.all(), offset=move_offset(request))
    if request.htmx:
        return render(request, "sessions/org_rules.html#rule-list", _rules_context(organisation))
    return redirect("org_rules", pk)


@require_POST
def org_rule_delete(request, pk, rule_pk):
    organisation = _organisation(request, pk, "manage_rules")
    get_object_or_404(organisation.rules, pk=rule_pk).delete()
    messages.success(request, _("De spelregel is verwijderd."))
    return redirect("org_rules", pk)


# — the question library —


def _library_context(organisation, **extra):
    return {
        "organisation": organisation,
        "questions": organisation.library_questions.order_by("position", "pk"),
        **extra,
    }


def org_library(request, pk):
    organisation = _organisation(request, pk, "manage_library")
    form = LibraryQuestionForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        services.add_library_question(organisation=organisation, **form.cleaned_data)
        messages.success(request, _("De vraag staat in de vragenbank."))
        return redirect("org_library", pk)
    return render(request, "sessions/org_library.html", _library_context(organisation, form=form))


def org_library_edit(request, pk, question_pk):
    organisation = _organisation(request, pk, "manage_library")
    question = get_object_or_404(organisation.library_questions, pk=question_pk)
    return _edit_item(
        request,
        organisation,
        LibraryQuestionForm(request.POST or None, instance=question),
        title=_("Vraag uit de vragenbank wijzigen"),
        saved=_("De vraag is opgeslagen."),
        back="org_library",
    )


@require_POST
def org_library_move(request, pk, question_pk):
    organisation = _organisation(request, pk, "manage_library")
    question = get_object_or_404(organisation.library_questions, pk=question_pk)
    move(
        item=question,
        siblings=organisation.library_questions.all(),
        offset=move_offset(request),
    )
    if request.htmx:
        return render(
            request, "sessions/org_library.html#library-list", _library_context(organisation)
        )
    return redirect("org_library", pk)


@require_POST
def org_library_delete(request, pk, question_pk):
    """Guides that used the question keep their copy (Question.source is set to NULL)."""
    organisation = _organisation(request, pk, "manage_library")
    get_object_or_404(organisation.library_questions, pk=question_pk).delete()
    messages.success(request, _("De vraag is uit de vragenbank verwijderd."))
    return redirect("org_library", pk)


# — from a session's guide —


@require_POST
def question_to_library(request, pk, question_pk):
    """Keep a question of a session's guide in the library of an organisation the user runs
    (one of the session's organisations)."""
    session = get_session_for(request.user, pk)
    question = get_object_or_404(session.questions, pk=question_pk)
    targets = access.may_save_to_library(request.user, session.organisations.all())
    if not targets:
        raise PermissionDenied(
            _("Alleen de beheerders van de organisatie bewaren vragen in haar vragenbank.")
        )
    form = SaveToLibraryForm(request.POST, organisations=targets)
    if not form.is_valid():
        messages.error(request, _("Kies de organisatie van de vragenbank."))
        return redirect("guide", pk)
    organisation = form.cleaned_data["organisation"]
    try:
        services.save_to_library(question=question, organisation=organisation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("De vraag staat nu in de vragenbank van %(organisation)s.")
            % {"organisation": organisation.name},
        )
    return redirect("guide", pk)
