"""Large actions overviews render in the background: threshold → job → progress page →
download; failures, pruning, double clicks, and that a job is only its requester's."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from findings.models import ReportJob
from findings.reports import jobs as report_tasks
from findings.views import reports as report_views
from participants.constants import AccessAction
from participants.models import AccessLog
from tests.pdf_helpers import assert_accessible, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shared_action_world(shared_action_world, django_db_blocker):
    """The module's ActionWorld (built once) with five more actions."""
    with django_db_blocker.unblock():
        shared_action_world.more_actions(5)
    return shared_action_world


@pytest.fixture
def w(action_world, monkeypatch):
    # Six actions are "large" here; the real threshold is a few hundred.
    monkeypatch.setattr(report_views, "ACTIONS_INLINE_LIMIT", 3)
    return action_world


def flat(text):
    return "".join(text.split())


class NoWorker:
    """A queue nobody works on: jobs stay queued."""

    def enqueue(self, *args, **kwargs):
        return None


def request_report(client, user, params=None):
    client.force_login(user)
    return client.get("/actions/report.pdf", params or {})


def test_a_small_overview_comes_straight_back(client, w, monkeypatch):
    monkeypatch.setattr(report_views, "ACTIONS_INLINE_LIMIT", 300)
    response = request_report(client, w.coordinator)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert not ReportJob.objects.exists()


def test_a_large_overview_becomes_a_job_with_a_progress_page_and_a_download(client, w):
    response = request_report(client, w.coordinator, {"status": "unfinished"})
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == f"/actions/report/{job.pk}/"
    # The immediate backend (tests) ran the job inside the request.
    assert job.status == ReportJob.Status.DONE
    assert job.requested_by == w.coordinator
    assert job.params == {"query": "status=unfinished"}
    assert job.language == "nl"
    assert job.finished_at is not None

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert f'href="/actions/report/{job.pk}/download"' in html
    assert "hx-trigger" not in html  # done: no more polling

    download = client.get(f"/actions/report/{job.pk}/download")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{job.filename}"'
    assert download["Cache-Control"] == "private, no-store"
    data = download.getvalue()
    assert_accessible(data)
    text = flat(pdf_text(data))
    assert "Nognietaf" in text  # the filter is named on the cover
    assert flat(w.action.title) in text


def test_the_download_is_logged_not_the_request(client, w):
    request_report(client, w.coordinator)
    assert not AccessLog.objects.filter(action=AccessAction.DOWNLOAD_REPORT).exists()
    job = ReportJob.objects.get()
    client.get(f"/actions/report/{job.pk}/download")
    entry = AccessLog.objects.get(action=AccessAction.DOWNLOAD_REPORT)
    assert entry.user == w.coordinator
    assert entry.detail.startswith(f"actions/report.pdf: {job.item_count} acties")


def test_a_pending_job_polls_and_its_download_waits(client, w):
    job = ReportJob.objects.create(
        requested_by=w.coordinator,
        report="actions",
        params={"query": ""},
        language="nl",
        item_count=1034,
    )
    client.force_login(w.coordinator)
    html = client.get(f"/actions/report/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "1034 verbeteracties wordt gemaakt" in html
    assert "Het staat in de wachtrij." in html
    poll = f"/actions/report/{job.pk}/?seen=queued"
    assert client.get(poll, headers={"HX-Request": "true"}).status_code == 204  # no change
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING)
    fragment = client.get(poll, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="job-status-body"')
    assert "seen=running" in fragment and "wachtrij" not in fragment
    response = client.get(f"/actions/report/{job.pk}/download")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == f"/actions/report/{job.pk}/"


def test_a_failed_job_says_so_in_dutch_without_technical_details(client, w, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire at /var/secret")

    monkeypatch.setattr(report_tasks, "render_actions_report", broken)
    response = request_report(client, w.coordinator, {"sort": "status"})
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.FAILED
    assert "RuntimeError" in job.error
    html = client.get(response["Location"]).content.decode()
    assert "Het overzicht kon niet worden gemaakt." in html
    assert "disk on fire" not in html and "RuntimeError" not in html
    assert 'href="/actions/report.pdf?sort=status"' in html  # try again
    assert client.get(f"/actions/report/{job.pk}/download").status_code == 302


def test_a_job_is_only_its_requesters(client, w):
    request_report(client, w.coordinator)
    job = ReportJob.objects.get()
    for user in (w.listener, w.outsider, w.facilitator):
        client.force_login(user)
        assert client.get(f"/actions/report/{job.pk}/").status_code == 404
        assert client.get(f"/actions/report/{job.pk}/download").status_code == 404
    client.logout()
    response = client.get(f"/actions/report/{job.pk}/download")
    assert urlsplit(response["Location"]).path == "/accounts/login/"


def test_an_unknown_job_is_404(client, w):
    client.force_login(w.coordinator)
    assert client.get("/actions/report/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_job_renders_what_the_requester_may_see_at_rendering_time(w):
    job = report_tasks.start_actions_job(user=w.listener, query="", language="nl", item_count=0)
    job.refresh_from_db()
    visible = flat(pdf_text(bytes(job.content)))
    assert flat(w.action.title) in visible  # the listener listened in on this session
    outsider_job = report_tasks.start_actions_job(
        user=w.outsider, query="", language="nl", item_count=0
    )
    outsider_job.refresh_from_db()
    assert flat(w.action.title) not in flat(pdf_text(bytes(outsider_job.content)))


def test_jobs_older_than_a_day_are_pruned_when_a_new_one_is_made(w):
    old = ReportJob.objects.create(
        requested_by=w.outsider,
        report="actions",
        params={},
        language="nl",
        created_at=timezone.now() - dt.timedelta(days=2),
    )
    recent = ReportJob.objects.create(
        requested_by=w.outsider,
        report="actions",
        params={},
        language="nl",
        created_at=timezone.now() - dt.timedelta(hours=3),
        status=ReportJob.Status.DONE,
    )
    report_tasks.start_actions_job(user=w.coordinator, query="", language="nl", item_count=6)
    assert not ReportJob.objects.filter(pk=old.pk).exists()
    assert ReportJob.objects.filter(pk=recent.pk).exists()


def test_a_second_click_while_the_job_runs_reuses_it(w, monkeypatch):
    monkeypatch.setattr(report_tasks, "render_report", NoWorker())
    first = report_tasks.start_actions_job(
        user=w.coordinator, query="a=1", language="nl", item_count=6
    )
    again = report_tasks.start_actions_job(
        user=w.coordinator, query="a=1", language="nl", item_count=6
    )
    other = report_tasks.start_actions_job(
        user=w.coordinator, query="a=2", language="nl", item_count=6
    )
    assert again.pk == first.pk
    assert other.pk != first.pk


def test_a_job_runs_once_even_if_two_workers_get_it(w, monkeypatch):
    monkeypatch.setattr(report_tasks, "render_report", NoWorker())
    job = report_tasks.start_actions_job(user=w.coordinator, query="", language="nl", item_count=6)
    assert report_tasks.run_job(job.pk) == ReportJob.Status.DONE
    assert report_tasks.run_job(job.pk) == "skipped"


def test_an_english_request_makes_an_english_job(client, w):
    client.cookies["django_language"] = "en"
    request_report(client, w.coordinator)
    job = ReportJob.objects.get()
    assert job.language == "en"
    data = client.get(f"/actions/report/{job.pk}/download").getvalue()
    assert_accessible(data, lang="en")
