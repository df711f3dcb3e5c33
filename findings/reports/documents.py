"""What the PDF reports say: one context builder per document, and the functions that render them.

The builders are pure functions of the data with a constant number of queries, so the views,
the background task and `make bench` all build exactly the same documents. The privacy rules
(DESIGN.md §7) are applied here, once, so no template can forget them:

- Panel members appear only by pseudonym. `PanelMemberContact` (real names, contact details)
  is never loaded by any builder.
- Quotes (kind "quote") only from members who agreed to be quoted and did not withdraw
  (`PanelMember.may_be_quoted`); a quote without a known speaker is left out too, since no
  one can vouch for the consent.
- A member who withdrew consent is left out altogether: their quotes and their other findings
  (withdrawal ends every scope, as in the exports); the report says how many findings that is.
- Listeners appear by their function only, never by name.
- The evaluation gives counts and averages per group, not the free-text comments (clients'
  own words, easy to attribute at a table of eight; the summary page shows them to the
  facilitator and coordinator).

Each builder works in the document's language (`translation.override`), so labels computed in
Python (pseudonyms, chart titles, evaluation questions) match the rendered text.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from findings.constants import ActionStatus, FindingKind
from findings.filters import ActionFilter
from findings.models import Debrief, overdue_on
from findings.reports import charts
from findings.services import learning
from findings.services.debrief import debrief_of, draft_letter, group_findings, letter_of
from findings.services.insights import InsightsForm, insights_for, year_before
from findings.services.tips import tips_overview
from participants.branding import print_look
from participants.constants import RecruitmentStatus, RightsRequestKind
from participants.models import Organisation
from sessions.constants import Status
from sessions.services import evaluation
from spiegel.languages import client_language, text_direction
from spiegel.pdf import render_pdf

# — helpers —


def person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _local_date(value):
    return timezone.localtime(value).date() if value else None


def _organisation_names(session) -> list[str]:
    return [o.name for o in session.organisations.order_by("name")]


def _rules(session) -> list[str]:
    return [rule.text for rule in session.rules.order_by("position", "pk")]


# — the session report —


@dataclass(frozen=True)
class ReportFinding:
    """A finding as the report may show it: the speaker's pseudonym or nothing."""

    pk: int
    question_id: int | None
    kind: str
    text: str
    speaker: str
    starred: bool
    blind_spot: bool
    theme: str
    table: str = ""  # a kitchen-table session: the table where it was said


def reportable(finding) -> ReportFinding | None:
    """The finding as it may appear in a report, or None when it must stay out."""
    member = finding.speaker
    if finding.is_withheld:
        return None
    if finding.kind == FindingKind.QUOTE and (member is None or not member.may_be_quoted):
        return None
    speaker = member.pseudonym if member is not None else ""
    return ReportFinding(
        pk=finding.pk,
        question_id=finding.question_id,
        kind=finding.kind,
        text=finding.text,
        speaker=speaker,
        starred=finding.starred,
        blind_spot=finding.blind_spot,
        theme=finding.theme.name if finding.theme_id else "",
        table=finding.table.name if finding.table_id and _table_loaded(finding) else "",
    )


def _table_loaded(finding) -> bool:
    """Whether the finding came with its table (for_report() joins it; other callers would
    pay a query per finding for it)."""
    return type(finding)._meta.get_field("table").is_cached(finding)


def omission_reason(finding) -> str | None:
    """Why `reportable` leaves the finding out: "erased", "withdrawn", "quote" or None."""
    if finding.is_erased:
        return "erased"
    if finding.is_withheld:
        return "withdrawn"
    if reportable(finding) is None:
        return "quote"
    return None


OMISSION_REASONS = {
    "withdrawn": gettext_lazy("de deelnemer trok de toestemming in"),
    "erased": gettext_lazy("gewist op verzoek van de deelnemer"),
    "quote": gettext_lazy("citaat zonder toestemming om te citeren"),
}


# Headings of the finding groups under each question, in the order of FindingKind.
KIND_HEADINGS = {
    FindingKind.POSITIVE: gettext_lazy("Wat goed gaat"),
    FindingKind.IMPROVEMENT: gettext_lazy("Verbeterpunten"),
    FindingKind.WISH: gettext_lazy("Wensen"),
    FindingKind.QUOTE: gettext_lazy("Citaten"),
    FindingKind.LATER: gettext_lazy("Voor later"),
}


