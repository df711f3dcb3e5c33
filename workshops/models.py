"""A role-play workshop "In gesprek over kwaliteit": roles with a briefing, cases, rounds that
the facilitator moves through, and participants without an account who evaluate each round."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participants.constants import Role
from participants.models import Membership, Organisation
from sessions.constants import Face

from .constants import MAX_TEXT, RoundKind, WorkshopStatus

# Who runs an organisation's workshops.
STAFF_ROLES = (Role.FACILITATOR, Role.COORDINATOR)


def new_token() -> str:
    return secrets.token_urlsafe(18)


class WorkshopQuerySet(models.QuerySet):
    def managed_by(self, user):
        """The workshops the user leads, or of an organisation they facilitate or coordinate."""
        if not user.is_authenticated:
            return self.none()
        organisations = Membership.objects.filter(user=user, role__in=STAFF_ROLES).values(
            "organisation"
        )
        return self.filter(Q(facilitator=user) | Q(organisation__in=organisations))


class Workshop(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="workshops",
        verbose_name=_("organisatie"),
    )
    title = models.CharField(_("titel"), max_length=200)
    starts_at = models.DateTimeField(_("begint op"), null=True, blank=True)
    online_url = models.URLField(_("link naar de online ruimte"), blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("begeleider"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=WorkshopStatus.choices, default=WorkshopStatus.PREPARING
    )
    current_round = models.ForeignKey(
        "Round",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("huidige ronde"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_preparing(self) -> bool:
        return self.status == WorkshopStatus.PREPARING

    @property
    def is_running(self) -> bool:
        return self.status == WorkshopStatus.RUNNING

    @property
    def is_closed(self) -> bool:
        return self.status == WorkshopStatus.CLOSED


class WorkshopRole(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(_("naam"), max_length=80)
    briefing = models.TextField(_("briefing"), max_length=4000)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "name"],
                name="workshop_role_unique_name",
                violation_error_message=_("Deze workshop heeft al een rol met deze naam."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def preview(self) -> str:
        """What the staff's list shows under the name."""
        return self.briefing


class WorkshopCase(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(_("titel"), max_length=200)
    text = models.TextField(_("tekst"), max_length=8000)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    @property
    def preview(self) -> str:
        """What the staff's list shows under the name."""
        return self.text


class Round(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="rounds")
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    kind = models.CharField(
        _("soort"), max_length=20, choices=RoundKind.choices, default=RoundKind.OPEN_TABLE
    )
    title = models.CharField(_("titel"), max_length=200)
    instructions = models.TextField(_("uitleg voor de deelnemers"), max_length=4000, blank=True)
    minutes = models.PositiveSmallIntegerField(
        _("minuten"), default=15, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )

    class Meta:
        verbose_name = _("ronde")
        verbose_name_plural = _("rondes")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    @property
    def preview(self) -> str:
        """What the staff's list shows under the name."""
        return self.instructions


class Participant(models.Model):
    """One personal link: the unguessable token is the only key, no account."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    token = models.CharField(_("sleutel"), max_length=40, unique=True, default=new_token)
    display_name = models.CharField(_("naam (mag leeg)"), max_length=80, blank=True)
    role = models.ForeignKey(
        WorkshopRole,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("gekozen rol"),
    )
    joined_at = models.DateTimeField(_("rol gekozen op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deelnemer aan een workshop")
        verbose_name_plural = _("deelnemers aan een workshop")
        ordering = ["pk"]

    def __str__(self):
        return self.display_name or _("Deelnemer %(number)s") % {"number": self.pk}


class RoundEvaluation(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="evaluations"
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="evaluations")
    feeling = models.PositiveSmallIntegerField(
        _("gevoel"), choices=Face.choices, null=True, blank=True
    )
    experience = models.TextField(
        _("Hoe ervaarde je het gesprek?"), max_length=MAX_TEXT, blank=True
    )
    gut_feeling = models.TextField(_("Wat zegt je gevoel?"), max_length=MAX_TEXT, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluatie van een ronde")
        verbose_name_plural = _("evaluaties van een ronde")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "round"],
                name="round_evaluation_once_per_participant",
                violation_error_message=_("Deze ronde is al geëvalueerd."),
            ),
            models.CheckConstraint(
                condition=Q(feeling__isnull=True) | Q(feeling__gte=1, feeling__lte=5),
                name="round_evaluation_feeling_is_a_face",
                violation_error_message=_("Kies een van de vijf gezichtjes."),
            ),
        ]

    def __str__(self):
        return f"{self.participant} – {self.round}"
