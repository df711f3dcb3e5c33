"""Workflows of a role-play workshop: keyword-only, atomic, raising translated errors."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions.constants import Face

from .constants import (
    DEFAULT_CASE,
    DEFAULT_ROLES,
    DEFAULT_ROUNDS,
    MAX_LINKS_AT_ONCE,
    WorkshopStatus,
)
from .models import Participant, Round, RoundEvaluation, Workshop, WorkshopCase, WorkshopRole


@transaction.atomic
def create_workshop(*, organisation, title, facilitator, starts_at=None, online_url=""):
    """A new workshop, filled with the seed's three roles, one case and three rounds."""
    workshop = Workshop.objects.create(
        organisation=organisation,
        title=title,
        facilitator=facilitator,
        starts_at=starts_at,
        online_url=online_url,
    )
    WorkshopRole.objects.bulk_create(
        WorkshopRole(workshop=workshop, name=str(name), briefing=str(briefing), position=i)
        for i, (name, briefing) in enumerate(DEFAULT_ROLES, 1)
    )
    WorkshopCase.objects.create(
        workshop=workshop, title=str(DEFAULT_CASE[0]), text=str(DEFAULT_CASE[1]), position=1
    )
    Round.objects.bulk_create(
        Round(
            workshop=workshop,
            position=i,
            kind=kind,
            title=str(title),
            instructions=str(instructions),
            minutes=minutes,
        )
        for i, (kind, title, instructions, minutes) in enumerate(DEFAULT_ROUNDS, 1)
    )
    return workshop


def next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def add_links(*, workshop, count: int) -> list[Participant]:
    if workshop.status == WorkshopStatus.CLOSED:
        raise ValidationError(_("Deze workshop is afgesloten."))
    if not 1 <= count <= MAX_LINKS_AT_ONCE:
        raise ValidationError(_("Maak 1 tot %(max)s links tegelijk.") % {"max": MAX_LINKS_AT_ONCE})
    return Participant.objects.bulk_create(Participant(workshop=workshop) for _i in range(count))


@transaction.atomic
def delete_item(*, workshop, item):
    """A role, case or round goes, unless something of the participants hangs on it: a round
    that is running or has evaluations, a role someone chose."""
    if isinstance(item, Round):
        if item.pk == workshop.current_round_id:
            raise ValidationError(_("Dit is de ronde van nu. Ga eerst naar een andere ronde."))
        if item.evaluations.exists():
            raise ValidationError(_("Deze ronde is al geëvalueerd. Verwijderen kan niet meer."))
    if isinstance(item, WorkshopRole) and item.participants.exists():
        raise ValidationError(_("Deelnemers hebben deze rol gekozen. Verwijderen kan niet meer."))
    item.delete()


# — moving through the rounds —


