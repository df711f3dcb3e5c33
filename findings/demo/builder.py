"""Put the demo world of `findings.demo.world` in the database, through the services users use.

Re-running is safe. Organisations, users, memberships and libraries are updated in place; the
demo sessions (recognised by their titles within the demo organisations) are deleted and built
afresh, so their dates stay relative to today. The caller provides the transaction.

Each session walks its lifecycle as far as its status: plan, go live, capture what was said,
end the meeting, hold the debrief, close. Afterwards the moments are moved back to when they
would have happened, since the model methods stamp `now`.
"""

import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from findings.demo import world
from findings.demo.world import Custom, Day, Guest, SessionSpec
from findings.models import Debrief, Finding, ImprovementAction, Lesson, Theme, theme_home
from findings.services import follow, lookback
from findings.services.actions import create_action, record_progress
from findings.services.capture import capture_finding
from findings.services.debrief import conclude_debrief, draft_letter, save_letter
from findings.services.learning import save_questions, save_reflection
from findings.services.tips import capture_tip, merge_tips
from participants.constants import RecruitmentStatus as S
from participants.models import AccessLog, Listener, Membership, Organisation, User
from participants.services import add_panel_member
from sessions.constants import Status
from sessions.models import Evaluation, LibraryQuestion, Rule, Session, SessionTable
from sessions.services.live import check_in, explain_rules, go_to_question
from sessions.services.sessions import add_question, copy_from_library, create_session, load_rules

CONSENTING = {S.CONFIRMED, S.ATTENDED, S.NO_SHOW}
EXPECTED = {S.CONFIRMED, S.ATTENDED}
LIFECYCLE = list(Status.values)  # draft, planned, live, debrief, closed


@dataclass
class Demo:
    organisations: dict[str, Organisation]
    users: dict[str, User]
    sessions: list[Session] = field(default_factory=list)
    follow_links: list = field(default_factory=list)
    phones: int = 0

    def next_phone(self) -> str:
        """Fake mobile numbers in the 06-12345678 pattern, unique within one run."""
        self.phones += 1
        return f"06-1234{5600 + self.phones:04d}"


def build_demo() -> Demo:
    organisations = ensure_organisations()
    demo = Demo(organisations=organisations, users=ensure_users(organisations))
    ensure_library(organisations)
    ensure_rule_sets(organisations)
    remove_demo_sessions(organisations)
    for spec in world.SESSIONS:
        demo.sessions.append(build_session(demo, spec))
    return demo


# — helpers —


def local(day: Day) -> datetime:
    moment = timezone.localtime() + timedelta(days=day.days)
    return moment.replace(hour=day.hour, minute=day.minute, second=0, microsecond=0)


def start_of(spec: SessionSpec) -> datetime | None:
    """The start as written, or for a meeting going on: a round five minutes, a while ago."""
    if spec.starts_minutes_ago is not None:
        now = timezone.localtime()
        now = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
        return now - timedelta(minutes=spec.starts_minutes_ago)
    return local(spec.starts) if spec.starts else None


def email_for(name: str, domain: str = "example.nl") -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join(plain.lower().replace("-", " ").split()) + "@" + domain


# — the world around the sessions —


def ensure_organisations() -> dict[str, Organisation]:
    organisations = {}
    for spec in world.ORGANISATIONS:
        organisations[spec.key], _created = Organisation.objects.update_or_create(
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "network": organisations[spec.network] if spec.network else None,
                "retention_days": spec.retention_days,
                "contact_email": spec.contact_email,
                "contact_phone": spec.contact_phone,
                "privacy_contact": spec.privacy_contact,
            },
        )
    return organisations


