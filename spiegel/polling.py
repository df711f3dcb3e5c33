"""Polled htmx fragments that say when they have not changed.

A page polls a small fragment of server state. Each answer carries the fragment's version in a
hidden field that the next poll sends back as `v`; an unchanged fragment answers 204, so htmx
swaps nothing, nothing flickers and screen readers announce nothing twice. When there is
nothing more to follow the answer is 286, which stops htmx polling.
"""

import hashlib

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.html import format_html

POLL_DONE = 286  # htmx stops polling on this status


def fragment(request, template, context) -> tuple[str, str]:
    """The fragment's HTML, and a hidden field carrying its version for the next poll."""
    html = render_to_string(template, context, request)
    version = hashlib.blake2s(html.encode(), digest_size=8).hexdigest()
    marker = format_html('<input type="hidden" name="v" value="{}">', version)
    return html + marker, version


def poll_response(request, template, context, *, done: bool) -> HttpResponse:
    """The fragment for a poll: 204 when the poller has it already, 286 once `done`."""
    html, version = fragment(request, template, context)
    if done:
        return HttpResponse(html, status=POLL_DONE)
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    return HttpResponse(html)
