from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Concept")
    PLANNED = "planned", _("Gepland")
    LIVE = "live", _("Bezig")
    DEBRIEF = "debrief", _("Nagesprek")
    CLOSED = "closed", _("Afgesloten")


# The phases of a session's life, one definition each: the access policy (sessions.access) and
# the services that enforce the same rule read them from here.
PREPARING = (Status.DRAFT, Status.PLANNED)
HELD = (Status.LIVE, Status.DEBRIEF, Status.CLOSED)  # the meeting has started
OVER = (Status.DEBRIEF, Status.CLOSED)  # the meeting has ended
JOTTING = (Status.LIVE, Status.DEBRIEF)  # the listeners' jottings can be written


class LiveStep(models.TextChoices):
    """Where a live meeting is: the facilitator's page and the presenter screen follow it."""

    CHECK_IN = "checkin", _("Aanwezigheid")
    OPENING = "opening", _("Opening en spelregels")
    QUESTIONS = "questions", _("Vragen")
    CLARIFYING = "clarifying", _("Verduidelijkende vragen van toehoorders")


class MeetingForm(models.TextChoices):
    """Where people meet: in one room, online, or both (some in the room, some online)."""

    IN_PERSON = "in_person", _("Op locatie")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybride: op locatie en online")


class Face(models.IntegerChoices):
    """Five faces for the evaluation, from sad to happy."""

    VERY_BAD = 1, _("Heel slecht")
    BAD = 2, _("Slecht")
    NEUTRAL = 3, _("Gewoon")
    GOOD = 4, _("Goed")
    VERY_GOOD = 5, _("Heel goed")


class QuestionKind(models.TextChoices):
    OPENING = "opening", _("Openingsvraag (open)")
    PREPARED = "prepared", _("Voorbereide vraag")
    CLOSING = "closing", _("Afsluitende vraag")
    LISTENER = "listener", _("Verduidelijkende vragen van toehoorders")


DEFAULT_DURATION_MINUTES = 120
# Starting a meeting further ahead than this asks for extra care (a date days away is
# more likely a click on the wrong session than an early start).
START_WARNING_HOURS = 3
DEFAULT_QUESTION_MINUTES = 10


# The order in which a meeting uses the kinds: open questions first, listeners last.
KIND_ORDER = {kind: rank for rank, kind in enumerate(QuestionKind.values)}
