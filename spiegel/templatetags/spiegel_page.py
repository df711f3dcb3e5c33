"""Template tags of the page frame (templates/base.html); they know no app."""

from django import template

register = template.Library()

SITE = "Spiegel"


class PageTitleNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        title = " ".join(self.nodelist.render(context).split())
        return f"{title} · {SITE}" if title else SITE


@register.tag("page_title")
def page_title(parser, token):
    """`{% page_title %}{% block title %}{% endblock %}{% endpage_title %}`: the page's own
    title, a separator and the site's name ("Inloggen · Spiegel"), or the name alone."""
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return PageTitleNode(nodelist)
