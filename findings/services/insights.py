"""Insights for coordinators: what one organisation's spiegelgesprekken say over a period.

- **Recurring themes**: per theme, in how many sessions of the period it came up, with how many
  findings; a theme is *recurring* when it came up in two or more sessions.
- **Balance** per theme: positive findings against verbeterpunten.
- **Actions** of the period's sessions: the completion rate is done / all; dropped actions are
  reported beside it, not left out (leaving them out let dropping an action raise the rate,
  issue 11); plus how many open actions are overdue today.
- **Returning blind spot**: a theme that was *marked* and comes back in a *later* session of the
  same organisation. Marked: a finding in the theme was marked as a blind spot, or an action
  on one of its findings was dropped or is overdue today (issue 11: what was given up or left
  behind and comes back deserves the same warning). The later session must lie in the period;
  the marking may be older, because a blind spot from fourteen months ago that returns now is
  exactly what a coordinator needs to see.

The figures are cached per organisation, period and day (the "insights" cache), and served
only while nothing they count has changed: the database stamps the organisation in the same
transaction as any write to its sessions, findings, themes or actions (findings.changes), and
the stamp is part of the cache key. A coordinator who opens the page again, or switches back to
a period, gets the answer without counting it again; after a change it is counted anew.

Sessions count when they were held (live, debrief or closed) and their date falls in the period
(dates in Dutch time). Everything is counted by the database: five queries whatever the amount
of data. The findings of the period come back as one row per theme and session (summed per
theme in Python, and giving the sessions a theme returned in); the markings as one row per
theme; the titles only of the sessions listed; never one row per finding.
"""

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from django import forms
from django.db import connection
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from findings import changes
from findings.constants import ActionStatus, FindingKind
from findings.forms.actions import DateInput, check_year
from findings.models import Finding, ImprovementAction, overdue_condition
from findings.reports import charts
from sessions.constants import HELD
from sessions.models import Session
from spiegel.dates import midnight


def year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


class InsightsForm(forms.Form):
    """Organisation (among those the user coordinates) and period; defaults fill the gaps, so
    the page opens on the first organisation and the last twelve months. The network view
    asks for a network the same way (NetworkInsightsForm)."""

    subject = "organisation"  # the name of the choice field and of its key in period()
    subject_label = gettext_lazy("Organisatie")

    start = forms.DateField(label=gettext_lazy("Van"), widget=DateInput())
    end = forms.DateField(label=gettext_lazy("Tot en met"), widget=DateInput())

    def __init__(self, data, *, organisations, today=None):
        today = today or timezone.localdate()
        self.organisations = {o.pk: o for o in organisations}
        defaults = {
            self.subject: str(organisations[0].pk) if organisations else "",
            "start": year_before(today).isoformat(),
            "end": today.isoformat(),
        }
        data = data or {}
        super().__init__({key: data.get(key) or value for key, value in defaults.items()})
        choice = forms.TypedChoiceField(
            label=self.subject_label, coerce=int, choices=[(o.pk, o.name) for o in organisations]
        )
        self.fields = {self.subject: choice, **self.fields}

    def clean_start(self):
        value = self.cleaned_data["start"]
        check_year(value)
        return value

    def clean_end(self):
        value = self.cleaned_data["end"]
        check_year(value)
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("De einddatum ligt vóór de begindatum."))
        return cleaned

    def period(self) -> dict:
        data = self.cleaned_data
        return {
            self.subject: self.organisations[data[self.subject]],
            "start": data["start"],
            "end": data["end"],
        }


@dataclass
class ThemeStats:
    theme_id: int
    name: str
    session_count: int = 0
    findings: int = 0
    positive: int = 0
    improvement: int = 0
    blind_spots: int = 0

    @property
    def recurring(self) -> bool:
        return self.session_count >= 2


@dataclass(frozen=True)
class SessionRef:
    pk: int
    title: str
    date: dt.date


SHOWN_RETURNS = 3  # sessions listed per signal on the page
SHOWN_SIGNALS = 5  # signals in full on the page; the others as one row each

# Why a theme is watched for its return (`ReturningBlindSpot.reason`).
MARK_BLIND_SPOT, MARK_DROPPED, MARK_OVERDUE = "blind_spot", "dropped", "overdue"


