"""Improvement actions for Excel: CSV for Dutch Excel and a real XLSX workbook.

Both carry the same columns, built once by `export_rows`, from exactly the actions the filter
shows, in its order. Client names never appear: actions have none, and the findings an action
answers are given with the speaker's pseudonym only. Findings of a client who withdrew consent,
and quotes of a client who gave no consent for quotes, are left out of the text, as in the
reports (DESIGN.md §7).
"""

import csv
import io
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from findings.constants import FindingKind
from findings.models import Finding, overdue_on

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_DATE = "%d-%m-%Y"
XLSX_DATE = "DD-MM-YYYY"


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # characters, for the XLSX
    wrap: bool = False


def columns() -> list[Column]:
    return [
        Column(_("Nr."), 7),
        Column(_("Titel"), 40, wrap=True),
        Column(_("Omschrijving"), 50, wrap=True),
        Column(_("Gesprek"), 32, wrap=True),
        Column(_("Datum gesprek"), 14),
        Column(_("Organisatie"), 24, wrap=True),
        Column(_("Thema's"), 24, wrap=True),
        Column(_("Eigenaar"), 22),
        Column(_("Mede-eigenaren"), 28, wrap=True),
        Column(_("Uiterlijk klaar op"), 16),
        Column(_("Te laat"), 9),
        Column(_("Status"), 12),
        Column(_("Prioriteit"), 11),
        Column(_("Wat we deden met uw feedback"), 50, wrap=True),
        Column(_("Afsluitende toelichting"), 40, wrap=True),
        Column(_("Afgesloten op"), 14),
        Column(_("Gebaseerd op (bevindingen)"), 70, wrap=True),
    ]


def export_queryset(actions):
    """The filtered actions with everything a row needs: four queries, whatever the number."""
    return actions.select_related("session", "owner").prefetch_related(
        "co_owners",
        "session__organisations",
        Prefetch(
            "findings",
            queryset=Finding.objects.select_related("speaker", "theme").order_by(
                "created_at", "pk"
            ),
        ),
    )


def _person(user) -> str:
    return user.get_full_name() or user.username


def finding_line(finding) -> str:
    speaker = finding.speaker
    who = speaker.pseudonym if speaker else _("onbekende deelnemer")
    if speaker and (
        speaker.consent_withdrawn
        or (finding.kind == FindingKind.QUOTE and not speaker.consent_quotes)
    ):
        text = _("(tekst weggelaten: geen toestemming)")
    else:
        text = " ".join(finding.text.split())
    return f"{who} ({finding.get_kind_display()}): {text}"


def export_rows(actions, *, today=None):
    """One list of values per action; dates stay dates (the writers format them)."""
    today = today or timezone.localdate()
    for action in actions:
        session = action.session
        findings = list(action.findings.all())
        themes = sorted({f.theme.name for f in findings if f.theme}, key=str.lower)
        closed_at = timezone.localtime(action.closed_at).date() if action.closed_at else None
        yield [
            action.pk,
            action.title,
            action.description,
            session.title,
            timezone.localtime(session.starts_at).date() if session.starts_at else None,
            ", ".join(o.name for o in session.organisations.all()),
            ", ".join(themes),
            _person(action.owner),
            ", ".join(_person(u) for u in action.co_owners.all()),
            action.due_date,
            _("ja")
            if overdue_on(today, status=action.status, due_date=action.due_date)
            else _("nee"),
            action.get_status_display(),
            action.get_priority_display(),
            action.client_sentence,
            action.closing_note,
            closed_at,
            "\n".join(finding_line(f) for f in findings),
        ]


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as text: formula starts get a leading apostrophe."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value):
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime(CSV_DATE)
    if isinstance(value, int):
        return str(value)
    return safe_text(str(value))


def to_csv(actions, *, today=None) -> bytes:
    """Semicolon-separated UTF-8 with a BOM: Dutch Excel opens it in columns, accents intact."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([c.title for c in columns()])
    for row in export_rows(actions, today=today):
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _xlsx_text(value: str) -> str:
    # Control characters are not allowed in the XML of a workbook; they carry no meaning here.
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def to_xlsx(actions, *, today=None) -> bytes:
    """A workbook with a bold, frozen header row, filters, sensible widths and real dates."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Verbeteracties")[:31]
    cols = columns()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for index, column in enumerate(cols, start=1):
        cell = sheet.cell(row=1, column=index, value=column.title)
        cell.font = bold
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    row_number = 1
    for row_number, row in enumerate(export_rows(actions, today=today), start=2):
        for index, (column, value) in enumerate(zip(cols, row, strict=True), start=1):
            cell = sheet.cell(row=row_number, column=index)
            if isinstance(value, str):
                cell.value = _xlsx_text(value)
                # Stored as a string, never as a formula, whatever it starts with.
                cell.data_type = "s"
            else:
                cell.value = value
                if hasattr(value, "strftime"):
                    cell.number_format = XLSX_DATE
            cell.alignment = wrap if column.wrap else top
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(row_number, 1)}"
    workbook.properties.title = _("Verbeteracties")
    workbook.properties.creator = "Spiegel"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
