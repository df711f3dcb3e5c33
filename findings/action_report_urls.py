"""The actions overview PDF, mounted by spiegel.urls under /actions/ (before the action pages)."""

from django.urls import path

from . import report_views as views

urlpatterns = [
    path("report.pdf", views.actions_report, name="actions_report_pdf"),
    path("report.html", views.actions_report_preview, name="actions_report_preview"),
    path("report/<uuid:job_id>/", views.actions_report_job, name="actions_report_job"),
    path(
        "report/<uuid:job_id>/download",
        views.actions_report_job_download,
        name="actions_report_job_download",
    ),
]
