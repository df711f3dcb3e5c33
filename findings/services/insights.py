"""Insights for coordinators: what one organisation's spiegelgesprekken say over a period.

- **Recurring themes**: per theme, in how many sessions of the period it came up, with how many
  findings; a theme is *recurring* when it came up in two or more sessions.
- **Balance** per theme: positive findings against verbeterpunten.
- **Actions** of the period's sessions: the completion rate is done / (all − dropped), since a
  dropped action was deliberately not done and should not count for or against; plus how many
  open actions are overdue today.
- **Returning blind spot**: a theme that the professionals marked as a blind spot (a finding
  with `blind_spot` in that theme) and that comes back in a *later* session of the same
  organisation. The later session must lie in the period; the marking may be older, because a
  blind spot from fourteen months ago that returns now is exactly what a coordinator needs
  to see.

Sessions count when they were held (live, debrief or closed) and their date falls in the period
(dates in Dutch time). Everything is counted by the database, grouped per theme: four to six
queries whatever the amount of data, each answering with one row per theme (or per theme and
session of the period, for the returning blind spots), never one per finding.
"""

import datetime as dt
from dataclasses import dataclass, field

from django import forms
from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from findings.constants import ActionStatus, FindingKind
from findings.forms.actions import DateInput, check_year
from findings.models import Finding, ImprovementAction, Theme, overdue_condition
from findings.reports import charts
from sessions.constants import HELD


def year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


class InsightsForm(forms.Form):
    """Organisation (among those the user coordinates) and period; defaults fill the gaps, so
    the page opens on the first organisation and the last twelve months."""

    organisation = forms.TypedChoiceField(label=gettext_lazy("Organisatie"), coerce=int)
    start = forms.DateField(label=gettext_lazy("Van"), widget=DateInput())
    end = forms.DateField(label=gettext_lazy("Tot en met"), widget=DateInput())

    def __init__(self, data, *, organisations, today=None):
        today = today or timezone.localdate()
        self.organisations = {o.pk: o for o in organisations}
        defaults = {
            "organisation": str(organisations[0].pk) if organisations else "",
            "start": year_before(today).isoformat(),
            "end": today.isoformat(),
        }
        data = data or {}
        super().__init__({key: data.get(key) or value for key, value in defaults.items()})
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]

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
            "organisation": self.organisations[data["organisation"]],
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


SHOWN_RETURNS = 10


@dataclass
class ReturningBlindSpot:
    theme: str
    marked_in: SessionRef
    returned_in: list  # of (SessionRef, number of findings), oldest first; see returned_count
    returned_count: int = -1  # sessions it returned in: more than returned_in when bounded

    def __post_init__(self):
        if self.returned_count < 0:
            self.returned_count = len(self.returned_in)

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
    def recurring_themes(self) -> list:
        return [t for t in self.themes if t.recurring]

    @property
    def completion_base(self) -> int:
        return self.actions["total"] - self.actions["dropped"]

    @property
    def completion_rate(self) -> int | None:
        """Percentage done of the actions that were not dropped; None without any."""
        base = self.completion_base
        return round(100 * self.actions["done"] / base) if base else None

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


def _midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in Dutch time (the current time zone, as `__date` lookups use)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _in_period(start, end, prefix="session__") -> Q:
    """Sessions whose Dutch date lies in start..end, as a range of instants: the same sessions
    as `starts_at__date__range`, but the index on starts_at serves it (a date cast of the
    column cannot, so every query read all sessions).

    A meeting that was held counts on the day it really started (`live_at`), not the day it
    was planned for: a meeting planned for 31 January and held on 2 February is February's
    (issue 12). The planned date serves sessions without a start (made in bulk, or older)."""
    since, until = _midnight(start), _midnight(end + dt.timedelta(days=1))
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


def _theme_rows(organisation, start, end):
    """Per theme (None: unthemed) of the period: sessions, findings, and each kind, counted
    by the database; one row per theme."""
    return (
        Finding.objects.filter(_held(organisation), _in_period(start, end))
        .values("theme_id", "theme__name")
        .annotate(
            sessions=Count("session_id", distinct=True),
            total=Count("pk"),
            positive=Count("pk", filter=Q(kind=FindingKind.POSITIVE)),
            improvement=Count("pk", filter=Q(kind=FindingKind.IMPROVEMENT)),
            blind=Count("pk", filter=Q(blind_spot=True)),
        )
        .order_by()  # the model's ordering would end up in the GROUP BY
    )