@transaction.atomic
def move(*, workshop, action: str) -> Workshop:
    """start, next, previous or close; a move that cannot be made says why."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    rounds = list(workshop.rounds.all())
    if workshop.status == WorkshopStatus.CLOSED:
        raise ValidationError(_("Deze workshop is afgesloten."))
    if action == "start":
        if workshop.status != WorkshopStatus.PREPARING:
            raise ValidationError(_("De workshop is al begonnen."))
        if not rounds:
            raise ValidationError(_("Voeg eerst een ronde toe."))
        workshop.status, workshop.current_round = WorkshopStatus.RUNNING, rounds[0]
    elif action in ("next", "previous"):
        if workshop.status != WorkshopStatus.RUNNING:
            raise ValidationError(_("Start eerst de workshop."))
        ids = [r.pk for r in rounds]
        index = ids.index(workshop.current_round_id) if workshop.current_round_id in ids else 0
        index += 1 if action == "next" else -1
        if not 0 <= index < len(rounds):
            raise ValidationError(_("Er is geen ronde meer in die richting."))
        workshop.current_round = rounds[index]
    elif action == "close":
        if workshop.status != WorkshopStatus.RUNNING:
            raise ValidationError(_("Start eerst de workshop."))
        workshop.status = WorkshopStatus.CLOSED
    else:
        raise ValidationError(_("Deze stap bestaat niet."))
    workshop.save(update_fields=["status", "current_round"])
    return workshop


# — the participant —


def reached_rounds(workshop) -> list[Round]:
    """The rounds a participant may evaluate: those held so far, the current one included."""
    if workshop.status == WorkshopStatus.PREPARING:
        return []
    rounds = list(workshop.rounds.all())
    if workshop.status == WorkshopStatus.CLOSED or workshop.current_round is None:
        return rounds
    return [r for r in rounds if r.position <= workshop.current_round.position]


@transaction.atomic
def choose_role(*, participant, role_id, display_name="") -> Participant:
    workshop = participant.workshop
    if workshop.status == WorkshopStatus.CLOSED:
        raise ValidationError(_("Deze workshop is afgesloten."))
    if participant.role_id and workshop.status != WorkshopStatus.PREPARING:
        raise ValidationError(_("De workshop is begonnen. Je rol blijft nu hetzelfde."))
    role = workshop.roles.filter(pk=role_id).first()
    if role is None:
        raise ValidationError(_("Kies een van de rollen van deze workshop."))
    participant.role = role
    participant.display_name = display_name
    participant.joined_at = participant.joined_at or timezone.now()
    participant.save(update_fields=["role", "display_name", "joined_at"])
    return participant


@transaction.atomic
def evaluate_round(*, participant, round, feeling, experience="", gut_feeling=""):
    """One evaluation per participant and round, changeable until the workshop closes."""
    workshop = participant.workshop
    if workshop.status == WorkshopStatus.CLOSED:
        raise ValidationError(_("De workshop is afgesloten. Je kunt niets meer veranderen."))
    if round.workshop_id != workshop.pk or round not in reached_rounds(workshop):
        raise ValidationError(_("Deze ronde is nog niet geweest."))
    evaluation, _created = RoundEvaluation.objects.update_or_create(
        participant=participant,
        round=round,
        defaults={"feeling": feeling, "experience": experience, "gut_feeling": gut_feeling},
    )
    return evaluation


# — the summary —


@dataclass
class RoundSummary:
    round: Round
    count: int = 0
    average: Decimal | None = None
    faces: list = field(default_factory=list)  # (face value, label, count)
    experiences: list = field(default_factory=list)
    gut_feelings: list = field(default_factory=list)

    @property
    def rounded_face(self):
        return int(self.average.to_integral_value(ROUND_HALF_UP)) if self.average else None


def summarize(workshop) -> dict:
    """Participants per role and, per round, the average feeling and the texts, without names.

    Three queries whatever the size: roles with their counts, rounds, evaluations.
    """
    roles = list(workshop.roles.all())
    per_role = Counter(workshop.participants.values_list("role_id", flat=True))
    rounds = list(workshop.rounds.all())
    evaluations = defaultdict(list)
    for evaluation in RoundEvaluation.objects.filter(round__workshop=workshop).order_by(
        "round_id", "pk"
    ):
        evaluations[evaluation.round_id].append(evaluation)
    summaries = []
    for round in rounds:
        found = evaluations[round.pk]
        feelings = [e.feeling for e in found if e.feeling]
        counts = Counter(feelings)
        summary = RoundSummary(
            round=round,
            count=len(found),
            faces=[(value, label, counts[value]) for value, label in Face.choices],
            experiences=[e.experience for e in found if e.experience],
            gut_feelings=[e.gut_feeling for e in found if e.gut_feeling],
        )
        if feelings:
            summary.average = (Decimal(sum(feelings)) / len(feelings)).quantize(
                Decimal("0.1"), ROUND_HALF_UP
            )
        summaries.append(summary)
    return {
        "roles": [(role, per_role[role.pk]) for role in roles],
        "without_role": per_role[None],
        "rounds": summaries,
    }
