"""Issue 12 (c3.4): destructive and final actions are quieter and confirmed.

Each such button is an outline or link button (never the page's primary, nor a solid danger,
warning or success button) and asks first: its form carries `data-confirm`
(static/js/spiegel.js), the button `data-confirm-click` (static/js/debrief.js), or, for ending
the meeting, the form `data-live-end` (static/js/note-queue.js, which confirms and first sends
the notes still queued)."""

import re

import pytest
from django.urls import reverse

from findings.models import FeedbackLetter
from sessions.constants import Status
from sessions.models import Session
from tests.test_permissions import workshop_in

pytestmark = pytest.mark.django_db

LOUD = re.compile(r"\bbtn-(primary|danger|warning|success)\b")


def forms_posting_to(page, action):
    """Each form posting to `action`: (its opening tag, its submit buttons' opening tags)."""
    found = []
    for match in re.finditer(r"<form\b[^>]*>.*?</form>", page, re.S):
        form = match.group(0)
        tag = form[: form.index(">") + 1]
        if f'action="{action}"' in tag:
            found.append((tag, re.findall(r"<button\b[^>]*>", form)))
    return found


CASES = {
    # name: (role, status, page, the form's action, the button that does it)
    "back to draft": ("facilitator", Status.PLANNED, "session_detail", "unplan", None),
    "end the meeting": ("facilitator", Status.LIVE, "live", "live_end", None),
    "conclude the debrief": ("coordinator", Status.DEBRIEF, "debrief", "debrief_conclude", None),
    "delete a lesson": ("listener", Status.DEBRIEF, "debrief", "debrief_lesson_delete", None),
    "make the letter final": (
        "listener",
        Status.DEBRIEF,
        "feedback_letter",
        "feedback_letter",
        'name="finalise"',
    ),
    "redraft the letter": ("listener", Status.DEBRIEF, "feedback_letter", "feedback_redraft", None),
    "remove a listener": ("facilitator", Status.PLANNED, "listeners", "listener_delete", None),
    "remove a panel member": (
        "facilitator",
        Status.PLANNED,
        "panel_member_edit",
        "panel_member_delete",
        None,
    ),
    "delete a question": ("facilitator", Status.DRAFT, "guide", "question_delete", None),
    "delete a rule": ("facilitator", Status.DRAFT, "rules", "rule_delete", None),
    "withdraw a member's consent": (
        "coordinator",
        Status.CLOSED,
        "panel_member_rights",
        "panel_member_withdraw",
        None,
    ),
    "erase a member": (
        "coordinator",
        Status.CLOSED,
        "panel_member_rights",
        "panel_member_erase",
        None,
    ),
    "remove an organisation member": (
        "beheerder",
        None,
        "organisation_detail",
        "organisation_member_remove",
        None,
    ),
    "withdraw an organisation invitation": (
        "beheerder",
        None,
        "organisation_detail",
        "organisation_invitation_withdraw",
        None,
    ),
    "delete an organisation rule": ("beheerder", None, "org_rules", "org_rule_delete", None),
    "delete a library question": ("beheerder", None, "org_library", "org_library_delete", None),
    "delete a workshop role": (
        "facilitator",
        None,
        "workshop_detail",
        "workshop_item_delete",
        None,
    ),
}


def urls(worlds, role, status, page, action):
    """The page and the action's address, for the objects of `worlds` the action names."""
    if status is None and page.startswith("workshop"):
        workshop = workshop_in(worlds, Status.DRAFT)
        role_item = workshop.roles.first()
        return (
            reverse(page, args=[workshop.pk]),
            reverse(action, args=[workshop.pk, "roles", role_item.pk]),
        )
    if status is None:
        org = worlds.org_a.pk
        target = {
            # The address names the user, not the membership (equal pks only by chance).
            "organisation_member_remove": lambda: worlds.member.pk,
            "organisation_invitation_withdraw": lambda: worlds.invitation.pk,
            "org_rule_delete": lambda: worlds.org_rule.pk,
            "org_library_delete": lambda: worlds.library_question.pk,
        }[action]()
        return reverse(page, args=[org]), reverse(action, args=[org, target])
    s = worlds[status]
    pk = s.session.pk
    if action == "unplan":
        return reverse(page, args=[pk]), reverse("session_transition", args=[pk, "unplan"])
    member_pages = {"panel_member_edit", "panel_member_rights"}
    page_url = reverse(page, args=[pk, s.member.pk] if page in member_pages else [pk])
    extra = {
        "debrief_lesson_delete": [s.lesson_for(role).pk],
        "listener_delete": [s.listener_entry.pk],
        "panel_member_delete": [s.member.pk],
        "question_delete": [s.question.pk],
        "rule_delete": [s.rule.pk],
        "panel_member_withdraw": [s.member.pk],
        "panel_member_erase": [s.member.pk],
    }.get(action, [])
    return page_url, reverse(action, args=[pk, *extra])


@pytest.mark.parametrize("case", CASES)
def test_destructive_and_final_actions_are_quiet_and_ask_first(worlds, client_for, case):
    role, status, page, action, button_marker = CASES[case]
    if action == "live_end":  # the end button is offered from the clarifying step on
        Session.objects.filter(pk=worlds[status].session.pk).update(live_step="clarifying")
    if page == "feedback_letter":
        FeedbackLetter.objects.update_or_create(
            session=worlds[status].session, defaults={"text": "Beste deelnemer, u zei …"}
        )
    page_url, action_url = urls(worlds, role, status, page, action)

    response = client_for(role).get(page_url)
    assert response.status_code == 200, page_url
    forms = forms_posting_to(response.content.decode(), action_url)

    assert forms, f"no form posting to {action_url} on {page_url}"
    for tag, buttons in forms:
        if button_marker:
            buttons = [b for b in buttons if button_marker in b]
        assert buttons, tag
        for button in buttons:
            assert not LOUD.search(button), button
            asks = (
                "data-confirm=" in tag or "data-live-end" in tag or "data-confirm-click=" in button
            )
            assert asks, (tag, button)
