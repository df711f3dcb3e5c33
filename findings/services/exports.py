"""Improvement actions for Excel: CSV for Dutch Excel and a real XLSX workbook.

Both carry the same columns, built once by `export_rows`, from exactly the actions the filter
shows, in its order. Client names never appear: actions have none, and the findings an action
answers are given with the speaker's pseudonym only. Findings of a client who withdrew consent,
and quotes of a client who gave no consent for quotes, are left out of the text, as in the
reports (DESIGN.md §7).

A region has tens of thousands of actions, so nothing here holds them all: `export_rows` reads
the filtered queryset in chunks of `CHUNK_SIZE` actions (with the owning organisation joined),
with their co-owners and findings fetched per chunk (three queries each) as plain values,
`csv_chunks` yields the CSV a few hundred rows at a time for a streaming response, and
`write_xlsx` appends rows to a write-only workbook saved to a temporary file.
"""

import csv
import io
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from findings.constants import ERASED_TEXT, ActionStatus, FindingKind, Priority
from findings.models import ImprovementAction, co_owner_names, overdue_on
from participants.constants import PSEUDONYM_PREFIX, AccessAction
from participants.models import AccessLog, User, number_to_letters
from spiegel.spreadsheet import FORMULA_STARTS, safe_text  # noqa: F401 - part of this module's API

CSV_DATE = "%d-%m-%Y"
XLSX_DATE = "DD-MM-YYYY"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Actions read per round trip: big enough that the three queries per chunk cost little, small
# enough that a chunk's values stay a few megabytes.
CHUNK_SIZE = 1000
# CSV rows per piece of a streaming response.
CSV_ROWS_PER_PIECE = 200


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


def export_filename(kind: str, today) -> str:
    return f"verbeteracties-{today:%Y-%m-%d}.{kind}"


def log_export(user, *, kind: str, count: int, query: str) -> None:
    """An export is a download of reported data: the access log says who, how many, which
    filter."""
    AccessLog.record(
        user,
        AccessAction.DOWNLOAD_REPORT,
        detail=f"verbeteracties.{kind}: {count} acties; {query}",
    )


def _labels(choices) -> dict:
    """A choice's labels in the active language, looked up once per export (a model's
    get_FOO_display() hashes every lazy label of the field on each call)."""
    return {value: str(label) for value, label in choices}


def _chunks(actions, chunk_size):
    """The actions' own columns, as tuples, a list of `chunk_size` at a time: one query, read
    in chunks (a server-side cursor on PostgreSQL)."""
    rows = actions.values_list(*_ACTION_COLUMNS).iterator(chunk_size=chunk_size)
    while chunk := list(islice(rows, chunk_size)):
        yield chunk


_ACTION_COLUMNS = (
    *("pk", "title", "description", "due_date", "status", "priority"),
    *("client_sentence", "closing_note", "closed_at"),
    *("session_id", "session__title", "session__starts_at", "organisation__name"),
    *("owner__first_name", "owner__last_name", "owner__username"),
)


def _related(chunk):
    """What the rows of one chunk show of other tables, two queries whatever its size:
    co-owners by action, findings by action (in their order)."""
    action_ids = [row[0] for row in chunk]
    co_owners = co_owner_names(action_ids)
    findings = defaultdict(list)
    for action_id, *finding in (
        ImprovementAction.findings.through.objects.filter(improvementaction_id__in=action_ids)
        .order_by("finding__created_at", "finding_id")
        .values_list(
            "improvementaction_id",
            "finding__kind",
            "finding__text",
            "finding__theme__name",
            "finding__speaker__number",
            "finding__speaker__consent_quotes",
            "finding__speaker__consent_withdrawn_at",
            "finding__erased_at",
        )
    ):
        findings[action_id].append(finding)
    return co_owners, findings