def _first_marks(organisation, end, theme_ids):
    """Per theme of `theme_ids`, the finding that first marked it as a blind spot (earliest
    session up to `end`), with its session: one row per theme, read through the blind-spot
    index."""
    first = (
        Finding.objects.filter(
            _held(organisation),
            blind_spot=True,
            theme=OuterRef("pk"),
            session__starts_at__lt=_midnight(end + dt.timedelta(days=1)),
        )
        .order_by(TruncDate("session__starts_at"), "session_id", "pk")
        .values("pk")[:1]
    )
    # Two steps: as one query (pk IN (subquery)) PostgreSQL evaluated the subquery twice per
    # theme and hash-joined every finding; the ids first, then their rows by primary key.
    # Only the themes found in the period can return in it: the others are not looked up.
    firsts = (
        Theme.objects.filter(pk__in=theme_ids)
        .annotate(first=Subquery(first))
        .values_list("first", flat=True)
    )
    ids = [pk for pk in firsts.order_by() if pk is not None]
    return (
        Finding.objects.filter(pk__in=ids)
        .order_by()
        .values("theme_id", "theme__name", "session_id", "session__title", "session__starts_at")
    )


class _WindowOverGroups(Window):
    """A window over the rows of a GROUP BY: its partition and order are grouped columns
    already, so it adds nothing to the GROUP BY (Django would put the window itself there)."""

    def get_group_by_cols(self):
        return []


def _return_rows(organisation, start, end, marked, limit=None):
    """Per marked theme, the sessions of the period after the day it was marked (`marked`:
    theme id → date of the marking) with how many findings, and in `returns` how many such
    sessions there are; with `limit`, only the latest `limit` sessions per theme."""
    later = Q()
    for theme_id, day in marked.items():
        later |= Q(theme_id=theme_id, session__starts_at__gte=_midnight(day + dt.timedelta(1)))
    rows = (
        Finding.objects.filter(_held(organisation), _in_period(start, end), later)
        .values("theme_id", "session_id", "session__title", "session__starts_at")
        .annotate(
            total=Count("pk"),
            returns=_WindowOverGroups(Count("*"), partition_by=[F("theme_id")]),
            latest=_WindowOverGroups(
                RowNumber(),
                partition_by=[F("theme_id")],
                order_by=[TruncDate("session__starts_at").desc(), F("session_id").desc()],
            ),
        )
        .order_by()
    )
    return rows.filter(latest__lte=limit) if limit else rows


def _ref(row, tz=None) -> SessionRef:
    return SessionRef(
        row["session_id"],
        row["session__title"],
        row["session__starts_at"].astimezone(tz or timezone.get_current_timezone()).date(),
    )


def _action_counts(organisation, start, end, today):
    counts = ImprovementAction.objects.filter(
        _in_period(start, end),
        session__organisations=organisation,
        session__status__in=HELD,
    ).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_condition(today)),
        **{value: Count("pk", filter=Q(status=value)) for value in ActionStatus.values},
    )
    return counts


def insights_for(*, organisation, start, end, today=None, returns_limit=None) -> Insights:
    """The insights of `organisation` for start..end. `returns_limit` bounds the sessions
    listed per returning blind spot to the latest ones (the page shows SHOWN_RETURNS); their
    number is in `returned_count` either way."""
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    result = Insights(organisation=organisation, start=start, end=end, today=today)
    result.session_count = organisation.sessions.filter(
        _in_period(start, end, prefix=""), status__in=HELD
    ).count()

    themes = []
    for row in _theme_rows(organisation, start, end):
        result.finding_count += row["total"]
        if row["theme_id"] is None:
            result.unthemed_count += row["total"]
            continue
        themes.append(
            ThemeStats(
                row["theme_id"],
                row["theme__name"],
                session_count=row["sessions"],
                findings=row["total"],
                positive=row["positive"],
                improvement=row["improvement"],
                blind_spots=row["blind"],
            )
        )
    result.themes = sorted(themes, key=lambda t: (-t.session_count, -t.findings, t.name.lower()))

    marks = {}
    if themes:
        theme_ids = [t.theme_id for t in themes]
        marks = {row["theme_id"]: row for row in _first_marks(organisation, end, theme_ids)}
    refs = {theme_id: _ref(mark, tz) for theme_id, mark in marks.items()}
    returns: dict[int, list] = {}
    counts: dict[int, int] = {}
    if marks:
        marked = {theme_id: ref.date for theme_id, ref in refs.items()}
        for row in _return_rows(organisation, start, end, marked, returns_limit):
            returns.setdefault(row["theme_id"], []).append((_ref(row, tz), row["total"]))
            counts[row["theme_id"]] = row["returns"]
    for theme_id, mark in marks.items():
        returned = sorted(returns.get(theme_id, []), key=lambda item: (item[0].date, item[0].pk))
        if returned:
            result.returning_blind_spots.append(
                ReturningBlindSpot(mark["theme__name"], refs[theme_id], returned, counts[theme_id])
            )
    result.returning_blind_spots.sort(key=lambda r: (-r.returned_count, r.theme.lower()))

    result.actions = _action_counts(organisation, start, end, today)
    return result
