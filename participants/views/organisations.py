"""Organisations run themselves (issue 10): the beheerders' pages and the activation link.

Thin views: participants.access decides who may, participants.services.organisations does
the work, the mails go out through participants.tasks.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participants import access
from participants.constants import INVITATION_DAYS, ROLE_HELP, OrganisationKind, Role
from participants.forms import (
    ActivationForm,
    InviteForm,
    LookForm,
    OrganisationCreateForm,
    RetentionForm,
    RolesForm,
)
from participants.models import Invitation, Membership, User
from participants.services import organisations as services
from participants.tasks import send_added_task, send_invitation_task

# The latest role changes shown under the members (the whole history is in RoleChange).
HISTORY_ROWS = 20


def _mail(result):
    """Hand the mail of an invitation (or of a role given to an existing account) to the
    workers."""
    language = translation.get_language()
    if isinstance(result, Invitation):
        send_invitation_task.enqueue(result.pk, language)
    elif isinstance(result, Membership):
        send_added_task.enqueue(result.pk, language)


def organisation_list(request):
    access.require_administers_any(request)
    organisations = access.administered_organisations(request.user).select_related("network")
    return render(
        request,
        "participants/organisation_list.html",
        {
            "organisations": organisations,
            "may_create": access.may_create_organisations(request.user),
        },
    )


def organisation_create(request):
    access.require_may_create_organisations(request.user)
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation, result = services.create_organisation(
                by=request.user,
                name=data["name"],
                kind=data["kind"],
                network=data["network"],
                retention_days=data["retention_days"],
                first_admin_email=data["first_admin_email"],
                first_admin_first_name=data["first_admin_first_name"],
                first_admin_last_name=data["first_admin_last_name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _mail(result)
            messages.success(
                request,
                _("%(organisation)s is aangemaakt en %(email)s is uitgenodigd als beheerder.")
                % {"organisation": organisation.name, "email": data["first_admin_email"]},
            )
            return redirect("organisation_detail", organisation.pk)
    return render(request, "participants/organisation_create.html", {"form": form})


def _members(organisation):
    """The people of the organisation with their roles, one row each."""
    people = (
        User.objects.filter(memberships__organisation=organisation)
        .distinct()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(organisation=organisation),
                to_attr="roles_here",
            )
        )
        .order_by("first_name", "last_name", "username")
    )
    for person in people:
        person.role_values = [m.role for m in person.roles_here]
        person.role_labels = [m.get_role_display() for m in person.roles_here]
        person.roles_form = RolesForm(initial={"roles": person.role_values}, prefix=f"m{person.pk}")
        yield person


def _partners(organisation):
    """The network's organisations (for a network: its partners)."""
    network = (
        organisation if organisation.kind == OrganisationKind.NETWORK else organisation.network
    )
    if network is None:
        return None, []
    return network, list(network.partners.order_by("name"))


