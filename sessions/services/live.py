"""The live run of a meeting: check-in, opening, the guide question by question, the end.

The state lives on the Session row (step, current question, when it started), so every tab,
the presenter screen and a restarted server all read the same truth. Navigation names its
target question rather than "next", so a repeated or stale click is harmless.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.constants import CONFIRMED_STATUSES, RecruitmentStatus
from sessions.constants import LiveStep, QuestionKind, Status
from sessions.models import Question, Session, TransitionError


def _require_live(session):
    if session.status != Status.LIVE:
        raise TransitionError(_("Het gesprek is niet bezig."))


def _save(session, *fields):
    session.save(update_fields=[*fields, "updated_at"])


# A guide question of kind LISTENER is not walked like the others: it IS the clarifying step
# (its text is shown there and its notes are kept under it). When the rules forbid listener
# questions it is skipped altogether (the guide page warns about that).


def walked(questions) -> list:
    """The questions the questions step walks one by one: all but the LISTENER ones."""
    return [q for q in questions if q.kind != QuestionKind.LISTENER]


def clarifying_question(session, questions):
    """The guide question that is the clarifying step (the first LISTENER one), or None."""
    if not session.listener_questions_allowed:
        return None
    return next((q for q in questions if q.kind == QuestionKind.LISTENER), None)


def _walked_guide(session):
    return session.questions.exclude(kind=QuestionKind.LISTENER).order_by("position", "pk")


@transaction.atomic
def check_in(
    *, session, present_members, present_listeners, online_members=(), online_listeners=()
):
    """Record who came. Confirmed members who did not come become no-shows.

    In a hybrid session the check-in also says who of those present joined online (what was
    planned may change on the day); the others of those present were in the room.
    """
    _require_live(session)
    members = session.panel_members.exclude(status=RecruitmentStatus.CANCELLED)
    present_ids = {m.pk for m in present_members}
    members.filter(pk__in=present_ids).update(status=RecruitmentStatus.ATTENDED)
    members.exclude(pk__in=present_ids).filter(status__in=CONFIRMED_STATUSES).update(
        status=RecruitmentStatus.NO_SHOW
    )
    listener_ids = {listener.pk for listener in present_listeners}
    session.listeners.filter(pk__in=listener_ids).update(attended=True)
    session.listeners.exclude(pk__in=listener_ids).update(attended=False)
    if session.is_hybrid:
        for people, present, online in (
            (members, present_ids, {m.pk for m in online_members}),
            (session.listeners.all(), listener_ids, {li.pk for li in online_listeners}),
        ):
            people.filter(pk__in=present & online).update(online=True)
            people.filter(pk__in=present - online).update(online=False)
    session.live_step = LiveStep.OPENING
    _save(session, "live_step")


@transaction.atomic
def explain_rules(*, session):
    """The rules were read aloud: on to the first question."""
    _require_live(session)
    now = timezone.now()
    session.rules_explained_at = session.rules_explained_at or now
    session.live_step = LiveStep.QUESTIONS
    if session.current_question_id is None:
        session.current_question = _walked_guide(session).first()
        session.question_started_at = now
    _save(session, "rules_explained_at", "live_step", "current_question", "question_started_at")


@transaction.atomic
def go_to_question(*, session, question):
    _require_live(session)
    if question.session_id != session.pk:
        raise TransitionError(_("Deze vraag hoort niet bij dit gesprek."))
    if question.kind == QuestionKind.LISTENER:
        return go_to_step(session=session, step=LiveStep.CLARIFYING)
    session.live_step = LiveStep.QUESTIONS
    if session.current_question_id != question.pk:
        session.current_question = question
        session.question_started_at = timezone.now()
    _save(session, "live_step", "current_question", "question_started_at")


@transaction.atomic
def go_to_step(*, session, step):
    """Back to check-in or the opening, or on to the listeners' clarifying questions."""
    _require_live(session)
    if step == LiveStep.CLARIFYING and not session.listener_questions_allowed:
        raise TransitionError(
            _("Volgens de spelregels stellen toehoorders bij dit gesprek geen vragen.")
        )
    if step == LiveStep.QUESTIONS:
        return explain_rules(session=session)
    session.live_step = step
    if step == LiveStep.CLARIFYING:
        question = session.questions.filter(kind=QuestionKind.LISTENER)
        question = question.order_by("position", "pk").first()
        # Without a LISTENER question the current one stays, so "back" knows where it was.
        if question is not None and session.current_question_id != question.pk:
            session.current_question = question
            session.question_started_at = timezone.now()
    _save(session, "live_step", "current_question", "question_started_at")


def neighbours(session, questions):
    """(previous, next) of the current question among the walked ones of the ordered
    `questions` list (a LISTENER question is the clarifying step, not a neighbour)."""
    questions = walked(questions)
    ids = [q.pk for q in questions]
    if session.current_question_id not in ids:
        return None, (questions[0] if questions else None)
    index = ids.index(session.current_question_id)
    previous = questions[index - 1] if index > 0 else None
    following = questions[index + 1] if index + 1 < len(questions) else None
    return previous, following


def end_meeting(*, session_id):
    """Move to the debrief exactly once, even if two tabs click at the same moment."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session_id)
        session.end_meeting()
    return session


# — what the room sees (presenter screen, listeners' view) —


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
        elif self.scene in ("question", "clarifying") and self.question is not None:
            size = len(self.question.text)
            # The terugblik's sentences stand under the question: the question makes room.
            size += sum(len(item.get("sentence", "")) + 40 for item in self.question.recap or ())
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
    if session.is_over:
        return RoomState("thanks")
    if session.status != Status.LIVE or session.live_step == LiveStep.CHECK_IN:
        return RoomState("welcome")
    if session.live_step == LiveStep.OPENING:
        return RoomState("rules", rules=tuple(session.rules.only("text")))
    if session.live_step == LiveStep.CLARIFYING:
        question = None
        if session.current_question_id is not None:
            question = (
                session.questions.filter(pk=session.current_question_id, kind=QuestionKind.LISTENER)
                .only("text", "recap")
                .first()
            )
        return RoomState("clarifying", question=question)
    question = _numbered_question(session)
    return RoomState("question", question=question) if question else RoomState("welcome")


def _numbered_question(session):
    if session.current_question_id is None:
        return None
    guide = (
        Question.objects.filter(session=OuterRef("session"))
        .exclude(kind=QuestionKind.LISTENER)
        .order_by()
        .values("session")
    )
    before = guide.filter(
        Q(position__lt=OuterRef("position"))
        | Q(position=OuterRef("position"), pk__lt=OuterRef("pk"))
    )
    count = Count("pk")
    return (
        Question.objects.filter(pk=session.current_question_id, session=session)
        .only("text", "position", "recap")
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
