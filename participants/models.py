from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.constants import (
    CONFIRMED_STATUSES,
    MAX_RETENTION_DAYS,
    MIN_RETENTION_DAYS,
    PSEUDONYM_PREFIX,
    AccessAction,
    OrganisationKind,
    RecruitmentStatus,
    RightsRequestKind,
    Role,
    RoleChangeKind,
)


class User(AbstractUser):
    """Our own user model from the first migration, so it can grow without a painful swap."""

    class Meta(AbstractUser.Meta):
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.name_of(self.first_name, self.last_name, self.username)

    @staticmethod
    def name_of(first_name: str, last_name: str, username: str) -> str:
        """How Spiegel names a person: the full name, else the username. Also for rows read
        with values() (the exports), which have no User to ask."""
        return f"{first_name} {last_name}".strip() or username


class OrganisationQuerySet(models.QuerySet):
    def for_member(self, user):
        return self.filter(memberships__user=user).distinct()

    def coordinated_by(self, user):
        return self.filter(memberships__user=user, memberships__role=Role.COORDINATOR)

    def administered_by(self, user):
        """The organisations whose beheerder `user` is (every one for platform beheerders)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(memberships__user=user, memberships__role=Role.ADMIN)

    def sharing_library_with(self, organisations):
        """The organisations themselves plus the partners of their networks."""
        orgs = list(organisations)
        network_ids = {o.network_id for o in orgs if o.network_id} | {
            o.pk for o in orgs if o.kind == OrganisationKind.NETWORK
        }
        return self.filter(
            Q(pk__in=[o.pk for o in orgs]) | Q(network_id__in=network_ids) | Q(pk__in=network_ids)
        )


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=OrganisationKind.choices)
    network = models.ForeignKey(
        "self",
        verbose_name=_("regionaal netwerk"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partners",
        limit_choices_to={"kind": OrganisationKind.NETWORK},
        help_text=_("Partnerorganisaties van één netwerk delen hun vragenbank."),
    )
    retention_days = models.PositiveIntegerField(
        _("bewaartermijn contactgegevens (dagen)"),
        default=180,
        validators=[MinValueValidator(MIN_RETENTION_DAYS), MaxValueValidator(MAX_RETENTION_DAYS)],
        help_text=_("Na afsluiten van een gesprek worden contactgegevens na deze termijn gewist."),
    )

    # Public contact details: on the client pages, the privacy statement and in letters (a
    # Dutch public body must say whom to ask).
    contact_email = models.EmailField(_("e-mailadres voor vragen"), blank=True)
    contact_phone = models.CharField(_("telefoonnummer voor vragen"), max_length=30, blank=True)
    privacy_contact = models.CharField(
        _("privacycontact"),
        max_length=300,
        blank=True,
        help_text=_(
            "Bijvoorbeeld: Functionaris gegevensbescherming, fg@gemeente.nl. Staat in de "
            "privacyverklaring."
        ),
    )

    # Its own look (participants/branding.py): colours checked for contrast when saved, used by
    # its token stylesheet on its pages and its clients' pages. Blank: Spiegel's defaults.
    brand_color = models.CharField(_("hoofdkleur"), max_length=7, blank=True)
    link_color = models.CharField(_("kleur van links"), max_length=7, blank=True)
    form_border_color = models.CharField(_("randkleur van invulvelden"), max_length=7, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(network=models.F("pk")),
                name="organisation_not_own_network",
                violation_error_message=_("Een organisatie kan niet haar eigen netwerk zijn."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_own_colours(self) -> bool:
        """Any colour of its own: its pages then load its token stylesheet."""
        return bool(self.brand_color or self.link_color or self.form_border_color)

    @property
    def logo_or_none(self):
        try:
            return self.logo
        except OrganisationLogo.DoesNotExist:
            return None


class OrganisationLogo(models.Model):
    """An organisation's logo, in the database (web processes keep no files of their own), in
    a table of its own so no list of organisations loads its bytes."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="logo"
    )
    content_type = models.CharField(_("soort bestand"), max_length=20)
    data = models.BinaryField(_("logo"))
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("logo")
        verbose_name_plural = _("logo's")

    def __str__(self):
        return f"{self.organisation}: {self.content_type}"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["organisation__name", "user__username"]
        # "Is this user coordinator of one of the session's organisations?" (every access
        # filter): user and role first, the organisation read from the index.
        indexes = [
            models.Index(fields=["user", "role", "organisation"], name="membership_user_role_org")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="membership_unique_role",
                violation_error_message=_("Deze gebruiker heeft deze rol al bij de organisatie."),
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)


