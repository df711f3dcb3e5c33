"""The PDF reports: four documents per session and the actions overview across sessions.

Who may download what (DESIGN.md §6, "PDF reports"):

- the session report: its facilitators, its listeners and the coordinators of its
  organisations, once the meeting has been held (debrief or closed);
- the listeners' information sheet and the rules card: the same people, at any time (they are
  made for the listeners and for the table, and hold nothing a listener may not read);
- the feedback letter: the facilitators and the coordinators, who send it to the clients
  (after the meeting); a listener gets a 403 with the reason;
- everyone else: 404; anonymous users go to the login page (LoginRequiredMiddleware);
- the actions overview: whoever opens `/actions/`, with exactly the actions it shows them.

Large overviews, and large exports of the actions (findings.views.actions), are made in the
background: the requester follows the job's progress page and downloads the file from there.
Every download is written to the access log. Each report has a DEBUG-only HTML preview for
styling work; without DEBUG the previews answer 404.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from findings.models import ReportJob
from findings.reports import jobs as report_tasks
from findings.reports.documents import (
    ACTIONS_TEMPLATE,
    ORGANISATION_PARAMETER,
    SESSION_DOCUMENTS,
    actions_filename,
    actions_report_request,
    render_actions_report,
    render_session_document,
)
from findings.services import exports
from participants.constants import AccessAction
from participants.models import AccessLog
from sessions.access import get_session_for
from spiegel.languages import LANGUAGE_PARAMETER
from spiegel.pdf import PRINT_DIR, pdf_response

# Above this many actions the overview renders in the background (a thousand rows take
# seconds); below it the PDF comes straight back.
ACTIONS_INLINE_LIMIT = 300


def available_documents(session) -> list:
    """The documents the user behind `session.access` may download now, for the links."""
    return [
        document
        for slug, document in SESSION_DOCUMENTS.items()
        if session.access.may_download(slug)[0]
    ]


def _session_for_document(request, pk, slug):
    session = get_session_for(request.user, pk)
    allowed, reason = session.access.may_download(slug)
    if not allowed:
        raise PermissionDenied(reason)
    return session


def _organisation_for(document, session, request):
    """The organisation of `?organisatie=` (the report for one municipality of a werkplaats);
    404 for one that is not at the session's table."""
    try:
        return document.organisation_for(session, request.GET.get(ORGANISATION_PARAMETER))
    except LookupError:
        raise Http404 from None


@require_GET
def session_document(request, pk, slug):
    session = _session_for_document(request, pk, slug)
    document = SESSION_DOCUMENTS[slug]
    language = document.language_for(session, request.GET.get(LANGUAGE_PARAMETER))
    organisation = _organisation_for(document, session, request)
    data = render_session_document(slug, session, language=language, organisation=organisation)
    filename = document.filename_for(session, language, organisation)
    AccessLog.record(request.user, AccessAction.DOWNLOAD_REPORT, session=session, detail=filename)
    return pdf_response(data, filename)


# — DEBUG-only HTML previews —

# The preview is the document's own HTML in a browser: the print stylesheet goes inline with
# its fonts from /static/, and this page alone may carry inline styles.
PREVIEW_CSP = {
    **settings.SECURE_CSP,
    "style-src": [*settings.SECURE_CSP.get("style-src", []), CSP.UNSAFE_INLINE],
}


def _preview(html: str) -> HttpResponse:
    css = (PRINT_DIR / "print.css").read_text(encoding="utf-8")
    css = css.replace("asset:", settings.STATIC_URL + "print/")
    html = html.replace(
        '<link rel="stylesheet" href="asset:print.css">',
        "<style>" + css + "\nbody { max-width: 180mm; margin: 10mm auto; }</style>",
        1,
    )
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response


def _require_debug():
    if not settings.DEBUG:
        raise Http404


@require_GET
@csp_override(PREVIEW_CSP)
def session_document_preview(request, pk, slug):
    _require_debug()
    session = _session_for_document(request, pk, slug)
    document = SESSION_DOCUMENTS[slug]
    language = document.language_for(session, request.GET.get(LANGUAGE_PARAMETER))
    context = document.context_for(session, language, _organisation_for(document, session, request))
    with translation.override(language):
        html = render_to_string(document.template, {**context, "LANGUAGE_CODE": language})
    return _preview(html)


