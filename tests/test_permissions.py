"""One permission matrix: every URL of the URLconf × every role × GET and POST (DESIGN.md §6).

The URLs come from the resolver, not from a list kept by hand; every URL name must have an
expectation table in EXPECTED, so a new URL cannot slip in untested. A table gives, per status
of the session the URL is asked about, the answer of each role in ROLES order:

    facilitator  co_facilitator  listener  coordinator  member  beheerder  staff  outsider
    anonymous

404 is for who may not see (the object does not exist for them), 403 for who sees but may
not change, 302 for anonymous is the login page (its `next` is checked), 405 a method the URL
does not take. POSTs carry the least data a form needs to succeed (POST_DATA) or none.

Each session status is a session of the shared `worlds` (tests/fixtures.py), built once for
this module; every request runs in a savepoint that is rolled back, so a POST that changes
something changes nothing for the next one.

Admin, i18n, login/logout, the health check and the DEBUG-only previews have their small
expectation in OTHER_URLS; the sign-in pages under /accounts/ (django-allauth: password reset
and change, two-factor, single sign-on) concern only the visitor's own account and have theirs
in ACCOUNT_PAGES: one answer for every logged-in role, one for anonymous visitors.
"""

import datetime as dt
import functools
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from participants.services.organisations import invitation_token
from sessions.constants import Status
from sessions.models import LibraryQuestion
from tests.factories import ROLES
from workshops import services as workshop_services
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

DRAFT, PLANNED, LIVE, DEBRIEF, CLOSED = (
    Status.DRAFT,
    Status.PLANNED,
    Status.LIVE,
    Status.DEBRIEF,
    Status.CLOSED,
)
ANY = "-"  # a URL that names no session


# — the URLs, from the URLconf —


def walk(patterns, prefix="", namespace=""):
    """(route, namespaced name) of every URL pattern, recursively."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            # The admin's unnamed redirects are known by their route.
            yield route, f"{namespace}{entry.name or route}"


@functools.cache
def all_urls():
    """{name: route} of every URL the project answers, admin included."""
    urls = {}
    for route, name in walk(get_resolver().url_patterns):
        assert name not in urls, f"two URLs are named {name!r}: {urls[name]} and {route}"
        urls[name] = route
    return urls


def is_other(route, name):
    return route.startswith(("admin/", "i18n/")) or name in OTHER_URLS or name in ACCOUNT_PAGES


# — filling in the path parameters —


def path_for(name, worlds, status, role):
    """The URL `name` with its parameters from the world of `status`."""
    w = worlds[status] if status != ANY else worlds[DEBRIEF]
    values = {
        "pk": w.action.pk if name in ("action_detail", "action_edit") else w.session.pk,
        "question_pk": w.question2.pk,
        "rule_pk": w.rule.pk,
        "member_pk": w.member.pk,
        "listener_pk": w.listener_entry.pk,
        "finding_pk": w.finding.pk,
        "lesson_pk": w.lesson_for(role).pk,
        "hit_pk": privacy_hit_in(w.finding).pk if "hit_pk" in all_urls()[name] else None,
        "token": w.evaluation.token,
        "job_id": worlds.report_job.pk,
        "action": "plan",
        "step": "opening",
        "table_pk": table_in(w).pk if "table_pk" in all_urls()[name] else None,
        "tip_pk": tips_in(w)[2].pk if "tip_pk" in all_urls()[name] else None,
    }
    if name.startswith(("organisation_", "org_")):
        values |= {
            "pk": worlds.org_a.pk,
            "user_pk": worlds.member.pk,
            "invitation_pk": worlds.invitation.pk,
            "rule_pk": worlds.org_rule.pk,
            "question_pk": worlds.library_question.pk,
        }
    if name.startswith("workshop_") and name not in ("workshop_list", "workshop_create"):
        workshop = workshop_in(worlds, status)
        values |= {
            "pk": workshop.pk,
            "kind": "rounds",
            "item_pk": workshop.rounds.first().pk,
            "round_pk": workshop.rounds.first().pk,
            "action": "next",
            "token": workshop.participants.first().token,
        }
    if name == "invitation_accept":
        values["token"] = invitation_token(worlds.invitation)
    if name.startswith("follow_"):
        values["token"] = follow_link_of(w.member).token
    if name == "privacy_statement_of":
        values["pk"] = worlds.org_a.pk
    parameters = re.findall(r"<(?:\w+:)?(\w+)>", all_urls()[name])
    return reverse(name, kwargs={p: values[p] for p in parameters})


def follow_link_of(member):
    """The member's working personal link to "U zei, wij deden" (made when it has none)."""
    from findings.models import FollowLink

    link = FollowLink.objects.active().filter(panel_member=member).first()
    if link is None:
        FollowLink.objects.filter(panel_member=member, revoked_at__isnull=True).delete()
        link = FollowLink.objects.create(
            panel_member=member, expires_at=timezone.now() + dt.timedelta(days=30)
        )
    return link


# A matrix status stands for the workshop's own: a draft session for a workshop in
# preparation, a live one for a running workshop, a closed one for a closed workshop.
WORKSHOP_STATUS = {DRAFT: "preparing", LIVE: "running", CLOSED: "closed"}


def workshop_in(worlds, status):
    """A workshop of organisation A led by the facilitator, with one personal link (without a
    role), in the workshop status that stands for `status`; made once per test."""
    title = f"Workshop {status}"
    workshop = Workshop.objects.filter(title=title).first()
    if workshop is None:
        workshop = workshop_services.create_workshop(
            organisation=worlds.org_a, title=title, facilitator=worlds.facilitator
        )
        workshop_services.add_links(workshop=workshop, count=1)
        Workshop.objects.filter(pk=workshop.pk).update(
            status=WORKSHOP_STATUS[status], current_round=workshop.rounds.first()
        )
        workshop.refresh_from_db()
    return workshop


