"""One way of writing dates (issue 12): the house formats of spiegel/formats through Django's
format localisation, and the weekday forms of spiegel/dates.py, in Dutch and English."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

# A Tuesday, 13:05 UTC: 14:05 in Amsterdam (winter time).
MOMENT = dt.datetime(2026, 11, 3, 13, 5, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 3)

SHOWN = {
    "nl": {
        "{{ day|date }}": "3 november 2026",
        '{{ moment|date:"DATETIME_FORMAT" }}': "3 november 2026, 14:05",
        '{{ day|date:"SHORT_DATE_FORMAT" }}': "3 nov. 2026",
        '{{ moment|date:"SHORT_DATETIME_FORMAT" }}': "3 nov. 2026, 14:05",
        '{{ day|date:"YEAR_MONTH_FORMAT" }}': "november 2026",
        "{{ moment|time }}": "14:05",
        "{{ day|weekday_date }}": "dinsdag 3 november 2026",
        "{{ moment|weekday_datetime }}": "dinsdag 3 november 2026, 14:05",
    },
    "en": {
        "{{ day|date }}": "3 November 2026",
        '{{ moment|date:"DATETIME_FORMAT" }}': "3 November 2026, 14:05",
        '{{ day|date:"SHORT_DATE_FORMAT" }}': "3 Nov. 2026",
        '{{ moment|date:"SHORT_DATETIME_FORMAT" }}': "3 Nov. 2026, 14:05",
        '{{ day|date:"YEAR_MONTH_FORMAT" }}': "November 2026",
        "{{ moment|time }}": "14:05",
        "{{ day|weekday_date }}": "Tuesday 3 November 2026",
        "{{ moment|weekday_datetime }}": "Tuesday 3 November 2026, 14:05",
    },
}


def render(source, **context):
    return Template("{% load spiegel_dates %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "source", "expected"),
    [
        (language, source, expected)
        for language, rows in SHOWN.items()
        for source, expected in rows.items()
    ],
)
def test_each_named_format_gives_the_house_date(language, source, expected):
    with translation.override(language):
        assert render(source, day=DAY, moment=MOMENT) == expected


@pytest.mark.parametrize(
    ("month", "nl", "en"),
    [(3, "mrt.", "March"), (5, "mei", "May"), (6, "jun.", "June"), (9, "sep.", "Sept.")],
)
def test_the_short_month_is_dutch_lower_case_with_a_full_stop_except_may(month, nl, en):
    source = '{{ day|date:"SHORT_DATE_FORMAT" }}'
    day = dt.date(2026, month, 14)
    with translation.override("nl"):
        assert render(source, day=day) == f"14 {nl} 2026"
    with translation.override("en"):
        assert render(source, day=day) == f"14 {en} 2026"


def test_no_date_shows_nothing_rather_than_an_error():
    with translation.override("nl"):
        assert render("[{{ none|weekday_date }}][{{ none|weekday_datetime }}]", none=None) == "[][]"


def test_no_template_spells_a_date_format_by_hand():
    """A date shown to a person goes through a named format or spiegel_dates, so the house
    format lives in spiegel/formats only; "c" (ISO, for datetime attributes) is the exception."""
    spelled = re.compile(r"""\|(?:date|time):["'](?![A-Z_]+_FORMAT["'])(?!c["'])[^"']*["']""")
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*")
        if path.is_file() and path.suffix in {".html", ".txt"}
        for match in spelled.finditer(path.read_text())
    ]
    assert found == []