@dataclass
class ReturningBlindSpot:
    theme: str
    marked_in: SessionRef
    returned_in: list  # of (SessionRef, number of findings), oldest first; see returned_count
    returned_count: int = -1  # sessions it returned in: more than returned_in when bounded
    reason: str = MARK_BLIND_SPOT  # a blind spot, or an action on it dropped or overdue

    def __post_init__(self):
        if self.returned_count < 0:
            self.returned_count = len(self.returned_in)

    @property
    def reason_label(self) -> str:
        return {
            MARK_BLIND_SPOT: _("blinde vlek"),
            MARK_DROPPED: _("vervallen actie"),
            MARK_OVERDUE: _("actie te laat"),
        }[self.reason]

    @property
    def returned_latest(self) -> list:
        """The page lists the latest SHOWN_RETURNS; a year can hold hundreds."""
        return self.returned_in[-SHOWN_RETURNS:]

    @property
    def returned_more(self) -> int:
        return max(0, self.returned_count - len(self.returned_latest))


@dataclass
class Insights:
    organisation: object
    start: dt.date
    end: dt.date
    today: dt.date
    session_count: int = 0
    finding_count: int = 0
    unthemed_count: int = 0
    themes: list = field(default_factory=list)  # ThemeStats, most sessions first
    returning_blind_spots: list = field(default_factory=list)
    actions: dict = field(default_factory=dict)

    @property
    def signals_shown(self) -> list:
        return self.returning_blind_spots[:SHOWN_SIGNALS]

    @property
    def signals_more(self) -> list:
        """The page spells out the first SHOWN_SIGNALS; the rest are one table row each (a
        year of a busy organisation can signal every theme)."""
        return self.returning_blind_spots[SHOWN_SIGNALS:]

    @property
    def recurring_themes(self) -> list:
        return [t for t in self.themes if t.recurring]

    @property
    def completion_base(self) -> int:
        """Every action of the period: a dropped action is not done (issue 11), so dropping
        one never raises the rate; how many were dropped is reported beside it."""
        return self.actions["total"]

    @property
    def completion_rate(self) -> int | None:
        """Percentage done of all the period's actions; None without any."""
        base = self.completion_base
        return round(100 * self.actions["done"] / base) if base else None

    @property
    def dropped(self) -> int:
        return self.actions["dropped"]

    @property
    def overdue(self) -> int:
        return self.actions["overdue"]

    # — charts, the same numbers as the tables beside them —

    @cached_property
    def themes_chart(self):
        return charts.bar_chart(
            [(t.name, t.session_count) for t in self.themes],
            chart_id="chart-themes",
            title=_("In hoeveel gesprekken kwam elk thema terug?"),
            unit=_("gesprekken"),
        )

    @cached_property
    def balance_chart(self):
        return charts.stacked_bar_chart(
            [(t.name, [t.positive, t.improvement]) for t in self.themes],
            chart_id="chart-balance",
            title=_("Positief en verbeterpunten per thema"),
            series=[
                charts.Series(str(FindingKind.POSITIVE.label), charts.POSITIVE),
                charts.Series(str(FindingKind.IMPROVEMENT.label), charts.IMPROVEMENT),
            ],
        )

    @cached_property
    def action_rows(self) -> list:
        counts = self.actions
        return [(label, counts[value]) for value, label in ActionStatus.choices]

    @cached_property
    def actions_chart(self):
        rows = [(label, n) for label, n in self.action_rows]
        if not self.actions["total"]:
            rows = []
        return charts.bar_chart(
            rows, chart_id="chart-actions", title=_("Verbeteracties per status"), unit=_("acties")
        )


def _in_period(start, end, prefix="session__") -> Q:
    """Sessions whose Dutch date lies in start..end, as a range of instants: the same sessions
    as `starts_at__date__range`, but the index on starts_at serves it (a date cast of the
    column cannot, so every query read all sessions).

    A meeting that was held counts on the day it really started (`live_at`), not the day it
    was planned for: a meeting planned for 31 January and held on 2 February is February's
    (issue 12). The planned date serves sessions without a start (made in bulk, or older)."""
    since, until = midnight(start), midnight(end + dt.timedelta(days=1))
    return Q(
        **{
            f"{prefix}live_at__isnull": True,
            f"{prefix}starts_at__gte": since,
            f"{prefix}starts_at__lt": until,
        }
    ) | Q(**{f"{prefix}live_at__gte": since, f"{prefix}live_at__lt": until})


