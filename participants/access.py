"""Who may run an organisation: the one access policy for organisations (issue 10).

In the style of sessions/access.py: `get_organisation_for(user, pk, *permissions)` loads an
organisation the user may see (404 otherwise) with an `OrganisationAccess` on
`organisation.access`; views and templates ask its `can_*` properties, and `require(...)`
refuses with the Dutch reason (403) to members who know the organisation exists.

- A **beheerder** (Role.ADMIN membership) runs their organisation: members and their roles,
  invitations, the rule set, the question library and the retention period. A beheerder of a
  network organisation runs the network (its members and its library, which the partners
  share) and, like every beheerder of a partner, sees the network's partner organisations.
- A **platform beheerder** (`is_staff`) creates organisations and networks with their first
  beheerder, and may act as beheerder of any organisation (for when one has none left).
- Members who are not beheerder get 403 with the reason; everyone else 404.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from participants.constants import Role
from participants.models import Membership, Organisation
from spiegel.forms import MAX_PK

# The Django session remembers whether its user runs an organisation, for the navigation
# link only (every page would otherwise pay a query for it); the pages ask the database.
NAV_SESSION_KEY = "spiegel_administers"


@dataclass(frozen=True)
class OrganisationAccess:
    """What one user may do with one organisation now."""

    is_admin: bool
    is_member: bool
    is_platform_admin: bool

    @property
    def may_see(self) -> bool:
        return self.is_admin or self.is_member or self.is_platform_admin

    @property
    def can_manage(self) -> bool:
        """Members and roles, invitations, rules, library, retention: its beheerders and the
        platform beheerders."""
        return self.is_admin or self.is_platform_admin

    @property
    def can_manage_members(self) -> bool:
        return self.can_manage

    @property
    def can_manage_rules(self) -> bool:
        return self.can_manage

    @property
    def can_manage_library(self) -> bool:
        return self.can_manage

    @property
    def can_change_settings(self) -> bool:
        return self.can_manage

    def refusal(self, permission: str):
        if getattr(self, f"can_{permission}"):
            return None
        return _("Alleen de beheerders van deze organisatie kunnen dit.")

    def require(self, *permissions: str) -> None:
        for permission in permissions:
            reason = self.refusal(permission)
            if reason is not None:
                raise PermissionDenied(reason)


def access_to(organisation, user) -> OrganisationAccess:
    roles = set(
        Membership.objects.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
    )
    return OrganisationAccess(
        is_admin=Role.ADMIN in roles,
        is_member=bool(roles),
        is_platform_admin=user.is_staff and user.is_active,
    )


def get_organisation_for(user, pk, *permissions, for_update=False) -> Organisation:
    """The organisation `pk` with `organisation.access`, if `user` may see it (else 404) and
    has every one of `permissions` (else 403 with the reason)."""
    if not user.is_authenticated or not 0 < pk <= MAX_PK:
        raise Http404
    queryset = Organisation.objects.select_related("network")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    organisation = queryset.filter(pk=pk).first()
    if organisation is None:
        raise Http404
    organisation.access = access_to(organisation, user)
    if not organisation.access.may_see:
        raise Http404
    organisation.access.require(*permissions)
    return organisation


# — pages that name no organisation —


def may_create_organisations(user) -> bool:
    """Organisations and networks are created by the platform beheerders."""
    return user.is_authenticated and user.is_staff and user.is_active


def require_may_create_organisations(user) -> None:
    if not may_create_organisations(user):
        raise PermissionDenied(_("Alleen platformbeheerders maken organisaties en netwerken aan."))


def administered_organisations(user):
    """The organisations `user` runs: as their beheerder, or all of them as platform beheerder."""
    return Organisation.objects.administered_by(user)


def administers_any(user) -> bool:
    return may_create_organisations(user) or administered_organisations(user).exists()


def require_administers_any(request) -> None:
    """The page of organisations, for whoever runs one; the navigation's flag follows."""
    flag = administers_any(request.user)
    if request.session.get(NAV_SESSION_KEY) != flag:
        request.session[NAV_SESSION_KEY] = flag
    if not flag:
        raise PermissionDenied(_("Alleen beheerders van een organisatie zien deze pagina."))


def may_save_to_library(user, organisations) -> list:
    """The organisations among `organisations` whose library `user` may add a question to."""
    return list(administered_organisations(user).filter(pk__in=[o.pk for o in organisations]))


# — the navigation link —


def remember_administration(sender, request, user, **kwargs):
    """On login (user_logged_in): whether the navigation shows the beheer link."""
    if request is not None and hasattr(request, "session"):
        request.session[NAV_SESSION_KEY] = administers_any(user)


def offers_administration(request) -> bool:
    """The beheer link in the navigation, from the flag remembered at login (refreshed by the
    beheer pages); the pages themselves always ask the database."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    session = getattr(request, "session", None)
    if session is None:  # a request built without the middleware (a PDF, a test)
        return False
    flag = session.get(NAV_SESSION_KEY)
    if flag is None:  # logged in before this flag existed: asked once, then remembered
        flag = session[NAV_SESSION_KEY] = administers_any(user)
    return flag


def remember_administration_on(request, organisation) -> None:
    """A beheer page was opened: if its user runs the organisation, the navigation shows the
    link from now on (also for someone made beheerder after logging in)."""
    if organisation.access.can_manage and request.session.get(NAV_SESSION_KEY) is not True:
        request.session[NAV_SESSION_KEY] = True
