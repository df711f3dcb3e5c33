"""Large reports render in the background, through Django's tasks framework.

A web request creates a `ReportJob` (who, which report, the query string, the language) and
enqueues `render_report`; a worker (django-tasks-db's `db_worker`) renders the file (the
actions overview PDF, or a large XLSX or CSV export of the actions) and stores it in the job
row, so whichever web process serves the progress page can serve the download. With the
immediate backend (tests) the job is done before the request returns.

The worker rebuilds the report from the parameters as the requester: the actions they may see
are decided at rendering time by the same filter as `/actions/`. Jobs older than a day are
pruned whenever a new one is made.
"""

import logging
import tempfile
from datetime import timedelta

from django.http import QueryDict
from django.tasks import task
from django.utils import timezone, translation

from findings.filters import ActionFilter
from findings.models import ReportJob
from findings.reports.documents import (
    actions_filename,
    actions_report_request,
    render_actions_report,
)
from findings.services import exports

logger = logging.getLogger(__name__)

# A requester who clicks twice gets the job that is already under way.
REUSE_SECONDS = 10 * 60

# The exports of `/actions/export.<kind>` that can be made in the background.
EXPORT_REPORTS = {"xlsx": ReportJob.Report.ACTIONS_XLSX, "csv": ReportJob.Report.ACTIONS_CSV}
EXPORT_KINDS = {report: kind for kind, report in EXPORT_REPORTS.items()}


def prune_jobs(now=None) -> int:
    deleted, _per_model = ReportJob.objects.stale(now).delete()
    return deleted


def start_actions_job(*, user, query: str, language: str, item_count: int) -> ReportJob:
    return start_job(
        user=user,
        report=ReportJob.Report.ACTIONS,
        query=query,
        language=language,
        item_count=item_count,
    )


def start_job(*, user, report, query: str, language: str, item_count: int) -> ReportJob:
    """The job for this report of the actions: an identical one of the same requester that is
    still under way, or a new one on the queue."""
    prune_jobs()
    recent = timezone.now() - timedelta(seconds=REUSE_SECONDS)
    pending = (
        ReportJob.objects.defer("content")
        .filter(
            requested_by=user,
            report=report,
            params={"query": query},
            language=language,
            status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING],
            created_at__gte=recent,
        )
        .first()
    )
    if pending is not None:
        return pending
    job = ReportJob.objects.create(
        requested_by=user,
        report=report,
        params={"query": query},
        language=language,
        item_count=item_count,
    )
    # django-tasks-db queues in the same database: the task row commits with the job row, so
    # a worker never sees the one without the other (and the immediate backend runs it now).
    render_report.enqueue(str(job.pk))
    return job


def _render_export(job, user, today) -> tuple[bytes, str, int]:
    """A large export, written through a temporary file as the inline one is: the rows are
    read in chunks, only the finished file is held, to be stored."""
    kind = EXPORT_KINDS[job.report]
    action_filter = ActionFilter(user, QueryDict(job.params.get("query", "")), today=today)
    actions = action_filter.queryset()
    with tempfile.TemporaryFile() as file, translation.override(job.language):
        if kind == "csv":
            count = exports.write_csv(actions, file, today=today, language=job.language)
        else:
            count = exports.write_xlsx(actions, file, today=today)
        file.seek(0)
        return file.read(), exports.export_filename(kind, today), count


def _render_overview(job, user, today) -> tuple[bytes, str, int]:
    request = actions_report_request(user, QueryDict(job.params.get("query", "")), today=today)
    context = request.context(language=job.language)
    pdf = render_actions_report(context, language=job.language)
    return pdf, actions_filename(today), context["total"]


def run_job(job_id) -> str:
    """Render one job; returns its final status. Claims the job first, so two workers that
    were handed the same job render it once."""
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    job = ReportJob.objects.defer("content").select_related("requested_by").get(pk=job_id)
    try:
        user = job.requested_by
        if not user.is_active:
            raise PermissionError("the requester's account is no longer active")
        today = timezone.localdate(job.created_at)
        render = _render_export if job.report in EXPORT_KINDS else _render_overview
        content, filename, count = render(job, user, today)
    except Exception as error:  # the job must end as failed, whatever went wrong
        logger.exception("Report job %s failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return ReportJob.Status.FAILED
    ReportJob.objects.filter(pk=job_id).update(
        status=ReportJob.Status.DONE,
        content=content,
        filename=filename,
        item_count=count,
        finished_at=timezone.now(),
    )
    return ReportJob.Status.DONE


@task()
def render_report(job_id: str) -> str:
    return run_job(job_id)