@dataclass
class QuestionSection:
    number: int | None  # position in the guide; None for findings without a question
    text: str
    kinds: list  # debrief.KindGroup, labelled with KIND_HEADINGS


def question_sections(findings, questions, *, at_tables=False) -> list[QuestionSection]:
    """Every question of the guide, with its findings by kind (a question without findings
    stays, so the reader sees it was asked), then the findings without a question.

    `at_tables`: the meeting was held at kitchen tables, whose notes carry a table rather than
    a question; a question nobody noted under is then left out instead of saying "niets
    genoteerd" above the tables' notes."""
    groups = group_findings(findings, questions)
    by_question = {g.question.pk: g for g in groups if g.question is not None}
    loose = [g for g in groups if g.question is None]
    sections = []
    for number, question in enumerate(questions, start=1):
        group = by_question.get(question.pk)
        if at_tables and group is None:
            continue
        sections.append(QuestionSection(number, question.text, group.kinds if group else []))
    if loose:
        sections.append(QuestionSection(None, "", loose[0].kinds))
    for section in sections:
        for kind in section.kinds:
            kind.label = KIND_HEADINGS.get(kind.kind, kind.label)
    return sections


def panel_of(members) -> list:
    """Who took part: those checked in as present, or, when nobody was checked in, those who
    had confirmed (the same rule as the evaluation links)."""
    attended = [m for m in members if m.status == RecruitmentStatus.ATTENDED]
    return attended or [m for m in members if m.status == RecruitmentStatus.CONFIRMED]


@dataclass
class EvaluationRow:
    question: str
    clients: object  # evaluation.QuestionSummary
    listeners: object


def _evaluation_rows(summary) -> list[EvaluationRow]:
    clients, listeners = summary["clients"], summary["listeners"]
    return [
        EvaluationRow(c.question, c, li)
        for c, li in zip(clients.questions, listeners.questions, strict=True)
    ]


@dataclass(frozen=True)
class ReportChange:
    """A change to a closed session's report: when, and what in general terms (never who, nor
    the reason, which may name the client)."""

    at: dt.datetime
    what: str


def changes_after_close(session) -> list[ReportChange]:
    """The clients' requests handled after the session was closed, oldest first."""
    labels = {
        RightsRequestKind.WITHDRAWAL: _("toestemming ingetrokken door een deelnemer"),
        RightsRequestKind.ERASURE: _("gegevens van een deelnemer gewist op diens verzoek"),
    }
    return [
        ReportChange(timezone.localtime(at), str(labels[kind]))
        for kind, at in session.rights_requests.filter(after_close=True)
        .order_by("at", "pk")
        .values_list("kind", "at")
    ]