def table_in(w):
    """A table of the world's session (kitchen tables), without a host: the facilitators
    capture for it; made once per test."""
    from sessions.models import SessionTable

    table, _created = SessionTable.objects.get_or_create(session=w.session, name="Tafel 1")
    return table


def tips_in(w):
    """Two golden tips of the world's table and a third that merges two others (made once)."""
    from findings.models import GoldenTip

    table = table_in(w)
    made = list(GoldenTip.objects.filter(session=w.session, merged_into__isnull=True))
    if len(made) >= 3:
        return made
    by = w.session.facilitator
    tips = [
        GoldenTip.objects.create(
            session=w.session, table=table, theme="Contact", text=f"Tip {n}", created_by=by
        )
        for n in range(1, 5)
    ]
    merged = GoldenTip.objects.create(
        session=w.session, theme="Contact", text="Samen", created_by=by
    )
    GoldenTip.objects.filter(pk__in=[tips[2].pk, tips[3].pk]).update(merged_into=merged)
    return [tips[0], tips[1], merged]


def privacy_hit_in(finding):
    """A privacy guard's hit in the world's finding (its words: the first four letters)."""
    from findings.models import PrivacyHit
    from findings.services.privacy import digest

    hit, _created = PrivacyHit.objects.get_or_create(
        session_id=finding.session_id,
        source="finding",
        object_id=finding.pk,
        field="text",
        defaults={"start": 0, "end": 4, "kind": "name", "digest": digest(finding.text[:4])},
    )
    return hit


# — what a POST carries —


def future(days=30):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def session_form(worlds, w):
    return {
        "title": "Spiegelgesprek Wmo",
        "organisations": [worlds.org_a.pk],
        "theme": "De Wmo-aanvraag",
        "starts_at": "2030-10-01T10:00",
        "duration_minutes": "120",
        "meeting_form": "in_person",
        "location": "Wijkcentrum",
        "facilitator": str(worlds.facilitator.pk),
        "language": "nl",
    }


def panel_form(worlds, w):
    return {"contact-name": "Nieuwe Cliënt", "member-status": "invited"}


