"""Spiegel's house formats in English (settings.FORMAT_MODULE_PATH): the same day-month-year
order and 24-hour clock as the Dutch ones, so a date reads alike in both languages. Parsing
(the *_INPUT_FORMATS) stays Django's."""

from django.conf.locale.en.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"  # 3 November 2026
TIME_FORMAT = "H:i"  # 14:05
DATETIME_FORMAT = "j F Y, H:i"  # 3 November 2026, 14:05
YEAR_MONTH_FORMAT = "F Y"  # November 2026
MONTH_DAY_FORMAT = "j F"  # 3 November
SHORT_DATE_FORMAT = "j N Y"  # 3 Nov. 2026
SHORT_DATETIME_FORMAT = "j N Y, H:i"  # 3 Nov. 2026, 14:05
FIRST_DAY_OF_WEEK = 1  # Monday, as in the Netherlands
