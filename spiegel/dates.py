"""The two date forms Django's format localisation has no name for, built on the house formats
of spiegel/formats (DATE_FORMAT, DATETIME_FORMAT of the active language): the date with its
weekday, for an appointment one has to keep ("dinsdag 3 november 2026"), with or without the
time. Everything else is `|date`, `|date:"DATETIME_FORMAT"`, `|date:"SHORT_DATE_FORMAT"` or
`|time`, and `django.utils.formats.date_format(value, "…_FORMAT")` in Python.

And the start of a Dutch day as an instant, for filtering a day or a period of days as a range
that an index on the timestamp answers (a `__date` lookup converts every row)."""

import datetime as dt

from django.utils import formats, timezone


def midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in the current time zone (Dutch time, as `__date` lookups use)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def weekday_date(value) -> str:
    """ "dinsdag 3 november 2026", "Tuesday 3 November 2026"."""
    if value in (None, ""):
        return ""
    return formats.date_format(value, "l " + formats.get_format("DATE_FORMAT"))


def weekday_datetime(value) -> str:
    """ "dinsdag 3 november 2026, 14:05", "Tuesday 3 November 2026, 14:05"."""
    if value in (None, ""):
        return ""
    return formats.date_format(value, "l " + formats.get_format("DATETIME_FORMAT"))
