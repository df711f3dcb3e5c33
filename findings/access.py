"""Loading one improvement action for a user: the action's resource helper.

Who may see and change actions is decided by `ImprovementAction.objects.visible_to(user)` and
`.editable_by(user)` (findings.models); the session-level questions (the debrief, making
actions, the letter) by the session's policy, `session.access` (sessions.access).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from findings.models import ImprovementAction


def get_action_for(user, pk, *, can_edit=False) -> ImprovementAction:
    """The action `pk` if `user` may see it (404 otherwise); `action.can_edit` is set."""
    editable = ImprovementAction.objects.editable_by(user)
    action = (
        ImprovementAction.objects.visible_to(user)
        .select_related("session", "owner")
        .annotate(user_may_edit=Exists(editable.filter(pk=OuterRef("pk"))))
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404
    action.can_edit = action.user_may_edit
    if can_edit and not action.can_edit:
        raise PermissionDenied(_("Alleen eigenaren, toehoorders en coördinatoren wijzigen acties."))
    return action
