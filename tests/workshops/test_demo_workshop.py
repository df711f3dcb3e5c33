from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from workshops.models import RoundEvaluation, Workshop

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_closed_role_play_workshop_with_evaluations():
    out = StringIO()
    call_command("demo", "--force", stdout=out)
    call_command("demo_workshop", "--force", stdout=out)  # again: replaces, no duplicate

    workshop = Workshop.objects.get(title__startswith="In gesprek over kwaliteit")
    assert workshop.is_closed
    assert workshop.participants.filter(role__isnull=False).count() == 7
    assert RoundEvaluation.objects.filter(round__workshop=workshop).count() == 21
    assert "/workshops/" in out.getvalue()


def test_the_demo_workshop_needs_the_demo_first():
    with pytest.raises(CommandError, match="Maak eerst de demo"):
        call_command("demo_workshop", "--force", stdout=StringIO())