# — the actions overview —


def _log_actions_download(user, *, count, query):
    AccessLog.record(
        user,
        AccessAction.DOWNLOAD_REPORT,
        detail=f"actions/report.pdf: {count} acties; {query}",
    )


@require_GET
def actions_report(request):
    """The overview of what `/actions/` shows with the same query string; large ones go to a
    background job and a progress page."""
    report = actions_report_request(request.user, request.GET)
    query = request.GET.urlencode()
    count = report.count()
    language = translation.get_language()
    if count > ACTIONS_INLINE_LIMIT:
        job = report_tasks.start_actions_job(
            user=request.user, query=query, language=language, item_count=count
        )
        return redirect("actions_report_job", job.pk)
    context = report.context(language=language)
    data = render_actions_report(context, language=language)
    _log_actions_download(request.user, count=context["total"], query=query)
    return pdf_response(data, actions_filename(report.today))


@require_GET
@csp_override(PREVIEW_CSP)
def actions_report_preview(request):
    _require_debug()
    report = actions_report_request(request.user, request.GET)
    language = translation.get_language()
    context = report.context(language=language)
    html = render_to_string(ACTIONS_TEMPLATE, {**context, "LANGUAGE_CODE": language})
    return _preview(html)


def _with_query(url, query):
    return f"{url}?{query}" if query else url


@dataclass(frozen=True)
class JobFile:
    """What the progress page and the download of one kind of job say and send."""

    title: str
    crumb: str
    download: str
    url_name: str  # where "try again" goes, with the job's query string
    content_type: str


JOB_FILES = {
    ReportJob.Report.ACTIONS: JobFile(
        _("Overzicht verbeteracties (PDF)"),
        _("Overzicht als PDF"),
        _("Download het overzicht (PDF)"),
        "actions_report_pdf",
        "application/pdf",
    ),
    ReportJob.Report.ACTIONS_XLSX: JobFile(
        _("Verbeteracties voor Excel (XLSX)"),
        _("Export naar Excel"),
        _("Download het bestand (XLSX)"),
        "action_export_xlsx",
        exports.XLSX_CONTENT_TYPE,
    ),
    ReportJob.Report.ACTIONS_CSV: JobFile(
        _("Verbeteracties voor Excel (CSV)"),
        _("Export als CSV"),
        _("Download het bestand (CSV)"),
        "action_export_csv",
        exports.CSV_CONTENT_TYPE,
    ),
}


def _job_for(user, job_id) -> ReportJob:
    """The requester's own job; anybody else's is 404, whoever they are."""
    job = ReportJob.objects.defer("content").filter(pk=job_id, requested_by=user).first()
    if job is None:
        raise Http404
    return job


@require_GET
def actions_report_job(request, job_id):
    job = _job_for(request.user, job_id)
    if request.htmx and request.GET.get("seen") == job.status:
        return HttpResponse(status=204)  # nothing new: htmx keeps the page as it is
    query = job.params.get("query", "")
    file = JOB_FILES[job.report]
    context = {
        "job": job,
        "file": file,
        "retry_url": _with_query(reverse(file.url_name), query),
        "list_url": _with_query(reverse("action_list"), query),
    }
    if request.htmx:
        return render(request, "reports/job.html#job-status", context)
    return render(request, "reports/job.html", context)


@require_GET
def actions_report_job_download(request, job_id):
    job = _job_for(request.user, job_id)
    if not job.is_ready:
        return redirect("actions_report_job", job.pk)
    data = ReportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    query = job.params.get("query", "")
    if job.report == ReportJob.Report.ACTIONS:
        _log_actions_download(request.user, count=job.item_count, query=query)
        return pdf_response(bytes(data), job.filename or actions_filename(job.created_at.date()))
    kind = report_tasks.EXPORT_KINDS[job.report]
    exports.log_export(request.user, kind=kind, count=job.item_count, query=query)
    response = HttpResponse(bytes(data), content_type=JOB_FILES[job.report].content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
