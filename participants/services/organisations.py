"""Organisations run themselves (issue 10): creating them, inviting members, their roles.

Keyword-only, atomic workflows raising Dutch ValidationErrors. History is never deleted: a
role that ends is a deleted Membership row (so every access filter stays a plain join) with a
RoleChange saying who ended it and when; a person with no membership left is deactivated,
never deleted, so everything they did keeps its author. A deactivated account is refused by
the authentication backend on its very next request, so access ends at once.

Invitation links are signed (django.core.signing, salted) and carry the invitation's key: they
expire after INVITATION_DAYS and work once (accepting sets `accepted_at`, under a row lock).
"""

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.constants import INVITATION_DAYS, Role, RoleChangeKind
from participants.models import Invitation, Membership, Organisation, RoleChange, User

TOKEN_SALT = "participants.invitation"


# — the link —


def invitation_token(invitation) -> str:
    return signing.dumps({"i": invitation.pk}, salt=TOKEN_SALT, compress=True)


def invitation_url(invitation) -> str:
    return settings.SITE_URL + reverse("invitation_accept", args=[invitation_token(invitation)])


def invitation_for_token(token) -> Invitation:
    """The pending invitation behind `token`, or a ValidationError saying why not."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=INVITATION_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise ValidationError(
            _("Deze uitnodiging is verlopen. Vraag de beheerder om een nieuwe uitnodiging.")
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("Deze link is ongeldig.")) from None
    pk = payload.get("i") if isinstance(payload, dict) else None
    invitation = (
        Invitation.objects.select_related("organisation").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if invitation is None:
        raise ValidationError(_("Deze link is ongeldig."))
    if invitation.accepted_at:
        raise ValidationError(
            _("Deze uitnodiging is al gebruikt. U kunt inloggen met uw gebruikersnaam.")
        )
    if invitation.withdrawn_at:
        raise ValidationError(_("Deze uitnodiging is ingetrokken."))
    return invitation


# — the mails —


def _send(*, to, subject, template, context):
    text = render_to_string(f"participants/email/{template}.txt", context)
    # A header is one line: an organisation's name may not break it.
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[to])
    with mailers.default as connection:
        connection.send_messages([message])


def send_invitation_mail(invitation):
    _send(
        to=invitation.email,
        subject=_("Uitnodiging voor Spiegel: %(organisation)s")
        % {"organisation": invitation.organisation.name},
        template="invitation",
        context={
            "invitation": invitation,
            "url": invitation_url(invitation),
            "days": INVITATION_DAYS,
            "inviter": str(invitation.invited_by) if invitation.invited_by else "",
        },
    )


def send_added_mail(*, user, organisation, role):
    _send(
        to=user.email,
        subject=_("U bent toegevoegd aan %(organisation)s in Spiegel")
        % {"organisation": organisation.name},
        template="added",
        context={
            "user": user,
            "organisation": organisation,
            "role": Role(role).label,
            "url": settings.SITE_URL + reverse("account_login"),
        },
    )


# — creating organisations —


@transaction.atomic
def create_organisation(
    *, by, first_admin_email, first_admin_first_name="", first_admin_last_name="", **fields
):
    """A new organisation (or network) and the invitation of its first beheerder."""
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    invitation = invite(
        organisation=organisation,
        by=by,
        email=first_admin_email,
        role=Role.ADMIN,
        first_name=first_admin_first_name,
        last_name=first_admin_last_name,
    )
    return organisation, invitation


# — members —


def _log(user, organisation, kind, by, role=""):
    RoleChange.objects.create(user=user, organisation=organisation, role=role, kind=kind, by=by)


def _account_for(email):
    """The one account with this address, None, or a refusal when several share it."""
    accounts = list(User.objects.filter(email__iexact=email)[:2])
    if len(accounts) > 1:
        raise ValidationError(
            _("Meerdere accounts hebben dit e-mailadres; vraag de platformbeheerder om hulp.")
        )
    return accounts[0] if accounts else None


@transaction.atomic
def invite(*, organisation, by, email, role, first_name="", last_name=""):
    """Invite `email` to `organisation` in `role`.

    Returns the Invitation to mail, or the new Membership when the address belongs to an
    active account: that person gets the role at once (and a mail saying so), no new password.
    Refuses someone who is already a member.
    """
    # Lower case throughout: the address becomes the username, and usernames are matched
    # exactly at login.
    email = email.strip().lower()
    Role(role)  # a role we know, or ValueError
    account = _account_for(email)
    if account and Membership.objects.filter(user=account, organisation=organisation).exists():
        raise ValidationError(
            _("%(email)s is al lid van %(organisation)s; wijzig de rol in de ledenlijst.")
            % {"email": email, "organisation": organisation.name}
        )
    if account and account.is_active:
        membership = Membership.objects.create(user=account, organisation=organisation, role=role)
        _log(account, organisation, RoleChangeKind.GRANTED, by, role)
        return membership
    # A new invitation replaces one still pending for the same person.
    organisation.invitations.pending().filter(email__iexact=email).update(
        withdrawn_at=timezone.now()
    )
    return Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        first_name=first_name,
        last_name=last_name,
        invited_by=by,
    )


@transaction.atomic
def withdraw_invitation(*, invitation):
    if not invitation.is_pending:
        raise ValidationError(_("Deze uitnodiging is al gebruikt of ingetrokken."))
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])


def validate_new_password(password, *, invitation, first_name, last_name):
    """Django's password validators, against the account the invitation will become."""
    probe = User(
        username=invitation.email,
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
    )
    password_validation.validate_password(password, probe)


