"""Improvement actions: created from findings, followed up with a progress log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .constants import CLOSED_STATUSES
from .models import ActionUpdate, ImprovementAction


@transaction.atomic
def create_action(*, session, by, findings, co_owners=(), **fields) -> ImprovementAction:
    """Every action traces back to what clients said: at least one finding of this session."""
    findings = list(findings)
    if not findings:
        raise ValidationError(_("Koppel de actie aan minstens één bevinding."))
    if any(f.session_id != session.pk for f in findings):
        raise ValidationError(_("Een van de bevindingen hoort niet bij dit gesprek."))
    if fields["due_date"] < timezone.localdate():
        raise ValidationError(_("De datum ligt in het verleden."))
    action = ImprovementAction.objects.create(session=session, created_by=by, **fields)
    action.findings.set(findings)
    action.co_owners.set(co_owners)
    ActionUpdate.objects.create(
        action=action, author=by, text=_("Actie aangemaakt."), new_status=action.status
    )
    return action


@transaction.atomic
def record_progress(*, action, by, text="", status=None, closing_note=None) -> ActionUpdate:
    """Log progress and optionally change the status; done/dropped need a closing note."""
    old_status = action.status
    new_status = status or old_status
    if closing_note is not None:
        action.closing_note = closing_note
    if new_status in CLOSED_STATUSES and not action.closing_note.strip():
        raise ValidationError(
            _("Schrijf bij afronden of laten vallen een afsluitende toelichting.")
        )
    if not text.strip() and new_status == old_status and closing_note is None:
        raise ValidationError(_("Schrijf wat er is gebeurd, of kies een nieuwe status."))
    action.status = new_status
    if new_status in CLOSED_STATUSES and old_status not in CLOSED_STATUSES:
        action.closed_at = timezone.now()
    elif new_status not in CLOSED_STATUSES:
        action.closed_at = None
    action.save(update_fields=["status", "closing_note", "closed_at", "updated_at"])
    return ActionUpdate.objects.create(
        action=action,
        author=by,
        text=text,
        old_status=old_status if new_status != old_status else "",
        new_status=new_status if new_status != old_status else "",
    )
