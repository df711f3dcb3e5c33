"""Who may see and change the debrief and improvement actions (DESIGN.md §6).

Debrief and actions are the professionals' work: listeners of the session and coordinators
of its organisations edit them; the facilitator reads; owners and co-owners of an action may
always see and update their own action, even when they did not listen in. Everyone else: 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from findings.models import ImprovementAction
from participants.constants import Role
from participants.models import Listener, Membership
from sessions.access import get_session_for
from sessions.constants import Status

DEBRIEF_STATUSES = (Status.DEBRIEF, Status.CLOSED)


def can_edit_debrief(session) -> bool:
    """Listeners and coordinators, while the session is in its debrief."""
    access = session.access
    return session.status == Status.DEBRIEF and (access.is_listener or access.is_coordinator)


def can_manage_actions(session) -> bool:
    """Listeners and coordinators create and change actions, also after closing."""
    access = session.access
    return session.status in DEBRIEF_STATUSES and (access.is_listener or access.is_coordinator)


def get_debrief_session_for(user, pk, *, can_edit=False):
    """The session whose debrief `user` may see: its facilitators, listeners, coordinators.

    Before the meeting has ended there is no debrief to see; readers who try to change it get
    a 403 with the reason, outsiders a 404.
    """
    session = get_session_for(user, pk)
    if session.status not in DEBRIEF_STATUSES:
        raise Http404
    if can_edit and not can_edit_debrief(session):
        if session.status == Status.CLOSED:
            raise PermissionDenied(
                _("Het nagesprek is afgerond en kan niet meer worden gewijzigd.")
            )
        raise PermissionDenied(_("Alleen toehoorders en coördinatoren werken aan het nagesprek."))
    return session


def _may_edit(user):
    """The condition for changing an action: owner, co-owner, listener or coordinator."""
    session = OuterRef("session")
    return (
        Q(owner=user)
        | Exists(Listener.objects.filter(session=session, user=user))
        | Exists(
            Membership.objects.filter(
                user=user, role=Role.COORDINATOR, organisation__sessions=session
            )
        )
        | Exists(
            ImprovementAction.co_owners.through.objects.filter(
                improvementaction=OuterRef("pk"), user=user
            )
        )
    )


def actions_for(user):
    """Every improvement action `user` may see: those they may change, plus the facilitator's."""
    if not user.is_authenticated:
        return ImprovementAction.objects.none()
    return ImprovementAction.objects.filter(
        _may_edit(user) | Q(session__facilitator=user) | Q(session__co_facilitator=user)
    )


def editable_actions_for(user):
    """Actions `user` may change: as owner or co-owner, or as listener or coordinator."""
    return ImprovementAction.objects.filter(_may_edit(user))


def get_action_for(user, pk, *, can_edit=False) -> ImprovementAction:
    """The action `pk` if `user` may see it (404 otherwise); `action.can_edit` is set."""
    action = (
        actions_for(user)
        .select_related("session", "owner")
        .annotate(user_may_edit=Exists(editable_actions_for(user).filter(pk=OuterRef("pk"))))
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404
    action.can_edit = action.user_may_edit
    if can_edit and not action.can_edit:
        raise PermissionDenied(_("Alleen eigenaren, toehoorders en coördinatoren wijzigen acties."))
    return action