def _free_username(email) -> str:
    base = email.lower()[:150]
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base[:140]}-{n}"
    return username


def active_account_for(invitation):
    """The active account the invited address already has (made since the invitation went
    out, through another organisation's invitation), or None."""
    account = _account_for(invitation.email)
    return account if account is not None and account.is_active else None


@transaction.atomic
def accept_invitation(*, token, password=None, first_name="", last_name="") -> User:
    """Activate the invitation behind `token`: the account (new, or a deactivated one revived)
    gets its name, its password and the role; an address that has an active account by now
    just gets the role (its password stays). Works once, also when clicked twice at once."""
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("Deze uitnodiging is al gebruikt of ingetrokken."))
    account = active_account_for(invitation)
    if account is None:
        if not password:
            raise ValidationError(_("Kies een wachtwoord."))
        validate_new_password(
            password, invitation=invitation, first_name=first_name, last_name=last_name
        )
        account = _account_for(invitation.email) or User(
            username=_free_username(invitation.email), email=invitation.email
        )
        account.first_name, account.last_name = first_name, last_name
        account.set_password(password)
        account.is_active = True
        account.save()
    Membership.objects.get_or_create(
        user=account, organisation=invitation.organisation, role=invitation.role
    )
    _log(
        account,
        invitation.organisation,
        RoleChangeKind.GRANTED,
        invitation.invited_by,
        invitation.role,
    )
    invitation.accepted_at, invitation.user = timezone.now(), account
    invitation.save(update_fields=["accepted_at", "user"])
    return account


def _refuse_losing_last_admin(organisation, user, keeps_admin):
    if keeps_admin:
        return
    is_admin = Membership.objects.filter(
        organisation=organisation, user=user, role=Role.ADMIN
    ).exists()
    others = (
        Membership.objects.filter(organisation=organisation, role=Role.ADMIN, user__is_active=True)
        .exclude(user=user)
        .exists()
    )
    if is_admin and not others:
        raise ValidationError(
            _(
                "%(name)s is de laatste beheerder van %(organisation)s. Maak eerst iemand anders "
                "beheerder."
            )
            % {"name": user, "organisation": organisation.name}
        )


@transaction.atomic
def set_roles(*, organisation, user, roles, by):
    """Give `user` exactly `roles` in `organisation`; no roles ends the membership."""
    roles = {Role(role) for role in roles}
    # Lock the organisation: two beheerders each removing the other cannot both succeed.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    current = set(
        Membership.objects.filter(organisation=organisation, user=user).values_list(
            "role", flat=True
        )
    )
    if not current:
        raise ValidationError(_("Deze persoon is geen lid van deze organisatie."))
    _refuse_losing_last_admin(organisation, user, Role.ADMIN in roles)
    for role in sorted(current - roles):
        Membership.objects.filter(organisation=organisation, user=user, role=role).delete()
        _log(user, organisation, RoleChangeKind.ENDED, by, role)
    for role in sorted(roles - current):
        Membership.objects.create(organisation=organisation, user=user, role=role)
        _log(user, organisation, RoleChangeKind.GRANTED, by, role)
    if not roles and not user.memberships.exists() and user.is_active and not user.is_staff:
        user.is_active = False
        user.save(update_fields=["is_active"])
        _log(user, organisation, RoleChangeKind.DEACTIVATED, by)
    return roles


def remove_member(*, organisation, user, by):
    """End every role of `user` in `organisation` (and their account if none is left)."""
    return set_roles(organisation=organisation, user=user, roles=(), by=by)