def _held(organisation) -> Q:
    """Findings of the organisation's held sessions."""
    return Q(session__organisations=organisation, session__status__in=HELD)


def _pair_rows(organisation, start, end):
    """Per theme (None: unthemed) and session of the period: the session's day and the
    findings of each kind, counted by the database. One query serves the per-theme figures
    (summed in Python) and the sessions a marked theme returned in; its rows are bounded by
    the period's sessions, not by the history. Plain tuples of numbers and a date: a period of
    a busy organisation holds thousands of them."""
    return (
        Finding.objects.filter(_held(organisation), _in_period(start, end))
        .annotate(day=TruncDate("session__starts_at"))
        .values("theme_id", "theme__name", "session_id", "day")
        .annotate(
            total=Count("pk"),
            positive=Count("pk", filter=Q(kind=FindingKind.POSITIVE)),
            improvement=Count("pk", filter=Q(kind=FindingKind.IMPROVEMENT)),
            blind=Count("pk", filter=Q(blind_spot=True)),
        )
        .order_by()  # the model's ordering would end up in the GROUP BY
        .values_list(
            "theme_id",
            "theme__name",
            "session_id",
            "day",
            "total",
            "positive",
            "improvement",
            "blind",
        )
    )


def _raw(queryset):
    """The rows of `queryset` as the database driver gives them: for thousands of rows of
    counts, Django's per-value converters cost more than the query (int() on every count)."""
    with connection.cursor() as cursor:
        cursor.execute(*queryset.query.sql_with_params())
        return cursor.fetchall()


def _first_per_theme(queryset, theme_field, until, fields):
    """The first row per theme (earliest session day, then session, then row) of `queryset`,
    numbered by the database so one row per theme comes back."""
    return (
        queryset.filter(session__starts_at__lt=until)
        .annotate(
            theme_key=F(theme_field),
            first=Window(
                RowNumber(),
                partition_by=[F(theme_field)],
                order_by=[TruncDate("session__starts_at"), F("session_id"), F("pk")],
            ),
        )
        .filter(first=1)
        .order_by()
        .values("theme_key", "session_id", "session__title", "session__starts_at", *fields)
    )


def _first_marks(organisation, end, theme_ids, today):
    """Per theme of `theme_ids`, what first marked it up to `end`: a finding marked as a blind
    spot, or an action on one of its findings that was dropped or is overdue today (issue 11:
    a theme whose actions were given up or left behind and that comes back is as much a
    signal as a blind spot). Returns theme id → (reason, row); at the same session the blind
    spot wins. Only the themes found in the period can return in it: the others are not looked
    up. Two queries, each through an index on the markings (the blind-spot partial index; the
    action status index)."""
    until = midnight(end + dt.timedelta(days=1))
    blind = Finding.objects.filter(_held(organisation), blind_spot=True, theme_id__in=theme_ids)
    actions = ImprovementAction.objects.filter(
        Q(status=ActionStatus.DROPPED) | overdue_condition(today),
        session__organisations=organisation,
        session__status__in=HELD,
        findings__theme_id__in=theme_ids,
    )
    marks = {}
    for row in _first_per_theme(blind, "theme_id", until, ()):
        marks[row["theme_key"]] = (MARK_BLIND_SPOT, row)
    for row in _first_per_theme(actions, "findings__theme_id", until, ("status",)):
        theme_id = row["theme_key"]
        reason = MARK_DROPPED if row["status"] == ActionStatus.DROPPED else MARK_OVERDUE
        known = marks.get(theme_id)
        if known is None or _order(row) < _order(known[1]):
            marks[theme_id] = (reason, row)
    return marks


def _order(row, tz=None):
    return (_ref(row, tz).date, row["session_id"])


def _ref(row, tz=None) -> SessionRef:
    return SessionRef(
        row["session_id"],
        row["session__title"],
        row["session__starts_at"].astimezone(tz or timezone.get_current_timezone()).date(),
    )


