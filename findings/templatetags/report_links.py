"""`{% session_reports session organisations as documents %}`: the session's PDFs the current
user may download now, as (label, url, variants) triples for templates/reports/_links.html.
`variants` are (label, url) pairs of the report made for one organisation, when the session has
several (a werkplaats of municipalities); `organisations` is the page's own list of the
session's organisations, so no query is added."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from findings.reports.documents import ORGANISATION_PARAMETER
from findings.views.reports import available_documents

register = template.Library()


@register.simple_tag
def session_reports(session, organisations=()):
    organisations = list(organisations)
    documents = []
    for document in available_documents(session):
        url = reverse(f"{document.name}_pdf", args=[session.pk])
        variants = []
        if document.per_organisation and len(organisations) > 1:
            variants = [
                (
                    _("Verslag voor %(name)s") % {"name": o.name},
                    f"{url}?{urlencode({ORGANISATION_PARAMETER: o.pk})}",
                )
                for o in organisations
            ]
        documents.append((document.label, url, variants))
    return documents
