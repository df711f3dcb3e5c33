"""Keyset pages (spiegel/pagination.py): every row once, in order, both ways, through ties
and NULLs, and a stale cursor opens the first page."""

import datetime as dt

import pytest
from django.utils import timezone

from sessions.models import Session
from spiegel.pagination import capped_count, keyset_order, keyset_page
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions():
    day = timezone.now()
    for i in range(11):
        # Drafts without a date, and dates shared by several sessions.
        starts_at = None if i % 4 == 0 else day - dt.timedelta(days=i % 3)
        SessionFactory(title=f"Gesprek {i}", starts_at=starts_at)
    return Session.objects.all()


@pytest.mark.parametrize("keys", [("-starts_at", "-pk"), ("starts_at", "pk"), ("-starts_at", "pk")])
def test_pages_hold_every_row_once_in_order_both_ways(sessions, keys):
    everything = list(sessions.order_by(*keyset_order(keys)))
    assert everything[0 if keys[0].startswith("-") else -1].starts_at is None  # NULL largest
    forward, params, pages = [], {}, []
    while True:
        page = keyset_page(sessions, params, keys=keys, size=3, nullable={"starts_at"})
        pages.append(page.object_list)
        forward += page.object_list
        assert page.has_previous == bool(params)
        if not page.has_next:
            break
        params = {"after": str(page.next_cursor)}
    assert forward == everything
    # And back from the last page to the first.
    backward = [pages[-1]]
    page = pages[-1]
    cursor = page[0].pk
    while True:
        page = keyset_page(
            sessions, {"before": str(cursor)}, keys=keys, size=3, nullable={"starts_at"}
        )
        backward.insert(0, page.object_list)
        if not page.has_previous:
            break
        cursor = page.previous_cursor
    assert [s for p in backward for s in p] == everything[: len(everything)]


@pytest.mark.parametrize("cursor", ["999999", "abc", "-1", "9" * 40, ""])
def test_a_stale_or_bogus_cursor_opens_the_first_page(sessions, cursor):
    page = keyset_page(sessions, {"after": cursor}, keys=("-starts_at", "-pk"), size=3)
    assert page.object_list == list(sessions.order_by(*keyset_order(("-starts_at", "-pk"))))[:3]
    assert not page.has_previous


def test_the_count_stops_at_the_cap(sessions):
    assert capped_count(sessions, cap=5) == 6
    assert capped_count(sessions, cap=50) == 11