class Invitation(models.Model):
    """An invitation by e-mail to join an organisation in a role.

    The mail carries a signed link (participants.services.organisations) that works for
    INVITATION_DAYS and once: accepting sets `accepted_at`. The account is made (or a
    deactivated one revived) only when the invitee sets a password.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mailadres"))
    first_name = models.CharField(_("voornaam"), max_length=150, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=150, blank=True)
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uitgenodigd door"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)
    accepted_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.email} – {self.organisation} ({self.get_role_display()})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None


class RoleChange(models.Model):
    """Who gave or ended whose role, when: memberships end by deletion (every access filter
    stays simple), so their history is kept here. Append-only, like the access log."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.PROTECT,
        related_name="role_changes",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="role_changes",
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, blank=True)
    kind = models.CharField(_("wijziging"), max_length=20, choices=RoleChangeKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)

    class Meta:
        verbose_name = _("rolwijziging")
        verbose_name_plural = _("rolwijzigingen")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_kind_display()} {self.role}"


class PanelMemberQuerySet(models.QuerySet):
    def counted(self):
        """Members who still take part (not cancelled)."""
        return self.exclude(status=RecruitmentStatus.CANCELLED)

    def confirmed(self):
        return self.filter(status__in=CONFIRMED_STATUSES)

    def quotable(self):
        """Members whose words may be quoted anonymously in reports."""
        return self.filter(consent_quotes=True, consent_withdrawn_at__isnull=True)

    def reachable_for_feedback(self):
        return self.filter(
            consent_feedback=True,
            consent_withdrawn_at__isnull=True,
            contact__email__gt="",
        )


