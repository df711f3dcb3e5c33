"""Listeners learn: leervragen before the meeting, a reflection after it, and what came of it.

- **Who writes.** Each listener of the session writes their own (one ListenerLearning per
  session and author); nobody writes or changes another's. Every read and write names the
  author, as with jottings.
- **When.** Up to three leervragen while the session is being prepared (draft or planned):
  "what do I want to learn from the clients?". During the meeting they are shown read-only, as
  a reminder of what to listen for. The reflection ("what touched me, what will I do
  differently?") is written once the meeting has ended, in the debrief and after closing:
  reflection often comes days later.
- **Who reads.** Private by default. A listener who shares (`shared`) lets everyone who reads
  the session's debrief and report read theirs; the session report counts all of them (without
  content) and lists the shared ones.
- **What came of it.** An improvement action can be marked as coming from a reflection
  (`ImprovementAction.from_reflection`); coordinators see per month how many such actions the
  organisation's sessions gave and how many are done (`reflection_actions`, shown on the
  insights page by its own template block, beside the insights service, not inside it).
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from findings import changes
from findings.constants import ActionStatus
from findings.models import ImprovementAction, ListenerLearning
from participants.models import User
from sessions.constants import HELD, OVER, PREPARING
from spiegel.compiled import Prepared
from spiegel.dates import midnight


class LearningRefused(ValidationError):
    """The leervragen or reflection cannot be saved now; the message says why, in Dutch."""


def learning_of(*, session, author) -> ListenerLearning | None:
    return ListenerLearning.objects.filter(session=session, author=author).first()


@transaction.atomic
def save_questions(*, session, author, questions, shared) -> ListenerLearning:
    """Store the author's leervragen (at most three, empty ones dropped) before the meeting."""
    if session.status not in PREPARING:
        raise LearningRefused(_("Leervragen schrijft u vóór het gesprek."))
    questions = [" ".join(q.split()) for q in questions if q and q.strip()]
    if len(questions) > 3:
        raise LearningRefused(_("Schrijf hoogstens drie leervragen."))
    questions += [""] * (3 - len(questions))
    learning, _created = ListenerLearning.objects.select_for_update().get_or_create(
        session=session, author=author
    )
    learning.question_1, learning.question_2, learning.question_3 = questions
    learning.shared = shared
    learning.save(update_fields=["question_1", "question_2", "question_3", "shared", "updated_at"])
    return learning


@transaction.atomic
def save_reflection(*, session, author, touched, change, shared) -> ListenerLearning:
    """Store the author's reflection once the meeting has ended."""
    if session.status not in OVER:
        raise LearningRefused(_("Uw reflectie schrijft u na het gesprek."))
    learning, _created = ListenerLearning.objects.select_for_update().get_or_create(
        session=session, author=author
    )
    learning.touched, learning.change, learning.shared = touched.strip(), change.strip(), shared
    learning.save(update_fields=["touched", "change", "shared", "updated_at"])
    return learning


def readable(session, user) -> list[ListenerLearning]:
    """What `user` reads in the debrief: their own and the shared ones that hold something,
    their own first (one query)."""
    if not user.is_authenticated:
        return []
    learnings = _READABLE.rows(session=session.pk, user=user.pk)
    learnings = [item for item in learnings if item.questions or item.has_reflection]
    learnings.sort(key=lambda item: item.author_id != user.pk)
    return learnings


# Compiled once per process (spiegel.compiled.Prepared).
_READABLE = Prepared(
    lambda session, user: (
        ListenerLearning.objects.filter(session=session)
        .visible_to(User(pk=user))
        .select_related("author")
        .order_by("pk")
    ),
    "session",
    "user",
)


@dataclass
class LearningCounts:
    listeners: int  # listeners who wrote anything
    questions: int
    reflections: int
    shared: int


def counts(learnings) -> LearningCounts:
    """Counts over all of a session's learnings (already loaded), for the report."""
    written = [item for item in learnings if item.questions or item.has_reflection]
    return LearningCounts(
        listeners=len(written),
        questions=sum(len(item.questions) for item in written),
        reflections=sum(item.has_reflection for item in written),
        shared=sum(item.shared for item in written),
    )


def for_report(session):
    """(counts of all, the shared ones) for the session report: one query."""
    learnings = list(
        ListenerLearning.objects.filter(session=session).select_related("author").order_by("pk")
    )
    shared = [item for item in learnings if item.shared and (item.questions or item.has_reflection)]
    return counts(learnings), shared


# — over time, for coordinators —


@dataclass
class ReflectionMonth:
    month: dt.date
    actions: int
    done: int


def reflection_actions(*, organisation, start, end) -> list[ReflectionMonth]:
    """Per month of the session's date: how many actions of `organisation`'s sessions held in
    start..end came from a reflection, and how many of those are done (one query; cached
    beside the insights until the organisation's figures change, findings.changes)."""
    return changes.cached(
        "reflection-months.1",
        [organisation.pk],
        (start, end),
        lambda: _reflection_months(organisation, start, end),
    )


def _reflection_months(organisation, start, end) -> list[ReflectionMonth]:
    rows = (
        ImprovementAction.objects.filter(
            from_reflection=True,
            session__organisations=organisation,
            session__status__in=HELD,
            session__starts_at__gte=midnight(start),
            session__starts_at__lt=midnight(end + dt.timedelta(days=1)),
        )
        .annotate(month=TruncMonth("session__starts_at"))
        .values("month")
        .annotate(
            n=Count("pk", distinct=True),
            done=Count("pk", distinct=True, filter=Q(status=ActionStatus.DONE)),
        )
        .order_by("month")
    )
    return [
        ReflectionMonth(
            row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"],
            row["n"],
            row["done"],
        )
        for row in rows
    ]
