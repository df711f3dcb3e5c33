"""Session PDFs, mounted by sessions.urls under /sessions/<pk>/: report.pdf, listener-info.pdf,
rules-card.pdf, feedback-letter.pdf, and a DEBUG-only HTML preview of each (report.html, …)."""

from django.urls import path

from . import report_views as views
from .reports import SESSION_DOCUMENTS

urlpatterns = [
    *(
        path(f"{d.slug}.pdf", views.session_document, {"slug": d.slug}, name=f"{d.name}_pdf")
        for d in SESSION_DOCUMENTS.values()
    ),
    *(
        path(
            f"{d.slug}.html",
            views.session_document_preview,
            {"slug": d.slug},
            name=f"{d.name}_preview",
        )
        for d in SESSION_DOCUMENTS.values()
    ),
]
