from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FindingKind(models.TextChoices):
    POSITIVE = "positive", _("Positief")
    IMPROVEMENT = "improvement", _("Verbeterpunt")
    WISH = "wish", _("Wens")
    QUOTE = "quote", _("Citaat")
    LATER = "later", _("Voor later")


FINDING_TEXT_LIMIT = 4000


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    # "Bezig" is also a session status ("live"); the context keeps their translations apart.
    IN_PROGRESS = "in_progress", pgettext_lazy("actiestatus", "Bezig")
    DONE = "done", _("Gedaan")
    DROPPED = "dropped", _("Vervallen")


class Priority(models.TextChoices):
    HIGH = "high", _("Hoog")
    NORMAL = "normal", _("Normaal")
    LOW = "low", _("Laag")


CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.DROPPED)


# What an erased finding (and each of its earlier versions) says instead of the client's words.
ERASED_TEXT = _("[verwijderd op verzoek van de deelnemer]")
