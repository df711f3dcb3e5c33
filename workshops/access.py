"""Who may do what with a role-play workshop: the one access policy of this app.

In the style of sessions/access.py: `get_workshop_for(user, pk, *permissions)` loads a
workshop the user runs (404 for everyone else, never a hint that it exists) with a
`WorkshopAccess` on `workshop.access`; views and templates ask its properties, and
`require(...)` refuses with the Dutch reason (403).

A workshop is run by its own facilitator and by the facilitators and coordinators of its
organisation. The participants have no account: their personal link is their key
(views/participant.py), and they see only their own role's briefing.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from participants.models import Membership, Organisation
from spiegel.forms import MAX_PK

from .constants import WorkshopStatus
from .models import STAFF_ROLES, Workshop


@dataclass(frozen=True)
class WorkshopAccess:
    """What one staff member may do with one workshop now."""

    may_see: bool
    status: str
    is_first_round: bool = False
    is_last_round: bool = False

    @property
    def is_preparing(self) -> bool:
        return self.status == WorkshopStatus.PREPARING

    @property
    def is_running(self) -> bool:
        return self.status == WorkshopStatus.RUNNING

    @property
    def is_closed(self) -> bool:
        return self.status == WorkshopStatus.CLOSED

    @property
    def can_edit(self) -> bool:
        """Roles, cases, rounds and links: until the workshop is closed."""
        return self.may_see and not self.is_closed

    @property
    def can_run(self) -> bool:
        return self.can_edit

    @property
    def offers_start(self) -> bool:
        return self.can_run and self.is_preparing

    @property
    def offers_next(self) -> bool:
        return self.can_run and self.is_running and not self.is_last_round

    @property
    def offers_previous(self) -> bool:
        return self.can_run and self.is_running and not self.is_first_round

    @property
    def offers_close(self) -> bool:
        return self.can_run and self.is_running

    @property
    def can_see_summary(self) -> bool:
        return self.may_see

    def refusal(self, permission: str):
        if getattr(self, f"can_{permission}"):
            return None
        if self.is_closed:
            return _("Deze workshop is afgesloten. U kunt hem alleen nog lezen.")
        return _("Dit kan nu niet.")

    def require(self, *permissions: str) -> None:
        for permission in permissions:
            reason = self.refusal(permission)
            if reason is not None:
                raise PermissionDenied(reason)


def access_to(workshop, *, may_see=True) -> WorkshopAccess:
    rounds = list(workshop.rounds.values_list("pk", flat=True))
    current = workshop.current_round_id
    return WorkshopAccess(
        may_see=may_see,
        status=workshop.status,
        is_first_round=bool(rounds) and current == rounds[0],
        is_last_round=bool(rounds) and current == rounds[-1],
    )


def get_workshop_for(user, pk, *permissions) -> Workshop:
    """The workshop with its policy on `.access`; 404 unless the user runs it."""
    if not 0 < pk <= MAX_PK:
        raise Http404
    workshop = (
        Workshop.objects.managed_by(user)
        .select_related("organisation", "facilitator", "current_round")
        .filter(pk=pk)
        .first()
    )
    if workshop is None:
        raise Http404
    workshop.access = access_to(workshop)
    workshop.access.require(*permissions)
    return workshop


def organisations_for_new_workshop(user):
    """The organisations in which the user may start a workshop."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=STAFF_ROLES).values("organisation")
    ).order_by("name")


def require_may_create(user) -> None:
    if not organisations_for_new_workshop(user).exists():
        raise PermissionDenied(
            _("Alleen gespreksleiders en coördinatoren van een organisatie maken workshops.")
        )
