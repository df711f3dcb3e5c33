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
# The others, named so the database can look them up: `status IN (open, in_progress)` is a
# range of the (status, due_date) index, `NOT IN (done, dropped)` a filter over every row.
OPEN_STATUSES = tuple(status for status in ActionStatus if status not in CLOSED_STATUSES)


# What an erased finding (and each of its earlier versions) says instead of the client's words.
ERASED_TEXT = _("[verwijderd op verzoek van de deelnemer]")


class PrivacyKind(models.TextChoices):
    """What the privacy guard found in a text (the values are findings.privacy's kinds)."""

    NAME = "name", _("naam")
    PLACE = "place", _("plaats")
    ADDRESS = "address", _("adres")
    DATE = "date", _("datum")
    PHONE = "phone", _("telefoonnummer")
    EMAIL = "email", _("e-mailadres")
    BSN = "bsn", _("BSN")
    INSTITUTION = "institution", _("instelling")


class HitState(models.TextChoices):
    OPEN = "open", _("Open")
    REPLACED = "replaced", _("Vervangen")
    DISMISSED = "dismissed", _("Geen persoonsgegeven")


class HitSource(models.TextChoices):
    """Which kind of text a hit sits in; with `field` it names the checked text."""

    FINDING = "finding", _("bevinding")
    LESSON = "lesson", _("les")
    DEBRIEF = "debrief", _("nagesprek")
    ACTION = "action", _("verbeteractie")
    LETTER = "letter", _("terugkoppelingsbrief")


# How an action's status reads for clients (their page "U zei, wij deden", its e-mail, the
# terugblik on the presenter screen): plain words, B1.
CLIENT_STATUS = {
    ActionStatus.OPEN: _("Hier gaan we mee aan de slag"),
    ActionStatus.IN_PROGRESS: _("Hier werken we nu aan"),
    ActionStatus.DONE: _("Gedaan"),
    ActionStatus.DROPPED: _("Gaat niet door"),
}