def number_to_letters(number: int) -> str:
    """1 → A, 26 → Z, 27 → AA: spreadsheet-style letters, so pseudonyms never run out."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


class PanelMember(models.Model):
    """A client in the panel, known everywhere by a pseudonym.

    Real names and contact details live in PanelMemberContact, so that listeners' pages,
    findings and reports never even load them, and the retention purge deletes one row.
    """

    session = models.ForeignKey(
        "spiegel_sessions.Session",
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        related_name="panel_members",
    )
    number = models.PositiveIntegerField(_("volgnummer"), editable=False)
    # In a session of several organisations (a werkplaats of municipalities) each member is
    # recruited by one of them: only its coordinators (and the facilitators) see the member's
    # name and contact details (sessions.access: can_see_contacts_of). Empty only when the
    # organisation was removed: then the facilitators alone know who it is.
    recruited_by = models.ForeignKey(
        Organisation,
        verbose_name=_("geworven door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recruited_panel_members",
        help_text=_("Alleen de coördinatoren van deze organisatie zien naam en contactgegevens."),
    )
    status = models.CharField(
        _("wervingsstatus"),
        max_length=20,
        choices=RecruitmentStatus.choices,
        default=RecruitmentStatus.INVITED,
    )
    consent_date = models.DateField(_("datum toestemming"), null=True, blank=True)
    consent_letter_version = models.CharField(
        _("versie informatiebrief"), max_length=50, blank=True
    )
    consent_participation = models.BooleanField(_("toestemming voor deelname"), default=False)
    consent_quotes = models.BooleanField(
        _("toestemming voor anonieme citaten in het verslag"), default=False
    )
    consent_feedback = models.BooleanField(
        _("wil de terugkoppelingsbrief ontvangen"), default=False
    )
    consent_withdrawn_at = models.DateTimeField(
        _("toestemming ingetrokken op"), null=True, blank=True
    )
    erased_at = models.DateTimeField(
        _("gegevens gewist op"),
        null=True,
        blank=True,
        help_text=_(
            "Op verzoek van de deelnemer: contactgegevens, evaluatie en woorden zijn gewist; "
            "alleen het pseudoniem en het toestemmingsrecord blijven."
        ),
    )
    invited_at = models.DateTimeField(_("uitnodiging verstuurd op"), null=True, blank=True)
    online = models.BooleanField(
        _("doet online mee"),
        default=False,
        help_text=_("Alleen bij een hybride gesprek: krijgt de link in plaats van de plaats."),
    )
    # What the client reads from us — invitation, evaluation form, feedback letter, "U zei,
    # wij deden" — is in this language; the staff pages about them stay Dutch or English.
    language = models.CharField(
        _("taal van de deelnemer"),
        max_length=5,
        choices=settings.CLIENT_LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_(
            "De uitnodiging, het evaluatieformulier en de terugkoppelingsbrief krijgt de "
            "deelnemer in deze taal."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PanelMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("panellid")
        verbose_name_plural = _("panelleden")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                name="panel_member_unique_pseudonym",
                violation_error_message=_("Dit pseudoniem bestaat al in dit gesprek."),
            ),
            models.CheckConstraint(
                condition=Q(consent_date__isnull=False) | Q(consent_participation=False),
                name="panel_member_consent_has_date",
                violation_error_message=_("Toestemming vraagt om een datum."),
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.CLIENT_LANGUAGES]),
                name="panel_member_client_language",
                violation_error_message=_("Deze taal kent Spiegel niet."),
            ),
        ]

    def __str__(self):
        return self.pseudonym

    def save(self, *args, **kwargs):
        if self.number is None:
            self.number = self.session.take_panel_number()
        if self.pk is None and self.recruited_by_id is None:
            # Recruited by the session's first organisation unless said otherwise.
            self.recruited_by = self.session.organisations.order_by("pk").first()
        super().save(*args, **kwargs)

    @property
    def letters(self) -> str:
        return number_to_letters(self.number)

    @property
    def pseudonym(self) -> str:
        return f"{PSEUDONYM_PREFIX} {self.letters}"

    @property
    def is_confirmed(self) -> bool:
        return self.status in CONFIRMED_STATUSES

    @property
    def attended(self) -> bool:
        return self.status == RecruitmentStatus.ATTENDED

    @property
    def awaits_confirmation(self) -> bool:
        return self.status == RecruitmentStatus.INVITED

    @property
    def has_consent(self) -> bool:
        return self.consent_participation and self.consent_withdrawn_at is None

    @property
    def consent_withdrawn(self) -> bool:
        return self.consent_withdrawn_at is not None

    @property
    def may_be_quoted(self) -> bool:
        return self.consent_quotes and not self.consent_withdrawn

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def withdraw_consent(self, *, when=None):
        """Withdrawal keeps the record (proof of what was agreed) but ends every scope."""
        self.consent_withdrawn_at = when or timezone.now()
        self.save(update_fields=["consent_withdrawn_at", "updated_at"])


class PanelMemberContact(models.Model):
    """Private details of a panel member: only facilitators and coordinators see these."""

    panel_member = models.OneToOneField(
        PanelMember,
        verbose_name=_("panellid"),
        on_delete=models.CASCADE,
        related_name="contact",
        primary_key=True,
    )
    name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=40, blank=True)
    needs_transport = models.BooleanField(_("heeft vervoer nodig"), default=False)
    needs_interpreter = models.BooleanField(_("heeft een tolk nodig"), default=False)
    brings_companion = models.BooleanField(_("neemt een begeleider mee"), default=False)
    access_notes = models.TextField(_("toelichting toegankelijkheid"), max_length=2000, blank=True)
    compensation = models.CharField(_("vergoeding of cadeaubon"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("contactgegevens panellid")
        verbose_name_plural = _("contactgegevens panelleden")

    def __str__(self):
        return self.name


class ListenerQuerySet(models.QuerySet):
    def briefed(self):
        return self.filter(briefed=True)


class Listener(models.Model):
    """A professional who listens in silence: a member of the organisation or a guest."""

    session = models.ForeignKey(
        "spiegel_sessions.Session",
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        related_name="listeners",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="listener_roles",
    )
    name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"), blank=True)
    function = models.CharField(_("functie"), max_length=120)
    organisation_name = models.CharField(_("organisatie"), max_length=200, blank=True)
    briefed = models.BooleanField(
        _("geïnformeerd"),
        default=False,
        help_text=_("Heeft de informatie voor toehoorders ontvangen en begrepen."),
    )
    invited_at = models.DateTimeField(_("uitnodiging verstuurd op"), null=True, blank=True)
    attended = models.BooleanField(_("aanwezig"), null=True, blank=True)
    online = models.BooleanField(
        _("doet online mee"),
        default=False,
        help_text=_("Alleen bij een hybride gesprek: krijgt de link in plaats van de plaats."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ListenerQuerySet.as_manager()

    class Meta:
        verbose_name = _("toehoorder")
        verbose_name_plural = _("toehoorders")
        ordering = ["session", "name"]
        # The sessions a user listens in (access filters), answered from the index alone.
        indexes = [models.Index(fields=["user", "session"], name="listener_user_session")]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(user__isnull=False),
                name="listener_unique_user_per_session",
                violation_error_message=_("Deze gebruiker is al toehoorder bij dit gesprek."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.function})"


class RightsRequest(models.Model):
    """A client's right exercised at any time (withdrawal of consent, erasure): what, why, by
    whom, and whether the session was already closed, so its report can say it changed.

    The member row stays after erasure (a pseudonym without contact details identifies no one),
    so the request keeps its link; the reason is written by staff and never goes into reports.
    """

    session = models.ForeignKey(
        "spiegel_sessions.Session",
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        related_name="rights_requests",
    )
    panel_member = models.ForeignKey(
        PanelMember,
        verbose_name=_("panellid"),
        on_delete=models.CASCADE,
        related_name="rights_requests",
    )
    kind = models.CharField(_("verzoek"), max_length=20, choices=RightsRequestKind.choices)
    reason = models.TextField(_("reden"), max_length=1000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afgehandeld door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    after_close = models.BooleanField(_("na afsluiten van het gesprek"), default=False)

    class Meta:
        verbose_name = _("verzoek van een deelnemer")
        verbose_name_plural = _("verzoeken van deelnemers")
        ordering = ["session", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="rights_request_has_reason",
                violation_error_message=_("Geef de reden van het verzoek op."),
            )
        ]

    def __str__(self):
        return f"{self.panel_member} – {self.get_kind_display()} ({self.at:%Y-%m-%d})"


class AccessLog(models.Model):
    """Who saw or changed client data, or downloaded a report, and when (NEN 7513 spirit)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leeg: het systeem zelf, bijvoorbeeld de bewaartermijn."),
    )
    action = models.CharField(_("handeling"), max_length=30, choices=AccessAction.choices)
    session = models.ForeignKey(
        "spiegel_sessions.Session",
        verbose_name=_("spiegelgesprek"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    panel_member = models.ForeignKey(
        PanelMember,
        verbose_name=_("panellid"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_logs",
        help_text=_("Leeg bij de hele panellijst: die toont alle panelleden van het gesprek."),
    )
    detail = models.CharField(_("toelichting"), max_length=300, blank=True)
    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("toegangslog")
        verbose_name_plural = _("toegangslog")
        ordering = ["-at"]
        indexes = [
            # The access-log page: one session's (or member's) rows, newest first.
            models.Index(fields=["session", "at"], name="accesslog_session_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"

    @classmethod
    def record(cls, user, action, *, session=None, detail="", panel_member=None):
        if panel_member is not None and session is None:
            session = panel_member.session
        return cls.objects.create(
            user=user,
            action=action,
            session=session,
            panel_member=panel_member,
            detail=detail[:300],
        )


def members_with_role(role, organisations):
    """Users holding `role` in any of `organisations`."""
    return User.objects.filter(
        Exists(
            Membership.objects.filter(
                user=OuterRef("pk"), role=role, organisation__in=organisations
            )
        )
    )
