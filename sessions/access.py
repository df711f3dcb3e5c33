"""Who may do what with a session: the one access policy (DESIGN.md §6 in code).

Every view and every template asks `session.access`, a `SessionAccess` built from the user's
roles in the session and the session's status; no view or template compares roles or status
strings itself. Each permission is a `can_*` property, and `require(permission)` refuses with
the permission's Dutch reason:

- a user who may not see the session at all gets 404 from `get_session_for`, never a hint
  that it exists;
- a user who may see it but not do this gets 403 with the reason (they know the session
  exists, so a 403 tells them no more than they know and says why);
- a page that does not exist yet in this phase (the debrief before the meeting) is a 404 too.

The improvement actions have their own resource helper in findings.access, built on the same
roles (`ImprovementAction.objects.visible_to(user)` / `.editable_by(user)`).
"""

from dataclasses import dataclass
from functools import cache, cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from participants.constants import OrganisationKind, Role
from participants.models import Membership, Organisation, User
from spiegel.compiled import Prepared, UserQuery

from .constants import HELD, JOTTING, OVER, PREPARING, Status
from .models import ROLES, Session, involved_session_ids, may_see

NOT_FOUND = object()  # a refusal that answers 404 rather than 403


@dataclass(frozen=True)
class SessionAccess:
    """What one user may do with one session now."""

    is_facilitator: bool
    is_listener: bool
    is_coordinator: bool
    status: str
    user_id: int | None = None
    session_id: int | None = None
    # Hosts a table of a kitchen-table session: captures for that table only.
    is_table_host: bool = False

    # — roles and phases, for the permissions below and for wording on pages —

    @property
    def may_see(self) -> bool:
        """Any role in the session: the rule of `Session.objects.for_user`."""
        return self.is_facilitator or self.is_listener or self.is_coordinator or self.is_table_host

    @property
    def is_professional(self) -> bool:
        """Listeners and coordinators: the professionals whose work is discussed."""
        return self.is_listener or self.is_coordinator

    @property
    def role_label(self) -> str:
        if self.is_facilitator:
            return _("gespreksleider")
        if self.is_coordinator:
            return _("coördinator")
        if self.is_table_host and not self.is_listener:
            return _("tafelleider")
        return _("toehoorder")

    @property
    def is_preparing(self) -> bool:
        return self.status in PREPARING

    @property
    def is_live(self) -> bool:
        return self.status == Status.LIVE

    @property
    def is_held(self) -> bool:
        """The meeting has started: live, in its debrief or closed."""
        return self.status in HELD

    @property
    def is_over(self) -> bool:
        return self.status in OVER

    @property
    def is_in_debrief(self) -> bool:
        return self.status == Status.DEBRIEF

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    # — preparation —

    @property
    def can_edit(self) -> bool:
        """Session, panel, listeners, guide and rules: the facilitators, until closed."""
        return self.is_facilitator and not self.is_closed

    @property
    def can_see_contacts(self) -> bool:
        """Client real names and contact details: the facilitators and coordinators, never
        listeners."""
        return self.is_facilitator or self.is_coordinator

    @property
    def can_exercise_rights(self) -> bool:
        """A client's rights at any time, also after closing (AVG, DESIGN.md §7): withdrawal
        of consent, erasure and inzage, handled by those who know who the client is — the
        facilitators and the coordinators. Never listeners. Per member: can_see_contacts_of."""
        return self.can_see_contacts

    @cached_property
    def recruiting_organisation_ids(self) -> frozenset:
        """The session's organisations this user coordinates: the members they recruited are
        the ones whose details this user sees (one query, asked only by the pages with
        contact details)."""
        if not self.is_coordinator:
            return frozenset()
        return frozenset(
            Membership.objects.filter(
                user_id=self.user_id,
                role=Role.COORDINATOR,
                organisation__sessions=self.session_id,
            ).values_list("organisation_id", flat=True)
        )

    def can_see_contacts_of(self, member) -> bool:
        """One member's real name and contact details (DESIGN.md §6): the facilitators, and
        the coordinators of the organisation that recruited the member — in a werkplaats of
        several municipalities, a coordinator sees only the own municipality's residents."""
        if self.is_facilitator:
            return True
        return self.can_see_contacts and member.recruited_by_id in self.recruiting_organisation_ids

    def can_exercise_rights_for(self, member) -> bool:
        """A member's rights are handled by those who may know who the member is."""
        return self.can_see_contacts_of(member)

    def require_for_member(self, member) -> None:
        """403 with the reason unless this user may see who `member` is."""
        self.require("exercise_rights")
        if not self.can_see_contacts_of(member):
            raise PermissionDenied(
                _(
                    "Deze deelnemer is geworven door een andere organisatie: alleen de "
                    "gespreksleider en de coördinatoren van die organisatie zien de gegevens."
                )
            )

    @property
    def offers_access_log(self) -> bool:
        """The link to the access log of this session's panel: for those who read their
        organisation's log (ACCESS_LOG_ROLES; the page itself checks
        access_log_organisations)."""
        return self.is_coordinator

    @property
    def can_no_longer_edit(self) -> bool:
        """The facilitators edit until the session is closed; then their pages say that they
        can only read it now."""
        return self.is_facilitator and self.is_closed

    @property
    def can_invite(self) -> bool:
        """Sending invitations is part of preparing: the facilitators, until closed."""
        return self.can_edit

    @property
    def offers_plan(self) -> bool:
        """The step from draft to planned, for the facilitators."""
        return self.can_edit and self.status == Status.DRAFT

    @property
    def offers_start(self) -> bool:
        """Starting a planned meeting (or taking it back to draft), for the facilitators."""
        return self.can_edit and self.status == Status.PLANNED

    @property
    def offers_invitations(self) -> bool:
        """The facilitators' button to the invitations, once the session is planned (the
        invitations page says why sending waits until then)."""
        return self.can_invite and self.status == Status.PLANNED

    # — the meeting —

    @property
    def can_run_live(self) -> bool:
        """The live page: the facilitators (it shows the start step before the meeting)."""
        return self.is_facilitator

    @property
    def offers_live(self) -> bool:
        """The facilitators' way back into the meeting while it runs."""
        return self.can_run_live and self.is_live

    @property
    def can_change_live(self) -> bool:
        """Check-in, navigation, capture: the facilitators of a session that is not closed."""
        return self.is_facilitator and not self.is_closed

    @property
    def can_open_screen(self) -> bool:
        """The presenter screen shows only what the whole room sees: anyone who sees the
        session may open it."""
        return True

    @property
    def offers_screen(self) -> bool:
        """The facilitator's link to the presenter screen, while the meeting runs."""
        return self.is_facilitator and self.is_live

    @property
    def can_listen(self) -> bool:
        """The listeners' view with the private jotting pad."""
        return True

    @property
    def offers_listen(self) -> bool:
        """The link to the listeners' view: for the others than the facilitators, once the
        meeting has started."""
        return not self.is_facilitator and self.is_held

    @property
    def offers_listen_now(self) -> bool:
        """The meeting is on and this user listens: the session page leads first to the
        listeners' view (a prominent link, not a redirect, so the page stays readable)."""
        return not self.is_facilitator and self.status == Status.LIVE

    @property
    def can_write_jotting(self) -> bool:
        """Jottings are written during the meeting and used in the debrief; then read-only."""
        return self.status in JOTTING

    @property
    def offers_own_notes(self) -> bool:
        """The debrief shows the listeners their own jottings, or that they made none (the
        others see theirs only when they wrote some)."""
        return self.is_listener

    # — kitchen tables: several conversations in one meeting, each ending with golden tips —

    @property
    def can_prepare_tables(self) -> bool:
        """The tables, their hosts and who sits where: part of preparing (the facilitators)."""
        return self.can_edit

    def can_capture_at(self, table) -> bool:
        """A table's live page, its notes and tips: the session's facilitators for every
        table, a table's host for their own; not once the session is closed."""
        if self.is_closed or table.session_id != self.session_id:
            return False
        return self.is_facilitator or (self.is_table_host and table.host_id == self.user_id)

    def require_table(self, table) -> None:
        """403 with the reason unless this user captures at `table` now."""
        if not self.can_capture_at(table):
            if self.is_closed:
                raise PermissionDenied(_edit_refusal(self))
            raise PermissionDenied(
                _("Alleen de tafelleider van deze tafel en de gespreksleiders leggen hier vast.")
            )

    @property
    def can_see_tips(self) -> bool:
        """The golden tips and the plenary: everyone who sees the session, once the meeting
        has started (tips name no client)."""
        return self.is_held

    @property
    def can_merge_tips(self) -> bool:
        """Merging the tables' tips in the plenary: the facilitators, until closed."""
        return self.is_facilitator and self.is_held and not self.is_closed

    # — the listeners' learning: leervragen before, a reflection after (findings.services.learning)

    @property
    def offers_learning(self) -> bool:
        """The listeners' own leervragen and reflection, on their view of the meeting."""
        return self.is_listener

    @property
    def can_write_questions(self) -> bool:
        """Leervragen are written before the meeting."""
        return self.is_listener and self.is_preparing

    @property
    def can_write_reflection(self) -> bool:
        """The reflection is written after the meeting, also after closing."""
        return self.is_listener and self.is_over

    @property
    def can_write_learning(self) -> bool:
        return self.can_write_questions or self.can_write_reflection

    @property
    def offers_learning_questions(self) -> bool:
        """The link to the listeners' view before the meeting, to write leervragen."""
        return self.can_write_questions

    @property
    def can_see_evaluation(self) -> bool:
        """The evaluation: the facilitators and coordinators, once the meeting has started."""
        return self.can_see_contacts

    @property
    def offers_evaluation(self) -> bool:
        """The link to the evaluation, once the meeting has started (links are made then)."""
        return self.can_see_evaluation and self.is_held

    # — the debrief and what follows —

    @property
    def can_see_debrief(self) -> bool:
        """The debrief exists once the meeting has ended; everyone who sees the session reads
        it (the facilitators read, the professionals work on it)."""
        return self.is_over

    @property
    def can_edit_debrief(self) -> bool:
        """Listeners and coordinators, while the session is in its debrief."""
        return self.is_in_debrief and self.is_professional

    @property
    def can_correct_findings(self) -> bool:
        """Correcting a note after the meeting (a typo, a wrong speaker, a name that must go),
        with a revision kept: the facilitators, who wrote the notes, and the professionals
        who work on the debrief; while the session is in its debrief."""
        return self.is_in_debrief and (self.is_facilitator or self.is_professional)

    @property
    def can_conclude_debrief(self) -> bool:
        """Concluding the debrief closes the session: a coordinator's decision."""
        return self.can_edit_debrief and self.is_coordinator

    def can_delete_lesson(self, lesson) -> bool:
        """A lesson is taken back by its author, while the debrief can be edited."""
        return self.can_edit_debrief and lesson.is_written_by(self.user_id)

    @property
    def can_manage_actions(self) -> bool:
        """Listeners and coordinators create and change actions, also after closing."""
        return self.is_over and self.is_professional

    def can_edit_letter(self, letter) -> bool:
        """The feedback letter: written by the professionals until it is made final."""
        return self.can_manage_actions and not letter.is_final

    def letter_refusal(self, letter) -> str:
        if letter.is_final:
            return _("De brief is definitief en kan niet meer worden gewijzigd.")
        return _("Alleen toehoorders en coördinatoren schrijven de brief.")

    # — closing the loop (issue 13) —

    @property
    def can_see_lookback(self) -> bool:
        """The terugblik: what became of the earlier sessions' actions of the same
        organisations and the themes that keep returning. Everyone who sees the session: it
        shows action titles, statuses and the sentences written for clients, never a name or a
        finding."""
        return True

    @property
    def can_add_recap(self) -> bool:
        """The opening item "Wat deden we met wat u vorige keer zei?" is part of the guide:
        the facilitators, until closed."""
        return self.can_edit

    @property
    def can_manage_follow_links(self) -> bool:
        """The clients' personal links to "U zei, wij deden" (and their e-mail choice): those
        who know who the client is and send the letter, the facilitators and coordinators, at
        any time (revoking must work after closing too). Never listeners."""
        return self.can_see_contacts

    # — documents —

    def may_download(self, slug) -> tuple[bool, str]:
        """Whether this user may have the document `slug` now, and if not, why."""
        if slug == "report" and not self.is_over:
            return False, _("Het verslag is er zodra het gesprek is gehouden.")
        # The letter names nobody: those who write it (the professionals) and those who send
        # it (the facilitators, the coordinator) may have it as a PDF, once there is one.
        if slug == "feedback-letter" and not self.is_over:
            return False, _("De brief volgt na het gesprek.")
        return True, ""

    # — refusing —

    def refusal(self, permission: str):
        """The Dutch reason why `permission` is refused now, NOT_FOUND for a 404, or None."""
        if getattr(self, f"can_{permission}"):
            return None
        return REFUSALS[permission](self)

    def require(self, *permissions: str) -> None:
        """Raise 403 with the reason (or 404) unless every permission is granted."""
        for permission in permissions:
            reason = self.refusal(permission)
            if reason is NOT_FOUND:
                raise Http404
            if reason is not None:
                raise PermissionDenied(reason)


