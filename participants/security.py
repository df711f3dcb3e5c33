"""Who must sign in with a second factor: the one rule (DESIGN.md §7).

Everyone who can see client real names and contact details needs TOTP: the facilitators, the
coordinators and the platform's staff. Professionals may add it, but need not. A role whose
holders see contact details is added to MFA_ROLES, and nowhere else.
"""

from django.conf import settings

from participants.constants import Role

# Roles whose holders see client contact details (sessions.access: can_see_contacts).
MFA_ROLES = frozenset({Role.FACILITATOR, Role.COORDINATOR, Role.ADMIN})


def requires_mfa(user) -> bool:
    """True when `user` must have a second factor: staff, a member with one of MFA_ROLES, or
    the (co-)facilitator of any session, whatever their role in their organisation."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return (
        user.memberships.filter(role__in=MFA_ROLES).exists()
        or user.facilitated_sessions.exists()
        or user.co_facilitated_sessions.exists()
    )


def has_mfa(user) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user)


def lacks_required_mfa(user) -> bool:
    """True when the requirement is on (SPIEGEL_REQUIRE_MFA), `user` needs a second factor
    and has none yet: until they set one up they can do nothing else
    (participants.middleware.RequireMFAMiddleware)."""
    if not settings.SPIEGEL_REQUIRE_MFA or not requires_mfa(user):
        return False
    return not has_mfa(user)
