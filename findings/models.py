import secrets
import uuid
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from findings.constants import (
    CLOSED_STATUSES,
    FINDING_TEXT_LIMIT,
    OPEN_STATUSES,
    ActionStatus,
    FindingKind,
    HitSource,
    HitState,
    Priority,
    PrivacyKind,
)
from participants.constants import OrganisationKind, Role
from participants.models import Listener, Membership, User
from sessions.models import (
    MANY_INVOLVEMENTS,
    FewIds,
    Session,
    involvement_parts,
    leads,
    role_conditions,
)
from spiegel.choices import label_of
from spiegel.compiled import Prepared, UserConditions


class FindingQuerySet(models.QuerySet):
    def for_report(self):
        return self.select_related("speaker", "question", "table").order_by(
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
    # At a kitchen-table session, the table where it was said (None: the plenary circle).
    table = models.ForeignKey(
        "spiegel_sessions.SessionTable",
        verbose_name=_("tafel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    text = models.TextField(_("tekst"), max_length=FINDING_TEXT_LIMIT)
    kind = models.CharField(
        _("soort"), max_length=20, choices=FindingKind.choices, default=FindingKind.IMPROVEMENT
    )
    # RESTRICT, not SET_NULL: deleting a member must never turn their words into words of
    # "nobody", which reports would show again (issue 10). Erasure goes through
    # findings.services.rights, which replaces the words first and then drops the link.
    speaker = models.ForeignKey(
        "participants.PanelMember",
        verbose_name=_("spreker"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="findings",
    )
    starred = models.BooleanField(_("kernmoment"), default=False)
    theme = models.ForeignKey(
        "Theme",
        verbose_name=_("thema"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    blind_spot = models.BooleanField(
        _("blinde vlek"),
        default=False,
        help_text=_("In het nagesprek aangemerkt als iets wat de professionals niet zagen."),
    )
    version = models.PositiveIntegerField(_("versie"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    erased_at = models.DateTimeField(
        _("gewist op verzoek van de deelnemer op"),
        null=True,
        blank=True,
        help_text=_("De tekst is vervangen door een aantekening; de spreker is losgekoppeld."),
    )

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("bevinding")
        verbose_name_plural = _("bevindingen")
        ordering = ["session", "created_at", "pk"]
        indexes = [
            models.Index(fields=["session", "question"], name="finding_session_question"),
            # Insights: where a theme was first marked as a blind spot.
            models.Index(
                fields=["theme", "session"],
                name="finding_blind_spot_theme",
                condition=Q(blind_spot=True),
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_withheld(self) -> bool:
        """Left out of reports and exports: erased, or its speaker withdrew consent. Both are
        facts that survive the purge of contact details (they live on the finding and on the
        member row, never on the contact row)."""
        return self.is_erased or (self.speaker is not None and self.speaker.consent_withdrawn)


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
        on_delete=models.RESTRICT,
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


class ThemeQuerySet(models.QuerySet):
    def for_session(self, session):
        """The themes a session's debrief offers: those of its organisations and of their
        networks, by key from the organisations its page loads anyway
        (`Session.organisations_with_logos`); as subqueries they cost every theme query of the
        debrief its planning."""
        return self.of_homes(_theme_homes(session))

    def of_homes(self, homes):
        """The themes that live in these organisations and networks (by key)."""
        return self.filter(organisation_id__in=homes)


def themes_for_session(session) -> list:
    """`Theme.objects.for_session(session)`, loaded by a query compiled once per process."""
    return _SESSION_THEMES.rows(homes=_theme_homes(session))


def _theme_homes(session) -> list:
    """Where the themes a session offers live: its organisations and their networks."""
    return sorted(session.organisation_and_network_keys)


_SESSION_THEMES = Prepared(lambda homes: Theme.objects.of_homes(homes), lists=("homes",))


def theme_home_key(organisations):
    """The key of where a theme made for a session of `organisations` lives: the network,
    when they share one (so a partner's later session finds it: history carries across the
    network), else the first organisation (lowest id, as its rule set). None without any."""
    if not organisations:
        return None
    homes = {o.pk if o.kind == OrganisationKind.NETWORK else o.network_id for o in organisations}
    if len(homes) == 1 and None not in homes:
        return homes.pop()
    return min(o.pk for o in organisations)


def theme_home(session):
    """The organisation of `theme_home_key` for a session: one of its own, or their shared
    network, as its page loads them (`Session.organisations_with_logos`), without a query."""
    own = session.organisations_with_logos
    key = theme_home_key(own)
    for organisation in own:
        if organisation.pk == key:
            return organisation
        if organisation.network_id == key:
            return organisation.network
    return None


class Theme(models.Model):
    """A theme findings are grouped under in the debrief; themes belong to an organisation, or
    to the network when the session's organisations share one (theme_home), so the same theme
    can be followed across sessions ("returning blind spots")."""

    organisation = models.ForeignKey(
        "participants.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="themes",
    )
    name = models.CharField(_("naam"), max_length=120)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["organisation", Lower("name")]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("name"),
                name="theme_unique_name_per_organisation",
                violation_error_message=_("Dit thema bestaat al bij deze organisatie."),
            )
        ]

    def __str__(self):
        return self.name


class Debrief(models.Model):
    """The professionals' debrief (nagesprek) of one session, guided by two questions."""

    session = models.OneToOneField(
        "spiegel_sessions.Session",
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        related_name="debrief",
    )
    impact = models.TextField(_("Wat deed de feedback met ons?"), max_length=10000, blank=True)
    act_on = models.TextField(
        _("Met welke feedback gaan we aan de slag?"), max_length=10000, blank=True
    )
    concluded_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afgerond door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("nagesprek")
        verbose_name_plural = _("nagesprekken")

    def __str__(self):
        return str(self.session)


class Lesson(models.Model):
    """A lesson (lering) the professionals draw from what they heard."""

    session = models.ForeignKey(
        "spiegel_sessions.Session",
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        related_name="lessons",
    )
    text = models.TextField(_("les"), max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("les")
        verbose_name_plural = _("lessen")
        ordering = ["session", "created_at", "pk"]

    def __str__(self):
        return self.text[:80]

    def is_written_by(self, user_id) -> bool:
        """Only its author takes a lesson back."""
        return user_id is not None and self.created_by_id == user_id


# What "open" and "overdue" mean, for every list, filter, count, export, report and reminder:
# an action is open until it is done or dropped, and overdue when it is open and its due date
# lies before today. `overdue_condition` says it to the database, `overdue_on` in Python (for
# an action or a `values()` row).


def open_condition() -> Q:
    return Q(status__in=OPEN_STATUSES)


def overdue_condition(today) -> Q:
    return open_condition() & Q(due_date__lt=today)


def overdue_on(today, *, status, due_date) -> bool:
    return status not in CLOSED_STATUSES and due_date < today


GOLDEN_TIP_LIMIT = 280
TIP_THEME_LIMIT = 80


class GoldenTip(models.Model):
    """A golden tip: what a table of a kitchen-table session advises, short, under a theme.

    A table's tips arrive through the browser's offline queue, so `client_id` makes each one
    once. In the plenary the facilitator merges duplicates: the merged tip has no table, and
    the tips it came from point to it (`merged_into`), so where each came from stays known.
    """

    session = models.ForeignKey(
        "spiegel_sessions.Session",
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        related_name="golden_tips",
    )
    table = models.ForeignKey(
        "spiegel_sessions.SessionTable",
        verbose_name=_("tafel"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tips",
    )
    client_id = models.UUIDField(_("id uit de browser"), unique=True, null=True, editable=False)
    theme = models.CharField(_("thema"), max_length=TIP_THEME_LIMIT)
    text = models.CharField(_("tip"), max_length=GOLDEN_TIP_LIMIT)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("samengevoegd in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("gouden tip")
        verbose_name_plural = _("gouden tips")
        ordering = ["session", "table", "created_at", "pk"]

    def __str__(self):
        return self.text[:80]

    @property
    def is_merged(self) -> bool:
        """A tip of the plenary that several tables' tips were merged into."""
        return self.table_id is None


class AnyOf(models.Func):
    """`column` is one of the values `queryset` selects: `column = ANY(ARRAY(subquery))` on
    PostgreSQL, which runs the subquery once and can look its values up by index, also as one
    side of an OR (a BitmapOr); `column IN (subquery)` elsewhere."""

    output_field = models.BooleanField()

    def __init__(self, column, queryset):
        super().__init__(F(column), Subquery(queryset))

    def _sides(self, compiler):
        (column, column_params), (rows, rows_params) = (
            compiler.compile(side) for side in self.get_source_expressions()
        )
        return column, rows, (*column_params, *rows_params)

    def as_sql(self, compiler, connection, **extra_context):
        column, rows, params = self._sides(compiler)
        return f"{column} IN {rows}", params

    def as_postgresql(self, compiler, connection, **extra_context):
        column, rows, params = self._sides(compiler)
        return f"{column} = ANY(ARRAY{rows})", params


class ImprovementActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(open_condition())

    def overdue(self, today=None):
        return self.filter(overdue_condition(today or timezone.localdate()))

    def due_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.open().filter(due_date__gte=today, due_date__lte=today + timedelta(days=days))

    def owned_by(self, user):
        """Actions `user` owns or co-owns. The co-owned ones as a list the database makes
        once (`AnyOf`), which PostgreSQL combines with the owner index: with an `EXISTS` per
        action it walked every open action of the installation by due date, looking for the
        few of a user who owns few (12 ms for one who owns none, at 10,000 sessions)."""
        co_owned = co_ownerships(user).values("improvementaction_id")
        return self.filter(Q(owner=user) | AnyOf("pk", co_owned))

    def editable_by(self, user):
        """Actions `user` may change: as owner or co-owner, as a coordinator of the owning
        organisation, or as a listener of the action's session who is from the owning
        organisation or a guest of none of the session's organisations (DESIGN.md §6: in a
        werkplaats each municipality changes its own actions)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(_may_edit(user))

    def visible_to(self, user):
        """Actions `user` may see: those of the sessions they listen in, coordinate or lead,
        and those they (co-)own."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(VISIBLE.for_user(user)["visible"])

    def visible_for_list(self, user):
        """The same actions as `visible_to(user)`, for a list that counts them and pages
        through them (the action list, its exports and reports), in the form that serves how
        much the user is involved in: the sessions they lead, listen in or coordinate and the
        actions they co-own, counted first (`_INVOLVED`, one query).

        - Few (`sessions.models.FEW_INVOLVEMENTS`): filtered by their ids, which that query
          returned, and the database finds the actions by index. With the OR of `EXISTS`
          PostgreSQL expects nearly every action to pass and reads all of the installation's
          to count a listener's few.
        - Up to MANY_INVOLVEMENTS: by the lists of those ids, which the database makes itself
          (`VISIBLE_BY_LISTS`), found by index the same way (a listener of 700 sessions).
        - More (a coordinator of a large organisation): they see a good share of all actions,
          and one pass over them with the `EXISTS` form serves them better."""
        if not user.is_authenticated:
            return self.none()
        ids, rows = _INVOLVED.of(user)
        if ids is not None:
            return self.filter(
                Q(owner=user) | Q(session_id__in=ids["sessions"]) | Q(pk__in=ids["co_owned"])
            )
        if rows <= MANY_INVOLVEMENTS:
            return self.filter(VISIBLE_BY_LISTS.for_user(user)["visible"])
        return self.visible_to(user)


# The roles in a session (`sessions.models.role_rows`) that involve a user in its actions: a
# table host is not involved in them.
ACTION_ROLES = ("user_is_listener", "user_is_coordinator")

# The sessions whose actions `user` sees (as a listener, a coordinator of one of its
# organisations or its (co-)facilitator: the roles of `_involved` and `visible_to`) and the
# actions they co-own, by ids when few (`visible_for_list`).
_INVOLVED = FewIds(
    lambda user: {
        "sessions": involvement_parts(user, ACTION_ROLES),
        "co_owned": [(co_ownerships(user), "improvementaction_id")],
    }
)


def co_ownerships(user):
    """The rows that make `user` a co-owner of an action."""
    return ImprovementAction.co_owners.through.objects.filter(user=user)


_CO_OWNER_NAME = ("user__first_name", "user__last_name", "user__username")  # User's own order


def co_owner_names(action_ids) -> defaultdict:
    """Action id → its co-owners' names (User.name_of) in the users' order, for rows read
    with values() (the action list, the exports): one query, whatever the number of actions
    (compiled once per process for a page of them)."""
    names = defaultdict(list)
    for action_id, *name in _CO_OWNER_NAMES.rows(actions=list(action_ids)):
        names[action_id].append(User.name_of(*name))
    return names


_CO_OWNER_NAMES = Prepared(
    lambda actions: (
        ImprovementAction.co_owners.through.objects.filter(improvementaction_id__in=actions)
        .order_by(*_CO_OWNER_NAME)
        .values_list("improvementaction_id", *_CO_OWNER_NAME)
    ),
    lists=("actions",),
)


def _owns(user):
    return Q(owner=user) | Exists(co_ownerships(user).filter(improvementaction=OuterRef("pk")))


def _involved(user):
    """Owner, co-owner, listener of the session or coordinator of one of its organisations
    (the session's roles as `Session.objects.for_user` knows them; a table host is not
    involved in the actions)."""
    roles = role_conditions(user, session=OuterRef("session"))
    condition = Q(owner=user)
    for name in ACTION_ROLES:
        condition |= roles[name]
    return condition | Exists(co_ownerships(user).filter(improvementaction=OuterRef("pk")))


def _visible_by_lists(user) -> dict:
    """`_visible` by the lists of the ids of the user's sessions and co-owned actions, which
    the database makes once per query (`AnyOf`), each looked up by the action's index."""
    condition = Q(owner=user) | AnyOf("pk", co_ownerships(user).values("improvementaction_id"))
    for queryset, field in involvement_parts(user, ACTION_ROLES):
        condition |= AnyOf("session_id", queryset.order_by().values(field))
    return {"visible": condition}


def _visible(user) -> dict:
    """The condition of `visible_to`: involved (`_involved`), or leading the session. The
    sessions they lead as an uncorrelated IN (…) (two facilitator indexes), not as conditions
    on the joined session: those made PostgreSQL hash all 10,000 sessions for every count of
    the list, and joined sessions to queries that need none of them."""
    led = Session.objects.filter(leads(user)).values("pk")
    return {"visible": _involved(user) | Q(session_id__in=led)}


def _may_edit(user):
    """The one condition for changing an action: owner, co-owner, a coordinator of the owning
    organisation, or a listener of the session from the owning organisation (or from none of
    the session's organisations: a guest)."""
    session = OuterRef("session")
    organisation = OuterRef("organisation")
    listener_from_owner = Exists(Listener.objects.filter(session=session, user=user)) & (
        Exists(Membership.objects.filter(user=user, organisation=organisation))
        | ~Exists(Membership.objects.filter(user=user, organisation__sessions=session))
    )
    return (
        _owns(user)
        | Exists(
            Membership.objects.filter(user=user, role=Role.COORDINATOR, organisation=organisation)
        )
        | listener_from_owner
    )


def owner_belongs(owner, organisation, session) -> bool:
    """Whether `owner` may own an action of `organisation`: a member of it, or a listener of
    `session` who came from it (the listener's organisation named as it is)."""
    return (
        Membership.objects.filter(user=owner, organisation=organisation).exists()
        or Listener.objects.filter(
            session=session, user=owner, organisation_name__iexact=organisation.name
        ).exists()
    )


def default_action_organisation(session, owner):
    """The organisation an action of `session` belongs to unless chosen: the owner's among
    the session's organisations, else the session's first."""
    organisations = session.organisations.order_by("pk")
    if owner is not None:
        own = organisations.filter(memberships__user=owner).first()
        if own is not None:
            return own
    return organisations.first()


class ImprovementAction(models.Model):
    """What the professionals will do with what clients said; traces back to findings."""

    session = models.ForeignKey(
        "spiegel_sessions.Session",
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    # Each action is taken home by one organisation of its session (a werkplaats of several
    # municipalities): filters, exports, reports and edit rights follow it.
    organisation = models.ForeignKey(
        "participants.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="actions",
        help_text=_("De organisatie die de actie mee naar huis neemt."),
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), max_length=4000, blank=True)
    findings = models.ManyToManyField(
        Finding,
        verbose_name=_("bevindingen"),
        related_name="actions",
        help_text=_("Waar cliënten het over hadden: minstens één bevinding."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eigenaar"),
        on_delete=models.PROTECT,
        related_name="owned_actions",
    )
    co_owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mede-eigenaren"),
        blank=True,
        related_name="co_owned_actions",
    )
    due_date = models.DateField(_("uiterlijk klaar op"))
    priority = models.CharField(
        _("prioriteit"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closing_note = models.TextField(_("afsluitende toelichting"), max_length=4000, blank=True)
    client_sentence = models.CharField(
        _("wat we deden met uw feedback"),
        max_length=500,
        blank=True,
        help_text=_("Eén zin in eenvoudige taal voor de terugkoppelingsbrief aan cliënten."),
    )
    # What clients read when the action is closed (their page "U zei, wij deden" and its
    # e-mail): the closing note is the professionals' own and never leaves them.
    client_closing = models.CharField(
        _("uitleg voor cliënten bij afronden"),
        max_length=500,
        blank=True,
        help_text=_(
            "In eenvoudige taal: wat er nu anders is, of waarom het niet doorgaat. Cliënten "
            "met een volglink lezen dit."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    from_reflection = models.BooleanField(
        _("komt voort uit een reflectie"),
        default=False,
        help_text=_("Deze actie kwam op uit wat een toehoorder na het gesprek opschreef."),
    )
    from_tip = models.ForeignKey(
        "GoldenTip",
        verbose_name=_("komt voort uit gouden tip"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )

    objects = ImprovementActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("verbeteractie")
        verbose_name_plural = _("verbeteracties")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=CLOSED_STATUSES) | ~Q(closing_note=""),
                name="action_closed_needs_note",
                violation_error_message=_(
                    "Een afgeronde of vervallen actie heeft een afsluitende toelichting."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="action_status_due"),
            # The action list's default order (keyset pages walk it and stop after a page).
            models.Index(fields=["due_date", "id"], name="action_due"),
            # The organisation filter of /actions/ and its exports.
            models.Index(fields=["organisation", "due_date", "id"], name="action_org_due"),
            # The organisations of the filter that come from the actions a user owns: an index
            # only scan (was ~530 buffers of heap for the demo coordinator's 1,700 actions).
            models.Index(fields=["owner", "organisation"], name="action_owner_org"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return overdue_on(timezone.localdate(), status=self.status, due_date=self.due_date)

    def get_status_display(self) -> str:
        return label_of(ActionStatus, self.status)

    def get_priority_display(self) -> str:
        return label_of(Priority, self.priority)

    def role_of(self, user) -> str:
        """The user's part in this action, for their lists and mails: owner or co-owner."""
        return gettext("eigenaar") if user.pk == self.owner_id else gettext("mede-eigenaar")


# `visible_to`'s condition, compiled once (`spiegel.compiled`): every list, count and export
# of actions filters on it.
VISIBLE = UserConditions(ImprovementAction, _visible)
VISIBLE_BY_LISTS = UserConditions(ImprovementAction, _visible_by_lists)


class ActionUpdate(models.Model):
    """The progress log of an action: who, when, what, and any status change."""

    action = models.ForeignKey(
        ImprovementAction,
        verbose_name=_("verbeteractie"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("voortgang"), max_length=4000, blank=True)
    old_status = models.CharField(
        _("oude status"), max_length=12, choices=ActionStatus.choices, blank=True
    )
    new_status = models.CharField(
        _("nieuwe status"), max_length=12, choices=ActionStatus.choices, blank=True
    )
    created_at = models.DateTimeField(_("op"), auto_now_add=True)

    class Meta:
        verbose_name = _("voortgang van een verbeteractie")
        verbose_name_plural = _("voortgang van verbeteracties")
        ordering = ["action", "created_at", "pk"]

    def __str__(self):
        return f"{self.action} – {self.created_at:%Y-%m-%d}"


class FeedbackLetter(models.Model):
    """The letter to clients: "you said, we did", in plain Dutch; final once sent."""

    session = models.OneToOneField(
        "spiegel_sessions.Session",
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        related_name="feedback_letter",
    )
    text = models.TextField(_("tekst van de brief"), max_length=20000, blank=True)
    finalised_at = models.DateTimeField(_("definitief gemaakt op"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("definitief gemaakt door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("terugkoppelingsbrief")
        verbose_name_plural = _("terugkoppelingsbrieven")

    def __str__(self):
        return str(self.session)

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None


class ReportJobQuerySet(models.QuerySet):
    def stale(self, now=None):
        """Jobs older than a day: their files are pruned, the requester has had them."""
        return self.filter(created_at__lt=(now or timezone.now()) - timedelta(days=1))


class ReportJob(models.Model):
    """A report made in the background (a large actions overview PDF, a large export): who
    asked for which report with which parameters, how far it is, and the file itself. The
    database is the one store, so any web process can serve the download; jobs are pruned
    after a day."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        RUNNING = "running", _("Wordt gemaakt")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    class Report(models.TextChoices):
        ACTIONS = "actions", _("Overzicht verbeteracties")
        ACTIONS_XLSX = "actions_xlsx", _("Verbeteracties voor Excel (XLSX)")
        ACTIONS_CSV = "actions_csv", _("Verbeteracties voor Excel (CSV)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    report = models.CharField(_("rapport"), max_length=20, choices=Report.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("taal"), max_length=5, choices=settings.LANGUAGES)
    item_count = models.PositiveIntegerField(_("aantal regels"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    content = models.BinaryField(_("bestand"), null=True, blank=True, editable=False)
    filename = models.CharField(_("bestandsnaam"), max_length=120, blank=True)
    error = models.TextField(_("foutmelding"), blank=True)
    created_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapport op de achtergrond")
        verbose_name_plural = _("rapporten op de achtergrond")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requested_by", "status"], name="reportjob_user_status"),
        ]

    def __str__(self):
        return f"{self.get_report_display()} – {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_queued(self) -> bool:
        return self.status == self.Status.QUEUED

    @property
    def is_ready(self) -> bool:
        """The file is there: the requester may download it."""
        return self.status == self.Status.DONE

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED


class PrivacyHitQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=HitState.OPEN)


class PrivacyHit(models.Model):
    """Something in a text that looks like personal data (a name, a phone number, …), found by
    the privacy guard (findings.privacy). The matched words are personal data themselves, so
    they are not stored: only where they stand in the current text (`start`, `end`) and a keyed
    hash (`digest`), by which a later check recognises the same words after the text moved.

    A hit is open until someone replaces the words by a neutral tag or dismisses it as not
    personal data; reports and the letter are not made final while hits are open.
    """

    session = models.ForeignKey(
        "spiegel_sessions.Session",
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        related_name="privacy_hits",
    )
    source = models.CharField(_("soort tekst"), max_length=10, choices=HitSource.choices)
    object_id = models.PositiveBigIntegerField(_("id van de tekst"))
    field = models.CharField(_("veld"), max_length=30)
    start = models.PositiveIntegerField(_("begin"))
    end = models.PositiveIntegerField(_("einde"))
    kind = models.CharField(_("soort gegeven"), max_length=12, choices=PrivacyKind.choices)
    digest = models.CharField(_("vingerafdruk"), max_length=64)
    state = models.CharField(
        _("status"), max_length=10, choices=HitState.choices, default=HitState.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordeeld door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    created_at = models.DateTimeField(_("gevonden op"), auto_now_add=True)

    objects = PrivacyHitQuerySet.as_manager()

    class Meta:
        verbose_name = _("mogelijk persoonsgegeven")
        verbose_name_plural = _("mogelijke persoonsgegevens")
        ordering = ["source", "object_id", "field", "start", "pk"]
        indexes = [
            models.Index(fields=["session", "state"], name="privacyhit_session_state"),
            models.Index(fields=["source", "object_id"], name="privacyhit_source_object"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="privacyhit_span"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} in {self.get_source_display()} {self.object_id}"

    @property
    def is_open(self) -> bool:
        return self.state == HitState.OPEN


# — "U zei, wij deden": the clients' own page —


def new_follow_token() -> str:
    return secrets.token_urlsafe(18)


class FollowLinkQuerySet(models.QuerySet):
    def active(self, now=None):
        """Links that open the page now: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class FollowLink(models.Model):
    """A panel member's personal link to the session's actions as clients may see them ("U zei,
    wij deden"), reached without an account: the unguessable token is the key. It works until
    `expires_at` and can be revoked (then a new one may be issued); withdrawal of consent and
    erasure revoke it. `wants_mail`: the member asked for one short e-mail when an action is
    done or dropped (at most one a week, see findings.services.follow)."""

    panel_member = models.ForeignKey(
        "participants.PanelMember",
        verbose_name=_("panellid"),
        on_delete=models.CASCADE,
        related_name="follow_links",
    )
    token = models.CharField(_("sleutel"), max_length=40, unique=True, default=new_follow_token)
    wants_mail = models.BooleanField(_("wil een e-mail bij elke afgeronde actie"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gemaakt door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)
    expires_at = models.DateTimeField(_("werkt tot"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingetrokken door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = FollowLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("volglink")
        verbose_name_plural = _("volglinks")
        ordering = ["panel_member", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel_member"],
                condition=Q(revoked_at__isnull=True),
                name="follow_link_one_unrevoked_per_member",
                violation_error_message=_("Deze deelnemer heeft al een volglink."),
            )
        ]

    def __str__(self):
        return f"{self.panel_member} – {self.created_at:%Y-%m-%d}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired


class FollowMail(models.Model):
    """The log of the e-mails to a member about actions done or dropped: when, which actions.
    It is also the memory of what was told, and the clock of "at most one a week"."""

    link = models.ForeignKey(
        FollowLink, verbose_name=_("volglink"), on_delete=models.CASCADE, related_name="mails"
    )
    sent_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)
    actions = models.ManyToManyField(
        ImprovementAction, verbose_name=_("verbeteracties"), related_name="follow_mails"
    )

    class Meta:
        verbose_name = _("e-mail over afgeronde acties")
        verbose_name_plural = _("e-mails over afgeronde acties")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["link", "sent_at"], name="followmail_link_sent")]

    def __str__(self):
        return f"{self.link} – {self.sent_at:%Y-%m-%d}"


class DismissedSuggestion(models.Model):
    """A person rejected the theme suggestions for this finding: it is not suggested again
    (findings.services.themes). The finding keeps no theme unless someone gives it one."""

    finding = models.OneToOneField(
        Finding,
        verbose_name=_("bevinding"),
        on_delete=models.CASCADE,
        related_name="dismissed_suggestion",
    )
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afgewezen door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    dismissed_at = models.DateTimeField(_("afgewezen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("afgewezen themasuggestie")
        verbose_name_plural = _("afgewezen themasuggesties")

    def __str__(self):
        return f"{self.finding_id}"


LEARNING_QUESTIONS = 3


class ListenerLearningQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What `user` may read: their own, and what colleagues chose to share."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(author=user) | Q(shared=True))


class ListenerLearning(models.Model):
    """A listener's learning for one meeting: up to three leervragen written before it (what
    do I want to learn from the clients?) and a short reflection after it (what touched me,
    what will I do differently?). Private to its author unless they share it with the
    colleagues who see the debrief (`shared`, off by default)."""

    session = models.ForeignKey(
        "spiegel_sessions.Session",
        verbose_name=_("spiegelgesprek"),
        on_delete=models.CASCADE,
        related_name="learnings",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("toehoorder"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    question_1 = models.CharField(_("leervraag 1"), max_length=300, blank=True)
    question_2 = models.CharField(_("leervraag 2"), max_length=300, blank=True)
    question_3 = models.CharField(_("leervraag 3"), max_length=300, blank=True)
    touched = models.TextField(_("Wat raakte mij?"), max_length=2000, blank=True)
    change = models.TextField(_("Wat ga ik anders doen?"), max_length=2000, blank=True)
    shared = models.BooleanField(
        _("collega’s mogen dit lezen"),
        default=False,
        help_text=_("Uit: alleen u ziet uw leervragen en reflectie."),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = ListenerLearningQuerySet.as_manager()

    class Meta:
        verbose_name = _("leervragen en reflectie")
        verbose_name_plural = _("leervragen en reflecties")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "author"], name="learning_one_per_author")
        ]

    def __str__(self):
        return f"{self.author} – {self.session}"

    @property
    def questions(self) -> list[str]:
        return [q for q in (self.question_1, self.question_2, self.question_3) if q.strip()]

    @property
    def has_reflection(self) -> bool:
        return bool(self.touched.strip() or self.change.strip())


class OrganisationChange(models.Model):
    """When what an organisation's insights count last changed, in microseconds
    (findings.changes). Written only by the database's triggers; no foreign key, so stamping
    can never block or fail the write that causes it."""

    organisation_id = models.BigIntegerField(primary_key=True)
    changed = models.BigIntegerField()

    def __str__(self):
        return f"{self.organisation_id}: {self.changed}"