def _edit_refusal(access):
    if access.is_facilitator:
        return _("Dit gesprek is afgesloten en kan niet meer worden gewijzigd.")
    return _("Alleen de gespreksleider kan dit wijzigen.")


def _debrief_refusal(access):
    if not access.can_see_debrief:
        return NOT_FOUND
    if access.is_closed:
        return _("Het nagesprek is afgerond en kan niet meer worden gewijzigd.")
    return _("Alleen toehoorders en coördinatoren werken aan het nagesprek.")


def _conclude_refusal(access):
    reason = _debrief_refusal(access)
    if access.can_edit_debrief:
        return _("Alleen een coördinator rondt het nagesprek af.")
    return reason


def _live_refusal(access):
    if not access.is_facilitator:
        return _("Alleen de gespreksleiders gebruiken de gesprekspagina.")
    return _edit_refusal(access)


REFUSALS = {
    "edit": _edit_refusal,
    "invite": _edit_refusal,
    "see_contacts": lambda access: _(
        "Toehoorders zien geen namen of contactgegevens van cliënten."
    ),
    "exercise_rights": lambda access: _(
        "Verzoeken van cliënten (intrekken, wissen, inzage) handelen de gespreksleider en de "
        "coördinator af."
    ),
    "run_live": _live_refusal,
    "change_live": _edit_refusal,
    "see_evaluation": lambda access: _(
        "Alleen de gespreksleider en de coördinator zien de evaluatie van dit gesprek."
    ),
    "write_jotting": lambda access: _(
        "Aantekeningen maakt u tijdens het gesprek en het nagesprek."
    ),
    "write_learning": lambda access: (
        _("Leervragen en reflecties schrijven de toehoorders van dit gesprek.")
        if not access.is_listener
        else _("Leervragen schrijft u vóór het gesprek, uw reflectie erna.")
    ),
    "see_debrief": lambda access: NOT_FOUND,
    "edit_debrief": _debrief_refusal,
    "conclude_debrief": _conclude_refusal,
    "correct_findings": _debrief_refusal,
    "manage_actions": _debrief_refusal,
    "see_lookback": lambda access: NOT_FOUND,
    "add_recap": _edit_refusal,
    "prepare_tables": _edit_refusal,
    "see_tips": lambda access: NOT_FOUND,
    "merge_tips": lambda access: (
        NOT_FOUND
        if not access.is_held
        else _edit_refusal(access)
        if access.is_closed
        else _("Alleen de gespreksleiders voegen tips samen.")
    ),
    "manage_follow_links": lambda access: _(
        "Alleen de gespreksleider en de coördinator geven cliënten een persoonlijke volglink."
    ),
}


