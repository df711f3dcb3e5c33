"""The participants' evaluation: the summary and the QR sheet for the facilitator and the
coordinator, and the public form behind each personal link (no account)."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sessions.access import get_session_for
from sessions.forms import EvaluationForm
from sessions.models import Evaluation
from sessions.services import evaluation as service
from spiegel.languages import keep_language, render_for_client, requested_language

TOKEN_MAX_LENGTH = Evaluation._meta.get_field("token").max_length


def _session_for_evaluation(user, pk):
    """Facilitators and coordinators only; listeners learn why, outsiders get 404."""
    return get_session_for(user, pk, "see_evaluation")


@require_safe
def evaluation_summary(request, pk):
    session = _session_for_evaluation(request.user, pk)
    summary = service.summarize(session)
    return render(
        request,
        "sessions/evaluation/summary.html",
        {
            "session": session,
            "groups": [
                (_("Cliënten"), "clients", summary["clients"]),
                (_("Toehoorders"), "listeners", summary["listeners"]),
            ],
            "has_links": any(group.links for group in summary.values()),
            "blocker": service.links_blocker(session),
        },
    )


@require_POST
def evaluation_links_create(request, pk):
    session = _session_for_evaluation(request.user, pk)
    try:
        result = service.create_links(session=session)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if result.created:
            messages.success(
                request,
                ngettext(
                    "%(n)s evaluatielink gemaakt.", "%(n)s evaluatielinks gemaakt.", result.created
                )
                % {"n": result.created},
            )
        else:
            messages.info(request, _("Iedereen die aanwezig was, heeft al een link."))
    return redirect("evaluation_summary", session.pk)


@require_safe
def evaluation_sheet(request, pk):
    session = _session_for_evaluation(request.user, pk)
    return render(
        request,
        "sessions/evaluation/sheet.html",
        {"session": session, "cards": service.sheet_links(session)},
    )


# — the public form —


TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]+")


def _evaluation_or_404(request, token):
    """The evaluation behind the token and the language its pages speak: the switch's
    `?taal=`, else the panel member's own language, else the session's (a listener's)."""
    evaluation = None
    # Tokens are URL-safe base64; anything else (a NUL byte, which PostgreSQL refuses even to
    # compare) cannot be one, so it never reaches the database.
    if len(token) <= TOKEN_MAX_LENGTH and TOKEN_PATTERN.fullmatch(token):
        evaluation = (
            Evaluation.objects.select_related("session", "panel_member").filter(token=token).first()
        )
    if evaluation is None:
        # Our own page, not the app's 404: it must not send a client to the login page.
        language = requested_language(request, default=None)
        page = "sessions/evaluation/not_found.html"
        return None, None, render_for_client(request, page, language=language, status=404)
    member = evaluation.panel_member
    default = member.language if member is not None else evaluation.session.language
    return evaluation, requested_language(request, default=default), None


def _done(request, evaluation, language, *, status=200):
    return render_for_client(
        request,
        "sessions/evaluation/already_answered.html",
        {"session": evaluation.session},
        language=language,
        status=status,
    )


# No CSRF check: the unguessable token in the address already is the secret a forged request
# would need, so the check adds nothing here, while it would refuse clients whose phone
# blocks cookies with a technical English-looking error page.
@csrf_exempt
@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation_form(request, token):
    evaluation, language, missing = _evaluation_or_404(request, token)
    if missing:
        return missing
    if evaluation.responded_at:
        # Says so, without showing the answers: the phone may not be theirs any more.
        return _done(request, evaluation, language, status=409 if request.method == "POST" else 200)
    # Validated in the client's language too: the error messages are theirs.
    with translation.override(language):
        form = EvaluationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                service.submit_answers(
                    evaluation=evaluation,
                    answers={name: data[name] for name in service.QUESTION_FIELDS},
                    comment=data["comment"],
                )
            except service.AlreadyAnswered:
                return _done(request, evaluation, language, status=409)
            return redirect(keep_language(request, reverse("evaluation_thanks", args=[token])))
        return render_for_client(
            request,
            "sessions/evaluation/form.html",
            {
                "session": evaluation.session,
                "form": form,
                "action": keep_language(request, request.path),
            },
            language=language,
        )


@login_not_required
@never_cache
@require_safe
def evaluation_thanks(request, token):
    evaluation, language, missing = _evaluation_or_404(request, token)
    if missing:
        return missing
    if not evaluation.responded_at:
        return redirect(keep_language(request, reverse("evaluation_form", args=[token])))
    context = {"session": evaluation.session}
    return render_for_client(request, "sessions/evaluation/thanks.html", context, language=language)