def ensure_users(organisations) -> dict[str, User]:
    """The demo accounts with exactly their demo role, all with the demo password."""
    password = make_password(world.DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    users = {}
    for person in world.PEOPLE:
        user, _created = User.objects.update_or_create(
            username=person.username,
            defaults={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": person.email,
                "password": password,
                "is_active": True,
                "is_staff": person.is_admin,
                "is_superuser": person.is_admin,
            },
        )
        memberships = Membership.objects.filter(user=user)
        if person.organisation:
            organisation = organisations[person.organisation]
            memberships = memberships.exclude(organisation=organisation, role=person.role)
            Membership.objects.get_or_create(user=user, organisation=organisation, role=person.role)
        memberships.delete()
        users[person.username] = user
    return users


def ensure_library(organisations):
    for key, questions in world.LIBRARIES.items():
        for q in questions:
            LibraryQuestion.objects.update_or_create(
                organisation=organisations[key],
                text=q.text,
                defaults={"theme": q.theme, "kind": q.kind, "planned_minutes": q.minutes},
            )


def ensure_rule_sets(organisations):
    """Own rule sets: the default rules plus house rules, unless the organisation has rules."""
    texts = list(Rule.objects.defaults().order_by("position", "pk").values_list("text", flat=True))
    for key, extra in world.EXTRA_RULES.items():
        organisation = organisations[key]
        if not organisation.rules.exists():
            Rule.objects.bulk_create(
                Rule(organisation=organisation, text=text, position=position)
                for position, text in enumerate([*texts, *extra], start=1)
            )


def remove_demo_sessions(organisations):
    """Delete the previous run's demo sessions (and their audit lines); others stay."""
    pks = list(
        Session.objects.filter(
            title__in=world.DEMO_TITLES, organisations__in=organisations.values()
        ).values_list("pk", flat=True)
    )
    AccessLog.objects.filter(session_id__in=pks).delete()
    Session.objects.filter(pk__in=pks).delete()


# — one session, as far as its status —


def build_session(demo, spec: SessionSpec) -> Session:
    def reaches(status):
        return LIFECYCLE.index(spec.status) >= LIFECYCLE.index(status)

    starts_at = start_of(spec)
    session = create_session(
        created_by=demo.users["facilitator"],
        organisations=[demo.organisations[key] for key in spec.organisations],
        facilitator=demo.users["facilitator"],
        co_facilitator=spec.co_facilitator and demo.users[spec.co_facilitator],
        starts_at=starts_at,
        **spec.fields,
    )
    Session.objects.filter(pk=session.pk).update(created_at=local(spec.created))
    add_panel(demo, session, spec)
    if not reaches(Status.PLANNED):
        return session
    add_listeners(demo, session, spec)
    add_tables(demo, session, spec.tables)
    build_guide(session, spec.guide)
    load_rules(session=session)
    session.plan()
    for entry in spec.learning:
        if entry.questions:
            save_questions(
                session=session,
                author=demo.users[entry.who],
                questions=entry.questions,
                shared=entry.shared,
            )
    if reaches(Status.LIVE):
        session.go_live()
        hold_meeting(session, spec.findings, current=spec.current)
        write_tips(demo, session, spec.tips)
    if reaches(Status.DEBRIEF):
        session.end_meeting()
        merge_demo_tips(demo, session, spec.merged_tips)
        for entry in spec.learning:
            if entry.touched or entry.change:
                save_reflection(
                    session=session,
                    author=demo.users[entry.who],
                    touched=entry.touched,
                    change=entry.change,
                    shared=entry.shared,
                )
        if spec.debrief:
            hold_debrief(demo, session, spec)
    if reaches(Status.CLOSED):
        conclude_debrief(session=session, by=demo.users["coordinator"])
        letter = draft_letter(session)
        save_letter(session=session, text=letter, finalise=True, by=demo.users["coordinator"])
    set_timestamps(session, spec, starts_at)
    if reaches(Status.CLOSED):
        Debrief.objects.filter(session=session).update(concluded_at=session.closed_at)
    add_evaluations(session, spec.evaluations)
    if spec.recap:
        lookback.put_recap(session=session)
    add_follow_links(demo, session, spec.follow)
    return session


def add_follow_links(demo, session, entries):
    """Personal links to "U zei, wij deden" for consenting members, as the coordinator makes
    them on the panel's follow page."""
    members = {m.letters: m for m in session.panel_members.all()}
    for entry in entries:
        link = follow.issue_link(member=members[entry.member], by=demo.users["coordinator"])
        if entry.mail:
            follow.set_wants_mail(link=link, wants=True)
        demo.follow_links.append(link)


def add_panel(demo, session, spec):
    invited_at = local(spec.invited)
    consent_date = spec.consent and local(spec.consent).date()
    for client in spec.panel:
        consent = client.status in CONSENTING
        member = add_panel_member(
            session=session,
            by=demo.users["facilitator"],
            member_fields={
                # In a werkplaats each municipality recruits its own residents.
                "recruited_by": client.recruited_by and demo.organisations[client.recruited_by],
                "status": client.status,
                "invited_at": invited_at,
                "consent_date": consent_date if consent else None,
                "consent_letter_version": world.CONSENT_LETTER_VERSION if consent else "",
                "consent_participation": consent,
                "consent_quotes": consent and client.quotes,
                "consent_feedback": consent and client.feedback,
            },
            contact_fields={
                "name": client.name,
                "email": email_for(client.name) if client.email else "",
                "phone": demo.next_phone(),
                "needs_transport": client.transport,
                "needs_interpreter": client.interpreter,
                "brings_companion": client.companion,
                "access_notes": client.notes,
                "compensation": world.COMPENSATION if client.status in EXPECTED else "",
            },
        )
        if client.withdrawn:
            member.withdraw_consent(when=local(spec.withdrawn))
    # The audit lines date from when the panel was put together, not from this run.
    AccessLog.objects.filter(session=session).update(at=invited_at)


def add_listeners(demo, session, spec):
    """Listeners with an account (by username) and guests. There is no listener service (the
    listeners page saves its form), so they are created here directly."""
    listeners = [(name, demo.users[name], as_guest(demo, name)) for name in spec.listeners]
    listeners += [(guest.name, None, guest) for guest in spec.guests]
    Listener.objects.bulk_create(
        Listener(
            session=session,
            user=user,
            name=guest.name,
            email=guest.email or email_for(guest.name, "example.com"),
            function=guest.function,
            organisation_name=guest.organisation,
            briefed=key not in spec.unbriefed,
            invited_at=local(spec.listeners_invited),
        )
        for key, user, guest in listeners
    )


def add_tables(demo, session, tables):
    """The tables of a kitchen-table session, as the tables page saves its form."""
    members = {m.letters: m for m in session.panel_members.all()}
    listeners = list(session.listeners.select_related("user"))
    for position, spec in enumerate(tables, start=1):
        table = SessionTable.objects.create(
            session=session,
            position=position,
            name=spec.name,
            host=spec.host and demo.users[spec.host],
            ambassador=spec.ambassador and members[spec.ambassador],
        )
        table.panel_members.set([members[letter] for letter in spec.members])
        table.listeners.set(
            [
                li
                for li in listeners
                if li.name in spec.listeners or (li.user and li.user.username in spec.listeners)
            ]
        )


def write_tips(demo, session, tips):
    """Each table's golden tips, written by its host (or, at an ambassador's table without
    an account, the facilitator)."""
    tables = list(session.tables.select_related("host"))
    for tip in tips:
        table = tables[tip.table - 1]
        capture_tip(
            session=session,
            table=table,
            user=table.host or session.facilitator,
            client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"spiegel-demo/{session.title}/{tip.text}"),
            theme=tip.theme,
            text=tip.text,
        )