def may_create_sessions(user) -> bool:
    """Facilitators and coordinators create sessions for their organisations."""
    return bool(_MAY_CREATE.rows(user)) if user.is_authenticated else False


# Asked on the dashboard and the session list: compiled once (spiegel.compiled).
_MAY_CREATE = UserQuery(
    lambda user: Membership.objects.filter(
        user=user, role__in=[Role.FACILITATOR, Role.COORDINATOR]
    ).values_list("pk")[:1]
)


def require_may_create_sessions(user) -> None:
    if not may_create_sessions(user):
        raise PermissionDenied(_("Alleen gespreksleiders en coördinatoren maken gesprekken aan."))


def insight_organisations(user):
    """The organisations whose insights `user` sees: those they coordinate."""
    return Organisation.objects.coordinated_by(user)


def may_see_insights(user) -> bool:
    """The insights across sessions: the coordinators."""
    return bool(_MAY_SEE_INSIGHTS.rows(user)) if user.is_authenticated else False


# Asked on every action list: compiled once (spiegel.compiled).
_MAY_SEE_INSIGHTS = UserQuery(lambda user: insight_organisations(user).values_list("pk")[:1])


# A network coordinator is a coordinator of a regional network organisation (Role.COORDINATOR
# on an Organisation of kind NETWORK): they compare the network's partners side by side in
# counts only (sessions, findings, actions per status, themes); no session, finding text or
# person of a partner is shown, so coordinating the network is enough (issue 11).