POST_DATA = {
    "session_create": session_form,
    "session_edit": session_form,
    "guide": lambda worlds, w: {
        "new-text": "Hoe ging het?",
        "new-kind": "prepared",
        "new-planned_minutes": 10,
    },
    "guide_library": lambda worlds, w: {
        "lib-questions": [LibraryQuestion.objects.create(text="Wat ging goed?").pk]
    },
    "question_edit": lambda worlds, w: {
        "text": "Anders gesteld?",
        "kind": "prepared",
        "planned_minutes": 5,
    },
    "question_move": lambda worlds, w: {"direction": "up"},
    "rules": lambda worlds, w: {"new-text": "Iedereen is veilig."},
    "rules_settings": lambda worlds, w: {"settings-listener_questions_allowed": "on"},
    "rule_edit": lambda worlds, w: {"text": "Wij luisteren."},
    "rule_move": lambda worlds, w: {"direction": "down"},
    "panel": panel_form,
    "panel_member_edit": panel_form,
    "panel_member_withdraw": lambda worlds, w: {"withdraw-reason": "Moeder belde op."},
    "panel_member_erase": lambda worlds, w: {"erase-reason": "Verzoek per brief."},
    "panel_member_rectify": lambda worlds, w: {"contact-name": "Gecorrigeerde Naam"},
    "listeners": lambda worlds, w: {"new-name": "Gast Gerda", "new-function": "Beleid"},
    "listener_edit": lambda worlds, w: {
        "user": worlds.listener.pk,
        "name": "Lies",
        "function": "Manager",
    },
    "listener_briefed": lambda worlds, w: {"briefed": 1},
    "invitations": lambda worlds, w: {"listeners": "on"},
    "live_capture": lambda worlds, w: {
        "client_id": "6f1c1b1e-3c1a-4c44-9d3a-0c7c1c1c1c1c",
        "text": "Goed geholpen.",
        "kind": "positive",
    },
    "table_capture": lambda worlds, w: {
        "client_id": "7f1c1b1e-3c1a-4c44-9d3a-0c7c1c1c1c1c",
        "text": "Bel elkaar gewoon op.",
        "kind": "positive",
    },
    "table_tip": lambda worlds, w: {
        "client_id": "8f1c1b1e-3c1a-4c44-9d3a-0c7c1c1c1c1c",
        "theme": "Contact en kennismaken",
        "text": "Ken elkaar bij naam.",
    },
    "session_tables": lambda worlds, w: {
        "tables-TOTAL_FORMS": "1",
        "tables-INITIAL_FORMS": "0",
        "tables-0-name": "Tafel 2",
        "tables-0-host": str(w.session.facilitator_id),
    },
    "plenary": lambda worlds, w: {
        "tips": [tip.pk for tip in tips_in(w)[:2]],
        "theme": "Contact en kennismaken",
        "text": "Ken elkaar.",
    },
    "live_finding": lambda worlds, w: {"version": 1, "text": "Anders gezegd.", "kind": "positive"},
    "listen_jotting": lambda worlds, w: {"text": "Let op!"},
    "listen_learning": lambda worlds, w: {
        "question_1": "Wat maakt dat iemand zich gehoord voelt?",
        "touched": "Het verhaal over het wachten.",
        "change": "Ik bel voortaan zelf terug.",
    },
    "debrief_answers": lambda worlds, w: {"impact": "Het raakte ons.", "act_on": "Bellen."},
    "debrief_theme_create": lambda worlds, w: {"name": "Bejegening"},
    "debrief_bulk_theme": lambda worlds, w: {
        "findings": [w.finding.pk],
        "theme": worlds.theme.pk,
    },
    "debrief_finding_theme": lambda worlds, w: {"theme": ""},
    "debrief_blind_spot": lambda worlds, w: {"blind_spot": 1},
    "debrief_finding_correct": lambda worlds, w: {
        "version": w.finding.version,
        "text": "Anders gezegd.",
        "kind": "positive",
    },
    "debrief_lesson_add": lambda worlds, w: {"text": "Luister eerst."},
    "theme_suggestion_decide": lambda worlds, w: {"decision": "accept", "theme": worlds.theme.pk},
    "theme_suggestion_group": lambda worlds, w: {
        "decision": "accept",
        "name": "Bereikbaarheid",
        "findings": [w.finding.pk],
    },
    "debrief_action_new": lambda worlds, w: {
        "findings": [w.finding.pk],
        "title": "Terugbelbelofte nakomen",
        "owner": worlds.listener.pk,
        "due_date": future(),
        "priority": "high",
        "client_sentence": "U wordt binnen twee werkdagen teruggebeld.",
    },
    "feedback_letter": lambda worlds, w: {"text": "Beste deelnemer,"},
    "action_detail": lambda worlds, w: {"text": "Eerste belronde.", "status": "in_progress"},
    "action_edit": lambda worlds, w: {
        "title": "Terugbelbelofte nakomen",
        "owner": str(worlds.listener.pk),
        "due_date": future(14),
        "priority": "high",
        "client_sentence": "U wordt teruggebeld.",
    },
    "evaluation_form": lambda worlds, w: {"experience": "4"},
    # — the organisation's pages —
    "organisation_create": lambda worlds, w: {
        "name": "Gemeente Gamma",
        "kind": "gemeente",
        "retention_days": 180,
        "first_admin_email": "baas@gamma.nl",
    },
    "organisation_detail": lambda worlds, w: {
        "email": "collega@example.nl",
        "role": "professional",
    },
    "organisation_settings": lambda worlds, w: {"retention_days": 90},
    "organisation_member_roles": lambda worlds, w: {
        f"m{worlds.member.pk}-roles": ["professional", "coordinator"]
    },
    "org_rules": lambda worlds, w: {"new-text": "Telefoons uit."},
    "org_rule_edit": lambda worlds, w: {"text": "Wij luisteren zonder te reageren."},
    "org_rule_move": lambda worlds, w: {"direction": "up"},
    "org_library": lambda worlds, w: {
        "new-text": "Wat hielp u?",
        "new-kind": "prepared",
        "new-planned_minutes": 5,
    },
    "org_library_edit": lambda worlds, w: {
        "text": "Wat hielp u het meest?",
        "kind": "prepared",
        "planned_minutes": 5,
    },
    "org_library_move": lambda worlds, w: {"direction": "down"},
    "question_to_library": lambda worlds, w: {"organisation": worlds.org_a.pk},
    # — the role-play workshops —
    "workshop_create": lambda worlds, w: {"organisation": worlds.org_a.pk, "title": "Regio"},
    "workshop_edit": lambda worlds, w: {"title": "In gesprek over kwaliteit"},
    "workshop_links": lambda worlds, w: {"count": 2},
    "workshop_item_add": lambda worlds, w: {
        "rounds-kind": "open_table",
        "rounds-title": "Nog een gesprek",
        "rounds-minutes": 15,
    },
    "workshop_item_edit": lambda worlds, w: {"kind": "input", "title": "Uitleg", "minutes": 5},
    "workshop_play": lambda worlds, w: {"role": workshop_in(worlds, w.status).roles.first().pk},
    "workshop_round_evaluation": lambda worlds, w: {"feeling": "3"},
    "invitation_accept": lambda worlds, w: {
        "first_name": "Nina",
        "last_name": "Nieuw",
        "password1": "Spiegel-Wachtwoord-2026!",
        "password2": "Spiegel-Wachtwoord-2026!",
    },
}


# — the expectations —


def row(text):
    codes = [int(code) for code in text.split()]
    assert len(codes) == len(ROLES), text
    return dict(zip(ROLES, codes, strict=True))


def table(**by_status):
    """table(draft=("GET answers", "POST answers"), ...) → {status: {method: {role: code}}}."""
    return {
        status.replace("any", ANY): {"GET": row(get), "POST": row(post)}
        for status, (get, post) in by_status.items()
    }


#               fac co  lis coo mem beh stf out anon
EVERYONE = "    200 200 200 200 200 200 200 200 302"
OPEN = "        200 200 200 200 200 200 200 200 200"  # also without an account
NOT_ALLOWED_OPEN = "405 405 405 405 405 405 405 405 405"
READ = "        200 200 200 200 404 404 404 404 302"
FACILITATORS = "200 200 403 403 404 404 404 404 302"  # pages only the facilitators use
EDIT = "        302 302 403 403 404 404 404 404 302"  # a change by the facilitators
SHUT = "        403 403 403 403 404 404 404 404 302"  # seen, but nobody may change it now
PROS = "        403 403 200 200 404 404 404 404 302"  # pages the professionals work on
PRO_EDIT = "    403 403 302 302 404 404 404 404 302"  # a change by the professionals
PRO_READ = (
    "    200 200 403 200 404 404 404 404 302"  # facilitators and coordinators; never listeners
)
NO_SUCH = "     404 404 404 404 404 404 404 404 302"  # not in this phase, or DEBUG-only
NOT_ALLOWED = " 405 405 405 405 405 405 405 405 302"  # the URL does not take this method
NOBODY_HERE = " 403 403 403 403 403 403 403 403 302"  # a page none of these roles may use

