"""Object-level access to sessions: one helper, used by every view that touches a session.

DESIGN.md §6 in code. A user who may not see a session gets 404, never a hint that it exists.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from participants.constants import Role
from participants.models import Listener, Membership
from sessions.constants import Status
from sessions.models import Session


@dataclass(frozen=True)
class SessionAccess:
    is_facilitator: bool
    is_listener: bool
    is_coordinator: bool
    status: str

    @property
    def can_edit(self) -> bool:
        """Session, panel, listeners, guide and rules: the facilitators, until closed."""
        return self.is_facilitator and self.status != Status.CLOSED

    @property
    def can_see_contacts(self) -> bool:
        """Client real names and contact details: never listeners."""
        return self.is_facilitator or self.is_coordinator

    @property
    def role_label(self) -> str:
        if self.is_facilitator:
            return _("gespreksleider")
        if self.is_coordinator:
            return _("coördinator")
        return _("toehoorder")


def annotate_access(queryset, user):
    return queryset.annotate(
        user_is_listener=Exists(Listener.objects.filter(session=OuterRef("pk"), user=user)),
        user_is_coordinator=Exists(
            Membership.objects.filter(
                user=user, role=Role.COORDINATOR, organisation__sessions=OuterRef("pk")
            )
        ),
    )


def access_of(session, user) -> SessionAccess:
    """Roles of `user` for a session loaded through annotate_access()."""
    return SessionAccess(
        is_facilitator=session.is_facilitator(user),
        is_listener=session.user_is_listener,
        is_coordinator=session.user_is_coordinator,
        status=session.status,
    )


def with_access(sessions, user):
    """Evaluate an annotate_access() queryset and attach `.access` to each session."""
    sessions = list(sessions)
    for session in sessions:
        session.access = access_of(session, user)
    return sessions


def get_session_for(user, pk, *, can_edit=False, contacts=False, for_update=False) -> Session:
    """The session `pk` if `user` may see it, with `session.access` set; else 404.

    can_edit: only the facilitators of a session that is not closed.
    contacts: only those who may see client real names (facilitators and coordinators).
    """
    queryset = annotate_access(Session.objects.for_user(user), user).select_related(
        "facilitator", "co_facilitator"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    try:
        session = queryset.get(pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None
    session.access = access_of(session, user)
    # Those who may read the session learn it exists anyway, so a 403 tells them no more
    # than they know; it says why instead of pretending the page is gone.
    if can_edit and not session.access.can_edit:
        if session.access.is_facilitator:
            raise PermissionDenied(
                _("Dit gesprek is afgesloten en kan niet meer worden gewijzigd.")
            )
        raise PermissionDenied(_("Alleen de gespreksleider kan dit wijzigen."))
    if contacts and not session.access.can_see_contacts:
        raise PermissionDenied(_("Toehoorders zien geen namen of contactgegevens van cliënten."))
    return session
