"""Workflows across objects: atomic, keyword-only, raising translated errors."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.constants import OrganisationKind
from participants.models import Organisation
from sessions.constants import KIND_ORDER, OVER, QuestionKind
from sessions.models import LibraryQuestion, Question, Rule, Session


def _next_position(queryset) -> int:
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def create_session(*, created_by, organisations, **fields) -> Session:
    session = Session.objects.create(created_by=created_by, **fields)
    session.organisations.set(organisations)
    return session


@transaction.atomic
def move(*, item, siblings, offset: int):
    """Move an ordered item (question or rule) up (-1) or down (+1) among its siblings.

    Positions are renumbered 1..n on every move so gaps and ties never accumulate.
    """
    ordered = list(siblings.select_for_update().order_by("position", "pk"))
    index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, other in enumerate(ordered, start=1):
        other.position = position
    type(item).objects.bulk_update(ordered, ["position"])


@transaction.atomic
def add_question(*, session, text, kind, planned_minutes, source=None) -> Question:
    return Question.objects.create(
        session=session,
        text=text,
        kind=kind,
        planned_minutes=planned_minutes,
        source=source,
        position=_next_position(session.questions.all()),
    )


@transaction.atomic
def copy_from_library(*, session, library_questions) -> list[Question]:
    allowed = LibraryQuestion.objects.available_to(session.organisations.all())
    chosen = sorted(
        allowed.filter(pk__in=[q.pk for q in library_questions]),
        key=lambda q: (KIND_ORDER[q.kind], q.theme, q.position, q.pk),
    )
    if len(chosen) != len(library_questions):
        raise ValidationError(_("Een van de gekozen vragen hoort niet bij uw vragenbank."))
    start = _next_position(session.questions.all())
    return Question.objects.bulk_create(
        Question(
            session=session,
            text=q.text,
            kind=q.kind,
            planned_minutes=q.planned_minutes,
            source=q,
            position=start + i,
        )
        for i, q in enumerate(chosen)
    )


@transaction.atomic
def add_rule(*, session, text) -> Rule:
    return Rule.objects.create(
        session=session, text=text, position=_next_position(session.rules.all())
    )


@transaction.atomic
def load_rules(*, session) -> list[Rule]:
    """Copy the organisation's rule set (else the default set) into an empty session."""
    if session.rules.exists():
        raise ValidationError(_("Dit gesprek heeft al spelregels."))
    template = Rule.objects.template_for(session.organisations.order_by("pk"))
    return Rule.objects.bulk_create(
        Rule(session=session, text=rule.text, position=i)
        for i, rule in enumerate(template.order_by("position", "pk"), start=1)
    )


# — the terugblik's place in this app: which sessions came before, and the opening item —


def lookback_organisations(session) -> list[int]:
    """Whose earlier sessions a session looks back on, by key: its own organisations, the
    networks they belong to (sessions held together, a werkplaats), and, for a network's own
    session, its partners. Not a partner's own sessions otherwise: each municipality takes its
    own actions home (DESIGN.md §1).

    Worked out from the session's organisations as its page loads them for its look
    (`Session.organisations_with_logos`), plus one query for a network's partners: as three
    nested subqueries in every query about earlier sessions they cost the debrief ~2.5 ms of
    PostgreSQL planning and more of Python."""
    keys = session.organisation_and_network_keys
    networks = [
        o.pk for o in session.organisations_with_logos if o.kind == OrganisationKind.NETWORK
    ]
    if networks:
        keys |= set(Organisation.objects.filter(network__in=networks).values_list("pk", flat=True))
    return sorted(keys)


def earlier_condition(session, via=""):
    """The condition of `earlier_sessions` on the session reached by `via` ("session__" from a
    finding or an action), so a query about a few rows can check their own sessions by key
    instead of first listing every earlier session of the organisations."""
    reference = session.live_at or session.starts_at or timezone.now()
    shared = Session.organisations.through.objects.filter(
        session=OuterRef(via.removesuffix("__") or "pk"),
        organisation__in=lookback_organisations(session),
    )
    return (
        Exists(shared)
        & Q(**{f"{via}status__in": OVER, f"{via}live_at__lt": reference})
        & ~Q(**{f"{via}pk": session.pk})
    )


def earlier_sessions(session, *, limit=None):
    """The sessions of the same organisations (or their network) whose meeting ended before
    this one started (or is to start), newest first; at most `limit`."""
    earlier = Session.objects.filter(earlier_condition(session)).order_by("-live_at", "-pk")
    return earlier[:limit] if limit else earlier


RECAP_MINUTES = 10


def recap_question(session):
    return session.questions.filter(recap__isnull=False).order_by("position", "pk").first()


@transaction.atomic
def put_recap(*, session, text, recap: list) -> tuple[Question, bool]:
    """Put the opening item "Wat deden we met wat u vorige keer zei?" at the start of the guide
    with `recap` (a list of {"sentence", "state"}: what clients may hear), or refresh the
    sentences of the one already there (its text and place stay as the facilitator left them).
    Returns the item and whether it is new."""
    Session.objects.select_for_update().filter(pk=session.pk).first()  # one change at a time
    question = recap_question(session)
    if question is not None:
        question.recap = recap
        question.save(update_fields=["recap"])
        return question, False
    session.questions.update(position=F("position") + 1)
    question = Question.objects.create(
        session=session,
        text=text,
        kind=QuestionKind.OPENING,
        planned_minutes=RECAP_MINUTES,
        position=1,
        recap=recap,
    )
    return question, True
