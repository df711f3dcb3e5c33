"""Spiegel's house formats in Dutch (settings.FORMAT_MODULE_PATH): `|date` and
`|date:"DATETIME_FORMAT"` give them, so no template spells a format by hand. The weekday forms
Django has no name for are in spiegel/dates.py. Parsing (the *_INPUT_FORMATS) stays Django's."""

from django.conf.locale.nl.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"  # 3 november 2026
TIME_FORMAT = "H:i"  # 14:05
DATETIME_FORMAT = "j F Y, H:i"  # 3 november 2026, 14:05
YEAR_MONTH_FORMAT = "F Y"  # november 2026
MONTH_DAY_FORMAT = "j F"  # 3 november
# Tables and lists: the month abbreviated the Dutch way, lower case with a full stop ("nov.",
# "mei"), from the "abbrev. month" entries of locale/nl (Django's own say "nov").
SHORT_DATE_FORMAT = "j N Y"  # 3 nov. 2026
SHORT_DATETIME_FORMAT = "j N Y, H:i"  # 3 nov. 2026, 14:05
