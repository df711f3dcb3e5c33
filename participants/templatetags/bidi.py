"""`{{ value|isolate }}`: user text inside a sentence of another direction (a Dutch theme or
organisation name in an Arabic page), wrapped in <bdi> so its punctuation stays its own."""

from django import template
from django.utils.html import conditional_escape, format_html

register = template.Library()


@register.filter
def isolate(value):
    return format_html("<bdi>{}</bdi>", conditional_escape(value))