def networks_among(organisations) -> list:
    """The regional networks among `organisations` (those from insight_organisations): the
    insights page offers their network view, without another query."""
    return [o for o in organisations if o.kind == OrganisationKind.NETWORK]


def network_insight_networks(user):
    """The networks whose partners `user` may compare: the networks they coordinate."""
    return insight_organisations(user).filter(kind=OrganisationKind.NETWORK)


def require_network_insights(user) -> list:
    """The networks `user` coordinates (by name), or 403 with the reason."""
    networks = list(network_insight_networks(user).order_by("name"))
    if not networks:
        raise PermissionDenied(
            _(
                "Het netwerkoverzicht is er voor coördinatoren van een regionaal netwerk: zij "
                "vergelijken de organisaties van hun netwerk naast elkaar."
            )
        )
    return networks


# — the access log —

# Who reads an organisation's access log (DESIGN.md §7): its coordinators. The beheerder role
# joins them by adding it here, and nowhere else.
ACCESS_LOG_ROLES = (Role.COORDINATOR, Role.ADMIN)  # issue 10: coordinators and beheerders


def access_log_organisations(user):
    """The organisations whose access log `user` may read."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Exists(
            Membership.objects.filter(
                organisation=OuterRef("pk"), user=user, role__in=ACCESS_LOG_ROLES
            )
        )
    )


def require_may_read_access_log(user):
    """The organisations whose log `user` reads; 403 with the reason when there are none."""
    organisations = list(access_log_organisations(user))
    if not organisations:
        raise PermissionDenied(_("Alleen coördinatoren lezen het toegangslog van hun organisatie."))
    return organisations


def may_open_session(user, pk) -> bool:
    """Whether `user` sees the session `pk` at all (a link to it is worth showing)."""
    return Session.objects.for_user(user).filter(pk=pk).exists()


# — loading sessions with their access —


def sessions_for(user):
    """Every session `user` may see, annotated for `access_of` / `with_access`: the same
    sessions as `Session.objects.for_user`, each role condition compiled once per process
    (`ROLES`), read out as an annotation and filtered on by its name."""
    if not user.is_authenticated:
        return Session.objects.none()
    roles = ROLES.for_user(user)
    return Session.objects.annotate(**roles).filter(
        may_see(user, [Q(**{name: True}) for name in roles])
    )


def sessions_listed_for(user):
    """`sessions_for(user)` for a list that pages through them (the session list, the
    dashboard): the same sessions, annotated the same way. For a user involved in few
    sessions (`sessions.models.FEW_INVOLVEMENTS`) they are looked up by id first (one query):
    walking the date index past the role conditions, PostgreSQL read the whole
    installation's sessions to find a page of theirs, all 10,000 for a user in three."""
    return listed_sessions(user)[0]