def session_report_context(session, *, today=None, organisation=None) -> dict:
    """Everything the session report shows, in the session's language.

    With `organisation` (one of the session's: a municipality of a werkplaats) the report is
    made for that organisation: its own improvement actions only; what the clients said is
    shared by everyone at the table and stays in, anonymised as always.

    Fourteen queries whatever the size of the session: organisations, panel members,
    listeners, questions, rules, findings (with speaker and theme), debrief, lessons, the
    listeners' leervragen and reflections, actions (with owner), evaluations, the requests
    handled after closing, the tables (and their golden tips, when there are tables), and the
    facilitators when the session came without them.
    """
    today = today or timezone.localdate()
    with translation.override(session.language):
        organisations = _organisation_names(session)
        members = list(session.panel_members.order_by("number"))
        took_part = panel_of(members)
        withdrawn = [m for m in took_part if m.consent_withdrawn]
        listeners = session.listeners.only("pk", "function", "attended", "online").order_by(
            "function"
        )
        listeners = [li for li in listeners if li.attended is not False]
        functions = Counter(" ".join(li.function.split()) for li in listeners)
        questions = list(session.questions.order_by("position", "pk"))
        rules = _rules(session)

        all_findings = list(session.findings.for_report().select_related("theme"))
        findings = [f for f in map(reportable, all_findings) if f is not None]
        by_kind = Counter(f.kind for f in all_findings)
        erased_findings = sum(1 for f in all_findings if f.is_erased)
        withdrawn_findings = sum(1 for f in all_findings if f.is_withheld) - erased_findings
        omitted_quotes = len(all_findings) - len(findings) - withdrawn_findings - erased_findings
        themes = Counter(f.theme.name for f in all_findings if f.theme_id)
        # Blind spots the report may not show still count: the debrief marked them, and a
        # report saying "none marked" would not be true (issue 12).
        hidden_blind_spots = Counter(
            omission_reason(f) for f in all_findings if f.blind_spot and reportable(f) is None
        )

        debrief = debrief_of(session)
        lessons = [lesson.text for lesson in session.lessons.order_by("created_at", "pk")]
        # Counted all; listed only where the listener chose to share, and without their name
        # (the report names no listener).
        learning_counts, learnings_shared = learning.for_report(session)
        actions = session.actions.select_related("owner", "organisation")
        if organisation is not None:
            actions = actions.filter(organisation=organisation)
        actions = list(actions.order_by("due_date", "pk"))
        action_counts = Counter(a.status for a in actions)
        summary = evaluation.summarize(session)
        tip_tables, merged_tips = tips_overview(session)

        return {
            "session": session,
            "language": session.language,
            "today": today,
            "is_final": session.status == Status.CLOSED,
            "organisations": organisations,
            "for_organisation": organisation,
            "facilitators": [person(u) for u in session.facilitators],
            # The day it was held, once it was (issue 12); the planned day before that.
            "starts_at": timezone.localtime(session.held_at) if session.held_at else None,
            "panel": [m.pseudonym for m in took_part if not m.consent_withdrawn],
            "panel_count": len(took_part),
            "panel_withdrawn": len(withdrawn),
            "listener_count": len(listeners),
            # A hybrid meeting says how many of those there took part online.
            "online_count": sum(1 for who in [*took_part, *listeners] if who.online),
            "listener_functions": sorted(functions.items(), key=lambda kv: (-kv[1], kv[0].lower())),
            "rules": rules,
            "questions": questions,
            "sections": question_sections(findings, questions, at_tables=bool(tip_tables)),
            "finding_total": len(all_findings),
            "kind_counts": [(label, by_kind[kind]) for kind, label in FindingKind.choices],
            "starred_count": sum(1 for f in all_findings if f.starred),
            "omitted_quotes": omitted_quotes,
            "omitted_withdrawn": withdrawn_findings,
            "omitted_erased": erased_findings,
            "changes_after_close": changes_after_close(session),
            "debrief": debrief,
            "debrief_answers": [
                (Debrief._meta.get_field(name).verbose_name, getattr(debrief, name).strip())
                for name in ("impact", "act_on")
            ],
            "lessons": lessons,
            "learning_counts": learning_counts,
            "learnings_shared": learnings_shared,
            "blind_spots": [f for f in findings if f.blind_spot],
            "blind_spots_hidden": sum(hidden_blind_spots.values()),
            "blind_spots_hidden_reasons": [
                str(OMISSION_REASONS[reason])
                for reason in OMISSION_REASONS
                if hidden_blind_spots[reason]
            ],
            "themes": sorted(themes.items(), key=lambda kv: (-kv[1], kv[0].lower())),
            "actions": actions,
            "action_counts": [
                (label, action_counts[value]) for value, label in ActionStatus.choices
            ],
            "evaluation": summary,
            "evaluation_rows": _evaluation_rows(summary),
            # A kitchen-table session: each table's golden tips, and the plenary's list.
            "tip_tables": tip_tables,
            "merged_tips": merged_tips,
        }


# — the listeners' information sheet and the rules card —


def listener_info_context(session) -> dict:
    with translation.override(session.language):
        starts_at = timezone.localtime(session.starts_at) if session.starts_at else None
        return {
            "session": session,
            "organisations": _organisation_names(session),
            "facilitators": [person(u) for u in session.facilitators],
            "starts_at": starts_at,
            "ends_at": timezone.localtime(session.ends_at) if session.ends_at else None,
            "rules": _rules(session),
        }