# Preparing: session, guide, rules, panel, listeners: the facilitators edit until closed (§6).
PREP_PAGE = table(draft=(READ, EDIT), live=(READ, EDIT), closed=(READ, SHUT))
PREP_FORM = table(draft=(FACILITATORS, EDIT), live=(FACILITATORS, EDIT), closed=(SHUT, SHUT))
PREP_POST = table(draft=(NOT_ALLOWED, EDIT), live=(NOT_ALLOWED, EDIT), closed=(NOT_ALLOWED, SHUT))
# The live page's changes: the facilitators, also before the meeting (the start step), until
# closed.
LIVE_POST = table(planned=(NOT_ALLOWED, EDIT), live=(NOT_ALLOWED, EDIT), closed=(NOT_ALLOWED, SHUT))
# The room's views: everyone who sees the session; they stop polling (286) after the meeting.
ROOM_STATE = table(
    live=(READ, READ), closed=(READ.replace("200", "286"), READ.replace("200", "286"))
)
# The debrief's changes: none before the meeting has ended, the professionals during the
# debrief, nobody once it is concluded.
DEBRIEF_POST = table(
    live=(NOT_ALLOWED, NO_SUCH), debrief=(NOT_ALLOWED, PRO_EDIT), closed=(NOT_ALLOWED, SHUT)
)
ACTION_FEED = table(any=(EVERYONE, NOT_ALLOWED))
EVALUATION_PAGE = table(planned=(PRO_READ, NOT_ALLOWED), closed=(PRO_READ, NOT_ALLOWED))
SHEET_AND_CARD = table(planned=(READ, NOT_ALLOWED), debrief=(READ, NOT_ALLOWED))
PREVIEW = table(debrief=(NO_SUCH, NOT_ALLOWED))
# A client's rights: the facilitators and coordinators, at any time, also after closing (§7).
RIGHTS = "      302 302 403 302 404 404 404 404 302"
RIGHTS_POST = table(
    draft=(NOT_ALLOWED, RIGHTS), live=(NOT_ALLOWED, RIGHTS), closed=(NOT_ALLOWED, RIGHTS)
)
# The access log: the coordinators and beheerders (the outsider coordinates B and reads B's
# log); staff have no organisation's log of their own.
COORDINATORS = "403 403 403 200 403 200 403 200 302"
ACCESS_LOG = table(any=(COORDINATORS, NOT_ALLOWED))
# An organisation's pages (issue 10): its beheerder and the platform beheerders (staff); its
# other members are told why not (403); everyone else does not see it (404).
ORG_READ = "    404 404 403 403 403 200 200 404 302"
ORG_CHANGE = "  404 404 403 403 403 302 302 404 302"
ORG_PAGE = table(any=(ORG_READ, ORG_CHANGE))
ORG_POST = table(any=(NOT_ALLOWED, ORG_CHANGE))

# A role-play workshop (workshops): run by its facilitator and the facilitators and
# coordinators of its organisation (the coordinator of A); everyone else does not see it.
WS_READ = "     200 404 404 200 404 404 404 404 302"
WS_EDIT = "     302 404 404 302 404 404 404 404 302"
WS_SHUT = "     403 404 404 403 404 404 404 404 302"
WS_PAGE = table(
    draft=(WS_READ, NOT_ALLOWED), live=(WS_READ, NOT_ALLOWED), closed=(WS_READ, NOT_ALLOWED)
)
WS_FORM = table(draft=(WS_READ, WS_EDIT), live=(WS_READ, WS_EDIT), closed=(WS_READ, WS_SHUT))
WS_POST = table(
    draft=(NOT_ALLOWED, WS_EDIT), live=(NOT_ALLOWED, WS_EDIT), closed=(NOT_ALLOWED, WS_SHUT)
)
ALL_302 = "      302 302 302 302 302 302 302 302 302"

