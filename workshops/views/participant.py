"""The participant's pages behind a personal link (no account): choose a role, read its
briefing and the cases, follow the rounds, evaluate each round on the phone.

Like the evaluation links (sessions/views/evaluation.py): no CSRF check, because the
unguessable token in the address is the secret a forged request would need; a token that
cannot be one never reaches the database; an unknown one gets a kind Dutch page (404).
"""

import re

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from spiegel.forms import MAX_PK
from spiegel.polling import fragment, poll_response
from workshops import services
from workshops.forms import RoleChoiceForm, RoundEvaluationForm
from workshops.models import Participant

TOKEN_MAX_LENGTH = Participant._meta.get_field("token").max_length
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]+")


def _participant_or_404(request, token):
    participant = None
    if len(token) <= TOKEN_MAX_LENGTH and TOKEN_PATTERN.fullmatch(token):
        participant = (
            Participant.objects.select_related(
                "workshop", "workshop__organisation", "workshop__current_round", "role"
            )
            .filter(token=token)
            .first()
        )
    if participant is None:
        return None, render(request, "workshops/play/not_found.html", status=404)
    return participant, None


def _state_context(participant):
    workshop = participant.workshop
    reached = services.reached_rounds(workshop)
    done = set(participant.evaluations.values_list("round_id", flat=True))
    return {
        "participant": participant,
        "workshop": workshop,
        "round": workshop.current_round if workshop.is_running else None,
        "is_preparing": workshop.is_preparing,
        "is_closed": workshop.is_closed,
        "rounds": [(round, round.pk in done) for round in reached],
    }


STATE = "workshops/play/play.html#state"


@csrf_exempt
@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def workshop_play(request, token):
    participant, missing = _participant_or_404(request, token)
    if missing:
        return missing
    workshop = participant.workshop
    roles = list(workshop.roles.all())
    choosing = participant.role_id is None or (
        request.GET.get("rol") == "kiezen" and workshop.is_preparing
    )
    form = RoleChoiceForm(
        request.POST if request.method == "POST" else None,
        roles=roles,
        initial={"role": participant.role_id, "display_name": participant.display_name},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.choose_role(
                    participant=participant,
                    role_id=form.cleaned_data["role"],
                    display_name=form.cleaned_data["display_name"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("workshop_play", token)
        choosing = True
    if choosing and not workshop.is_closed:
        return render(
            request,
            "workshops/play/choose_role.html",
            {"participant": participant, "workshop": workshop, "form": form},
            status=200,
        )
    context = _state_context(participant)
    context["state_html"], _version = fragment(request, STATE, context)
    context["cases"] = workshop.cases.all()
    return render(request, "workshops/play/play.html", context)


@login_not_required
@never_cache
@require_safe
def workshop_play_state(request, token):
    participant, missing = _participant_or_404(request, token)
    if missing:
        return missing
    return poll_response(
        request,
        STATE,
        _state_context(participant),
        done=participant.workshop.is_closed,
    )


@csrf_exempt
@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def workshop_round_evaluation(request, token, round_pk):
    participant, missing = _participant_or_404(request, token)
    if missing:
        return missing
    workshop = participant.workshop
    round = None
    if 0 < round_pk <= MAX_PK:
        round = next((r for r in services.reached_rounds(workshop) if r.pk == round_pk), None)
    if round is None:
        # Another workshop's round, or one not yet held: back to the page, which says where
        # the workshop is.
        return redirect("workshop_play", token)
    evaluation = participant.evaluations.filter(round=round).first()
    initial = {}
    if evaluation:
        initial = {
            "feeling": evaluation.feeling,
            "experience": evaluation.experience,
            "gut_feeling": evaluation.gut_feeling,
        }
    form = RoundEvaluationForm(request.POST if request.method == "POST" else None, initial=initial)
    closed = workshop.is_closed
    status = 200
    if request.method == "POST":
        if closed:
            status = 409
        elif form.is_valid():
            try:
                services.evaluate_round(participant=participant, round=round, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("workshop_play", token)
    return render(
        request,
        "workshops/play/evaluate.html",
        {
            "participant": participant,
            "workshop": workshop,
            "round": round,
            "form": form,
            "evaluation": evaluation,
            "closed": closed,
        },
        status=status,
    )
