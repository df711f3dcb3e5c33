"""The listeners' view: the rules reminder, the current question and a private jotting pad.

It reads the live state that sessions.services.live moves and polls a small fragment of it
every second (spiegel.polling), like the presenter screen. It never shows findings or names:
listeners only hear what is said in the room. The pad holds notes for the debrief that only
their author ever sees. Nothing here is cached (never_cache): the page holds private notes.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from findings.forms.listen import JottingForm, QuestionsForm, ReflectionForm
from findings.services import learning as learning_service
from findings.services.jottings import (
    JottingRefused,
    jotting_of,
    save_jotting,
    version_of,
)
from sessions.access import get_session_for
from sessions.services.live import room_state
from spiegel.polling import fragment, poll_response


@never_cache
def listen(request, pk):
    """Read-only: the rules reminder and the current question, plus a private jotting pad."""
    session = get_session_for(request.user, pk, "listen")
    jotting = jotting_of(session=session, author=request.user)
    form = JottingForm(
        initial={"text": jotting.text if jotting else "", "base": version_of(jotting)}
    )
    return _render_listen(request, session, form, jotting)


def _learning_context(request, session, form=None):
    """The listener's own leervragen and reflection, with the form this phase takes."""
    if not session.access.offers_learning:
        return {}
    learning = learning_service.learning_of(session=session, author=request.user)
    if form is None and session.access.can_write_questions:
        form = QuestionsForm(
            initial={
                "question_1": learning.question_1 if learning else "",
                "question_2": learning.question_2 if learning else "",
                "question_3": learning.question_3 if learning else "",
                "shared": learning.shared if learning else False,
            }
        )
    elif form is None and session.access.can_write_reflection:
        form = ReflectionForm(
            initial={
                "touched": learning.touched if learning else "",
                "change": learning.change if learning else "",
                "shared": learning.shared if learning else False,
            }
        )
    return {"learning": learning, "learning_form": form}


def _render_listen(request, session, form, jotting, learning_form=None):
    context = {"session": session, "state": room_state(session)}
    context.update(_learning_context(request, session, learning_form))
    context["state_html"], _version = fragment(request, "findings/listen.html#state", context)
    writable = session.access.can_write_jotting
    context.update(
        {
            "rules": session.rules.only("text"),
            "form": form,
            "jotting": jotting,
            "writable": writable,
            "closed": not writable,
            "show_pad": writable or jotting is not None,
        }
    )
    return render(request, "findings/listen.html", context)


@never_cache
def listen_state(request, pk):
    session = get_session_for(request.user, pk, "listen")
    if request.GET.get("pad") == "0" and session.access.can_write_jotting:
        # The page was drawn before the meeting started, without a pad: draw it again.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return poll_response(
        request,
        "findings/listen.html#state",
        {"session": session, "state": room_state(session)},
        done=session.is_over,
    )


@never_cache
@require_POST
def listen_jotting(request, pk):
    """Autosave of the pad (htmx) or its plain form post. Only ever the author's own jotting."""
    session = get_session_for(request.user, pk, "listen")
    form = JottingForm(request.POST)
    jotting, error = None, None
    if form.is_valid():
        try:
            jotting = save_jotting(
                session=session,
                author=request.user,
                text=form.cleaned_data["text"],
                base_version=form.cleaned_data["base"],
            )
        except JottingRefused as refused:
            error = refused.messages[0]
    else:
        error = " ".join(form.errors.get("text", []) + form.errors.get("base", []))
    if request.POST.get("beacon"):  # sent as the page closed; nobody reads the answer
        return HttpResponse(status=204)
    if request.htmx:
        return render(
            request,
            "findings/listen.html#jotting-status",
            {"jotting": jotting, "version": version_of(jotting), "error": error, "oob": True},
        )
    if error is None:
        messages.success(request, _("Uw aantekeningen zijn opgeslagen."))
        return redirect("listen", session.pk)
    messages.error(request, error)
    return _render_listen(request, session, form, jotting_of(session=session, author=request.user))


@never_cache
@require_POST
def listen_learning(request, pk):
    """A listener's leervragen (before the meeting) or reflection (after it): only their own."""
    session = get_session_for(request.user, pk, "write_learning")
    form_class = QuestionsForm if session.access.can_write_questions else ReflectionForm
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if form_class is QuestionsForm:
                learning_service.save_questions(
                    session=session,
                    author=request.user,
                    questions=form.questions(),
                    shared=data["shared"],
                )
                done = _("Uw leervragen zijn opgeslagen.")
            else:
                learning_service.save_reflection(
                    session=session,
                    author=request.user,
                    touched=data["touched"],
                    change=data["change"],
                    shared=data["shared"],
                )
                done = _("Uw reflectie is opgeslagen.")
        except learning_service.LearningRefused as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, done)
            return redirect(reverse("listen", args=[session.pk]) + "#learning")
    jotting = jotting_of(session=session, author=request.user)
    pad = JottingForm(
        initial={"text": jotting.text if jotting else "", "base": version_of(jotting)}
    )
    return _render_listen(request, session, pad, jotting, learning_form=form)