EXPECTED = {
    # — no session —
    # Read pages without require_safe answer a POST like a GET.
    "dashboard": table(any=(EVERYONE, EVERYONE)),
    "session_list": table(any=(EVERYONE, EVERYONE)),
    # Facilitators and coordinators create sessions; the outsider coordinates B only, so
    # choosing A is refused by the form (200, re-rendered).
    "session_create": table(
        any=("200 403 403 200 403 403 403 200 302", "302 403 403 302 403 403 403 200 302"),
    ),
    # — preparing (sessions) —
    "session_detail": table(draft=(READ, READ), live=(READ, READ), closed=(READ, READ)),
    "session_edit": PREP_FORM,
    "session_transition": PREP_POST,  # "plan": from draft it plans, later it is refused
    "guide": PREP_PAGE,
    "guide_library": PREP_POST,
    "question_edit": PREP_FORM,
    "question_move": PREP_POST,
    "question_delete": PREP_POST,
    "rules": PREP_PAGE,
    "rules_load": PREP_POST,
    "rules_settings": PREP_POST,
    "rule_edit": PREP_FORM,
    "rule_move": PREP_POST,
    "rule_delete": PREP_POST,
    "panel": PREP_PAGE,
    "panel_member_edit": PREP_FORM,
    "panel_member_delete": PREP_POST,
    # — a client's rights (findings): also after closing —
    "panel_member_rights": table(
        draft=(PRO_READ, NOT_ALLOWED), live=(PRO_READ, NOT_ALLOWED), closed=(PRO_READ, NOT_ALLOWED)
    ),
    "panel_member_withdraw": RIGHTS_POST,
    "panel_member_erase": RIGHTS_POST,
    "panel_member_rectify": RIGHTS_POST,
    "panel_member_inzage": table(draft=(PRO_READ, NOT_ALLOWED), closed=(PRO_READ, NOT_ALLOWED)),
    # — the access log (sessions) —
    "access_log": ACCESS_LOG,
    "access_log_csv": ACCESS_LOG,
    "listeners": PREP_PAGE,
    # The tables of a kitchen-table session: prepared like the panel and the listeners.
    "session_tables": PREP_PAGE,
    "listener_edit": PREP_FORM,
    "listener_briefed": PREP_POST,
    "listener_delete": PREP_POST,
    "invitations": PREP_PAGE,
    "session_ics": table(draft=(READ, NOT_ALLOWED), closed=(READ, NOT_ALLOWED)),
    # — the room (sessions) —
    "screen": table(live=(READ, READ), closed=(READ, READ)),
    "screen_state": ROOM_STATE,
    # — the evaluation (sessions) —
    "evaluation_summary": EVALUATION_PAGE,
    "evaluation_sheet": EVALUATION_PAGE,
    "evaluation_links_create": table(
        planned=(NOT_ALLOWED, "302 302 403 302 404 404 404 404 302"),
        closed=(NOT_ALLOWED, "302 302 403 302 404 404 404 404 302"),
    ),
    # The personal link needs no account: the token is the key. Thanks before answering
    # leads to the form.
    "evaluation_form": table(
        any=("200 200 200 200 200 200 200 200 200", "302 302 302 302 302 302 302 302 302")
    ),
    "evaluation_thanks": table(
        any=("302 302 302 302 302 302 302 302 302", "405 405 405 405 405 405 405 405 405")
    ),
    # — the live page (findings) —
    "live": table(
        planned=(FACILITATORS, FACILITATORS),
        live=(FACILITATORS, FACILITATORS),
        closed=(FACILITATORS, FACILITATORS),
    ),
    # The poll answers 286 (stop polling, reload) when the meeting is not running.
    "live_state": table(
        planned=(FACILITATORS.replace("200", "286"), NOT_ALLOWED),
        live=(FACILITATORS, NOT_ALLOWED),
        closed=(FACILITATORS.replace("200", "286"), NOT_ALLOWED),
    ),
    "live_checkin": LIVE_POST,
    "live_rules_explained": LIVE_POST,
    "live_question": LIVE_POST,
    "live_step": LIVE_POST,
    "live_end": LIVE_POST,
    "live_capture": LIVE_POST,
    # GET is the correction form for htmx; a plain GET leads back to the live page.
    "live_finding": table(planned=(EDIT, EDIT), live=(EDIT, EDIT), closed=(EDIT, SHUT)),
    # — the kitchen tables (findings): a table's page, notes and tips for the facilitators
    # (and the table's host, who is no role of the matrix: tests/findings/test_tables.py) —
    "table_live": table(
        planned=(FACILITATORS, FACILITATORS),
        live=(FACILITATORS, FACILITATORS),
        closed=(SHUT, SHUT),
    ),
    "table_capture": LIVE_POST,
    "table_tip": LIVE_POST,
    # The plenary exists once the meeting has started; the facilitators merge until closed.
    "plenary": table(planned=(NO_SUCH, NO_SUCH), live=(READ, EDIT), closed=(READ, SHUT)),
    "plenary_screen": table(
        planned=(NO_SUCH, NOT_ALLOWED), live=(READ, NOT_ALLOWED), closed=(READ, NOT_ALLOWED)
    ),
    "plenary_split": table(
        planned=(NOT_ALLOWED, NO_SUCH), live=(NOT_ALLOWED, EDIT), closed=(NOT_ALLOWED, SHUT)
    ),
    # — the listeners' view (findings) —
    "listen": table(live=(READ, READ), closed=(READ, READ)),
    "listen_state": ROOM_STATE,
    # Jottings are written during the meeting and the debrief; at other times the pad
    # answers with its Dutch reason on the page (200).
    "listen_jotting": table(
        planned=(NOT_ALLOWED, READ),
        live=(NOT_ALLOWED, READ.replace("200", "302")),
        debrief=(NOT_ALLOWED, READ.replace("200", "302")),
        closed=(NOT_ALLOWED, READ),
    ),
    # A listener's own leervragen (before the meeting) and reflection (after it, also after
    # closing); nobody else writes them, and nobody during the meeting.
    "listen_learning": table(
        planned=(NOT_ALLOWED, "403 403 302 403 404 404 404 404 302"),
        live=(NOT_ALLOWED, SHUT),
        debrief=(NOT_ALLOWED, "403 403 302 403 404 404 404 404 302"),
        closed=(NOT_ALLOWED, "403 403 302 403 404 404 404 404 302"),
    ),
    # — the debrief (findings): it exists once the meeting has ended —
    "debrief": table(live=(NO_SUCH, NO_SUCH), debrief=(READ, READ), closed=(READ, READ)),
    "debrief_answers": DEBRIEF_POST,
    "debrief_theme_create": DEBRIEF_POST,
    "debrief_bulk_theme": DEBRIEF_POST,
    "debrief_finding_theme": DEBRIEF_POST,
    "debrief_blind_spot": DEBRIEF_POST,
    # Correcting a note after the meeting: the facilitators, who wrote it, and the
    # professionals, during the debrief; a revision is kept (issue 12).
    "debrief_finding_correct": table(
        live=(NO_SUCH, NO_SUCH),
        debrief=(READ, "302 302 302 302 404 404 404 404 302"),
        closed=(SHUT, SHUT),
    ),
    "debrief_lesson_add": DEBRIEF_POST,
    # Theme suggestions: who changes the debrief's themes (issue 13).
    "theme_suggestions": table(live=(NO_SUCH, NO_SUCH), debrief=(PROS, PROS), closed=(SHUT, SHUT)),
    "theme_suggestion_decide": DEBRIEF_POST,
    "theme_suggestion_group": DEBRIEF_POST,
    "debrief_lesson_delete": DEBRIEF_POST,  # each deletes a lesson of their own
    "debrief_action_new": table(
        live=(NO_SUCH, NO_SUCH), debrief=(PROS, PRO_EDIT), closed=(SHUT, SHUT)
    ),
    # Concluding closes the session: a coordinator's decision.
    "debrief_conclude": table(
        live=(NOT_ALLOWED, NO_SUCH),
        debrief=(NOT_ALLOWED, "403 403 403 302 404 404 404 404 302"),
        closed=(NOT_ALLOWED, SHUT),
    ),
    # The privacy guard's hits in the debrief's texts: who may edit the debrief decides.
    "privacy_hit_replace": DEBRIEF_POST,
    "privacy_hit_dismiss": DEBRIEF_POST,
    # The letter: the professionals write it until it is final, also after closing.
    "feedback_letter": table(
        live=(NO_SUCH, NO_SUCH), debrief=(READ, PRO_EDIT), closed=(READ, PRO_EDIT)
    ),
    "feedback_redraft": table(
        live=(NOT_ALLOWED, NO_SUCH),
        debrief=(NOT_ALLOWED, PRO_EDIT),
        closed=(NOT_ALLOWED, PRO_EDIT),
    ),
    # — closing the loop (issue 13) —
    # The terugblik: everyone who sees the session (no names, no findings); the opening item
    # it puts in the guide is the facilitators' change, like the guide's.
    "lookback": table(
        draft=(READ, NOT_ALLOWED), live=(READ, NOT_ALLOWED), closed=(READ, NOT_ALLOWED)
    ),
    "lookback_recap": PREP_POST,
    # The clients' personal links: the facilitators and coordinators, at any time (§7).
    "follow_links": table(draft=(PRO_READ, NOT_ALLOWED), closed=(PRO_READ, NOT_ALLOWED)),
    "follow_link_issue": RIGHTS_POST,
    "follow_link_revoke": RIGHTS_POST,
    "follow_link_mail": RIGHTS_POST,
    "follow_letter_pdf": table(debrief=(PRO_READ, NOT_ALLOWED), closed=(PRO_READ, NOT_ALLOWED)),
    # The client's own page needs no account: the token is the key.
    "follow_page": table(any=(OPEN, NOT_ALLOWED_OPEN)),
    "follow_page_mail": table(any=(NOT_ALLOWED_OPEN, "302 302 302 302 302 302 302 302 302")),
    # — the session's PDFs (findings.reports) —
    "report_pdf": table(planned=(SHUT, NOT_ALLOWED), debrief=(READ, NOT_ALLOWED)),
    "listener_info_pdf": SHEET_AND_CARD,
    "rules_card_pdf": SHEET_AND_CARD,
    # The letter names nobody: everyone who reads it on the page may have the PDF (issue 12).
    "feedback_letter_pdf": table(planned=(SHUT, NOT_ALLOWED), debrief=(READ, NOT_ALLOWED)),
    "report_preview": PREVIEW,
    "listener_info_preview": PREVIEW,
    "rules_card_preview": PREVIEW,
    "feedback_letter_preview": PREVIEW,
    # — the actions (findings): everyone's list holds what they may see —
    "action_list": ACTION_FEED,
    "action_export_csv": ACTION_FEED,
    "action_export_xlsx": ACTION_FEED,
    "action_insights": ACTION_FEED,
    # Only for coordinators of a regional network; none of the nine roles is one.
    "action_network_insights": table(any=(NOBODY_HERE, NOT_ALLOWED)),
    "action_suggest_sessions": ACTION_FEED,
    "action_suggest_owners": ACTION_FEED,
    "actions_report_pdf": ACTION_FEED,
    "actions_report_preview": table(any=(NO_SUCH, NOT_ALLOWED)),
    # A background report is its requester's own (here the coordinator's); anyone else: 404.
    "actions_report_job": table(any=("404 404 404 200 404 404 404 404 302", NOT_ALLOWED)),
    "actions_report_job_download": table(any=("404 404 404 200 404 404 404 404 302", NOT_ALLOWED)),
    # An action of the session in that status: the facilitators read, the professionals
    # change it, also after closing.
    "action_detail": table(debrief=(READ, PRO_EDIT), closed=(READ, PRO_EDIT)),
    "action_edit": table(debrief=(PROS, PRO_EDIT), closed=(PROS, PRO_EDIT)),
    # — organisations run themselves (participants; the rule set and library in sessions) —
    # The list: whoever runs an organisation; creating one: the platform beheerders.
    "organisation_list": table(
        any=("403 403 403 403 403 200 200 403 302", "403 403 403 403 403 200 200 403 302")
    ),
    "organisation_create": table(
        any=("403 403 403 403 403 403 200 403 302", "403 403 403 403 403 403 302 403 302")
    ),
    "organisation_detail": ORG_PAGE,
    "organisation_settings": ORG_PAGE,
    "organisation_member_roles": ORG_POST,
    "organisation_member_remove": ORG_POST,
    "organisation_invitation_withdraw": ORG_POST,
    "org_rules": ORG_PAGE,
    "org_rules_start": ORG_POST,
    "org_rule_edit": ORG_PAGE,
    "org_rule_move": ORG_POST,
    "org_rule_delete": ORG_POST,
    "org_library": ORG_PAGE,
    "org_library_edit": ORG_PAGE,
    "org_library_move": ORG_POST,
    "org_library_delete": ORG_POST,
    # From a session's guide, into the library of an organisation the user runs: the beheerder
    # of A has no role in A's sessions (404), like staff; those in the session are told why not.
    "question_to_library": table(draft=(NOT_ALLOWED, SHUT), closed=(NOT_ALLOWED, SHUT)),
    # The activation link needs no account: the signed token is the key; it leads to login.
    "invitation_accept": table(
        any=("200 200 200 200 200 200 200 200 200", "302 302 302 302 302 302 302 302 302")
    ),
    # — the role-play workshops (workshops) —
    "workshop_list": table(any=(EVERYONE, NOT_ALLOWED)),
    # Facilitators and coordinators of an organisation create them; the facilitator of the
    # client-interest organisation and the outsider may not choose A (the form again, 200).
    "workshop_create": table(
        any=("200 403 403 200 403 403 403 200 302", "200 403 403 302 403 403 403 200 302")
    ),
    "workshop_detail": WS_PAGE,
    "workshop_summary": WS_PAGE,
    "workshop_summary_pdf": WS_PAGE,
    "workshop_edit": WS_FORM,
    "workshop_links": WS_FORM,
    "workshop_item_edit": WS_FORM,
    "workshop_item_add": WS_POST,
    "workshop_item_delete": WS_POST,
    # A move that cannot be made now (next before the start) says why on the page (302).
    "workshop_move": WS_POST,
    # The participant's personal link needs no account: the token is the key. Choosing a
    # role leads back to the page; after closing the page only says the workshop is over.
    "workshop_play": table(draft=(OPEN, ALL_302), live=(OPEN, ALL_302), closed=(OPEN, OPEN)),
    "workshop_play_state": table(
        draft=(OPEN, NOT_ALLOWED_OPEN),
        live=(OPEN, NOT_ALLOWED_OPEN),
        closed=(OPEN.replace("200", "286"), NOT_ALLOWED_OPEN),
    ),
    # Before the round is held the link leads back to the page; after closing nothing changes
    # (409).
    "workshop_round_evaluation": table(
        draft=(ALL_302, ALL_302),
        live=(OPEN, ALL_302),
        closed=(OPEN, OPEN.replace("200", "409")),
    ),
    # The statements a public body publishes: for everyone, signed in or not (issue 12).
    "accessibility_statement": table(any=(OPEN, NOT_ALLOWED_OPEN)),
    "privacy_statement": table(any=(OPEN, NOT_ALLOWED_OPEN)),
    "privacy_statement_of": table(any=(OPEN, NOT_ALLOWED_OPEN)),
    # An organisation's look, open like its clients' pages; organisation A has no logo.
    "organisation_tokens": table(any=(OPEN, NOT_ALLOWED_OPEN)),
    "organisation_logo": table(any=("404 404 404 404 404 404 404 404 404", NOT_ALLOWED_OPEN)),
}

