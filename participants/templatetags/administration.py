from django import template

from participants import access

register = template.Library()


@register.simple_tag(takes_context=True)
def offers_administration(context) -> bool:
    """Whether the navigation shows the beheer link (participants.access decides)."""
    request = context.get("request")
    return request is not None and access.offers_administration(request)
