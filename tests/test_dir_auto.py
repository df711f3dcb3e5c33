"""Issue 12 (a9): clients' words may be Arabic or mix scripts, so every element that shows them
carries dir="auto" (the browser takes the direction from the text itself), on every page that
shows them: findings and quotes, the sentences written for clients, their evaluation comments."""

import html
import re

import pytest
from django.test import Client

from findings.services import follow
from sessions.constants import Status
from sessions.models import Session
from tests.factories import ReportWorld
from tests.fixtures import login

pytestmark = pytest.mark.django_db


def shown_without_direction(page, text):
    """Each place `text` is shown whose element does not carry dir="auto"."""
    bad = []
    for match in re.finditer(re.escape(html.escape(text, quote=False)), page):
        start = page.rindex("<", 0, match.start())
        tag = page[start : page.index(">", start) + 1]
        if 'dir="auto"' not in tag:
            bad.append(tag)
    return bad


def test_clients_words_carry_dir_auto_wherever_they_are_shown():
    w = ReportWorld()
    s = w.session.pk
    findings = [f.text for f in w.findings] + [w.quote_a.text]
    sentence = w.letter_action.client_sentence
    comment = "Mijn buurvrouw Truus zei dat ook."  # the clients' evaluation comments
    link = follow.issue_link(member=w.member, by=w.facilitator)

    def pages():
        yield w.listener, f"/sessions/{s}/debrief/", findings
        yield w.listener, f"/actions/{w.letter_action.pk}/", [sentence, w.findings[4].text]
        yield w.coordinator, f"/sessions/{s}/feedback/", [sentence]
        yield w.coordinator, f"/sessions/{s}/evaluation/", [comment]
        yield None, f"/u/{link.token}/", [sentence]
        # While the meeting runs: the notes of the current question on the live page.
        Session.objects.filter(pk=s).update(
            status=Status.LIVE, live_step="questions", current_question=w.question
        )
        yield w.facilitator, f"/sessions/{s}/live/", [w.findings[0].text]

    for user, url, texts in pages():
        client = Client()
        if user:
            login(client, user)
        page = client.get(url).content.decode()
        for text in texts:
            assert html.escape(text, quote=False) in page, (url, text)
            assert not shown_without_direction(page, text), (url, text)