# Open without an account: the personal evaluation link's token is its key.
PUBLIC = {
    "evaluation_form",
    "follow_page",
    "follow_page_mail",
    "workshop_play",
    "workshop_play_state",
    "workshop_round_evaluation",
    "evaluation_thanks",
    "invitation_accept",
    "accessibility_statement",
    "privacy_statement",
    "privacy_statement_of",
    "organisation_tokens",
    "organisation_logo",
}

# Outside the matrix: (method, path) → the answer for every role (all of them non-staff).
OTHER_URLS = {
    "healthz": {("GET", "/healthz"): 200},
    # Logging out is a POST (a GET asks to confirm); it ends at the login page.
    "account_logout": {("POST", "/accounts/logout/"): 302},
}
ADMIN_AND_I18N = {
    # The admin sends everyone but staff to its own login; the platform beheerder (staff, no
    # model permissions) sees an empty index and may not open a list.
    ("GET", "/admin/"): (302, {"staff": 200}),
    ("GET", "/admin/spiegel_sessions/session/"): (302, {"staff": 403}),
    ("POST", "/i18n/setlang/"): 302,
}

# The sign-in pages (django-allauth), by URL name: (path, GET answer for every logged-in
# role, GET answer for anonymous visitors). 302 for anonymous on a page of one's own account
# is the login page (checked); the sign-in's own steps (the second factor after the
# password, a login code) lead back to the login when no sign-in is under way.
LOGIN = "login"  # a redirect to the login page, with `next`
ACCOUNT_PAGES = {
    "account_login": ("/accounts/login/", 302, 200),  # a logged-in user goes to the dashboard
    "account_logout": ("/accounts/logout/", 200, 302),
    "account_inactive": ("/accounts/inactive/", 200, 200),
    # Accounts are invited: "sign-up is closed" (a logged-in user goes to the dashboard).
    "account_signup": ("/accounts/signup/", 302, 200),
    "account_reauthenticate": ("/accounts/reauthenticate/", 200, LOGIN),
    "account_request_reauthentication_code": ("/accounts/reauthenticate/code/", 302, LOGIN),
    "account_confirm_reauthentication_code": (
        "/accounts/reauthenticate/code/confirm/",
        302,
        LOGIN,
    ),
    # The forms show; saving a change asks for the password again (reauthentication).
    "account_email": ("/accounts/email/", 200, LOGIN),
    "account_email_verification_sent": ("/accounts/confirm-email/", 200, 200),
    "account_confirm_email": ("/accounts/confirm-email/not-a-key/", 200, 200),
    "account_change_password": ("/accounts/password/change/", 200, LOGIN),
    "account_set_password": ("/accounts/password/set/", 302, LOGIN),
    "account_reset_password": ("/accounts/password/reset/", 200, 200),
    "account_reset_password_done": ("/accounts/password/reset/done/", 200, 200),
    "account_reset_password_from_key": ("/accounts/password/reset/key/1-not-a-key/", 200, 200),
    "account_reset_password_from_key_done": ("/accounts/password/reset/key/done/", 200, 200),
    "account_confirm_login_code": ("/accounts/login/code/confirm/", 302, 302),
    "mfa_index": ("/accounts/2fa/", 200, LOGIN),
    "mfa_authenticate": ("/accounts/2fa/authenticate/", 302, 302),
    "mfa_reauthenticate": ("/accounts/2fa/reauthenticate/", 302, LOGIN),
    "mfa_activate_totp": ("/accounts/2fa/totp/activate/", 302, LOGIN),  # reauthenticate
    "mfa_deactivate_totp": ("/accounts/2fa/totp/deactivate/", 404, LOGIN),  # none to switch off
    "mfa_view_recovery_codes": ("/accounts/2fa/recovery-codes/", 404, LOGIN),
    "mfa_generate_recovery_codes": ("/accounts/2fa/recovery-codes/generate/", 302, LOGIN),
    "mfa_download_recovery_codes": ("/accounts/2fa/recovery-codes/download/", 404, LOGIN),
    "socialaccount_login_cancelled": ("/accounts/3rdparty/login/cancelled/", 200, 200),
    "socialaccount_login_error": ("/accounts/3rdparty/login/error/", 401, LOGIN),
    "socialaccount_signup": ("/accounts/3rdparty/signup/", 302, 302),
    "socialaccount_connections": ("/accounts/3rdparty/", 200, LOGIN),
    "accounts/social/login/cancelled/": ("/accounts/social/login/cancelled/", 301, LOGIN),
    "accounts/social/login/error/": ("/accounts/social/login/error/", 301, LOGIN),
    "accounts/social/signup/": ("/accounts/social/signup/", 301, LOGIN),
    "accounts/social/connections/": ("/accounts/social/connections/", 301, LOGIN),
    # No identity provider is configured in the tests of this module: no such provider.
    "openid_connect_login": ("/accounts/oidc/sso/login/", 404, 404),
    "openid_connect_callback": ("/accounts/oidc/sso/login/callback/", 404, 404),
}