def merge_demo_tips(demo, session, merged_tips):
    """The plenary: the facilitator merges the tips that say the same."""
    for merged in merged_tips:
        merge_tips(
            session=session,
            tips=session.golden_tips.filter(text__in=merged.tips),
            theme=merged.theme,
            text=merged.text,
            user=session.facilitator,
        )


def as_guest(demo, username) -> Guest:
    """Someone with an account as the guest list would describe them."""
    person = next(person for person in world.PEOPLE if person.username == username)
    organisation = next(o.name for o in world.ORGANISATIONS if o.key == person.organisation)
    return Guest(demo.users[username].get_full_name(), person.function, organisation, person.email)


def build_guide(session, entries):
    """The guide in exactly this order: library questions (by text) and custom ones.

    Library questions are copied one at a time so the order is the one written here.
    """
    available = LibraryQuestion.objects.available_to(session.organisations.all())
    for entry in entries:
        if isinstance(entry, Custom):
            add_question(
                session=session, text=entry.text, kind=entry.kind, planned_minutes=entry.minutes
            )
            continue
        question = available.filter(text=entry).order_by("pk").first()
        if question is not None:  # None: removed from the default library by an administrator
            copy_from_library(session=session, library_questions=[question])


def hold_meeting(session, notes, *, current=None):
    """Walk the live steps as a facilitator would and capture `notes`; stop at question
    `current` when the meeting is still going on."""
    members = {m.letters: m for m in session.panel_members.all()}
    check_in(
        session=session,
        present_members=[m for m in members.values() if m.status == S.ATTENDED],
        present_listeners=list(session.listeners.all()),
    )
    explain_rules(session=session)
    questions = list(session.questions.order_by("position", "pk"))
    tables = list(session.tables.all())
    for note in notes:
        capture_finding(
            session=session,
            user=session.facilitator,
            client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"spiegel-demo/{session.title}/{note.text}"),
            text=note.text,
            kind=note.kind,
            question_id=questions[note.q - 1].pk if note.q else None,
            speaker_id=members[note.by].pk if note.by else None,
            starred=note.star,
            table=tables[note.table - 1] if note.table else None,
        )
    if current:
        go_to_question(session=session, question=questions[current - 1])


