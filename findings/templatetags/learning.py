"""The insights page's block on actions that came from listeners' reflections.

A template block of its own beside the insights service (findings.services.insights), so the
two change independently: `{% reflection_actions organisation start end %}`, one query.
"""

from django import template

from findings.services.learning import reflection_actions as months_of

register = template.Library()


@register.inclusion_tag("findings/learning/_insights.html")
def reflection_actions(organisation, start, end):
    months = months_of(organisation=organisation, start=start, end=end)
    return {
        "months": months,
        "total": sum(m.actions for m in months),
        "done": sum(m.done for m in months),
    }