def organisation_detail(request, pk):
    organisation = get_organisation(request, pk, "manage_members")
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.invite(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            _mail(result)
            if isinstance(result, Invitation):
                text = _("%(email)s is uitgenodigd; de link in de e-mail werkt %(days)s dagen.")
            else:
                text = _("%(email)s had al een account en kan nu meewerken; er gaat een e-mail.")
            messages.success(
                request, text % {"email": form.cleaned_data["email"], "days": INVITATION_DAYS}
            )
            return redirect("organisation_detail", pk)
    network, partners = _partners(organisation)
    return render(
        request,
        "participants/organisation_detail.html",
        {
            "organisation": organisation,
            "members": list(_members(organisation)),
            "invitations": organisation.invitations.pending().select_related("invited_by"),
            "role_help": [(Role(role).label, text) for role, text in ROLE_HELP.items()],
            "history": organisation.role_changes.select_related("user", "by")[:HISTORY_ROWS],
            "form": form,
            "network": network,
            "partners": partners,
        },
    )


def get_organisation(request, pk, *permissions):
    organisation = access.get_organisation_for(request.user, pk, *permissions)
    access.remember_administration_on(request, organisation)
    return organisation


def _member_of(organisation, user_pk):
    return get_object_or_404(
        User.objects.filter(memberships__organisation=organisation).distinct(), pk=user_pk
    )


@require_POST
def member_roles(request, pk, user_pk):
    organisation = get_organisation(request, pk, "manage_members")
    member = _member_of(organisation, user_pk)
    form = RolesForm(request.POST, prefix=f"m{member.pk}")
    if not form.is_valid():
        messages.error(request, _("Kies geldige rollen."))
        return redirect("organisation_detail", pk)
    roles = form.cleaned_data["roles"]
    if not roles:
        messages.error(
            request,
            _("Kies minstens één rol, of gebruik “Verwijderen uit de organisatie”."),
        )
        return redirect("organisation_detail", pk)
    try:
        services.set_roles(organisation=organisation, user=member, roles=roles, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("De rollen van %(name)s zijn opgeslagen.") % {"name": member})
    return redirect("organisation_detail", pk)


@require_POST
def member_remove(request, pk, user_pk):
    organisation = get_organisation(request, pk, "manage_members")
    member = _member_of(organisation, user_pk)
    try:
        services.remove_member(organisation=organisation, user=member, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("%(name)s is uit %(organisation)s verwijderd. Wat hij of zij deed, blijft bewaard.")
            % {"name": member, "organisation": organisation.name},
        )
    if member == request.user:
        return redirect("dashboard")
    return redirect("organisation_detail", pk)


@require_POST
def invitation_withdraw(request, pk, invitation_pk):
    organisation = get_organisation(request, pk, "manage_members")
    invitation = get_object_or_404(organisation.invitations, pk=invitation_pk)
    try:
        services.withdraw_invitation(invitation=invitation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("De uitnodiging van %(email)s is ingetrokken.") % {"email": invitation.email}
        )
    return redirect("organisation_detail", pk)


def organisation_settings(request, pk):
    organisation = get_organisation(request, pk, "change_settings")
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = RetentionForm(data, instance=organisation)
    look_form = LookForm(data, files, instance=organisation, prefix="look")
    if request.method == "POST" and form.is_valid() and look_form.is_valid():
        form.save()
        look_form.save()
        messages.success(request, _("De instellingen zijn opgeslagen."))
        return redirect("organisation_detail", pk)
    return render(
        request,
        "participants/organisation_settings.html",
        {"organisation": organisation, "form": form, "look_form": look_form},
    )


@login_not_required
def invitation_accept(request, token):
    """The link in the invitation mail: open without an account (the signed token is the key)."""
    try:
        invitation = services.invitation_for_token(token)
    except ValidationError as error:
        return render(
            request,
            "participants/invitation_invalid.html",
            {"reason": error.messages[0]},
            status=404,
        )
    existing = services.active_account_for(invitation)
    form = None
    if existing is None:
        form = ActivationForm(
            request.POST or None,
            invitation=invitation,
            initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
        )
    if request.method == "POST" and (existing or form.is_valid()):
        data = form.cleaned_data if form else {}
        try:
            account = services.accept_invitation(
                token=token,
                password=data.get("password1"),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
        except ValidationError as error:
            if form is None:
                return render(
                    request,
                    "participants/invitation_invalid.html",
                    {"reason": error.messages[0]},
                    status=404,
                )
            form.add_error(None, error)
        else:
            if existing:
                text = _("U werkt nu mee voor %(organisation)s. Log in met uw eigen wachtwoord.")
            else:
                text = _("Uw account is actief. Log in met gebruikersnaam %(username)s.")
            messages.success(
                request,
                text % {"username": account.username, "organisation": invitation.organisation.name},
            )
            return redirect("account_login")
    return render(
        request,
        "participants/invitation_accept.html",
        {"invitation": invitation, "form": form, "existing": existing},
    )
