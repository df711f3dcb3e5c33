from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import FINDING_TEXT_LIMIT, FindingKind


class FindingQuerySet(models.QuerySet):
    def for_report(self):
        return self.select_related("speaker", "question").order_by(
            "question__position", "question_id", "created_at", "pk"
        )


class Finding(models.Model):
    """What a client said, captured by the facilitator during the meeting (pseudonymous).

    `client_id` is made in the browser before the first attempt to send, so retries, double
    clicks and notes queued while offline are stored exactly once. `version` rises with every
    edit; an edit names the version it started from, so a conflicting edit is refused instead
    of silently overwriting (optimistic concurrency). Every change keeps the old text in a
    FindingRevision.
    """

    session = models.ForeignKey(
        "spiegel_sessions.Session",
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    question = models.ForeignKey(
        "spiegel_sessions.Question",
        verbose_name=_("vraag"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    client_id = models.UUIDField(_("id uit de browser"), unique=True, editable=False)
    text = models.TextField(_("tekst"), max_length=FINDING_TEXT_LIMIT)
    kind = models.CharField(
        _("soort"), max_length=20, choices=FindingKind.choices, default=FindingKind.IMPROVEMENT
    )
    speaker = models.ForeignKey(
        "participants.PanelMember",
        verbose_name=_("spreker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    starred = models.BooleanField(_("kernmoment"), default=False)
    version = models.PositiveIntegerField(_("versie"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("bevinding")
        verbose_name_plural = _("bevindingen")
        ordering = ["session", "created_at", "pk"]
        indexes = [models.Index(fields=["session", "question"], name="finding_session_question")]

    def __str__(self):
        return self.text[:80]


class FindingRevision(models.Model):
    """The state of a finding before one edit: who changed it, when, and the old values."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("bevinding"), on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField(_("versie"))
    text = models.TextField(_("oude tekst"))
    kind = models.CharField(_("oude soort"), max_length=20, choices=FindingKind.choices)
    speaker = models.ForeignKey(
        "participants.PanelMember",
        verbose_name=_("oude spreker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    starred = models.BooleanField(_("was kernmoment"), default=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gewijzigd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("gewijzigd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("eerdere versie van een bevinding")
        verbose_name_plural = _("eerdere versies van bevindingen")
        ordering = ["finding", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "version"], name="finding_revision_unique_version"
            )
        ]

    def __str__(self):
        return f"{self.finding_id} v{self.version}"


class Jotting(models.Model):
    """A listener's private notes during the meeting: only its author ever sees them."""

    session = models.ForeignKey(
        "spiegel_sessions.Session",
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        related_name="jottings",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.CASCADE,
        related_name="jottings",
    )
    text = models.TextField(_("notities"), max_length=10000, blank=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("eigen aantekening")
        verbose_name_plural = _("eigen aantekeningen")
        constraints = [
            models.UniqueConstraint(fields=["session", "author"], name="jotting_one_per_author")
        ]

    def __str__(self):
        return f"{self.author} – {self.session}"
