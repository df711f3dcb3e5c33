from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .access import annotate_access, get_session_for, with_access
from .checklist import next_step, preparation_checklist, summary
from .constants import Status
from .forms import (
    LibraryChoiceForm,
    QuestionForm,
    RuleForm,
    SessionForm,
    SessionRulesSettingsForm,
    may_create_sessions,
)
from .models import Session, TransitionError

PAGE_SIZE = 25


def session_list(request):
    sessions = annotate_access(Session.objects.for_user(request.user), request.user)
    status = request.GET.get("status", "")
    if status in Status.values:
        sessions = sessions.filter(status=status)
    query = request.GET.get("q", "").strip()[:200].replace("\x00", "")
    if query:
        sessions = sessions.filter(
            Q(title__icontains=query) | Q(theme__icontains=query) | Q(location__icontains=query)
        )
    sessions = sessions.select_related("facilitator").prefetch_related("organisations")
    page = Paginator(sessions.order_by("-starts_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = with_access(page.object_list, request.user)
    return render(
        request,
        "sessions/session_list.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "statuses": Status.choices,
            "can_create": may_create_sessions(request.user),
        },
    )


def session_create(request):
    if not may_create_sessions(request.user):
        raise PermissionDenied(_("Alleen gespreksleiders en coördinatoren maken gesprekken aan."))
    form = SessionForm(request.POST or None, user=request.user)
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "organisations"}
        session = services.create_session(
            created_by=request.user, organisations=form.cleaned_data["organisations"], **fields
        )
        _warn_independence(request, session)
        messages.success(request, _("Het spiegelgesprek is aangemaakt."))
        return redirect("session_detail", session.pk)
    return render(request, "sessions/session_form.html", {"form": form, "session": None})


def session_edit(request, pk):
    session = get_session_for(request.user, pk, can_edit=True)
    form = SessionForm(request.POST or None, instance=session, user=request.user)
    if form.is_valid():
        form.save()
        _warn_independence(request, session)
        messages.success(request, _("De gegevens zijn opgeslagen."))
        return redirect("session_detail", session.pk)
    return render(request, "sessions/session_form.html", {"form": form, "session": session})


def _warn_independence(request, session):
    for _blocking, message in session.independence_problems():
        messages.warning(request, message)


def session_detail(request, pk):
    session = get_session_for(request.user, pk)
    items = preparation_checklist(session)
    return render(
        request,
        "sessions/session_detail.html",
        {
            "session": session,
            "organisations": session.organisations.all(),
            "checklist": items,
            "checklist_summary": summary(items),
            "next_step": next_step(session),
            "panel": session.panel_members.all(),
            "listeners": session.listeners.all(),
            "questions": session.questions.all(),
        },
    )


TRANSITIONS = {
    "plan": (Session.plan, _("Het gesprek is gepland.")),
    "unplan": (Session.unplan, _("Het gesprek is terug naar concept.")),
    "go_live": (Session.go_live, _("Het gesprek is gestart.")),
}


@require_POST
def session_transition(request, pk, action):
    if action not in TRANSITIONS:
        raise Http404
    session = get_session_for(request.user, pk, can_edit=True)
    method, done = TRANSITIONS[action]
    try:
        method(session)
    except TransitionError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
        if action == "go_live":
            return redirect("live", session.pk)
    return redirect("session_detail", session.pk)


# — question guide —


def _guide_context(session, **extra):
    questions = session.questions.all()
    planned = questions.aggregate(total=Sum("planned_minutes"))["total"] or 0
    return {
        "session": session,
        "questions": questions,
        "planned": planned,
        "over_time": planned > session.duration_minutes,
        **extra,
    }


def guide(request, pk):
    session = get_session_for(request.user, pk)
    form = library_form = None
    if session.access.can_edit:
        form = QuestionForm(request.POST or None, prefix="new")
        library_form = LibraryChoiceForm(session=session, prefix="lib")
        if request.method == "POST" and form.is_valid():
            services.add_question(session=session, **form.cleaned_data)
            messages.success(request, _("De vraag is toegevoegd."))
            return redirect("guide", pk)
    elif request.method == "POST":
        get_session_for(request.user, pk, can_edit=True)  # answers with the reason why not
    return render(
        request,
        "sessions/guide.html",
        _guide_context(session, form=form, library_form=library_form),
    )


@require_POST
def guide_from_library(request, pk):
    session = get_session_for(request.user, pk, can_edit=True)
    library_form = LibraryChoiceForm(request.POST, session=session, prefix="lib")
    if library_form.is_valid():
        try:
            added = services.copy_from_library(
                session=session, library_questions=library_form.cleaned_data["questions"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("%(n)s vragen toegevoegd.") % {"n": len(added)})
            return redirect("guide", pk)
    form = QuestionForm(prefix="new")
    return render(
        request,
        "sessions/guide.html",
        _guide_context(session, form=form, library_form=library_form),
    )


def question_edit(request, pk, question_pk):
    session = get_session_for(request.user, pk, can_edit=True)
    question = get_object_or_404(session.questions, pk=question_pk)
    form = QuestionForm(request.POST or None, instance=question)
    if form.is_valid():
        form.save()
        messages.success(request, _("De vraag is opgeslagen."))
        return redirect("guide", pk)
    return render(
        request,
        "sessions/item_form.html",
        {"session": session, "form": form, "title": _("Vraag wijzigen"), "back": "guide"},
    )


@require_POST
def question_move(request, pk, question_pk):
    session = get_session_for(request.user, pk, can_edit=True)
    question = get_object_or_404(session.questions, pk=question_pk)
    services.move(item=question, siblings=session.questions.all(), offset=_offset(request))
    if request.htmx:
        return render(request, "sessions/guide.html#question-list", _guide_context(session))
    return redirect("guide", pk)


@require_POST
def question_delete(request, pk, question_pk):
    session = get_session_for(request.user, pk, can_edit=True)
    get_object_or_404(session.questions, pk=question_pk).delete()
    messages.success(request, _("De vraag is verwijderd."))
    return redirect("guide", pk)


def _offset(request) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


# — rules —


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
        get_session_for(request.user, pk, can_edit=True)  # answers with the reason why not
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
    session = get_session_for(request.user, pk, can_edit=True)
    form = SessionRulesSettingsForm(request.POST, instance=session, prefix="settings")
    if form.is_valid():
        form.save()
        messages.success(request, _("De instelling is opgeslagen."))
    return redirect("rules", pk)


@require_POST
def rules_load(request, pk):
    session = get_session_for(request.user, pk, can_edit=True)
    try:
        services.load_rules(session=session)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("De standaard spelregels zijn opgenomen."))
    return redirect("rules", pk)


def rule_edit(request, pk, rule_pk):
    session = get_session_for(request.user, pk, can_edit=True)
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
    session = get_session_for(request.user, pk, can_edit=True)
    rule = get_object_or_404(session.rules, pk=rule_pk)
    services.move(item=rule, siblings=session.rules.all(), offset=_offset(request))
    if request.htmx:
        return render(
            request,
            "sessions/rules.html#rule-list",
            {"session": session, "rules": session.rules.all()},
        )
    return redirect("rules", pk)


@require_POST
def rule_delete(request, pk, rule_pk):
    session = get_session_for(request.user, pk, can_edit=True)
    get_object_or_404(session.rules, pk=rule_pk).delete()
    messages.success(request, _("De spelregel is verwijderd."))
    return redirect("rules", pk)
