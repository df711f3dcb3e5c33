"""A query prepared once (spiegel.compiled.Prepared) in one thread runs in another on that
thread's connection. Apart from tests/test_prepared.py: it needs committed rows, which the
shared worlds of that module do not survive."""

import pytest


@pytest.mark.django_db(transaction=True)
def test_a_prepared_query_runs_on_the_connection_of_the_thread_that_asks():
    """Compiled in one thread, run in another: on that thread's own connection."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from findings.services import debrief
    from tests.factories import DebriefWorld

    session = DebriefWorld().session
    expected = [q.pk for q in session.questions.all()]
    assert [q.pk for q in debrief._QUESTIONS.rows(session=session.pk)] == expected

    def elsewhere():
        try:
            return [q.pk for q in debrief._QUESTIONS.rows(session=session.pk)]
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(elsewhere).result() == expected
