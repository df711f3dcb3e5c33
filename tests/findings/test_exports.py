"""`/actions/export.csv` and `/actions/export.xlsx`: exactly what the filters show, for Excel."""

import csv
import datetime as dt
import io
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from findings.models import ImprovementAction, ReportJob
from findings.services import exports
from findings.views import actions as action_views
from participants.constants import AccessAction
from participants.models import AccessLog, PanelMember
from tests.factories import (
    ACTION_TITLES,
    FindingFactory,
    ImprovementActionFactory,
    PanelMemberFactory,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "Nr.",
    "Titel",
    "Omschrijving",
    "Gesprek",
    "Datum gesprek",
    "Organisatie",
    "Thema's",
    "Eigenaar",
    "Mede-eigenaren",
    "Uiterlijk klaar op",
    "Te laat",
    "Status",
    "Prioriteit",
    "Wat we deden met uw feedback",
    "Afsluitende toelichting",
    "Afgesloten op",
    "Gebaseerd op (bevindingen)",
]


@pytest.fixture(scope="module")
def shared_action_world(shared_action_world, django_db_blocker):
    """The module's ActionWorld (built once) with eight more actions."""
    world = shared_action_world
    with django_db_blocker.unblock():
        world.more_actions(8)
    return world


def body(response) -> bytes:
    """The downloaded bytes: the streamed pieces joined, read once (a stream reads once)."""
    if not hasattr(response, "body"):
        response.body = response.getvalue()
    return response.body


@pytest.fixture
def w(action_world):
    return action_world


def read_csv(response):
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response):
    sheet = load_workbook(io.BytesIO(body(response))).active
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def listed_ids(client, params):
    import re

    page = client.get("/actions/", params).content.decode()
    return [int(pk) for pk in re.findall(r'<a href="/actions/(\d+)/">', page)]


FILTERS = [
    {},
    {"overdue": "on"},
    {"status": "done"},
    {"status": "unfinished", "sort": "priority"},
    {"sort": "-due"},
    {"sort": "owner"},
    {"priority": "ignored", "sort": "status"},
]


@pytest.mark.parametrize("params", FILTERS)
def test_both_exports_hold_exactly_the_filtered_actions_in_the_same_order(client, w, params):
    client.force_login(w.coordinator)
    expected = listed_ids(client, params)
    assert expected
    csv_rows = read_csv(client.get("/actions/export.csv", params))
    assert csv_rows[0] == HEADER
    assert [int(row[0]) for row in csv_rows[1:]] == expected
    _sheet, xlsx_rows = read_xlsx(client.get("/actions/export.xlsx", params))
    assert xlsx_rows[0] == HEADER
    assert [row[0] for row in xlsx_rows[1:]] == expected


def test_exports_hold_all_pages(client, w):
    w.more_actions(30, start=8)
    client.force_login(w.coordinator)
    total = ImprovementAction.objects.count()
    assert total > 25
    assert len(read_csv(client.get("/actions/export.csv", {"page": "2"}))) == total + 1
    assert len(read_xlsx(client.get("/actions/export.xlsx"))[1]) == total + 1