def cases():
    for name, by_status in EXPECTED.items():
        for status in by_status:
            for method in ("GET", "POST"):
                yield pytest.param(name, status, method, id=f"{name}-{status}-{method}")


def test_every_url_name_has_an_expectation_table():
    urls = all_urls()
    untested = sorted(
        name for name, route in urls.items() if not is_other(route, name) and name not in EXPECTED
    )
    stale = sorted(set(EXPECTED) - set(urls))
    assert not untested, f"URL names without an expectation in EXPECTED: {untested}"
    assert not stale, f"EXPECTED names URLs that no longer exist: {stale}"


def request(client, method, path, data):
    with transaction.atomic():
        response = client.get(path) if method == "GET" else client.post(path, data or {})
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize(("name", "status", "method"), list(cases()))
def test_every_url_answers_every_role_as_designed(worlds, db, name, status, method):
    w = worlds[status] if status != ANY else worlds[DEBRIEF]
    expected = EXPECTED[name][status][method]
    wrong = {}
    for role in ROLES:
        path = path_for(name, worlds, status, role)
        data = POST_DATA.get(name, lambda worlds, w: {})(worlds, w) if method == "POST" else None
        response = request(worlds.client_for(role), method, path, data)
        got = response.status_code
        if got != expected[role]:
            wrong[role] = (expected[role], got)
        elif role == "anonymous" and got == 302 and name not in PUBLIC:
            target = urlsplit(response["Location"])
            if target.path != "/accounts/login/" or parse_qs(target.query)["next"] != [path]:
                wrong[role] = ("login", response["Location"])
    assert not wrong, f"{method} {name} ({status}): expected vs got per role: {wrong}"


