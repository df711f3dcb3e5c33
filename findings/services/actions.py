"""Improvement actions: created from findings, followed up with a progress log."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from findings.constants import CLOSED_STATUSES, Priority
from findings.models import (
    ActionUpdate,
    ImprovementAction,
    default_action_organisation,
    owner_belongs,
)
from findings.services import privacy


def check_owner(*, session, organisation, owner):
    """The owner of an action belongs to its organisation, or listened in from it (the forms
    ask this before creating or changing an action)."""
    if owner is not None and not owner_belongs(owner, organisation, session):
        raise ValidationError(
            _(
                "%(owner)s hoort niet bij %(organisation)s. Kies als eigenaar iemand van die "
                "organisatie of een toehoorder die namens haar meeluisterde."
            )
            % {"owner": owner, "organisation": organisation}
        )


@transaction.atomic
def create_action(
    *, session, by, findings, co_owners=(), organisation=None, **fields
) -> ImprovementAction:
    """Every action traces back to what was said: at least one finding of this session, or a
    golden tip of one of its tables (`from_tip`). It is taken home by one of the session's
    organisations: `organisation`, else the owner's (default_action_organisation)."""
    findings = list(findings)
    if organisation is None:
        organisation = default_action_organisation(session, fields.get("owner"))
    if organisation is None:
        raise ValidationError(_("Dit gesprek hoort bij geen organisatie; kies die eerst."))
    if not session.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(_("Deze organisatie hoort niet bij dit gesprek."))
    tip = fields.get("from_tip")
    if not findings and tip is None:
        raise ValidationError(_("Koppel de actie aan minstens één bevinding."))
    if tip is not None and tip.session_id != session.pk:
        raise ValidationError(_("Deze gouden tip hoort niet bij dit gesprek."))
    if any(f.session_id != session.pk for f in findings):
        raise ValidationError(_("Een van de bevindingen hoort niet bij dit gesprek."))
    if fields["due_date"] < timezone.localdate():
        raise ValidationError(_("De datum ligt in het verleden."))
    action = ImprovementAction.objects.create(
        session=session, organisation=organisation, created_by=by, **fields
    )
    action.findings.set(findings)
    action.co_owners.set(co_owners)
    ActionUpdate.objects.create(
        action=action, author=by, text=_("Actie aangemaakt."), new_status=action.status
    )
    privacy.check_object(action)
    return action


@transaction.atomic
def record_progress(
    *, action, by, text="", status=None, closing_note=None, client_closing=None
) -> ActionUpdate:
    """Log progress and optionally change the status; done/dropped need a closing note.
    `client_closing` is what clients read about it once it is closed (their own page and
    e-mail); the closing note stays the professionals'."""
    old_status = action.status
    new_status = status or old_status
    if closing_note is not None:
        action.closing_note = closing_note
    explained = client_closing is not None and client_closing != action.client_closing
    if explained:
        action.client_closing = client_closing
    if new_status in CLOSED_STATUSES and not action.closing_note.strip():
        raise ValidationError(
            _("Schrijf bij afronden of laten vallen een afsluitende toelichting.")
        )
    if not text.strip() and new_status == old_status and closing_note is None and not explained:
        raise ValidationError(_("Schrijf wat er is gebeurd, of kies een nieuwe status."))
    action.status = new_status
    if new_status in CLOSED_STATUSES and old_status not in CLOSED_STATUSES:
        action.closed_at = timezone.now()
    elif new_status not in CLOSED_STATUSES:
        action.closed_at = None
    action.save(
        update_fields=["status", "closing_note", "client_closing", "closed_at", "updated_at"]
    )
    if explained:
        privacy.check_object(action)
    return ActionUpdate.objects.create(
        action=action,
        author=by,
        text=text,
        old_status=old_status if new_status != old_status else "",
        new_status=new_status if new_status != old_status else "",
    )


EDITABLE_FIELDS = (
    "title",
    "description",
    "owner",
    "due_date",
    "priority",
    "client_sentence",
    "from_reflection",
)


def _shown(name, value):
    if name == "due_date":
        return date_format(value, "SHORT_DATE_FORMAT")
    if name == "priority":
        return str(Priority(value).label)
    return str(value)


@transaction.atomic
def update_action(*, action, by, co_owners=None, **fields) -> ActionUpdate | None:
    """Change what an action is about and log what changed in its progress log.

    A due date may only move to today or later; an overdue date that is left as it is stays
    (DESIGN: "not in the past when created"). Returns the log entry, or None when nothing
    changed. The status is not changed here: that is `record_progress`'s job.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {', '.join(sorted(unknown))}")
    changed = []
    for name, value in fields.items():
        old = getattr(action, name)
        if old == value:
            continue
        if name == "due_date" and value < timezone.localdate():
            raise ValidationError(_("De datum ligt in het verleden."))
        label = ImprovementAction._meta.get_field(name).verbose_name
        if name in ("owner", "due_date", "priority"):
            changed.append(
                _("%(field)s: %(old)s → %(new)s")
                % {
                    "field": label,
                    "old": _shown(name, old),
                    "new": _shown(name, value),
                }
            )
        else:
            changed.append(str(label))
        setattr(action, name, value)
    if co_owners is not None:
        new = {user.pk for user in co_owners}
        if new != set(action.co_owners.values_list("pk", flat=True)):
            action.co_owners.set(co_owners)
            changed.append(str(ImprovementAction._meta.get_field("co_owners").verbose_name))
    if not changed:
        return None
    action.save(update_fields=[*fields, "updated_at"])
    if set(fields) & set(privacy.TEXTS[privacy.HitSource.ACTION][1]):
        privacy.check_object(action)
    return ActionUpdate.objects.create(
        action=action,
        author=by,
        text=_("Gewijzigd: %(changes)s.") % {"changes": "; ".join(changed)},
    )
