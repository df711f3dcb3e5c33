"""`{% session_reports session as documents %}`: the session's PDFs the current user may
download now, as (label, url) pairs, for templates/reports/_links.html."""

from django import template
from django.urls import reverse

from findings.views.reports import available_documents

register = template.Library()


@register.simple_tag
def session_reports(session):
    return [
        (document.label, reverse(f"{document.name}_pdf", args=[session.pk]))
        for document in available_documents(session)
    ]
