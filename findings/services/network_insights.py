"""The network view of the insights: a regional network's organisations side by side (issue 11).

For each partner of the network (the municipalities of a werkplaats and, for instance, the
client-interest organisation), over a period:

- **sessions** held in the period with the partner at the table, and their **findings** (a
  finding of a joint session counts for every partner at that table: they all heard it);
- the **actions the partner owns** (`ImprovementAction.organisation`, not the session's
  organisations: in a werkplaats each municipality takes its own home) per status, how many of
  the open ones are overdue today, and the completion rate done / all, with the dropped ones
  beside it (a dropped action is not done, so dropping never raises the rate);
- the **returning themes**: a theme returns at a partner when it came up in two or more of its
  sessions in the period. Themes live at the network (findings.models.theme_home), so the same
  theme is recognised across partners; the table of themes shows which partners share it.

Only counts and the names of themes: no session, finding text or person of a partner, which is
why a network coordinator may see it (sessions.access.network_insight_networks).

Counted by the database in three queries whatever the history: the partners with their
sessions and findings, the actions per partner and status, and the sessions per partner and
theme. The periods and "held" mean what they mean on the insights page of one organisation.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from findings.constants import ActionStatus
from findings.models import Finding, ImprovementAction, overdue_condition
from findings.reports import charts
from findings.services.insights import InsightsForm, _in_period
from participants.models import Organisation
from sessions.constants import HELD

SHOWN_THEMES = 12  # rows of the themes table; the others are counted below it


class NetworkInsightsForm(InsightsForm):
    """Network (among those the user coordinates) and period."""

    subject = "network"
    subject_label = gettext_lazy("Netwerk")


@dataclass
class PartnerRow:
    organisation: Organisation
    sessions: int = 0
    findings: int = 0
    actions: dict = field(default_factory=dict)  # status → n, plus "total" and "overdue"
    returning_themes: list = field(default_factory=list)  # names, most sessions first

    def count(self, key) -> int:
        return self.actions.get(key, 0)

    @property
    def total(self) -> int:
        return self.count("total")

    @property
    def unfinished(self) -> int:
        """Open or in progress."""
        return self.count(ActionStatus.OPEN) + self.count(ActionStatus.IN_PROGRESS)

    @property
    def done(self) -> int:
        return self.count(ActionStatus.DONE)

    @property
    def dropped(self) -> int:
        return self.count(ActionStatus.DROPPED)

    @property
    def overdue(self) -> int:
        return self.count("overdue")

    @property
    def completion_rate(self) -> int | None:
        """Percentage done of all its actions (dropped ones included: they are not done)."""
        return round(100 * self.done / self.total) if self.total else None


@dataclass
class NetworkTheme:
    name: str
    sessions: dict = field(default_factory=dict)  # partner pk → sessions it came up in
    # Per partner in the order of the table: (sessions, returning there: two or more).
    cells: list = field(default_factory=list)

    @property
    def partner_count(self) -> int:
        return len(self.sessions)

    @property
    def session_count(self) -> int:
        return sum(self.sessions.values())


@dataclass
class NetworkInsights:
    network: Organisation
    start: dt.date
    end: dt.date
    today: dt.date
    partners: list = field(default_factory=list)  # PartnerRow, by name
    themes: list = field(default_factory=list)  # NetworkTheme, most partners first

    @property
    def themes_shown(self) -> list:
        return self.themes[:SHOWN_THEMES]

    @property
    def themes_more(self) -> int:
        return max(0, len(self.themes) - SHOWN_THEMES)

    @property
    def shared_themes(self) -> list:
        """Themes that came up at two or more partners."""
        return [t for t in self.themes if t.partner_count >= 2]

    @cached_property
    def actions_chart(self):
        """The partners' actions per status, side by side (the table beside it has the same
        numbers)."""
        rows = [
            (p.organisation.name, [p.unfinished, p.done, p.dropped])
            for p in self.partners
            if p.total
        ]
        return charts.stacked_bar_chart(
            rows,
            chart_id="chart-network-actions",
            title=_("Verbeteracties per organisatie"),
            series=[
                charts.Series(_("Open of bezig"), charts.PRIMARY),
                charts.Series(str(ActionStatus.DONE.label), charts.POSITIVE),
                charts.Series(str(ActionStatus.DROPPED.label), charts.NEUTRAL),
            ],
        )


def _held_in_period(start, end, prefix) -> Q:
    return Q(**{f"{prefix}status__in": HELD}) & _in_period(start, end, prefix=prefix)


def network_insights_for(*, network, start, end, today=None) -> NetworkInsights:
    """The partners of `network` side by side for start..end. Three queries."""
    today = today or timezone.localdate()
    result = NetworkInsights(network=network, start=start, end=end, today=today)

    # 1. The partners, each with its held sessions of the period and their findings (one
    #    join from organisation to session to finding; the sessions counted distinct).
    held = _held_in_period(start, end, "sessions__")
    partners = (
        Organisation.objects.filter(network=network)
        .annotate(
            session_count=Count("sessions", filter=held, distinct=True),
            finding_count=Count("sessions__findings", filter=held),
        )
        .order_by("name")
    )
    rows = {}
    for organisation in partners:
        rows[organisation.pk] = PartnerRow(
            organisation, organisation.session_count, organisation.finding_count
        )
    result.partners = list(rows.values())
    if not rows:
        return result

    # 2. The actions each partner owns, from the period's held sessions, per status.
    actions = (
        ImprovementAction.objects.filter(
            _held_in_period(start, end, "session__"), organisation__network=network
        )
        .values("organisation_id")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=overdue_condition(today)),
            **{value: Count("pk", filter=Q(status=value)) for value in ActionStatus.values},
        )
        .order_by()
    )
    for counts in actions:
        rows[counts.pop("organisation_id")].actions = counts

    # 3. Per partner and theme: the held sessions of the period it came up in. Counted from
    #    the sessions' organisations, so a joint session counts for each partner at its table.
    pairs = (
        Finding.objects.filter(
            _held_in_period(start, end, "session__"),
            theme__isnull=False,
            session__organisations__network=network,
        )
        .values("session__organisations", "theme_id", "theme__name")
        .annotate(sessions=Count("session_id", distinct=True))
        .order_by()
        .values_list("session__organisations", "theme_id", "theme__name", "sessions")
    )
    themes: dict[int, NetworkTheme] = {}
    for partner_id, theme_id, name, sessions in pairs:
        theme = themes.setdefault(theme_id, NetworkTheme(name))
        theme.sessions[partner_id] = sessions
    result.themes = sorted(
        themes.values(), key=lambda t: (-t.partner_count, -t.session_count, t.name.lower())
    )
    for theme in result.themes:
        theme.cells = [(n, n >= 2) for n in (theme.sessions.get(pk, 0) for pk in rows)]
        for partner_id, sessions in theme.sessions.items():
            if sessions >= 2 and partner_id in rows:
                rows[partner_id].returning_themes.append((sessions, theme.name))
    for row in result.partners:
        row.returning_themes = [
            name
            for sessions, name in sorted(
                row.returning_themes, key=lambda st: (-st[0], st[1].lower())
            )
        ]
    return result
