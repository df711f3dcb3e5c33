"""The breadcrumb trail of a staff page, one markup for every area; it knows no app.

    {% load breadcrumbs %}
    {% breadcrumbs %}
      {% crumb _("Organisaties") "organisation_list" %}
      {% crumb organisation.name "organisation_detail" organisation.pk %}
      {% crumb _("Nieuwe regel") %}
    {% endbreadcrumbs %}

A crumb with a URL name (and its arguments) or an `href=` is a link to a page above this one; a
crumb without either is the current page (`aria-current="page"`). Every label is shortened to
60 characters, so a long session title never pushes the trail over two lines.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext

register = template.Library()

LABEL_LENGTH = 60


def trail(content, css=""):
    """The trail around rendered crumbs: a navigation landmark named "Kruimelpad"."""
    return format_html(
        '<nav aria-label="{}"><ol class="{}">{}</ol></nav>',
        gettext("Kruimelpad"),
        f"breadcrumb {css}".strip(),
        content,
    )


def step(label, href=None):
    """One rendered crumb: a link when it has somewhere to go, else the current page."""
    label = Truncator(str(label)).chars(LABEL_LENGTH)
    if href:
        return format_html('<li class="breadcrumb-item"><a href="{}">{}</a></li>', href, label)
    return format_html('<li class="breadcrumb-item active" aria-current="page">{}</li>', label)


@register.simple_block_tag
def breadcrumbs(content, css=""):
    """`{% breadcrumbs %}{% crumb … %}…{% endbreadcrumbs %}`; `css` adds classes to the trail."""
    return trail(content, css)


@register.simple_tag
def crumb(label, url_name=None, *args, href=None):
    """`{% crumb label "url_name" arg… %}`, `{% crumb label href=url %}`, or the current page."""
    return step(label, reverse(url_name, args=args) if url_name else href)
