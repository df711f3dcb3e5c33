import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from participants.branding import page_look
from participants.constants import Role
from participants.models import Listener, Membership, Organisation
from sessions.constants import (
    DEFAULT_DURATION_MINUTES,
    DEFAULT_QUESTION_MINUTES,
    KIND_ORDER,
    OVER,
    START_WARNING_HOURS,
    Face,
    LiveStep,
    MeetingForm,
    QuestionKind,
    Status,
)
from spiegel.choices import label_of
from spiegel.compiled import Prepared, UserConditions, UserQuery
from spiegel.dates import midnight


class TransitionError(ValidationError):
    """A lifecycle step that is not allowed now; the message says why, in Dutch."""


# What sessions/_session_table.html shows (and the access roles need), on the session list and
# the dashboard: no facilitator, no long text (sessions/views/rows.py).
TABLE_FIELDS = ("title", "theme", "starts_at", "status", "facilitator_id", "co_facilitator_id")


class SessionQuerySet(models.QuerySet):
    def not_closed(self):
        """Sessions still under way: being prepared, held or in their debrief."""
        return self.exclude(status=Status.CLOSED)

    def of_the_day(self, day=None):
        """Sessions running now or starting on `day` (today by default, the local day): what
        the dashboard's "Vandaag" lists. A range on starts_at, so its index answers it."""
        day = day or timezone.localdate()
        return self.filter(
            Q(status=Status.LIVE)
            | Q(starts_at__gte=midnight(day), starts_at__lt=midnight(day + timedelta(days=1)))
        )

    def for_user(self, user):
        """Every session the user may open: as (co-)facilitator, listener, table host or
        coordinator."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(may_see(user, ROLES.for_user(user).values()))


def may_see(user, roles) -> Q:
    """Who may see a session: its facilitators, and whoever has one of `roles` in it (the
    conditions of `role_conditions(user)`, or the annotations they were read out as)."""
    return leads(user) | Q(*roles, _connector=Q.OR)


def leads(user) -> Q:
    """A session `user` leads: as its facilitator or its co-facilitator."""
    return Q(facilitator=user) | Q(co_facilitator=user)


def role_rows(user) -> dict:
    """The roles in a session that come from other tables than the session's own columns:
    per role, the rows that give `user` that role, each naming its session in `session_id`.
    The one place these roles are written; `role_conditions` asks them of one session, and
    `involvement_parts` reads their session ids out."""
    coordinated = Membership.objects.filter(user=user, role=Role.COORDINATOR)
    return {
        "user_is_listener": Listener.objects.filter(user=user),
        # From the session's own organisation links to the user's coordinator memberships,
        # without joining the organisations themselves: at 10,000 sessions PostgreSQL plans
        # it ~0.4 ms and runs it ~0.5 ms faster than through `Organisation`
        # (docs/performance.md).
        "user_is_coordinator": Session.organisations.through.objects.filter(
            organisation__in=coordinated.values("organisation")
        ),
        "user_is_table_host": SessionTable.objects.filter(host=user),
    }


# Up to this many, a list of what a user is involved in (their sessions, their actions) is
# filtered by ids looked up first, not by the role conditions: PostgreSQL cannot estimate an
# OR of EXISTS, and reads the whole installation's rows to find the few that are the user's
# (docs/performance.md, seventh pass: at 10,000 sessions faster up to ~200, slower from ~700).
# Rows, not distinct ids, are counted: a session both led and listened in counts twice.
FEW_INVOLVEMENTS = 200
# Up to this many, the database makes the lists of ids itself (`= ANY(ARRAY(…))`) and looks the
# rows up by them; above it one pass over the rows with the role conditions is cheaper
# (docs/performance.md, ninth pass).
MANY_INVOLVEMENTS = 2000


def involvement_parts(user, roles=None) -> list:
    """The sessions `user` leads and those in which they have one of `roles` (names of
    `role_rows`; all of them by default): one (queryset, id field) per part, for
    `FewIds` (each read by an index on the user)."""
    rows = role_rows(user)
    return [(Session.objects.filter(leads(user)), "pk")] + [
        (rows[name], "session_id") for name in (rows if roles is None else roles)
    ]


class FewIds:
    """Per group of (queryset, id field) parts that `build(user)` returns, the set of ids they
    select, all in one query compiled once (`spiegel.compiled.UserQuery`): a UNION ALL whose
    rows name their group, stopped after FEW_INVOLVEMENTS + 1 rows, each row with how many
    there are (counted no further than MANY_INVOLVEMENTS + 1).

    `of(user)` is (ids per group, rows), the ids None when there are more than
    FEW_INVOLVEMENTS rows."""

    # The row count over at most MANY + 1 rows, and at most FEW + 1 of those rows. The limits
    # are parameters, not part of the compiled query (tests change them).
    AROUND = "SELECT few.*, COUNT(*) OVER () FROM (SELECT * FROM ({}) parts LIMIT %s) few LIMIT %s"

    def __init__(self, build):
        self.build = build
        self.names = None
        self.query = UserQuery(self._query)

    def _query(self, user):
        groups = self.build(user)
        self.names = list(groups)
        parts = [
            queryset.order_by().values_list(field, models.Value(index))
            for index, name in enumerate(self.names)
            for queryset, field in groups[name]
        ]
        return parts[0].union(*parts[1:], all=True).order_by()

    def of(self, user) -> tuple[dict | None, int]:
        rows = self.query.rows(
            user, around=self.AROUND, params=(MANY_INVOLVEMENTS + 1, FEW_INVOLVEMENTS + 1)
        )
        total = rows[0][2] if rows else 0
        if total > FEW_INVOLVEMENTS:
            return None, total
        ids = {name: set() for name in self.names}
        for pk, index, _total in rows:
            ids[self.names[index]].add(pk)
        return ids, total


_INVOLVED_SESSIONS = FewIds(lambda user: {"sessions": involvement_parts(user)})


def involved_session_ids(user) -> set | None:
    """The ids of the sessions `Session.objects.for_user(user)` holds, when they are few
    (`FewIds`); else None."""
    ids, _rows = _INVOLVED_SESSIONS.of(user)
    return None if ids is None else ids["sessions"]


def role_conditions(user, session=None) -> dict:
    """`role_rows(user)` as conditions on a session: `for_user` lets a session through on any
    of them, and `sessions.access.annotate_access` reads each one out (the names are its
    annotations). `session` says where the session is from the outer query: the row itself
    by default, or e.g. `OuterRef("session")` from an improvement action
    (`findings.models._involved`)."""
    session = OuterRef("pk") if session is None else session
    return {name: Exists(rows.filter(session=session)) for name, rows in role_rows(user).items()}


def role_columns(user) -> dict:
    """`role_rows(user)` as the columns of a short list (a page of sessions): a scalar lookup
    per row, which PostgreSQL evaluates for the rows shown. The `EXISTS` of
    `role_conditions` it answers by hashing every session the user has the role in first
    (4,420 for the demo coordinator, ~0.6 ms per role condition) also to label twenty rows."""
    return {
        name: IsNull(
            Subquery(rows.filter(session=OuterRef("pk")).order_by().values(one=Value(1))[:1]),
            False,
        )
        for name, rows in role_rows(user).items()
    }


class Session(models.Model):
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisaties"),
        related_name="sessions",
        help_text=_("De organisatie(s) waarvan het werk besproken wordt."),
    )
    title = models.CharField(_("titel"), max_length=200)
    theme = models.CharField(
        _("thema"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: de Wmo-aanvraag bij het wijkteam."),
    )
    target_group = models.CharField(
        _("doelgroep"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: inwoners die in het afgelopen jaar een Wmo-aanvraag deden."),
    )
    starts_at = models.DateTimeField(_("datum en tijd"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(
        _("duur (minuten)"),
        default=DEFAULT_DURATION_MINUTES,
        validators=[MinValueValidator(15), MaxValueValidator(8 * 60)],
    )
    location = models.CharField(_("plaats"), max_length=300, blank=True)
    online_url = models.URLField(_("link online bijeenkomst"), max_length=500, blank=True)
    meeting_form = models.CharField(
        _("vorm"),
        max_length=10,
        choices=MeetingForm.choices,
        default=MeetingForm.IN_PERSON,
        help_text=_(
            "Bij hybride kiest u per cliënt en toehoorder of die online meedoet; "
            "zij krijgen de link in hun uitnodiging, de anderen de plaats."
        ),
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gespreksleider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilitated_sessions",
    )
    co_facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tweede gespreksleider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_facilitated_sessions",
    )
    notes = models.TextField(_("notities"), max_length=4000, blank=True)
    listener_questions_allowed = models.BooleanField(
        _("toehoorders mogen aan het eind verduidelijkende vragen stellen"), default=True
    )
    language = models.CharField(
        _("taal"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    live_step = models.CharField(
        _("stap in het gesprek"), max_length=12, choices=LiveStep.choices, default=LiveStep.CHECK_IN
    )
    current_question = models.ForeignKey(
        "Question",
        verbose_name=_("huidige vraag"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    question_started_at = models.DateTimeField(_("vraag gestart op"), null=True, blank=True)
    rules_explained_at = models.DateTimeField(_("spelregels uitgelegd op"), null=True, blank=True)
    planned_at = models.DateTimeField(_("gepland op"), null=True, blank=True)
    live_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    contacts_purged_at = models.DateTimeField(_("contactgegevens gewist op"), null=True, blank=True)
    panel_counter = models.PositiveIntegerField(
        _("laatst uitgegeven panelnummer"),
        default=0,
        editable=False,
        help_text=_("Pseudoniemen worden nooit hergebruikt, ook niet na verwijderen."),
    )
    reminder_sent_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("spiegelgesprek")
        verbose_name_plural = _("spiegelgesprekken")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            # The lists walk sessions by date (newest first, keyset pages) and stop after a
            # page: the session list, and the dashboard's sessions still under way.
            models.Index(fields=["starts_at", "id"], name="session_starts"),
            models.Index(
                fields=["starts_at", "id"],
                name="session_unclosed_starts",
                condition=~Q(status=Status.CLOSED),
            ),
            # Insights count a held meeting on the day it really started (live_at), planned
            # ones by starts_at: with both indexed, the period is a BitmapOr of two ranges.
            models.Index(
                fields=["live_at"], name="session_live_at", condition=Q(live_at__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(facilitator=models.F("co_facilitator")),
                name="session_two_different_facilitators",
                violation_error_message=_(
                    "De tweede gespreksleider moet iemand anders zijn dan de gespreksleider."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT)
                | (Q(facilitator__isnull=False) & Q(starts_at__isnull=False) & ~Q(theme="")),
                name="session_planned_has_essentials",
                violation_error_message=_(
                    "Een gepland gesprek heeft een gespreksleider, datum en thema."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    @cached_property
    def organisations_with_logos(self) -> list:
        """The session's organisations by name, each with its logo if it has one (not the
        image itself) and its network: one query for the page's look, for a page that names
        them, and for what follows from them (the themes on offer, where a new theme lives,
        whose earlier sessions count)."""
        return _ORGANISATIONS_WITH_LOGOS.rows(session=self.pk)

    @property
    def organisation_and_network_keys(self) -> set[int]:
        """The keys of the session's organisations and of the networks they belong to, from
        `organisations_with_logos`: whose themes the debrief offers, and the start of whose
        earlier sessions count (`sessions.services.sessions.lookback_organisations`)."""
        own = self.organisations_with_logos
        return {o.pk for o in own} | {o.network_id for o in own if o.network_id}

    @cached_property
    def look(self):
        """The organisation whose look the session's pages wear (participants.branding's
        page_look), asked for by base.html and only then: a poll or a stored note, which load
        the session too, never pay for it. Three subqueries of get_session_for's query before:
        ~2.6 ms of Python to build and compile on every request for the session."""
        return page_look(self.organisations_with_logos)

    # — derived facts —

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes) if self.starts_at else None

    @property
    def is_editable(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def is_over(self) -> bool:
        """The meeting has ended: in its debrief, or closed."""
        return self.status in OVER

    @property
    def facilitators(self):
        return [u for u in (self.facilitator, self.co_facilitator) if u is not None]

    def get_status_display(self) -> str:
        return label_of(Status, self.status)

    def is_facilitator(self, user) -> bool:
        return self.led_by(user, self.facilitator_id, self.co_facilitator_id)

    @staticmethod
    def led_by(user, facilitator_id, co_facilitator_id) -> bool:
        """Whether `user` leads a session with these facilitators (also for values() rows)."""
        return user.is_authenticated and user.pk in {facilitator_id, co_facilitator_id}

    def take_panel_number(self) -> int:
        """The next pseudonym number. The UPDATE locks the session row until the transaction
        ends, so two facilitators adding members at once never read the same number."""
        with transaction.atomic():
            Session.objects.filter(pk=self.pk).update(panel_counter=F("panel_counter") + 1)
            self.panel_counter = Session.objects.values_list("panel_counter", flat=True).get(
                pk=self.pk
            )
        return self.panel_counter

    def planned_minutes(self) -> int:
        return self.questions.aggregate(total=Sum("planned_minutes"))["total"] or 0

    def independence_problems(self):
        """Why the facilitators are not independent, as (blocking, message) pairs.

        The source texts say the facilitator is always independent of clients and listeners.
        Being a listener of the same session is impossible; being a member of an organisation
        whose work is discussed is a serious warning (small municipalities sometimes have no
        one else), shown on the checklist and in the form.
        """
        problems = []
        facilitators = self.facilitators
        ids = [u.pk for u in facilitators]
        if not ids or not self.pk:
            return problems
        # A facilitator may also appear as a guest: by e-mail address (a block, as for the
        # account) or by name only (a warning: two people may share a name). One query.
        emails = [u.email for u in facilitators if u.email]
        names = [u.get_full_name() for u in facilitators if u.get_full_name()]
        same = Q(user_id__in=ids)
        for email in emails:
            same |= Q(email__iexact=email)
        for name in names:
            same |= Q(name__iexact=name)
        suspects = list(self.listeners.filter(same).values_list("user_id", "email", "name"))
        folded_emails = {e.casefold() for e in emails}
        folded_names = {" ".join(n.split()).casefold() for n in names}
        if any(u in ids or e.casefold() in folded_emails for u, e, _n in suspects):
            problems.append((True, _("Een gespreksleider staat ook als toehoorder op de lijst.")))
        elif any(" ".join(n.split()).casefold() in folded_names for _u, _e, n in suspects):
            problems.append(
                (
                    False,
                    _(
                        "Een toehoorder heeft dezelfde naam als een gespreksleider; controleer "
                        "of het niet dezelfde persoon is."
                    ),
                )
            )
        if Membership.objects.filter(
            user_id__in=ids, organisation__in=self.organisations.all()
        ).exists():
            problems.append(
                (
                    False,
                    _(
                        "Een gespreksleider is lid van een organisatie waarvan het werk "
                        "besproken wordt; kies bij voorkeur een onafhankelijke gespreksleider."
                    ),
                )
            )
        return problems

    # — lifecycle —

    def missing_for_planned(self):
        missing = []
        if not self.facilitator_id:
            missing.append(_("Kies een gespreksleider."))
        if not self.starts_at:
            missing.append(_("Kies een datum en tijd."))
        if not self.theme.strip():
            missing.append(_("Geef het thema op."))
        if self.pk and not self.organisations.exists():
            missing.append(_("Kies de organisatie waarvan het werk besproken wordt."))
        if self.meets_online and not self.online_url:
            missing.append(_("Vul de link van de online bijeenkomst in."))
        if self.meeting_form == MeetingForm.HYBRID and not self.location.strip():
            missing.append(
                _("Vul de plaats in: bij een hybride gesprek komt een deel naar de zaal.")
            )
        missing += [message for blocking, message in self.independence_problems() if blocking]
        return missing

    def missing_for_live(self):
        missing = []
        if not self.questions.exists():
            missing.append(_("Zet minstens één vraag in de vragenlijst."))
        if not self.rules.exists():
            missing.append(_("Neem de spelregels op."))
        return missing

    def _require(self, expected, missing=()):
        if self.status != expected:
            raise TransitionError(
                _("Dit kan niet: het gesprek heeft de status “%(status)s”.")
                % {"status": self.get_status_display()}
            )
        if missing:
            raise TransitionError(list(missing))

    def plan(self):
        self._require(Status.DRAFT, self.missing_for_planned())
        self.status, self.planned_at = Status.PLANNED, timezone.now()
        self.save(update_fields=["status", "planned_at", "updated_at"])

    def unplan(self):
        """Back to draft, e.g. when the date falls through."""
        self._require(Status.PLANNED)
        self.status = Status.DRAFT
        self.save(update_fields=["status", "updated_at"])

    @property
    def meets_online(self) -> bool:
        """Someone takes part online: the meeting needs its link."""
        return self.meeting_form in (MeetingForm.ONLINE, MeetingForm.HYBRID)

    @property
    def is_hybrid(self) -> bool:
        return self.meeting_form == MeetingForm.HYBRID

    def takes_part_online(self, person) -> bool:
        """Whether a panel member or listener joins online: everyone online, nobody in a room,
        or, when hybrid, as chosen for the person."""
        if self.meeting_form == MeetingForm.HYBRID:
            return person.online
        return self.meeting_form == MeetingForm.ONLINE

    @property
    def held_at(self):
        """When the meeting really started, or else when it was planned to."""
        return self.live_at or self.starts_at

    def starts_well_ahead(self, now=None) -> bool:
        """The planned start is more than START_WARNING_HOURS away: starting now deserves a
        clear warning (the start page shows it, with the date)."""
        if not self.starts_at:
            return False
        return self.starts_at - (now or timezone.now()) > timedelta(hours=START_WARNING_HOURS)

    @property
    def is_starting_well_ahead(self) -> bool:
        return self.starts_well_ahead()

    def go_live(self):
        self._require(Status.PLANNED, self.missing_for_planned() + self.missing_for_live())
        self.status, self.live_at = Status.LIVE, timezone.now()
        self.save(update_fields=["status", "live_at", "updated_at"])

    def end_meeting(self):
        self._require(Status.LIVE)
        self.status, self.ended_at = Status.DEBRIEF, timezone.now()
        self.save(update_fields=["status", "ended_at", "updated_at"])

    def close(self):
        self._require(Status.DEBRIEF)
        self.status, self.closed_at = Status.CLOSED, timezone.now()
        self.save(update_fields=["status", "closed_at", "updated_at"])


class SessionTable(models.Model):
    """One table of a kitchen-table session (several conversations in one meeting).

    Each table is led by a host: a facilitator's account that captures on its own device,
    or an ambassador from the panel (an ex-client, no account: then the session's
    facilitators capture for that table), or both. The table's panel members and listeners
    are who sits there. A session without tables is the ordinary circle.
    """

    session = models.ForeignKey(
        Session, verbose_name=_("spiegelgesprek"), on_delete=models.CASCADE, related_name="tables"
    )
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    name = models.CharField(_("naam"), max_length=80)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tafelleider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_tables",
        help_text=_("Legt op een eigen apparaat vast wat aan deze tafel gezegd wordt."),
    )
    ambassador = models.ForeignKey(
        "participants.PanelMember",
        verbose_name=_("ambassadeur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_tables",
        help_text=_("De ervaringsdeskundige (ex-cliënt) die aan deze tafel het gesprek voert."),
    )
    panel_members = models.ManyToManyField(
        "participants.PanelMember",
        verbose_name=_("panelleden"),
        blank=True,
        related_name="tables",
    )
    listeners = models.ManyToManyField(
        Listener, verbose_name=_("toehoorders"), blank=True, related_name="tables"
    )

    class Meta:
        verbose_name = _("tafel")
        verbose_name_plural = _("tafels")
        ordering = ["session", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "name"],
                name="session_table_unique_name",
                violation_error_message=_("Deze naam heeft al een tafel van dit gesprek."),
            ),
        ]

    def __str__(self):
        return self.name


# `role_conditions` of a session, compiled once (`spiegel.compiled`): what `for_user`
# filters on and `sessions.access.annotate_access` reads out, on every list and every page
# about a session.
ROLES = UserConditions(Session, role_conditions)
ROLE_COLUMNS = UserConditions(Session, role_columns)

# Session.organisations_with_logos, on every page about a session: compiled once per process.
_ORGANISATIONS_WITH_LOGOS = Prepared(
    lambda session: (
        Organisation.objects.filter(sessions=session)
        .select_related("logo", "network")
        .defer("logo__data")
    ),
    "session",
)


class LibraryQuestionQuerySet(models.QuerySet):
    def available_to(self, organisations):
        """Default questions plus those of the organisations and their network partners."""
        shared = Organisation.objects.sharing_library_with(organisations)
        return self.filter(Q(organisation__isnull=True) | Q(organisation__in=shared))

    def in_meeting_order(self):
        rank = models.Case(
            *(models.When(kind=kind, then=i) for kind, i in KIND_ORDER.items()),
            output_field=models.IntegerField(),
        )
        return self.alias(kind_rank=rank).order_by("kind_rank", "theme", "position", "pk")


class LibraryQuestion(models.Model):
    """A question in the library; without organisation it belongs to the default library."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="library_questions",
        help_text=_("Leeg: standaardvraag voor iedereen."),
    )
    theme = models.CharField(_("thema"), max_length=120, blank=True)
    text = models.TextField(_("vraag"), max_length=2000)
    kind = models.CharField(
        _("soort"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.PREPARED
    )
    planned_minutes = models.PositiveIntegerField(
        _("geplande minuten"),
        default=DEFAULT_QUESTION_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    # The order the organisation's beheerders give their library (within a kind and theme
    # in the guide's picker).
    position = models.PositiveIntegerField(_("volgorde"), default=0)

    objects = LibraryQuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("vraag uit de vragenbank")
        verbose_name_plural = _("vragenbank")
        ordering = ["theme", "kind", "pk"]

    def __str__(self):
        return self.text[:80]


class Question(models.Model):
    """A question in one session's guide, in the order the facilitator will ask it."""

    session = models.ForeignKey(
        Session,
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    text = models.TextField(_("vraag"), max_length=2000)
    kind = models.CharField(
        _("soort"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.PREPARED
    )
    planned_minutes = models.PositiveIntegerField(
        _("geplande minuten"),
        default=DEFAULT_QUESTION_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    source = models.ForeignKey(
        LibraryQuestion,
        verbose_name=_("uit de vragenbank"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The opening item "Wat deden we met wat u vorige keer zei?": the client sentences of the
    # earlier sessions' actions, copied here when the item is added or refreshed (findings makes
    # the terugblik; this app only shows what was copied, so the live page and the presenter
    # screen need no findings). None for every other question.
    recap = models.JSONField(_("terugblik voor cliënten"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragenlijst")
        ordering = ["session", "position", "pk"]

    def __str__(self):
        return self.text[:80]

    @property
    def is_recap(self) -> bool:
        return self.recap is not None


class RuleQuerySet(models.QuerySet):
    def defaults(self):
        return self.filter(organisation__isnull=True, session__isnull=True)

    def template_for(self, organisations):
        """The rule set a new session starts from: its organisation's own, else the default."""
        for organisation in organisations:
            own = self.filter(organisation=organisation)
            if own.exists():
                return own
        return self.defaults()


class Rule(models.Model):
    """A rule (spelregel). Without organisation and session it is part of the default set;
    with an organisation it belongs to that organisation's set; with a session it is one of
    the rules read aloud at that meeting."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rules",
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rules",
    )
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    text = models.TextField(_("spelregel"), max_length=1000)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("spelregel")
        verbose_name_plural = _("spelregels")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(session__isnull=True),
                name="rule_belongs_to_one_set",
                violation_error_message=_(
                    "Een spelregel hoort bij een organisatie óf bij een gesprek, niet bij beide."
                ),
            )
        ]

    def __str__(self):
        return self.text[:80]


class EvaluationQuerySet(models.QuerySet):
    def answered(self):
        return self.filter(responded_at__isnull=False)


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Evaluation(models.Model):
    """One participant's evaluation of the meeting, reached through a personal link.

    The link's token is unguessable and is the only key: no account, one response per link.
    It belongs to a panel member or to a listener, so the summaries can be split, but the
    summaries never show who answered what.
    """

    session = models.ForeignKey(
        Session,
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    token = models.CharField(_("sleutel"), max_length=40, unique=True, default=new_token)
    panel_member = models.OneToOneField(
        "participants.PanelMember",
        verbose_name=_("panellid"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluation",
    )
    listener = models.OneToOneField(
        "participants.Listener",
        verbose_name=_("toehoorder"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluation",
    )
    experience = models.PositiveSmallIntegerField(
        _("Hoe vond u het gesprek?"), choices=Face.choices, null=True, blank=True
    )
    safety = models.PositiveSmallIntegerField(
        _("Kon u veilig zeggen wat u wilde?"), choices=Face.choices, null=True, blank=True
    )
    enough_time = models.PositiveSmallIntegerField(
        _("Was er genoeg tijd?"), choices=Face.choices, null=True, blank=True
    )
    again = models.PositiveSmallIntegerField(
        _("Zou u nog eens meedoen?"), choices=Face.choices, null=True, blank=True
    )
    comment = models.TextField(_("Wilt u nog iets zeggen?"), max_length=2000, blank=True)
    responded_at = models.DateTimeField(_("ingevuld op"), null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["session", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(panel_member__isnull=True) ^ Q(listener__isnull=True),
                name="evaluation_for_one_participant",
                violation_error_message=_(
                    "Een evaluatie hoort bij één panellid of bij één toehoorder."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.session} – {self.pk}"