def other_cases():
    for name, answers in OTHER_URLS.items():
        for (method, path), code in answers.items():
            yield pytest.param(method, path, code, id=name)
    for (method, path), code in ADMIN_AND_I18N.items():
        yield pytest.param(method, path, code, id=path)


@pytest.mark.parametrize(("method", "path", "expected"), list(other_cases()))
def test_the_other_urls_answer_every_role_alike(worlds, db, method, path, expected):
    expected, exceptions = expected if isinstance(expected, tuple) else (expected, {})
    got = {
        role: request(worlds.client_for(role), method, path, {"language": "nl"}).status_code
        for role in ROLES
    }

    assert got == dict.fromkeys(ROLES, expected) | exceptions


def test_the_admin_and_i18n_are_the_only_urls_outside_the_matrix_and_other_urls():
    outside = {
        route.split("/")[0]
        for name, route in all_urls().items()
        if name not in EXPECTED and name not in OTHER_URLS and name not in ACCOUNT_PAGES
    }

    assert outside <= {"admin", "i18n"}, outside


def test_every_sign_in_page_has_an_expectation():
    pages = {name for name, route in all_urls().items() if route.startswith("accounts/")}

    assert pages == set(ACCOUNT_PAGES), pages ^ set(ACCOUNT_PAGES)


@pytest.mark.parametrize("name", list(ACCOUNT_PAGES))
def test_sign_in_pages_answer_as_designed(worlds, db, name):
    path, for_users, for_anonymous = ACCOUNT_PAGES[name]
    wrong = {}
    for role in ROLES:
        expected = for_anonymous if role == "anonymous" else for_users
        response = request(worlds.client_for(role), "GET", path, None)
        if expected == LOGIN:
            target = urlsplit(response.get("Location", ""))
            if response.status_code != 302 or target.path != "/accounts/login/":
                wrong[role] = ("login", response.status_code, response.get("Location"))
        elif response.status_code != expected:
            wrong[role] = (expected, response.status_code)
    assert not wrong, f"GET {path}: expected vs got per role: {wrong}"


def test_the_admin_has_no_password_form_of_its_own(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == "/accounts/login/"
    assert parse_qs(target.query)["next"] == ["/admin/"]
