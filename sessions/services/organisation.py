"""What an organisation keeps for its sessions: its rule set and its question library.

Run by the organisation's beheerders (participants.access decides who); a new session starts
from them (Rule.objects.template_for, LibraryQuestion.objects.available_to).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sessions.models import LibraryQuestion, Rule
from sessions.services.sessions import _next_position


@transaction.atomic
def add_rule(*, organisation, text) -> Rule:
    return Rule.objects.create(
        organisation=organisation,
        text=text,
        position=_next_position(organisation.rules.all()),
    )


@transaction.atomic
def start_rule_set(*, organisation) -> list[Rule]:
    """Copy the default rules into the organisation's own (empty) set, to edit from there."""
    if organisation.rules.exists():
        raise ValidationError(_("Deze organisatie heeft al een eigen set spelregels."))
    return Rule.objects.bulk_create(
        Rule(organisation=organisation, text=rule.text, position=i)
        for i, rule in enumerate(Rule.objects.defaults().order_by("position", "pk"), start=1)
    )


@transaction.atomic
def add_library_question(*, organisation, text, kind, planned_minutes, theme="") -> LibraryQuestion:
    return LibraryQuestion.objects.create(
        organisation=organisation,
        text=text,
        kind=kind,
        planned_minutes=planned_minutes,
        theme=theme,
        position=_next_position(organisation.library_questions.all()),
    )


@transaction.atomic
def save_to_library(*, question, organisation) -> LibraryQuestion:
    """A question of a session's guide, kept in the organisation's library for next time."""
    if organisation.library_questions.filter(text=question.text, kind=question.kind).exists():
        raise ValidationError(
            _("Deze vraag staat al in de vragenbank van %(organisation)s.")
            % {"organisation": organisation.name}
        )
    return add_library_question(
        organisation=organisation,
        text=question.text,
        kind=question.kind,
        planned_minutes=question.planned_minutes,
    )