def listed_sessions(user) -> tuple:
    """`sessions_listed_for(user)`, and whether that is `sessions_for(user)` itself (the user
    is involved in many sessions): then a list's query is the same for every such user but
    for their id, and may be compiled once (`spiegel.compiled.Prepared`)."""
    if not user.is_authenticated:
        return Session.objects.none(), False
    ids = involved_session_ids(user)
    if ids is None:
        return sessions_for(user), True
    return annotate_access(Session.objects.filter(pk__in=ids), user), False


def annotate_access(queryset, user):
    return queryset.annotate(**ROLES.for_user(user))


# The annotations of annotate_access(), as access_of and access_of_row read them.
ROLE_ANNOTATIONS = ("user_is_listener", "user_is_coordinator", "user_is_table_host")


def access_of(session, user) -> SessionAccess:
    """Roles of `user` for a session loaded through annotate_access()."""
    return _access(user, lambda name: getattr(session, name))


def access_of_row(row, user) -> SessionAccess:
    """access_of for a row of values() of an annotate_access() queryset, with the session's
    pk, status, facilitator_id, co_facilitator_id and ROLE_ANNOTATIONS."""
    return _access(user, row.__getitem__)


def _access(user, value) -> SessionAccess:
    """The access of `user` to a session whose columns and role annotations `value(name)`
    reads (from the object or from the row)."""
    return SessionAccess(
        is_facilitator=Session.led_by(user, value("facilitator_id"), value("co_facilitator_id")),
        is_listener=value("user_is_listener"),
        is_coordinator=value("user_is_coordinator"),
        is_table_host=value("user_is_table_host"),
        status=value("status"),
        user_id=user.pk,
        session_id=value("pk"),
    )