def export_rows(actions, *, today=None, chunk_size=None):
    """One list of values per action of the queryset `actions`, in its order; dates stay
    dates (the writers format them). The actions are read `chunk_size` at a time, with three
    queries per chunk (`_chunks`, `_related`), as plain values: no model objects, so a
    region's export takes seconds and its memory is that of one chunk."""
    today = today or timezone.localdate()
    statuses = _labels(ActionStatus.choices)
    priorities = _labels(Priority.choices)
    kinds = _labels(FindingKind.choices)
    yes, no = _("ja"), _("nee")
    unknown = _("onbekende deelnemer")
    left_out = _("(tekst weggelaten: geen toestemming)")
    erased = str(ERASED_TEXT)
    prefix = str(PSEUDONYM_PREFIX)

    def finding_line(kind, text, _theme, number, consent_quotes, withdrawn_at, erased_at) -> str:
        # A finding as the reports give it: the speaker's pseudonym, never a name, and no
        # words of a client who withdrew consent, or gave none for quotes (a quote without a
        # known speaker neither: nobody vouches for its consent). An erased finding has no
        # speaker any more; what it says is the note that replaced the words.
        who = unknown if number is None else f"{prefix} {number_to_letters(number)}"
        if erased_at is not None:
            text = erased
        elif withdrawn_at is not None or (kind == FindingKind.QUOTE and not consent_quotes):
            text = left_out
        else:
            text = " ".join(text.split())
        return f"{who} ({kinds.get(kind, kind)}): {text}"

    for chunk in _chunks(actions, chunk_size or CHUNK_SIZE):
        co_owners, findings = _related(chunk)
        for (
            pk,
            title,
            description,
            due_date,
            status,
            priority,
            client_sentence,
            closing_note,
            closed_at,
            _session_id,
            session_title,
            starts_at,
            organisation,
            *owner,
        ) in chunk:
            based_on = findings[pk]
            themes = sorted({f[2] for f in based_on if f[2] is not None}, key=str.lower)
            yield [
                pk,
                title,
                description,
                session_title,
                timezone.localtime(starts_at).date() if starts_at else None,
                organisation,  # the one that owns the action (a werkplaats has several)
                ", ".join(themes),
                User.name_of(*owner),
                ", ".join(co_owners[pk]),
                due_date,
                yes if overdue_on(today, status=status, due_date=due_date) else no,
                statuses.get(status, status),
                priorities.get(priority, priority),
                client_sentence,
                closing_note,
                timezone.localtime(closed_at).date() if closed_at else None,
                "\n".join(finding_line(*f) for f in based_on),
            ]


def _csv_cell(value):
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime(CSV_DATE)
    if isinstance(value, int):
        return str(value)
    return safe_text(str(value))


def _csv_writer(buffer):
    return csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")


def csv_chunks(actions, *, today=None, language=None):
    """The CSV of the queryset `actions` as pieces of bytes, for a streaming response:
    semicolon-separated UTF-8 with a BOM, so Dutch Excel opens it in columns with accents
    intact. The BOM and the header come before the first query, then a piece every
    `CSV_ROWS_PER_PIECE` rows.

    A streaming response is read after the view has returned, so the language is given and
    made active while each piece is made; it is not held between pieces."""
    return _csv_pieces(export_rows(actions, today=today), language=language)


def _csv_pieces(rows, *, language=None):
    language = language or translation.get_language()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")

    def piece() -> bytes:
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        return data

    with translation.override(language):
        buffer.write("\ufeff")
        writer.writerow([c.title for c in columns()])
    yield piece()
    while True:
        with translation.override(language):
            for _number, row in zip(range(CSV_ROWS_PER_PIECE), rows, strict=False):
                writer.writerow([_csv_cell(value) for value in row])
        data = piece()
        if not data:
            return
        yield data


def write_csv(actions, file, *, today=None, language=None) -> int:
    """The CSV of the queryset `actions` into a binary file; returns the number of actions."""
    count = 0

    def counted(rows):
        nonlocal count
        for row in rows:
            count += 1
            yield row

    for data in _csv_pieces(counted(export_rows(actions, today=today)), language=language):
        file.write(data)
    return count


def _xlsx_text(value: str) -> str:
    # Control characters are not allowed in the XML of a workbook; they carry no meaning here.
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def write_xlsx(actions, file, *, today=None) -> int:
    """A workbook with a bold, frozen header row, filters, sensible widths and real dates,
    written row by row (openpyxl's write-only mode) into a binary file; returns the number of
    actions written. Memory stays flat however many rows there are."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Verbeteracties")[:31])
    cols = columns()
    # Widths and frozen panes go before the first row in write-only mode.
    for index, column in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    header = []
    for column in cols:
        cell = WriteOnlyCell(sheet, value=column.title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in export_rows(actions, today=today):
        cells = []
        for column, value in zip(cols, row, strict=True):
            if value is None:
                cells.append(None)
                continue
            cell = WriteOnlyCell(sheet)
            if isinstance(value, str):
                cell.value = _xlsx_text(value)
                # Stored as a string, never as a formula, whatever it starts with.
                cell.data_type = "s"
            else:
                cell.value = value
                if hasattr(value, "strftime"):
                    cell.number_format = XLSX_DATE
            cell.alignment = wrap if column.wrap else top
            cells.append(cell)
        sheet.append(cells)
        count += 1
    # The filter's range is written at the end of the sheet, so it can name the last row.
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{count + 1}"
    workbook.properties.title = _("Verbeteracties")
    workbook.properties.creator = "Spiegel"
    workbook.save(file)
    return count


def xlsx_file(actions, *, today=None):
    """The workbook in a temporary file, rewound: on disk once it outgrows a few megabytes,
    deleted when closed."""
    file = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 - the caller closes it
    try:
        write_xlsx(actions, file, today=today)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file
