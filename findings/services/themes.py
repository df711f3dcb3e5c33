"""Theme suggestions in the debrief: the database side of findings.themes.

Suggestions are computed when the page is opened, never stored and never applied by
themselves: a person accepts one (through `debrief.assign_theme`, the same path as choosing a
theme by hand), picks another theme, or rejects it (a DismissedSuggestion, so the finding is
not suggested again). A proposed new group becomes a theme only when a person names it and
accepts it (`debrief.create_theme`, then `assign_theme`).

What the suggester learns from: the themed findings of the themes this debrief offers (the
session's organisations' themes), the most recent THEMED_LIMIT of them, erased words left out.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from findings import themes as suggester
from findings.models import DismissedSuggestion, Finding, Theme
from findings.services import debrief

THEMED_LIMIT = 3000


@dataclass
class Row:
    """One unthemed finding with the existing themes suggested for it, best first."""

    finding: Finding
    ranked: list[tuple[Theme, float]] = field(default_factory=list)
    fits: bool = False

    @property
    def best(self):
        return self.ranked[0][0] if self.ranked else None


@dataclass
class ProposedGroup:
    name: str
    findings: list[Finding]


@dataclass
class Suggestions:
    rows: list[Row]
    groups: list[ProposedGroup]
    themes: list[Theme]
    dismissed: int


def suggestions_for(session) -> Suggestions:
    """Suggestions for the session's unthemed findings, in four queries (themes, unthemed
    findings, themed findings, the count of rejected ones)."""
    themes = list(Theme.objects.filter(organisation__sessions=session))
    unthemed = list(
        session.findings.filter(
            theme__isnull=True, erased_at__isnull=True, dismissed_suggestion=None
        )
        .select_related("speaker")
        .order_by("created_at", "pk")
    )
    themed = list(
        Finding.objects.filter(theme__in=themes, erased_at__isnull=True)
        .order_by("-created_at", "-pk")
        .values_list("text", "theme_id")[:THEMED_LIMIT]
    )
    dismissed = DismissedSuggestion.objects.filter(finding__session=session).count()
    result = suggester.suggest(
        [(f.pk, f.text) for f in unthemed], themed, names={t.pk: t.name for t in themes}
    )
    by_id = {t.pk: t for t in themes}
    rows = []
    for finding in unthemed:
        suggestion = result.suggestions.get(finding.pk)
        ranked = [(by_id[pk], score) for pk, score in suggestion.ranked] if suggestion else []
        rows.append(Row(finding, ranked, bool(suggestion and suggestion.fits)))
    findings = {f.pk: f for f in unthemed}
    groups = [
        ProposedGroup(group.name, [findings[pk] for pk in group.finding_ids])
        for group in result.groups
    ]
    return Suggestions(rows, groups, themes, dismissed)


def dismiss(*, session, finding, by) -> DismissedSuggestion:
    """Reject the suggestions for one finding: it stays without a theme and is not
    suggested again."""
    debrief._require_debrief(session)
    if finding.session_id != session.pk:
        raise debrief.DebriefRefused(_("Een van de bevindingen hoort niet bij dit gesprek."))
    dismissal, _created = DismissedSuggestion.objects.get_or_create(
        finding=finding, defaults={"dismissed_by": by}
    )
    return dismissal


@transaction.atomic
def dismiss_group(*, session, findings, by) -> int:
    for finding in findings:
        dismiss(session=session, finding=finding, by=by)
    return len(findings)


@transaction.atomic
def accept_group(*, session, name, findings) -> tuple[Theme, int]:
    """Make (or reuse) the theme `name` and put the chosen findings under it: the debrief's
    own two steps, in one transaction."""
    if not findings:
        raise debrief.DebriefRefused(_("Kies eerst een of meer bevindingen."))
    theme, _created = debrief.create_theme(session=session, name=name)
    n = debrief.assign_theme(session=session, finding_ids=[f.pk for f in findings], theme=theme)
    return theme, n
