"""`{{ value|weekday_date }}` and `{{ value|weekday_datetime }}`: the date with its weekday
(spiegel/dates.py). Datetimes are shown in the current time zone, as `|date` does."""

from django import template

from spiegel import dates

register = template.Library()


@register.filter(expects_localtime=True)
def weekday_date(value):
    return dates.weekday_date(value)


@register.filter(expects_localtime=True)
def weekday_datetime(value):
    return dates.weekday_datetime(value)