def with_access(sessions, user):
    """Evaluate an annotate_access() queryset and attach `.access` to each session."""
    sessions = list(sessions)
    for session in sessions:
        session.access = access_of(session, user)
    return sessions


def _session_query(queryset, pk, people, related):
    # No order: one row by its key, and ordering made Django hash every column it selects.
    queryset = queryset.filter(pk=pk).order_by()
    if people:
        queryset = queryset.select_related("facilitator", "co_facilitator")
    return queryset.select_related(*related) if related else queryset


@cache
def _prepared_session(people, related) -> Prepared:
    """get_session_for's query (not for update) for each way it is asked, compiled once."""
    return Prepared(
        lambda pk, user: _session_query(
            annotate_access(Session.objects, User(pk=user)), pk, people, related
        ),
        "pk",
        "user",
    )


def get_session_for(user, pk, *permissions, for_update=False, people=True, related=()) -> Session:
    """The session `pk` with `session.access` set, if `user` may see it (else 404) and has
    every one of `permissions` (else 403 with the reason, or 404; see SessionAccess.require).

    One query: the session by its key with the user's roles in it. Whether the user may see
    it follows from those roles (`SessionAccess.may_see`, the rule of `Session.objects.for_user`),
    so the query does not repeat the role subqueries in its WHERE clause: building and
    compiling them twice was half the cost of storing a note. The whole query is compiled
    once per process for each way it is asked (`_prepared_session`, spiegel.compiled.Prepared;
    ~1.4 ms of Python per request). Only a row about to be locked
    is filtered by `for_user` in the database, so an outsider never holds a lock on it.
    `people=False` skips loading the facilitators, for the views that never show them;
    `related` names more to load with it (`select_related`), for a page that shows it. The
    organisation's look is not loaded here: `Session.look` asks for it when base.html shows
    it, so the answers that are not a page (a poll, a stored note) never pay for it.
    """
    if not user.is_authenticated:
        raise Http404
    if for_update:
        # A row about to be locked is filtered by the roles in the database (sessions_for
        # builds them once for the filter and the annotations).
        queryset = _session_query(sessions_for(user), pk, people, related)
        session = next(iter(queryset.select_for_update(of=("self",))), None)
    else:
        rows = _prepared_session(people, related).rows(pk=int(pk), user=user.pk)
        session = rows[0] if rows else None
    if session is None:
        raise Http404
    session.access = access_of(session, user)
    if not session.access.may_see:
        raise Http404
    session.access.require(*permissions)
    return session
