"""What the room sees: the presenter screen, and the listeners' view with their jotting pad.

Both pages only read the live state that sessions.live moves, and poll a small fragment of it
every second, so they follow the facilitator within two seconds even when one poll is slow (a
poll costs four small queries). A poll names the version of the fragment it shows; an
unchanged fragment answers 204, so nothing is swapped, nothing flickers and screen readers
announce nothing twice.
Once the meeting is over the fragment answers 286, which stops htmx polling.

Neither page ever shows findings or names: the screen is projected to the panel, and the
listeners only hear what is said in the room. Nothing here is cached (never_cache): the state
must be fresh, and the listener's page holds their private notes.
"""

import hashlib
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from findings.jottings import JottingRefused, jotting_of, may_write, save_jotting, version_of
from findings.models import Jotting

from .access import get_session_for
from .constants import LiveStep, Status
from .models import Question

POLL_DONE = 286  # htmx stops polling on this status
OVER = (Status.DEBRIEF, Status.CLOSED)


@dataclass(frozen=True)
class RoomState:
    """What is shown in the room now: one of the `scene`s, and what it needs."""

    scene: str  # welcome | rules | question | clarifying | thanks
    rules: tuple = ()
    question: Question | None = None

    @property
    def density(self) -> str:
        """A CSS class for how much text there is, so a long question still fits one screen
        and a short one fills it. A rule costs a line break as well as its characters."""
        if self.scene == "rules":
            size = sum(len(rule.text) + 60 for rule in self.rules)
            limits = (300, 600, 900, 1400)
        elif self.scene == "question":
            size = len(self.question.text)
            limits = (120, 260, 520, 1000)
        else:
            return ""
        names = ("is-roomy", "is-medium", "is-dense", "is-very-dense")
        for limit, name in zip(limits, names, strict=True):
            if size <= limit:
                return name
        return "is-extreme"


def room_state(session) -> RoomState:
    """The scene for the session's status and live step; at most one query.

    The current question comes with its number and the number of questions in one query, so
    a poll costs the same whatever the length of the guide.
    """
    if session.status in OVER:
        return RoomState("thanks")
    if session.status != Status.LIVE or session.live_step == LiveStep.CHECK_IN:
        return RoomState("welcome")
    if session.live_step == LiveStep.OPENING:
        return RoomState("rules", rules=tuple(session.rules.only("text")))
    if session.live_step == LiveStep.CLARIFYING:
        return RoomState("clarifying")
    question = _numbered_question(session)
    return RoomState("question", question=question) if question else RoomState("welcome")


def _numbered_question(session):
    if session.current_question_id is None:
        return None
    guide = Question.objects.filter(session=OuterRef("session")).order_by().values("session")
    before = guide.filter(
        Q(position__lt=OuterRef("position"))
        | Q(position=OuterRef("position"), pk__lt=OuterRef("pk"))
    )
    count = Count("pk")
    return (
        Question.objects.filter(pk=session.current_question_id, session=session)
        .only("text", "position")
        .annotate(
            total=Subquery(guide.annotate(n=count).values("n"), output_field=IntegerField()),
            number=Coalesce(
                Subquery(before.annotate(n=count).values("n"), output_field=IntegerField()),
                Value(0),
            )
            + 1,
        )
        .first()
    )


def _fragment(request, template, context):
    """The fragment's HTML, and a hidden field carrying its version for the next poll."""
    html = render_to_string(template, context, request)
    version = hashlib.blake2s(html.encode(), digest_size=8).hexdigest()
    marker = format_html('<input type="hidden" name="v" value="{}">', version)
    return html + marker, version


def _poll_response(request, session, template, context):
    html, version = _fragment(request, template, context)
    if session.status in OVER:
        return HttpResponse(html, status=POLL_DONE)
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    return HttpResponse(html)


# — the presenter screen —


def _screen_context(request, session):
    return {
        "session": session,
        "state": room_state(session),
        "clock": request.GET.get("klok") == "1",
    }


@never_cache
def screen(request, pk):
    """Full screen, for a projector: the facilitator opens it; anyone who may see the session
    may, since it shows only what the whole room sees. In the session's own language."""
    session = get_session_for(request.user, pk)
    with translation.override(session.language):
        context = _screen_context(request, session)
        context["state_html"], _version = _fragment(
            request, "sessions/screen/screen.html#state", context
        )
        return render(request, "sessions/screen/screen.html", context)


@never_cache
def screen_state(request, pk):
    session = get_session_for(request.user, pk)
    with translation.override(session.language):
        return _poll_response(
            request, session, "sessions/screen/screen.html#state", _screen_context(request, session)
        )


# — the listeners' view —


class JottingForm(forms.Form):
    text = forms.CharField(
        label=_("Uw aantekeningen, alleen voor u zichtbaar"),
        required=False,
        strip=False,
        max_length=Jotting._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    base = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


@never_cache
def listen(request, pk):
    """Read-only: the rules reminder and the current question, plus a private jotting pad."""
    session = get_session_for(request.user, pk)
    jotting = jotting_of(session=session, author=request.user)
    form = JottingForm(
        initial={"text": jotting.text if jotting else "", "base": version_of(jotting)}
    )
    return _render_listen(request, session, form, jotting)


def _render_listen(request, session, form, jotting):
    context = {"session": session, "state": room_state(session)}
    context["state_html"], _version = _fragment(request, "sessions/listen.html#state", context)
    writable = may_write(session)
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
    return render(request, "sessions/listen.html", context)


@never_cache
def listen_state(request, pk):
    session = get_session_for(request.user, pk)
    if request.GET.get("pad") == "0" and may_write(session):
        # The page was drawn before the meeting started, without a pad: draw it again.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return _poll_response(
        request,
        session,
        "sessions/listen.html#state",
        {"session": session, "state": room_state(session)},
    )


@never_cache
@require_POST
def listen_jotting(request, pk):
    """Autosave of the pad (htmx) or its plain form post. Only ever the author's own jotting."""
    session = get_session_for(request.user, pk)
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
            "sessions/listen.html#jotting-status",
            {"jotting": jotting, "version": version_of(jotting), "error": error, "oob": True},
        )
    if error is None:
        messages.success(request, _("Uw aantekeningen zijn opgeslagen."))
        return redirect("listen", session.pk)
    messages.error(request, error)
    return _render_listen(request, session, form, jotting_of(session=session, author=request.user))