def test_the_csv_is_semicolon_separated_with_dutch_dates(client, w):
    client.force_login(w.coordinator)
    response = client.get("/actions/export.csv", {"session": w.session.pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="verbeteracties-')
    assert body(response).decode("utf-8-sig").splitlines()[0].count(";") == len(HEADER) - 1
    rows = {int(row[0]): dict(zip(HEADER, row, strict=True)) for row in read_csv(response)[1:]}
    row = rows[w.action.pk]
    assert row["Titel"] == w.action.title
    assert row["Uiterlijk klaar op"] == w.action.due_date.strftime("%d-%m-%Y")
    assert row["Datum gesprek"] == timezone.localtime(w.session.starts_at).strftime("%d-%m-%Y")
    assert row["Eigenaar"] == "Olga Eigenaar"
    assert row["Mede-eigenaren"] == "Cor Mede"
    assert row["Organisatie"] == "Gemeente Alfa"
    assert row["Thema's"] == "Bereikbaarheid"
    assert row["Status"] == "Open" and row["Te laat"] == "nee"
    assert row["Wat we deden met uw feedback"] == w.action.client_sentence
    assert row["Gebaseerd op (bevindingen)"] == (
        "Deelnemer A (Verbeterpunt): Ik moest drie keer bellen voordat iemand me terugbelde."
    )
    overdue = ImprovementAction.objects.overdue().first()
    assert rows[overdue.pk]["Te laat"] == "ja"
    done = ImprovementAction.objects.filter(status="done").first()
    assert rows[done.pk]["Afgesloten op"] == timezone.localtime(done.closed_at).strftime("%d-%m-%Y")
    assert rows[done.pk]["Afsluitende toelichting"] == "Afgerond in het teamoverleg."


def test_the_xlsx_has_a_header_widths_and_real_dates(client, w):
    client.force_login(w.coordinator)
    response = client.get("/actions/export.xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet, rows = read_xlsx(response)
    assert sheet.title == "Verbeteracties"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["B"].width == 40
    assert sheet.column_dimensions["Q"].width == 70
    due_column = HEADER.index("Uiterlijk klaar op")
    row = next(r for r in rows[1:] if r[0] == w.action.pk)
    assert row[due_column] == dt.datetime.combine(w.action.due_date, dt.time())
    assert sheet.cell(row=2, column=due_column + 1).number_format == "DD-MM-YYYY"


HOSTILE = ["=1+1", "+31 6 12345678", "-2+3", "@SUM(A1)", "\tverborgen", '=HYPERLINK("x","y")']


@pytest.mark.parametrize("value", HOSTILE)
def test_formulas_are_never_formulas_in_either_export(client, w, value):
    ImprovementAction.objects.filter(pk=w.action.pk).update(
        title=value, description=value, client_sentence=value
    )
    w.owner.first_name, w.owner.last_name = value, ""
    w.owner.save()
    client.force_login(w.coordinator)
    rows = read_csv(client.get("/actions/export.csv", {"session": w.session.pk}))
    row = next(r for r in rows[1:] if int(r[0]) == w.action.pk)
    for column in ("Titel", "Omschrijving", "Wat we deden met uw feedback"):
        assert row[HEADER.index(column)] == "'" + value
    # A name is shown as get_full_name() makes it: stripped.
    assert row[HEADER.index("Eigenaar")] == exports.safe_text(value.strip())
    for row in rows:
        for cell in row:
            assert not cell.startswith(exports.FORMULA_STARTS)
    sheet, _rows = read_xlsx(client.get("/actions/export.xlsx"))
    for sheet_row in sheet.iter_rows():
        for cell in sheet_row:
            assert cell.data_type != "f"
    titles = [r[1] for r in _rows]
    assert value in titles  # kept exactly, as text


def test_control_characters_and_markup_survive_the_xlsx(client, w):
    hostile = "Bel\x0b terug <script>alert(1)</script> 🙂 مرحبا\u202e"
    ImprovementAction.objects.filter(pk=w.action.pk).update(title=hostile, description=hostile)
    client.force_login(w.coordinator)
    response = client.get("/actions/export.xlsx")
    assert response.status_code == 200
    _sheet, rows = read_xlsx(response)
    assert "Bel terug <script>alert(1)</script> 🙂 مرحبا\u202e" in [r[1] for r in rows]
    csv_rows = read_csv(client.get("/actions/export.csv"))
    assert hostile in [r[1] for r in csv_rows]


def test_no_client_name_ever_reaches_an_export(client, w):
    client.force_login(w.coordinator)
    names = [member.contact.name for member in PanelMember.objects.select_related("contact")]
    assert names
    for path in ("/actions/export.csv", "/actions/export.xlsx"):
        response = client.get(path)
        if path.endswith("csv"):
            text = body(response).decode("utf-8-sig")
        else:
            text = "\n".join(str(c) for row in read_xlsx(response)[1] for c in row)
        assert "Deelnemer A" in text
        for name in names:
            assert name not in text


def test_words_of_a_client_who_withdrew_consent_are_left_out(client, w):
    member = PanelMemberFactory(session=w.session, consent_quotes=False)
    quote = FindingFactory(
        session=w.session, text="“Ik schaamde me kapot.”", kind="quote", speaker=member
    )
    withdrawn = PanelMemberFactory(session=w.session)
    said = FindingFactory(
        session=w.session, text="Mijn buurman hielp me met de aanvraag.", speaker=withdrawn
    )
    withdrawn.withdraw_consent()
    action = ImprovementActionFactory(
        session=w.session,
        by=w.coordinator,
        owner=w.owner,
        findings=[quote, said, w.finding],
        title=ACTION_TITLES[0],
    )
    client.force_login(w.coordinator)
    rows = read_csv(client.get("/actions/export.csv", {"session": w.session.pk}))
    based_on = next(r for r in rows[1:] if int(r[0]) == action.pk)[-1]
    assert "schaamde" not in based_on and "buurman" not in based_on
    assert based_on.count("(tekst weggelaten: geen toestemming)") == 2
    assert "Ik moest drie keer bellen" in based_on


def test_every_download_is_logged(client, w):
    client.force_login(w.coordinator)
    client.get("/actions/export.csv", {"status": "done"})
    client.get("/actions/export.xlsx")
    entries = AccessLog.objects.filter(action=AccessAction.DOWNLOAD_REPORT, user=w.coordinator)
    assert entries.count() == 2
    assert "status=done" in entries.get(detail__startswith="verbeteracties.csv").detail


# The two of every request, the user's own session and co-owned action ids
# (`findings.models._INVOLVED`), the filter's two choice lists (organisations and their themes;
# sessions and owners are searched, no longer listed), the COUNT that decides between inline
# and background (and goes into the access log), the INSERT into the access log; then, per
# chunk of actions: the actions (session, owning organisation and owner joined), their
# co-owners and their findings (speaker and theme joined). As on a worker's first export: a
# worker keeps the filter's organisations for a minute (findings.filters), one query less.
EXPORT_QUERIES = 10


def first_view():
    """Forget what the worker keeps, so the next request counts as its first."""
    caches["worker"].clear()


def more_actions_quickly(w, n):
    """n copies of the world's action, with its finding and co-owner, in three statements."""
    actions = ImprovementAction.objects.bulk_create(
        ImprovementAction(
            session=w.session,
            organisation=w.org_a,
            title=f"Kopie {i}",
            owner=[w.owner, w.listener, w.co_owner][i % 3],
            created_by=w.coordinator,
            due_date=w.action.due_date + dt.timedelta(days=i % 40),
            status=["open", "in_progress"][i % 2],
        )
        for i in range(n)
    )
    ImprovementAction.findings.through.objects.bulk_create(
        ImprovementAction.findings.through(improvementaction=a, finding=w.finding) for a in actions
    )
    ImprovementAction.co_owners.through.objects.bulk_create(
        ImprovementAction.co_owners.through(improvementaction=a, user=w.co_owner)
        for a in actions[::2]
    )


@pytest.mark.parametrize("path", ["/actions/export.csv", "/actions/export.xlsx"])
def test_exports_answer_in_constant_queries(client, w, path):
    client.force_login(w.coordinator)
    first_view()
    with CaptureQueriesContext(connection) as small:
        small_rows = body(client.get(path))  # the stream is read inside the count
    more_actions_quickly(w, 300)
    first_view()
    with CaptureQueriesContext(connection) as large:
        large_rows = body(client.get(path))
    assert len(large_rows) > len(small_rows)
    assert len(small) == len(large) == EXPORT_QUERIES


def test_a_large_export_reads_its_actions_in_chunks_of_constant_queries(client, w, monkeypatch):
    more_actions_quickly(w, 300)
    client.force_login(w.coordinator)
    whole = body(client.get("/actions/export.csv", {"sort": "owner"}))
    monkeypatch.setattr(exports, "CHUNK_SIZE", 100)
    first_view()
    with CaptureQueriesContext(connection) as chunked:
        pieces = body(client.get("/actions/export.csv", {"sort": "owner"}))
    assert pieces == whole  # the same rows in the same order, whatever the chunk
    chunks = -(-ImprovementAction.objects.count() // 100)
    assert chunks == 4
    # The actions are one SELECT read in chunks; each chunk adds its two related queries.
    assert len(chunked) == EXPORT_QUERIES + 2 * (chunks - 1)


def test_the_csv_streams_its_header_before_any_query(client, w):
    client.force_login(w.coordinator)
    response = client.get("/actions/export.csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Cache-Control"] == "private, no-store"
    pieces = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        first = next(pieces)
    assert len(queries) == 0
    assert first.decode("utf-8-sig").rstrip("\r\n").split(";") == HEADER
    rest = b"".join(pieces)
    assert rest.count(b"\r\n") >= ImprovementAction.objects.count()


def test_the_xlsx_is_sent_from_a_temporary_file(client, w):
    client.force_login(w.coordinator)
    response = client.get("/actions/export.xlsx")
    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"].startswith('attachment; filename="verbeteracties-')
    assert response["Cache-Control"] == "private, no-store"
    data = body(response)
    assert int(response["Content-Length"]) == len(data)
    assert len(read_xlsx(response)[1]) == ImprovementAction.objects.count() + 1


def test_an_english_csv_stays_english_while_it_streams(client, w):
    client.force_login(w.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/actions/export.csv", {"session": w.session.pk})
    # The next request of this thread may activate another language before the stream is read.
    translation.activate("nl")
    rows = read_csv(response)
    assert rows[0][0] == "No."
    row = next(r for r in rows[1:] if int(r[0]) == w.action.pk)
    assert row[HEADER.index("Te laat")] == "no"


# — large exports go to a background job —


@pytest.mark.parametrize(
    ("kind", "limit"), [("xlsx", "XLSX_INLINE_LIMIT"), ("csv", "CSV_INLINE_LIMIT")]
)
def test_a_large_export_becomes_a_job_whose_file_has_the_rows(client, w, monkeypatch, kind, limit):
    client.force_login(w.coordinator)
    params = {"status": "unfinished", "sort": "priority"}
    inline = client.get(f"/actions/export.{kind}", params)
    expected = read_csv(inline) if kind == "csv" else read_xlsx(inline)[1]
    assert len(expected) > 4
    monkeypatch.setattr(action_views, limit, 3)
    AccessLog.objects.all().delete()

    response = client.get(f"/actions/export.{kind}", params)
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == f"/actions/report/{job.pk}/"
    assert job.report == f"actions_{kind}"
    assert job.status == ReportJob.Status.DONE  # the immediate backend ran it in the request
    assert job.params == {"query": "status=unfinished&sort=priority"}
    assert job.item_count == len(expected) - 1
    assert job.filename.startswith("verbeteracties-") and job.filename.endswith(f".{kind}")
    assert not AccessLog.objects.exists()  # the download is logged, not the request

    html = client.get(response["Location"]).content.decode()
    assert f"({kind.upper()})" in html
    assert f'href="/actions/report/{job.pk}/download"' in html
    download = client.get(f"/actions/report/{job.pk}/download")
    assert download["Content-Type"] == inline["Content-Type"]
    assert download["Content-Disposition"] == f'attachment; filename="{job.filename}"'
    assert download["Cache-Control"] == "private, no-store"
    rows = read_csv(download) if kind == "csv" else read_xlsx(download)[1]
    assert rows == expected
    entry = AccessLog.objects.get(action=AccessAction.DOWNLOAD_REPORT)
    assert entry.detail == (
        f"verbeteracties.{kind}: {job.item_count} acties; status=unfinished&sort=priority"
    )


def test_a_failed_export_job_offers_the_export_again(client, w, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(action_views, "XLSX_INLINE_LIMIT", 3)
    monkeypatch.setattr(exports, "write_xlsx", broken)
    client.force_login(w.coordinator)
    response = client.get("/actions/export.xlsx", {"sort": "-due"})
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.FAILED
    html = client.get(response["Location"]).content.decode()
    assert "kon niet worden gemaakt" in html and "disk full" not in html
    assert 'href="/actions/export.xlsx?sort=-due"' in html


def test_an_export_job_is_only_its_requesters(client, w, monkeypatch):
    monkeypatch.setattr(action_views, "CSV_INLINE_LIMIT", 3)
    client.force_login(w.coordinator)
    client.get("/actions/export.csv")
    job = ReportJob.objects.get()
    for user in (w.listener, w.outsider, w.facilitator):
        client.force_login(user)
        assert client.get(f"/actions/report/{job.pk}/").status_code == 404
        assert client.get(f"/actions/report/{job.pk}/download").status_code == 404
