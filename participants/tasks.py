"""Background work of the participants app: the mails of invitations to an organisation.

Sent by the task workers in production (django-tasks-db), inline in tests (the immediate
backend), like the session invitations (sessions/tasks.py).
"""

from django.tasks import task
from django.utils import translation

from participants.models import Invitation, Membership
from participants.services import organisations


@task()
def send_invitation_task(invitation_id, language="nl"):
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return {"sent": 0}
    with translation.override(language):
        organisations.send_invitation_mail(invitation)
    return {"sent": 1}


@task()
def send_added_task(membership_id, language="nl"):
    membership = (
        Membership.objects.select_related("user", "organisation").filter(pk=membership_id).first()
    )
    if membership is None or not membership.user.email:
        return {"sent": 0}
    with translation.override(language):
        organisations.send_added_mail(
            user=membership.user, organisation=membership.organisation, role=membership.role
        )
    return {"sent": 1}