def _session_and_action_counts(organisation, start, end, today):
    """The period's held sessions and the actions the organisation owns from them per status,
    in one query: the sessions joined (LEFT) with their actions, sessions counted distinct. In
    a werkplaats each municipality counts its own actions (issue 11), not its partners'."""
    own = Q(actions__organisation=organisation)
    return organisation.sessions.filter(
        _in_period(start, end, prefix=""), status__in=HELD
    ).aggregate(
        sessions=Count("pk", distinct=True),
        total=Count("actions", filter=own),
        overdue=Count("actions", filter=own & _on_actions(overdue_condition(today))),
        **{
            value: Count("actions", filter=own & Q(actions__status=value))
            for value in ActionStatus.values
        },
    )


def _on_actions(condition: Q) -> Q:
    """`condition` on an action, said from its session."""
    return Q(
        *[
            _on_actions(child) if isinstance(child, Q) else (f"actions__{child[0]}", child[1])
            for child in condition.children
        ],
        _connector=condition.connector,
        _negated=condition.negated,
    )


def insights_for(*, organisation, start, end, today=None, returns_limit=None) -> Insights:
    """The insights of `organisation` for start..end. `returns_limit` bounds the sessions
    listed per returning blind spot to the latest ones (the page shows SHOWN_RETURNS); their
    number is in `returned_count` either way. From the cache while nothing they count has
    changed (the module); else five queries whatever the history."""
    today = today or timezone.localdate()
    figures = changes.cached(
        "insights.1",
        [organisation.pk],
        (start, end, today, returns_limit),
        lambda: dataclasses.replace(
            _count(organisation, start, end, today, returns_limit), organisation=None
        ),
    )
    return dataclasses.replace(figures, organisation=organisation)


def _count(organisation, start, end, today, returns_limit) -> Insights:
    tz = timezone.get_current_timezone()
    result = Insights(organisation=organisation, start=start, end=end, today=today)
    counts = _session_and_action_counts(organisation, start, end, today)
    result.session_count = counts.pop("sessions")
    result.actions = counts

    stats: dict[int, ThemeStats] = {}
    visits: dict[int, list] = {}  # theme → [(day, session id, findings)] of the period
    for theme_id, name, session_id, day, total, positive, improvement, blind in _raw(
        _pair_rows(organisation, start, end)
    ):
        if isinstance(day, str):  # SQLite answers a date as text
            day = dt.date.fromisoformat(day)
        result.finding_count += total
        if theme_id is None:
            result.unthemed_count += total
            continue
        theme = stats.get(theme_id)
        if theme is None:
            theme = stats[theme_id] = ThemeStats(theme_id, name)
            visits[theme_id] = []
        theme.session_count += 1  # one row per theme and session
        theme.findings += total
        theme.positive += positive
        theme.improvement += improvement
        theme.blind_spots += blind
        visits[theme_id].append((day, session_id, total))
    result.themes = sorted(
        stats.values(), key=lambda t: (-t.session_count, -t.findings, t.name.lower())
    )

    marks = _first_marks(organisation, end, list(stats), today) if stats else {}
    signals = []
    for theme_id, (reason, mark) in marks.items():
        marked_in = _ref(mark, tz)
        returned = sorted(visit for visit in visits[theme_id] if visit[0] > marked_in.date)
        if returned:
            shown = returned[-returns_limit:] if returns_limit else returned
            signals.append((stats[theme_id].name, marked_in, shown, len(returned), reason))
    # The titles of the sessions listed, and only those (a year holds hundreds per theme).
    listed = {session_id for signal in signals for _, session_id, _ in signal[2]}
    titles = (
        dict(Session.objects.filter(pk__in=listed).values_list("pk", "title")) if listed else {}
    )
    for name, marked_in, shown, count, reason in signals:
        returned_in = [(SessionRef(pk, titles[pk], day), n) for day, pk, n in shown]
        result.returning_blind_spots.append(
            ReturningBlindSpot(name, marked_in, returned_in, count, reason)
        )
    result.returning_blind_spots.sort(key=lambda r: (-r.returned_count, r.theme.lower()))

    return result