def hold_debrief(demo, session, spec):
    """Themes, blind spots, lessons, the two answers and the actions of one debrief."""
    debrief = spec.debrief
    home = theme_home(session)  # the network: every partner's session shares its themes
    findings = {f.text: f for f in session.findings.all()}

    def texts(numbers):
        return [spec.note(n).text for n in numbers]

    for name, numbers in debrief.themes.items():
        theme = Theme.objects.for_session(session).filter(name__iexact=name).first()
        if theme is None:
            theme = Theme.objects.create(organisation=home, name=name)
        Finding.objects.filter(session=session, text__in=texts(numbers)).update(theme=theme)
    Finding.objects.filter(session=session, text__in=texts(debrief.blind_spots)).update(
        blind_spot=True
    )
    coordinator, listener = demo.users["coordinator"], demo.users["listener"]
    Debrief.objects.update_or_create(
        session=session, defaults={"impact": debrief.impact, "act_on": debrief.act_on}
    )
    for text in debrief.lessons:
        Lesson.objects.create(session=session, text=text, created_by=listener)
    today = timezone.localdate()
    for plan in debrief.actions:
        action = create_action(
            session=session,
            by=coordinator,
            findings=[findings[text] for text in texts(plan.notes)],
            title=plan.title,
            organisation=plan.organisation and demo.organisations[plan.organisation],
            owner=demo.users[plan.owner],
            due_date=today + timedelta(days=max(plan.due_in_days, 1)),
            client_sentence=plan.client_sentence,
            from_reflection=plan.from_reflection,
            from_tip=plan.tip and session.golden_tips.get(text=plan.tip, merged_into=None),
        )
        if plan.due_in_days < 1:  # agreed in the debrief, the date has since passed
            ImprovementAction.objects.filter(pk=action.pk).update(
                due_date=today + timedelta(days=plan.due_in_days)
            )
            action.refresh_from_db()
        if plan.status != "open" or plan.progress:
            record_progress(
                action=action,
                by=demo.users[plan.owner],
                text=plan.progress,
                status=plan.status,
                closing_note=plan.closing_note or None,
                client_closing=plan.client_closing or None,
            )


def set_timestamps(session, spec, starts_at):
    """Put the lifecycle moments where they would have been and spread the notes over the
    meeting, as they were typed; the model methods stamped `now`."""
    moments = {}
    if spec.planned:
        moments["planned_at"] = local(spec.planned)
    if spec.live_after is not None:
        live_at = starts_at + timedelta(minutes=spec.live_after)
        moments["live_at"] = min(live_at, timezone.now())  # a meeting going on: not ahead
    if spec.ended_after is not None:
        moments["ended_at"] = starts_at + timedelta(minutes=spec.ended_after)
    if spec.closed:
        moments["closed_at"] = local(spec.closed)
    if not moments:
        return
    Session.objects.filter(pk=session.pk).update(**moments)
    session.refresh_from_db()
    if session.live_at is None:
        return
    findings = list(session.findings.order_by("pk"))
    span = (session.ended_at or timezone.now()) - session.live_at
    for index, finding in enumerate(findings, start=1):
        finding.created_at = finding.updated_at = session.live_at + span * index / (
            len(findings) + 1
        )
    Finding.objects.bulk_update(findings, ["created_at", "updated_at"])


def add_evaluations(session, answers):
    """Evaluation answers: (who, experience, safety, enough_time, again, comment), where
    who is a panel letter or a listener's name."""
    members = {m.letters: m for m in session.panel_members.all()}
    listeners = {listener.name: listener for listener in session.listeners.all()}
    for who, experience, safety, enough_time, again, comment in answers:
        person = {"panel_member": members[who]} if who in members else {"listener": listeners[who]}
        Evaluation.objects.create(
            session=session,
            experience=experience,
            safety=safety,
            enough_time=enough_time,
            again=again,
            comment=comment,
            responded_at=session.ended_at + timedelta(hours=2),
            **person,
        )
