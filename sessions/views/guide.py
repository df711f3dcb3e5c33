from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants import access as organisation_access
from sessions.access import get_session_for
from sessions.constants import QuestionKind
from sessions.forms import (
    LibraryChoiceForm,
    QuestionForm,
)
from sessions.services import sessions as services
from spiegel.forms import move_offset


def _library_targets(request, session):
    """The session's organisations whose library this user keeps (their beheerders): each
    question then offers "save to the library". Asked only of those the navigation knows
    to run an organisation, so the guide costs the others no query."""
    if not organisation_access.offers_administration(request):
        return []
    return organisation_access.may_save_to_library(request.user, session.organisations.all())


def _listener_warnings(session, questions) -> list[str]:
    """Why a LISTENER question will not be asked as written (it is the clarifying step, of
    which there is one, and only when the rules allow listener questions)."""
    listener = [q for q in questions if q.kind == QuestionKind.LISTENER]
    if not listener:
        return []
    if not session.listener_questions_allowed:
        return [
            _(
                "Volgens de spelregels stellen toehoorders bij dit gesprek geen vragen. Een "
                "vraag van het soort “%(kind)s” wordt tijdens het gesprek overgeslagen."
            )
            % {"kind": QuestionKind.LISTENER.label}
        ]
    if len(listener) > 1:
        return [
            _(
                "Alleen de eerste vraag van het soort “%(kind)s” wordt de stap met "
                "verduidelijkende vragen; de andere worden tijdens het gesprek overgeslagen."
            )
            % {"kind": QuestionKind.LISTENER.label}
        ]
    return []


def _guide_context(session, request=None, **extra):
    questions = session.questions.all()
    planned = questions.aggregate(total=Sum("planned_minutes"))["total"] or 0
    questions = list(questions)
    return {
        "session": session,
        "questions": questions,
        "listener_warnings": _listener_warnings(session, questions),
        "planned": planned,
        "over_time": planned > session.duration_minutes,
        "library_targets": _library_targets(request, session) if request else [],
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
        session.access.require("edit")
    return render(
        request,
        "sessions/guide.html",
        _guide_context(session, request, form=form, library_form=library_form),
    )


@require_POST
def guide_from_library(request, pk):
    session = get_session_for(request.user, pk, "edit")
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
        _guide_context(session, request, form=form, library_form=library_form),
    )


def question_edit(request, pk, question_pk):
    session = get_session_for(request.user, pk, "edit")
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
    session = get_session_for(request.user, pk, "edit")
    question = get_object_or_404(session.questions, pk=question_pk)
    services.move(item=question, siblings=session.questions.all(), offset=move_offset(request))
    if request.htmx:
        return render(
            request, "sessions/guide.html#question-list", _guide_context(session, request)
        )
    return redirect("guide", pk)


@require_POST
def question_delete(request, pk, question_pk):
    session = get_session_for(request.user, pk, "edit")
    get_object_or_404(session.questions, pk=question_pk).delete()
    messages.success(request, _("De vraag is verwijderd."))
    return redirect("guide", pk)