# Type sizes of the rules card, largest first: (name, characters per line, mm per line, mm
# between rules). Measured on the A5 card in Source Sans 3 (17 pt: 71 characters in the
# 175 mm of a line, 7.5 mm apart), with 8% to spare for word wrapping.
CARD_SIZES = [
    ("xlarge", 65, 7.5, 2.4),
    ("large", 79, 6.2, 2.2),
    ("medium", 93, 5.3, 1.8),
    ("small", 106, 4.6, 1.2),
]
CARD_HEIGHT_MM = 100  # below the title, of the 106 mm there are


def card_size(rules) -> str:
    """The largest type with which the rules still fit on one card (the smallest otherwise:
    an overlong set of rules then runs onto a second card rather than off the page)."""
    for name, per_line, line_mm, gap_mm in CARD_SIZES:
        lines = sum(max(1, -(-len(" ".join(rule.split())) // per_line)) for rule in rules)
        if lines * line_mm + len(rules) * gap_mm <= CARD_HEIGHT_MM:
            return name
    return CARD_SIZES[-1][0]


def rules_card_context(session) -> dict:
    rules = _rules(session)
    return {"session": session, "rules": rules, "size": card_size(rules)}


# — the feedback letter —


@dataclass
class LetterBlock:
    kind: str  # "p" or "ul"
    lines: list = field(default_factory=list)

    @property
    def dir(self) -> str:
        """The block's own direction, from its first letter: a Dutch paragraph staff wrote
        runs left to right in an Arabic letter, an Arabic one right to left in a Dutch one."""
        return text_direction(" ".join(self.lines))


def letter_blocks(text: str) -> list[LetterBlock]:
    """Paragraphs (split on blank lines) and lists (lines starting with "- " or "• ")."""
    blocks: list[LetterBlock] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if not stripped:
            blocks.append(LetterBlock("break"))
            continue
        is_item = stripped.startswith(("- ", "• ", "* "))
        kind = "ul" if is_item else "p"
        value = stripped[2:].strip() if is_item else stripped
        if blocks and blocks[-1].kind == kind:
            blocks[-1].lines.append(value)
        else:
            blocks.append(LetterBlock(kind, [value]))
    return [block for block in blocks if block.kind != "break"]


def feedback_letter_context(session, *, today=None, language=None) -> dict:
    """The stored letter, or the draft from the actions when nobody wrote one yet, for the
    clients who read `language` (the session's by default).

    Our own sentences (the subject, the date, the draft) are in that language; a letter text
    staff wrote stays exactly as written, in whatever language they wrote it.
    """
    today = today or timezone.localdate()
    language = language or session.language
    with translation.override(language):
        letter = letter_of(session)
        text = letter.text.strip() or draft_letter(session, language=language)
        return {
            "language": language,
            "session": session,
            "organisations": _organisation_names(session),
            "is_final": letter.is_final,
            "date": _local_date(letter.finalised_at) or today,
            "session_date": _local_date(session.starts_at),
            "blocks": letter_blocks(text),
        }


# — the actions overview —


@dataclass(frozen=True)
class ActionRow:
    pk: int
    title: str
    session: str
    session_date: dt.date | None
    owner: str
    due_date: dt.date
    status: str
    status_label: str
    overdue: bool


ACTION_FIELDS = (
    "pk",
    "title",
    "due_date",
    "status",
    "session__title",
    "session__starts_at",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)


def _action_rows(actions, today) -> list[ActionRow]:
    """One query, plain values: a thousand rows must stay cheap to build and to lay out."""
    labels = dict(ActionStatus.choices)
    rows = []
    for v in actions.values(*ACTION_FIELDS):
        owner = f"{v['owner__first_name']} {v['owner__last_name']}".strip()
        rows.append(
            ActionRow(
                pk=v["pk"],
                title=v["title"],
                session=v["session__title"],
                session_date=_local_date(v["session__starts_at"]),
                owner=owner or v["owner__username"],
                due_date=v["due_date"],
                status=v["status"],
                status_label=str(labels[v["status"]]),
                overdue=overdue_on(today, status=v["status"], due_date=v["due_date"]),
            )
        )
    return rows


_CHART_FONT = f'font-family="{escape(charts.FONT)}"'
_PRINT_FONT = 'font-family="Source Sans 3, Noto Naskh Arabic, Noto Emoji, sans-serif"'


def print_chart(svg) -> str:
    """A chart of findings.reports.charts for the PDF: drawn in the report's own font rather
    than the screen's system fonts, which the PDF renderer would otherwise look up on the server."""
    return mark_safe(str(svg).replace(_CHART_FONT, _PRINT_FONT, 1))  # noqa: S308 - charts escapes


def actions_report_context(
    actions,
    *,
    organisation=None,
    period=None,
    filters=(),
    requested_by=None,
    today=None,
    language=None,
) -> dict:
    """The actions overview: `actions` (a queryset, already filtered and ordered as `/actions/`
    shows it) as one lean table, with counts per status; with an organisation and a period
    (start, end) also the coordinators' insights, charts beside the same numbers as tables.

    Two queries for the table and the counts, three more for the insights.
    """
    today = today or timezone.localdate()
    with translation.override(language or translation.get_language()):
        rows = _action_rows(actions, today)
        counts = Counter(row.status for row in rows)
        insights = None
        if organisation is not None and period is not None:
            start, end = period
            insights = insights_for(organisation=organisation, start=start, end=end, today=today)
            insights.print_charts = {
                "themes": print_chart(insights.themes_chart),
                "balance": print_chart(insights.balance_chart),
                "actions": print_chart(insights.actions_chart),
            }
        return {
            "rows": rows,
            "total": len(rows),
            "status_counts": [(label, counts[value]) for value, label in ActionStatus.choices],
            "overdue_count": sum(1 for row in rows if row.overdue),
            "organisation": organisation,
            "period": period,
            "insights": insights,
            "filters": list(filters),
            "requested_by": person(requested_by),
            "today": today,
        }


class ActionsReportRequest:
    """An actions overview as asked for with the query string of `/actions/`.

    The actions are exactly those the list shows: the same `ActionFilter`, the same order. The
    insights (charts and their tables) come along when the filter names an organisation the
    requester coordinates, as on the insights page, for the period `start`–`end` of the query
    string (by default the last twelve months).
    """

    def __init__(self, user, params, *, today=None):
        self.user = user
        self.action_filter = ActionFilter(user, params, today=today)
        self.today = self.action_filter.today
        organisation_id = self.action_filter.values.get("organisation")
        self.organisation = (
            Organisation.objects.coordinated_by(user).filter(pk=organisation_id).first()
            if organisation_id
            else None
        )
        self.period = None
        if self.organisation is not None:
            form = InsightsForm(params, organisations=[self.organisation], today=self.today)
            if form.is_valid():
                self.period = (form.cleaned_data["start"], form.cleaned_data["end"])
            else:
                self.period = (year_before(self.today), self.today)

    def queryset(self):
        return self.action_filter.queryset()

    def count(self) -> int:
        return self.queryset().count()

    def filters(self) -> list[tuple[str, str]]:
        """The filters in force, as (label, value) for the cover: what this overview holds."""
        form = self.action_filter.form
        shown = []
        for name, value in self.action_filter.values.items():
            if name == "sort" or value in (None, "", False):
                continue
            field = form.fields[name]
            if name == "owner" and value == self.user.pk:
                text = person(self.user)
            elif isinstance(value, bool):
                text = _("ja")
            elif isinstance(value, dt.date):
                text = formats.date_format(value)
            elif name in form.labels:
                text = form.labels[name]
            else:
                text = dict(getattr(field, "choices", ())).get(value, value)
            shown.append((str(field.label), str(text)))
        sort = form.fields["sort"]
        shown.append((str(sort.label), str(dict(sort.choices)[self.action_filter.sort])))
        return shown

    def context(self, *, language=None) -> dict:
        """The overview's context; made for one organisation, it wears that one's look."""
        with translation.override(language or translation.get_language()):
            context = actions_report_context(
                self.queryset(),
                organisation=self.organisation,
                period=self.period,
                filters=self.filters(),
                requested_by=self.user,
                today=self.today,
                language=language,
            )
        context["look"] = print_look([self.organisation]) if self.organisation else None
        return context


def actions_report_request(user, params, *, today=None) -> ActionsReportRequest:
    return ActionsReportRequest(user, params, today=today)


# — rendering —

# The query parameter that makes a report for one of the session's organisations.
ORGANISATION_PARAMETER = "organisatie"


@dataclass(frozen=True)
class SessionDocument:
    slug: str  # the address: /sessions/<pk>/<slug>.pdf
    name: str  # stem of the URL names: <name>_pdf, <name>_preview
    template: str
    filename: str  # with {pk}
    label: object
    builder: object
    # Made for clients: one per client language (`?taal=tr`), the builder takes `language`.
    for_clients: bool = False
    # Also made for one organisation of a session of several (`?organisatie=<id>`): the
    # builder takes `organisation`.
    per_organisation: bool = False

    def language_for(self, session, asked=None) -> str:
        """The document's language: a client language asked for, when it is for clients;
        the session's otherwise (and for anything unknown)."""
        if self.for_clients and asked:
            return client_language(asked)
        return session.language

    def organisation_for(self, session, asked=None):
        """The organisation asked for (`?organisatie=<id>`), when the document is made per
        organisation; None when none is asked. Raises LookupError for anything that is not
        one of the session's organisations (the view answers 404)."""
        if not self.per_organisation or asked in (None, ""):
            return None
        try:
            pk = int(asked)
        except ValueError:
            raise LookupError(asked) from None
        organisation = session.organisations.filter(pk=pk).first() if 0 < pk < 2**31 else None
        if organisation is None:
            raise LookupError(asked)
        return organisation

    def filename_for(self, session, language, organisation=None) -> str:
        name = self.filename.format(pk=session.pk)
        if organisation is not None:
            name = name.removesuffix(".pdf") + f"-{slugify(organisation.name)}.pdf"
        if language != session.language:
            name = name.removesuffix(".pdf") + f"-{language}.pdf"
        return name

    def context_for(self, session, language, organisation=None) -> dict:
        if self.for_clients:
            return self.builder(session, language=language)
        if organisation is not None:
            return self.builder(session, organisation=organisation)
        return self.builder(session)


SESSION_DOCUMENTS = {
    document.slug: document
    for document in (
        SessionDocument(
            "report",
            "report",
            "reports/session_report.html",
            "spiegelgesprek-{pk}-verslag.pdf",
            gettext_lazy("Verslag van het gesprek"),
            session_report_context,
            per_organisation=True,
        ),
        SessionDocument(
            "listener-info",
            "listener_info",
            "reports/listener_info.html",
            "spiegelgesprek-{pk}-informatie-toehoorders.pdf",
            gettext_lazy("Informatie voor toehoorders"),
            listener_info_context,
        ),
        SessionDocument(
            "rules-card",
            "rules_card",
            "reports/rules_card.html",
            "spiegelgesprek-{pk}-spelregels.pdf",
            gettext_lazy("Spelregels op een kaart (A5)"),
            rules_card_context,
        ),
        SessionDocument(
            "feedback-letter",
            "feedback_letter",
            "reports/feedback_letter.html",
            "spiegelgesprek-{pk}-terugkoppelingsbrief.pdf",
            gettext_lazy("Terugkoppelingsbrief aan de cliënten"),
            feedback_letter_context,
            for_clients=True,
        ),
    )
}
ACTIONS_TEMPLATE = "reports/actions_report.html"


def render_session_document(
    slug, session, *, fetcher=None, language=None, organisation=None
) -> bytes:
    """The PDF of one of the session's documents, in the session's language (a document for
    clients also in a client's language; the report also for one of its organisations)."""
    document = SESSION_DOCUMENTS[slug]
    language = document.language_for(session, language)
    context = document.context_for(session, language, organisation)
    look = print_look([organisation] if organisation else session.organisations.all())
    return render_pdf(
        document.template, {**context, "look": look}, language=language, fetcher=fetcher
    )


def render_actions_report(context, *, language, fetcher=None) -> bytes:
    return render_pdf(ACTIONS_TEMPLATE, context, language=language, fetcher=fetcher)


def actions_filename(today) -> str:
    return f"verbeteracties-{today:%Y-%m-%d}.pdf"


# — inzage: everything stored about one panel member —

MEMBER_EXPORT_TEMPLATE = "reports/member_export.html"


def render_member_export(data, *, language, fetcher=None) -> bytes:
    """The PDF of findings.services.rights.member_export(), in the session's language."""
    return render_pdf(MEMBER_EXPORT_TEMPLATE, {"data": data}, language=language, fetcher=fetcher)
