"""Fill the database with a realistic Dutch demo world: ``python manage.py demo``.

Re-running is safe. Organisations, users, memberships and libraries are updated in place; the
demo sessions (recognised by their titles within the demo organisations) are deleted and built
afresh, so their dates stay relative to today. Everything happens in one transaction.

Each lifecycle state has its own builder function, so later work (findings, debrief, actions)
can add to the session that should carry it.
"""

import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from findings.constants import FindingKind
from findings.models import Debrief, Finding, ImprovementAction, Lesson, Theme
from findings.services.actions import create_action, record_progress
from findings.services.capture import capture_finding
from findings.services.debrief import conclude_debrief, draft_letter, save_letter
from participants.constants import OrganisationKind, RecruitmentStatus, Role
from participants.models import AccessLog, Listener, Membership, Organisation, User
from participants.services import add_panel_member
from sessions.constants import QuestionKind
from sessions.models import Evaluation, LibraryQuestion, Rule, Session, TransitionError
from sessions.services.live import check_in, explain_rules, go_to_question
from sessions.services.sessions import add_question, copy_from_library, create_session, load_rules

DEMO_PASSWORD = "demo"
SITE_URL = "http://127.0.0.1:8000/"
CONSENT_LETTER_VERSION = "informatiebrief versie 2"
COMPENSATION = "Cadeaubon € 25"

# — organisations —


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    name: str
    kind: str
    network: str | None = None  # key of the network organisation
    retention_days: int = 180


# Keys for the demo organisations; A is the organisation whose work the sessions discuss.
NETWORK = "network"
ORG_A = "a"
ORG_B = "b"
CLIENT_INTEREST = "client_interest"
NEIGHBOURHOOD_TEAM = "neighbourhood_team"

ORGANISATIONS = [
    OrganisationSpec(
        NETWORK, "Werkplaats Sociaal Domein Nieuwe Waterweg", OrganisationKind.NETWORK
    ),
    OrganisationSpec(ORG_A, "Gemeente Vlaardingen", OrganisationKind.MUNICIPALITY, NETWORK),
    OrganisationSpec(ORG_B, "Gemeente Maassluis", OrganisationKind.MUNICIPALITY, NETWORK, 90),
    OrganisationSpec(
        CLIENT_INTEREST, "Zorgbelang Zuid-Holland", OrganisationKind.CLIENT_INTEREST, NETWORK
    ),
    OrganisationSpec(
        NEIGHBOURHOOD_TEAM, "Wijkteam Vlaardingen", OrganisationKind.NEIGHBOURHOOD_TEAM, NETWORK
    ),
]

# — people with an account —


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    email: str
    organisation: str | None  # key in ORGANISATIONS; None for the administrator
    role: str | None
    function: str
    is_admin: bool = False


PEOPLE = [
    Person(
        "facilitator",
        "Ingrid",
        "Bakker",
        "ingrid.bakker@example.org",
        CLIENT_INTEREST,
        Role.FACILITATOR,
        "Gespreksleider",
    ),
    Person(
        "listener",
        "Sanne",
        "Jansen",
        "s.jansen@example.nl",
        ORG_A,
        Role.PROFESSIONAL,
        "Wmo-consulent",
    ),
    Person(
        "coordinator",
        "Peter",
        "van Dijk",
        "p.vandijk@example.nl",
        ORG_A,
        Role.COORDINATOR,
        "Wijkteamcoördinator",
    ),
    Person(
        "outsider",
        "Esra",
        "Yilmaz",
        "e.yilmaz@example.com",
        ORG_B,
        Role.PROFESSIONAL,
        "Klantmanager Werk en Inkomen",
    ),
    Person(
        "facilitator2",
        "Youssef",
        "El Amrani",
        "youssef.elamrani@example.org",
        CLIENT_INTEREST,
        Role.FACILITATOR,
        "Gespreksleider",
    ),
    Person(
        "mbouzid",
        "Mohamed",
        "Bouzid",
        "m.bouzid@example.nl",
        ORG_A,
        Role.PROFESSIONAL,
        "Consulent schuldhulpverlening",
    ),
    Person(
        "dvisser",
        "Daan",
        "Visser",
        "d.visser@example.nl",
        ORG_A,
        Role.PROFESSIONAL,
        "Jeugdconsulent",
    ),
    Person(
        "ldeboer",
        "Lotte",
        "de Boer",
        "lotte.deboer@example.nl",
        NEIGHBOURHOOD_TEAM,
        Role.PROFESSIONAL,
        "Maatschappelijk werker",
    ),
    Person(
        "admin",
        "Wim",
        "Hoekstra",
        "beheer@example.nl",
        None,
        None,
        "Functioneel beheerder",
        is_admin=True,
    ),
]

# — libraries —

# (theme, kind, minutes, text)
LIBRARY_A = [
    ("Schulden", QuestionKind.PREPARED, 10, "Hoe was het om hulp te vragen bij geldzorgen?"),
    ("Schulden", QuestionKind.PREPARED, 10, "Wist u bij wie u terecht kon met uw schulden?"),
    (
        "Schulden",
        QuestionKind.PREPARED,
        15,
        "Hoe ging het contact met uw schuldhulpverlener tijdens het traject?",
    ),
    (
        "Jeugdhulp",
        QuestionKind.PREPARED,
        15,
        "Hoe verliep de eerste maand nadat u hulp voor uw kind had gevraagd?",
    ),
    (
        "Jeugdhulp",
        QuestionKind.PREPARED,
        10,
        "Werd u als ouder betrokken bij de keuzes over de hulp?",
    ),
    (
        "Jeugdhulp",
        QuestionKind.PREPARED,
        10,
        "Wat had u in die eerste weken nodig dat u niet kreeg?",
    ),
    (
        "Mantelzorg",
        QuestionKind.PREPARED,
        10,
        "Weet u waar u als mantelzorger terecht kunt voor ondersteuning?",
    ),
    (
        "Mantelzorg",
        QuestionKind.PREPARED,
        15,
        "Werd bij de aanvraag ook gekeken naar u als mantelzorger?",
    ),
    (
        "Mantelzorg",
        QuestionKind.PREPARED,
        10,
        "Wat zou u helpen om het mantelzorgen vol te houden?",
    ),
]

LIBRARY_NETWORK = [
    (
        "Bereikbaarheid",
        QuestionKind.PREPARED,
        10,
        "Hoe makkelijk was het om de gemeente te bereiken, telefonisch of online?",
    ),
    (
        "Bereikbaarheid",
        QuestionKind.PREPARED,
        10,
        "Waren de brieven en formulieren voor u te begrijpen?",
    ),
]

# Organisation B keeps its own rule set: the default one plus a house rule.
HOUSE_RULE_B = "Mobiele telefoons staan uit of op stil, ook bij de toehoorders."

# Texts of the default library (migration 0002) the guides below use.
Q_INTRODUCE = "Kunt u zich voorstellen en vertellen waarvoor u hulp kreeg?"
Q_REMEMBERED = "Wat is u het meest bijgebleven van de hulp die u kreeg?"
Q_FIRST_CONTACT = "Hoe kwam u in contact met het wijkteam of de organisatie?"
Q_WAITING = "Hoe lang duurde het voordat u iemand sprak?"
Q_HEARD = "Voelde u zich gehoord in het eerste gesprek? Wat hielp daarbij?"
Q_CLEAR = "Was duidelijk wat er met uw vraag zou gebeuren?"
Q_APPLICATION = "Hoe verliep de aanvraag? Wat ging goed, wat kan beter?"
Q_LETTERS = "Begreep u de brieven en de beslissing die u kreeg?"
Q_COOPERATION = "Had u met meerdere hulpverleners te maken? Hoe werkten zij samen?"
Q_OWN_CONTROL = "Kon u zelf meebeslissen over de hulp die u kreeg?"
Q_ONE_THING = "Als u één ding mocht veranderen, wat zou dat zijn?"
Q_REMEMBER = "Wat moeten de toehoorders vooral onthouden van vandaag?"
Q_LISTENERS = "Verduidelijkende vragen van de toehoorders."


@dataclass(frozen=True)
class Custom:
    """A question written for one session, not taken from the library."""

    text: str
    kind: str = QuestionKind.PREPARED
    minutes: int = 10


# — sessions —

TITLE_CLOSED = "Spiegelgesprek Hulp bij schulden"
TITLE_DEBRIEF = "Spiegelgesprek Jeugdhulp: de eerste maand"
TITLE_LIVE = "Spiegelgesprek De Wmo-aanvraag bij het wijkteam"
TITLE_PLANNED = "Spiegelgesprek Ondersteuning van mantelzorgers"
TITLE_DRAFT = "Spiegelgesprek Huishoudelijke hulp na de herindicatie"
TITLE_PARTNER = "Spiegelgesprek Begeleiding naar werk (Maassluis)"
DEMO_TITLES = [
    TITLE_CLOSED,
    TITLE_DEBRIEF,
    TITLE_LIVE,
    TITLE_PLANNED,
    TITLE_DRAFT,
    TITLE_PARTNER,
]

S = RecruitmentStatus
CONSENTING = {S.CONFIRMED, S.ATTENDED, S.NO_SHOW}
EXPECTED = {S.CONFIRMED, S.ATTENDED}


@dataclass(frozen=True)
class Client:
    """A panel member as the demo describes them; consent follows from the status."""

    name: str
    status: str = S.ATTENDED
    quotes: bool = True
    feedback: bool = True
    email: bool = True
    transport: bool = False
    interpreter: bool = False
    companion: bool = False
    notes: str = ""
    withdrawn: bool = False


@dataclass(frozen=True)
class Guest:
    """A listener without an account."""

    name: str
    function: str
    organisation: str
    email: str = ""


@dataclass
class Demo:
    organisations: dict[str, Organisation]
    users: dict[str, User]
    sessions: list[Session] = field(default_factory=list)
    phones: int = 0

    def next_phone(self) -> str:
        """Fake mobile numbers in the 06-12345678 pattern, unique within one run."""
        self.phones += 1
        return f"06-1234{5600 + self.phones:04d}"


# — helpers —


def local(days: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in the site's time zone, `days` from today."""
    day = timezone.localtime() + timedelta(days=days)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def email_for(name: str, domain: str = "example.nl") -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join(plain.lower().replace("-", " ").split()) + "@" + domain


def function_of(username: str) -> str:
    return next(p.function for p in PEOPLE if p.username == username)


# — the world around the sessions —


def ensure_organisations() -> dict[str, Organisation]:
    organisations = {}
    for spec in ORGANISATIONS:
        organisations[spec.key], _created = Organisation.objects.update_or_create(
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "network": organisations[spec.network] if spec.network else None,
                "retention_days": spec.retention_days,
            },
        )
    return organisations


def ensure_users(organisations) -> dict[str, User]:
    """The demo accounts with exactly their demo role, all with the password `demo`."""
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    users = {}
    for person in PEOPLE:
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
    """Organisation A's own questions and the network's shared ones."""
    for key, questions in ((ORG_A, LIBRARY_A), (NETWORK, LIBRARY_NETWORK)):
        for theme, kind, minutes, text in questions:
            LibraryQuestion.objects.update_or_create(
                organisation=organisations[key],
                text=text,
                defaults={"theme": theme, "kind": kind, "planned_minutes": minutes},
            )


def ensure_rule_sets(organisations):
    """Organisation B's own rule set: the default rules plus a house rule."""
    organisation = organisations[ORG_B]
    if organisation.rules.exists():
        return
    texts = list(Rule.objects.defaults().order_by("position", "pk").values_list("text", flat=True))
    Rule.objects.bulk_create(
        Rule(organisation=organisation, text=text, position=position)
        for position, text in enumerate([*texts, HOUSE_RULE_B], start=1)
    )


def remove_demo_sessions(organisations):
    """Delete the previous run's demo sessions (and their audit lines); others stay."""
    pks = list(
        Session.objects.filter(
            title__in=DEMO_TITLES, organisations__in=organisations.values()
        ).values_list("pk", flat=True)
    )
    AccessLog.objects.filter(session_id__in=pks).delete()
    Session.objects.filter(pk__in=pks).delete()


# — building blocks of a session —


def new_session(demo, *, organisations, created_at, **fields) -> Session:
    session = create_session(
        created_by=demo.users["facilitator"],
        organisations=[demo.organisations[key] for key in organisations],
        facilitator=demo.users["facilitator"],
        **fields,
    )
    demo.sessions.append(session)
    Session.objects.filter(pk=session.pk).update(created_at=created_at)
    return session


def add_panel(demo, session, clients, *, invited_at, consent_date: date | None, withdrawn_at=None):
    for client in clients:
        consent = client.status in CONSENTING
        member = add_panel_member(
            session=session,
            by=demo.users["facilitator"],
            member_fields={
                "status": client.status,
                "invited_at": invited_at,
                "consent_date": consent_date if consent else None,
                "consent_letter_version": CONSENT_LETTER_VERSION if consent else "",
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
                "compensation": COMPENSATION if client.status in EXPECTED else "",
            },
        )
        if client.withdrawn:
            member.withdraw_consent(when=withdrawn_at)
    # The audit lines date from when the panel was put together, not from this run.
    AccessLog.objects.filter(session=session).update(at=invited_at)


def add_listeners(demo, session, *, users=(), guests=(), invited_at, unbriefed=()):
    """Listeners with an account (by username) and guests; `unbriefed` names either."""
    organisation_names = {
        membership.user_id: membership.organisation.name
        for membership in Membership.objects.filter(user__username__in=users).select_related(
            "organisation"
        )
    }
    listeners = [
        Listener(
            session=session,
            user=demo.users[username],
            name=demo.users[username].get_full_name(),
            email=demo.users[username].email,
            function=function_of(username),
            organisation_name=organisation_names.get(demo.users[username].pk, ""),
            briefed=username not in unbriefed,
            invited_at=invited_at,
        )
        for username in users
    ] + [
        Listener(
            session=session,
            name=guest.name,
            email=guest.email or email_for(guest.name, "example.com"),
            function=guest.function,
            organisation_name=guest.organisation,
            briefed=guest.name not in unbriefed,
            invited_at=invited_at,
        )
        for guest in guests
    ]
    Listener.objects.bulk_create(listeners)


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
        if question is None:  # removed from the default library by an administrator
            continue
        copy_from_library(session=session, library_questions=[question])


def set_timestamps(session, **timestamps):
    """Put the lifecycle moments where they would have been; the model methods set `now`."""
    Session.objects.filter(pk=session.pk).update(**timestamps)
    session.refresh_from_db()


# — one function per lifecycle state —


def build_closed_session(demo) -> Session:
    """About two months ago; closed after the debrief, one member withdrew consent later."""
    starts_at = local(-60, 14)
    session = new_session(
        demo,
        organisations=[ORG_A],
        created_at=local(-95, 9, 30),
        title=TITLE_CLOSED,
        theme="Hulp bij schulden",
        target_group="Inwoners die in het afgelopen jaar schuldhulp kregen via de gemeente",
        starts_at=starts_at,
        location="Stadskantoor Vlaardingen, vergaderzaal De Kade",
        co_facilitator=demo.users["facilitator2"],
        notes="Koffie en thee bij binnenkomst; cadeaubonnen uitgedeeld na afloop.",
    )
    add_panel(
        demo,
        session,
        [
            Client("Annie de Groot", notes="Slechthorend: graag dicht bij de gespreksleider."),
            Client("Kees Brouwer", quotes=False),
            Client(
                "Samira El Idrissi",
                companion=True,
                notes="Komt samen met haar vrijwilliger van SchuldHulpMaatje.",
            ),
            Client(
                "Rinus van Leeuwen",
                email=False,
                transport=True,
                notes="Rolstoel; taxi via het Wmo-vervoer geregeld.",
            ),
            Client("Joyce Vermeulen", withdrawn=True),
            Client("Bayram Öztürk", interpreter=True, notes="Tolk Turks aanwezig."),
            Client("Marco Dekker", status=S.NO_SHOW, feedback=False),
            Client("Wilma Koopman", status=S.CANCELLED, notes="Afgemeld wegens ziekte."),
        ],
        invited_at=local(-84, 10),
        consent_date=local(-70, 12).date(),
        withdrawn_at=local(-45, 11, 15),
    )
    add_listeners(
        demo,
        session,
        users=["listener", "mbouzid", "coordinator"],
        guests=[
            Guest("Henk Mulder", "Vrijwilliger", "SchuldHulpMaatje Vlaardingen"),
            Guest(
                "Anouk Verhoeven", "Beleidsmedewerker armoede en schulden", "Gemeente Vlaardingen"
            ),
        ],
        invited_at=local(-80, 9),
    )
    build_guide(
        session,
        [
            Q_INTRODUCE,
            Q_REMEMBERED,
            "Hoe was het om hulp te vragen bij geldzorgen?",
            "Wist u bij wie u terecht kon met uw schulden?",
            "Hoe ging het contact met uw schuldhulpverlener tijdens het traject?",
            Custom("Hoe merkte u dat uw situatie rustiger werd, of juist niet?", minutes=10),
            Q_ONE_THING,
            Q_REMEMBER,
            Q_LISTENERS,
        ],
    )
    load_rules(session=session)
    session.plan()
    session.go_live()
    hold_meeting(session, NOTES_CLOSED)
    session.end_meeting()
    hold_debrief(demo, session, **DEBRIEF_CLOSED)
    conclude_debrief(session=session, by=demo.users["coordinator"])
    save_letter(
        session=session, text=draft_letter(session), finalise=True, by=demo.users["coordinator"]
    )
    set_timestamps(
        session,
        planned_at=local(-88, 11),
        live_at=starts_at + timedelta(minutes=4),
        ended_at=starts_at + timedelta(minutes=112),
        closed_at=local(-53, 16, 30),
    )
    date_findings(session)
    Debrief.objects.filter(session=session).update(concluded_at=session.closed_at)
    add_evaluations(session, EVALUATIONS_CLOSED)
    return session


def build_debrief_session(demo) -> Session:
    """Held online last week; the professionals still have to finish the debrief."""
    starts_at = local(-7, 10)
    session = new_session(
        demo,
        organisations=[ORG_A],
        created_at=local(-40, 14),
        title=TITLE_DEBRIEF,
        theme="Jeugdhulp: de eerste maand",
        target_group="Ouders van wie een kind in het afgelopen jaar jeugdhulp kreeg",
        starts_at=starts_at,
        duration_minutes=90,
        online_url="https://beeldbellen.example.nl/jeugdhulp-eerste-maand",
        notes="Online, zodat ouders niet hoeven te regelen wie er op de kinderen past.",
    )
    add_panel(
        demo,
        session,
        [
            Client("Linda Verbeek"),
            Client("Dennis Schouten", quotes=False),
            Client("Naima Ouali"),
            Client("Tessa van den Heuvel", notes="Doet mee via haar telefoon; camera uit."),
            Client("Ricardo Martina"),
            Client("Esther Kramer", feedback=False),
            Client("Jolanda Bos", status=S.NO_SHOW),
            Client("Kevin de Wit", status=S.CANCELLED, email=False),
        ],
        invited_at=local(-30, 9),
        consent_date=local(-18, 12).date(),
    )
    add_listeners(
        demo,
        session,
        users=["listener", "dvisser"],
        guests=[
            Guest("Miriam Koster", "Manager Jeugd", "Gemeente Vlaardingen"),
            Guest("Rob Hendriks", "Gedragswetenschapper", "Jeugd- en gezinsteam Vlaardingen"),
        ],
        invited_at=local(-28, 9),
    )
    build_guide(
        session,
        [
            Q_INTRODUCE,
            "Hoe verliep de eerste maand nadat u hulp voor uw kind had gevraagd?",
            "Werd u als ouder betrokken bij de keuzes over de hulp?",
            "Wat had u in die eerste weken nodig dat u niet kreeg?",
            Q_COOPERATION,
            Q_ONE_THING,
            Q_LISTENERS,
        ],
    )
    load_rules(session=session)
    session.plan()
    session.go_live()
    hold_meeting(session, NOTES_DEBRIEF)
    session.end_meeting()
    hold_debrief(demo, session, **DEBRIEF_OPEN)
    set_timestamps(
        session,
        planned_at=local(-33, 15),
        live_at=starts_at + timedelta(minutes=3),
        ended_at=starts_at + timedelta(minutes=88),
    )
    date_findings(session)
    add_evaluations(session, EVALUATIONS_DEBRIEF)
    return session


def build_live_session(demo) -> Session:
    """Going on right now, with the wijkteam's work under discussion too."""
    now = timezone.localtime()
    starts_at = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
    starts_at -= timedelta(minutes=15)
    session = new_session(
        demo,
        organisations=[ORG_A, NEIGHBOURHOOD_TEAM],
        created_at=local(-35, 9),
        title=TITLE_LIVE,
        theme="De Wmo-aanvraag bij het wijkteam",
        target_group="Inwoners die in het afgelopen jaar een Wmo-aanvraag deden",
        starts_at=starts_at,
        location="Wijkcentrum Het Palet, Vlaardingen (zaal op de begane grond)",
        notes="Ringleiding in de zaal; tolk Turks is bevestigd.",
    )
    add_panel(
        demo,
        session,
        [
            Client(
                "Gerrit van der Linden",
                transport=True,
                notes="Rollator; graag een stoel dicht bij de deur.",
            ),
            Client("Fatma Kaya", interpreter=True, notes="Tolk Turks via het tolkencentrum."),
            Client("Ria Hoogendoorn", email=False, quotes=False),
            Client(
                "Jan Willem Meijer",
                companion=True,
                notes="Komt met zijn dochter, die mantelzorger is.",
            ),
            Client("Priya Ramdin"),
            Client("Henk Vos", email=False),
            Client("Sandra Kok", status=S.NO_SHOW),
            Client("Ahmed Chaouch", status=S.CANCELLED, notes="Kon geen vrij krijgen van werk."),
        ],
        invited_at=local(-28, 10),
        consent_date=local(-14, 11).date(),
    )
    add_listeners(
        demo,
        session,
        users=["listener", "ldeboer", "coordinator"],
        guests=[
            Guest("Gerda Willems", "Beleidsmedewerker Wmo", "Gemeente Vlaardingen"),
            Guest("Thijs van Os", "Wmo-consulent", "Wijkteam Vlaardingen"),
        ],
        invited_at=local(-25, 9),
    )
    build_guide(
        session,
        [
            Q_INTRODUCE,
            Q_REMEMBERED,
            Q_FIRST_CONTACT,
            Q_HEARD,
            Q_CLEAR,
            Q_APPLICATION,
            Q_LETTERS,
            Q_OWN_CONTROL,
            Q_ONE_THING,
            Q_LISTENERS,
        ],
    )
    load_rules(session=session)
    session.plan()
    session.go_live()
    hold_meeting(session, NOTES_LIVE, current=3)
    set_timestamps(
        session,
        planned_at=local(-21, 9, 30),
        live_at=min(starts_at + timedelta(minutes=2), timezone.now()),
    )
    date_findings(session)
    return session


def build_planned_session(demo) -> Session:
    """In ten days; still two confirmations short and two listeners to brief."""
    session = new_session(
        demo,
        organisations=[ORG_A],
        created_at=local(-20, 13),
        title=TITLE_PLANNED,
        theme="Ondersteuning van mantelzorgers",
        target_group="Mantelzorgers van inwoners met Wmo-ondersteuning",
        starts_at=local(10, 19, 30),
        location="Buurthuis De Loper, Vlaardingen",
        notes="'s Avonds gepland, zodat werkende mantelzorgers kunnen komen. "
        "Respijtzorg regelen voor wie dat nodig heeft.",
    )
    add_panel(
        demo,
        session,
        [
            Client("Margreet Post", status=S.CONFIRMED),
            Client("Ton Jacobs", status=S.CONFIRMED, transport=True),
            Client(
                "Els Verhoef",
                status=S.CONFIRMED,
                notes="Kan alleen komen als er vervangende zorg voor haar man is.",
            ),
            Client("Hüseyin Demir", status=S.CONFIRMED, interpreter=True),
            Client("Carla Smits", status=S.CONFIRMED, quotes=False),
            Client("Bert van Vliet", status=S.INVITED),
            Client("Mirjam de Jong", status=S.INVITED, email=False),
            Client("Yvonne Maas", status=S.CANCELLED),
        ],
        invited_at=local(-12, 10),
        consent_date=local(-5, 12).date(),
    )
    add_listeners(
        demo,
        session,
        users=["listener", "ldeboer"],
        guests=[
            Guest("Jeroen Smit", "Mantelzorgconsulent", "Steunpunt Mantelzorg Vlaardingen"),
            Guest("Ilse Prins", "Beleidsmedewerker", "Gemeente Vlaardingen"),
        ],
        invited_at=local(-10, 9),
        unbriefed={"Jeroen Smit", "Ilse Prins"},
    )
    build_guide(
        session,
        [
            Q_INTRODUCE,
            "Weet u waar u als mantelzorger terecht kunt voor ondersteuning?",
            "Werd bij de aanvraag ook gekeken naar u als mantelzorger?",
            "Wat zou u helpen om het mantelzorgen vol te houden?",
            "Hoe makkelijk was het om de gemeente te bereiken, telefonisch of online?",
            Q_ONE_THING,
            Q_LISTENERS,
        ],
    )
    load_rules(session=session)
    session.plan()
    set_timestamps(session, planned_at=local(-6, 11))
    return session


def build_draft_session(demo) -> Session:
    """Deliberately incomplete: no date, guide, rules or listeners yet."""
    session = new_session(
        demo,
        organisations=[ORG_A],
        created_at=local(-2, 16),
        title=TITLE_DRAFT,
        theme="Huishoudelijke hulp na de herindicatie",
        notes="Nog te doen: datum prikken, zaal reserveren, toehoorders uitnodigen, "
        "vragenlijst afstemmen met de coördinator.",
    )
    add_panel(
        demo,
        session,
        [
            Client("Truus Wagenaar", status=S.INVITED, email=False),
            Client("Cor Hermans", status=S.INVITED),
            Client("Anneke Dijkstra", status=S.INVITED),
        ],
        invited_at=local(-1, 10),
        consent_date=None,
    )
    return session


def build_partner_session(demo) -> Session:
    """Organisation B's own session: the outsider listens here and sees nothing of A."""
    starts_at = local(-21, 13, 30)
    session = new_session(
        demo,
        organisations=[ORG_B],
        created_at=local(-50, 10),
        title=TITLE_PARTNER,
        theme="Begeleiding naar werk",
        target_group="Inwoners met een bijstandsuitkering die begeleiding naar werk kregen",
        starts_at=starts_at,
        location="Stadhuis Maassluis, raadzaal",
    )
    add_panel(
        demo,
        session,
        [
            Client("Sjaak Verschoor"),
            Client("Mehmet Aslan"),
            Client("Petra Molenaar", quotes=False),
            Client("Chantal Pinas"),
            Client("Arjen Zwart", email=False, transport=True),
            Client("Erik Lambregts", companion=True, notes="Komt met zijn jobcoach."),
            Client("Nicole van Rijn", status=S.NO_SHOW),
        ],
        invited_at=local(-45, 10),
        consent_date=local(-30, 12).date(),
    )
    add_listeners(
        demo,
        session,
        users=["outsider"],
        guests=[
            Guest("Bas Kuipers", "Teamleider Werk en Inkomen", "Gemeente Maassluis"),
            Guest("Nadia Benali", "Jobcoach", "Werkplein Maassluis"),
        ],
        invited_at=local(-40, 9),
    )
    build_guide(
        session,
        [
            Q_INTRODUCE,
            Q_WAITING,
            Q_HEARD,
            "Waren de brieven en formulieren voor u te begrijpen?",
            Custom("Hoe paste de begeleiding bij wat u zelf wilde in werk?", minutes=15),
            Q_OWN_CONTROL,
            Q_REMEMBER,
            Q_LISTENERS,
        ],
    )
    load_rules(session=session)
    session.plan()
    session.go_live()
    hold_meeting(session, NOTES_PARTNER)
    session.end_meeting()
    set_timestamps(
        session,
        planned_at=local(-42, 10),
        live_at=starts_at + timedelta(minutes=5),
        ended_at=starts_at + timedelta(minutes=115),
    )
    date_findings(session)
    return session


# — what was said: findings captured during the meeting, and the evaluation afterwards —


@dataclass(frozen=True)
class Note:
    """A finding as the facilitator typed it: under the n-th question (1-based), by a speaker
    letter of the panel (None: the group), of a kind, optionally starred."""

    question: int
    kind: str
    text: str
    speaker: str | None = None
    starred: bool = False


def hold_meeting(session, notes, *, current=None):
    """Walk the live steps as a facilitator would and capture `notes`; stop at question
    `current` (1-based) when the meeting is still going on."""
    members = {m.letters: m for m in session.panel_members.all()}
    present = [m for m in members.values() if m.status == S.ATTENDED]
    check_in(
        session=session,
        present_members=present,
        present_listeners=list(session.listeners.all()),
    )
    explain_rules(session=session)
    questions = list(session.questions.order_by("position", "pk"))
    for note in notes:
        capture_finding(
            session=session,
            user=session.facilitator,
            client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"spiegel-demo/{session.title}/{note.text}"),
            text=note.text,
            kind=note.kind,
            question_id=questions[note.question - 1].pk,
            speaker_id=members[note.speaker].pk if note.speaker else None,
            starred=note.starred,
        )
    if current:
        go_to_question(session=session, question=questions[current - 1])


def date_findings(session):
    """Spread the notes over the meeting, as they were typed, once its moments are set."""
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


K = FindingKind

NOTES_CLOSED = [
    Note(
        1,
        K.POSITIVE,
        "Na het eerste gesprek had ik eindelijk weer rust: er keek iemand mee.",
        "A",
        True,
    ),
    Note(1, K.IMPROVEMENT, "Het duurde zeven weken voordat ik een intakegesprek kreeg.", "B"),
    Note(
        2,
        K.QUOTE,
        "Ik schaamde me kapot, en de eerste vraag was of ik mijn afschriften had.",
        "C",
        True,
    ),
    Note(2, K.POSITIVE, "Mijn vaste schuldhulpverlener nam altijd de telefoon op.", "F"),
    Note(3, K.IMPROVEMENT, "Niemand vertelde me dat ik bijzondere bijstand kon aanvragen.", "A"),
    Note(3, K.WISH, "Een vast telefoonnummer waar je een mens aan de lijn krijgt.", "B"),
    Note(
        4,
        K.IMPROVEMENT,
        "Brieven van de gemeente en van de schuldeisers spraken elkaar tegen.",
        "F",
    ),
    Note(5, K.POSITIVE, "De vrijwilliger van SchuldHulpMaatje ging mee naar afspraken.", "C"),
    Note(
        5,
        K.IMPROVEMENT,
        "Ik moest mijn verhaal drie keer opnieuw vertellen aan nieuwe mensen.",
        "A",
        True,
    ),
    Note(
        6,
        K.LATER,
        "Vraag aan beleid: wachttijd intake naast die van andere gemeenten leggen.",
        None,
    ),
    Note(7, K.WISH, "Eén contactpersoon voor alles, van begin tot eind.", "B", True),
    Note(8, K.QUOTE, "Luister eerst, de papieren komen daarna wel.", "C"),
]

NOTES_DEBRIEF = [
    Note(1, K.POSITIVE, "De jeugdconsulent kwam binnen een week thuis langs.", "A", True),
    Note(1, K.IMPROVEMENT, "Ik wist niet wie mijn contactpersoon was toen de eerste weg was.", "C"),
    Note(2, K.QUOTE, "Mijn zoon werd serieus genomen, dat was de eerste keer.", "A", True),
    Note(2, K.IMPROVEMENT, "Het plan werd gemaakt zonder dat ik erbij was.", "D"),
    Note(3, K.WISH, "Een overzicht op papier: wie doet wat, en wanneer.", "B"),
    Note(3, K.POSITIVE, "Online gesprekken maakten het makkelijker met mijn werk.", "E"),
    Note(
        4,
        K.IMPROVEMENT,
        "De wachtlijst voor de specialistische hulp werd nooit uitgelegd.",
        "C",
        True,
    ),
    Note(5, K.LATER, "Uitzoeken: waarom krijgen ouders het plan niet vooraf te lezen?", None),
]

NOTES_LIVE = [
    Note(1, K.POSITIVE, "Het wijkteam was makkelijk te bereiken: ik kon gewoon binnenlopen.", "A"),
    Note(1, K.IMPROVEMENT, "Ik moest eerst drie keer bellen voordat ik iemand sprak.", "B", True),
    Note(2, K.QUOTE, "Ze kwamen bij mij thuis kijken, dat voelde als echte aandacht.", "D", True),
    Note(
        2, K.IMPROVEMENT, "Mijn dochter moest alles regelen; ik begreep de formulieren niet.", "D"
    ),
    Note(3, K.WISH, "Een vast gezicht bij het wijkteam, niet steeds iemand anders.", "E"),
    Note(3, K.POSITIVE, "De consulent legde uit wat een keukentafelgesprek is.", "F"),
    Note(3, K.IMPROVEMENT, "Er kwam een tolk, maar pas bij het tweede gesprek.", "B"),
]

NOTES_PARTNER = [
    Note(1, K.POSITIVE, "Mijn jobcoach dacht mee over werk dat bij mij past.", "A"),
    Note(2, K.IMPROVEMENT, "Na de proefplaatsing hoorde ik maandenlang niets.", "B", True),
    Note(3, K.WISH, "Eerder samen kijken naar wat ik wél kan.", "C"),
]

EVALUATIONS_CLOSED = [
    ("A", 5, 5, 4, 5, "Fijn dat er echt geluisterd werd."),
    ("B", 4, 4, 3, 4, "De tijd ging te snel."),
    ("C", 5, 4, 4, 5, ""),
    ("F", 4, 5, 4, 4, "Met tolk ging het goed."),
    ("Henk Mulder", 5, 5, 4, 5, "Confronterend, maar heel leerzaam."),
    ("Anouk Verhoeven", 4, 4, 3, 5, "Ik had graag meer tijd gehad voor de laatste vraag."),
]

EVALUATIONS_DEBRIEF = [
    ("A", 5, 4, 4, 5, "Goed geregeld, ook online."),
    ("B", 3, 3, 2, 4, "Het was soms lastig om ertussen te komen via het scherm."),
    ("D", 4, 5, 4, 4, ""),
]


# — the debrief: what the professionals made of it —


@dataclass(frozen=True)
class Plan:
    """An improvement action as the debrief formulated it, and how far it got."""

    title: str
    notes: tuple  # texts of the findings it answers
    owner: str
    due_in_days: int  # negative: overdue
    status: str = "open"
    client_sentence: str = ""
    closing_note: str = ""
    progress: str = ""


def hold_debrief(demo, session, *, themes, blind_spots, lessons, impact, act_on, plans):
    """Themes, blind spots, lessons, the two answers and the actions of one debrief."""
    organisation = session.organisations.order_by("pk").first()
    findings = {f.text: f for f in session.findings.all()}
    for name, texts in themes.items():
        theme, _ = Theme.objects.get_or_create(organisation=organisation, name=name)
        Finding.objects.filter(session=session, text__in=texts).update(theme=theme)
    Finding.objects.filter(session=session, text__in=blind_spots).update(blind_spot=True)
    coordinator, listener = demo.users["coordinator"], demo.users["listener"]
    Debrief.objects.update_or_create(session=session, defaults={"impact": impact, "act_on": act_on})
    for text in lessons:
        Lesson.objects.create(session=session, text=text, created_by=listener)
    today = timezone.localdate()
    for plan in plans:
        action = create_action(
            session=session,
            by=coordinator,
            findings=[findings[text] for text in plan.notes],
            title=plan.title,
            owner=demo.users[plan.owner],
            due_date=today + timedelta(days=max(plan.due_in_days, 1)),
            client_sentence=plan.client_sentence,
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
            )


DEBRIEF_CLOSED = {
    "themes": {
        "Bereikbaarheid": [NOTES_CLOSED[1].text, NOTES_CLOSED[5].text],
        "Eén aanspreekpunt": [NOTES_CLOSED[8].text, NOTES_CLOSED[10].text],
        "Begrijpelijke informatie": [NOTES_CLOSED[4].text, NOTES_CLOSED[6].text],
    },
    "blind_spots": [NOTES_CLOSED[2].text, NOTES_CLOSED[8].text],
    "lessons": [
        "Wij beginnen bij de papieren; inwoners beginnen bij hun schaamte.",
        "Elke wisseling van hulpverlener kost de inwoner zijn verhaal opnieuw.",
    ],
    "impact": "Het raakte ons hoe vaak mensen zich schaamden, en dat wij dat niet zagen.",
    "act_on": "Wachttijd voor de intake, één vast aanspreekpunt, en duidelijke brieven.",
    "plans": [
        Plan(
            "Intake binnen drie weken",
            (NOTES_CLOSED[1].text,),
            "coordinator",
            -5,
            status="in_progress",
            client_sentence="U krijgt nu binnen drie weken een eerste gesprek.",
            progress="Extra intakeuren ingeroosterd vanaf de eerste van de maand.",
        ),
        Plan(
            "Eén vaste schuldhulpverlener per inwoner",
            (NOTES_CLOSED[8].text, NOTES_CLOSED[10].text),
            "listener",
            30,
            status="done",
            client_sentence="U houdt voortaan dezelfde schuldhulpverlener, van begin tot eind.",
            closing_note="Werkwijze aangepast; nieuwe aanmeldingen krijgen een vaste naam.",
        ),
        Plan(
            "Informatie over bijzondere bijstand in het eerste gesprek",
            (NOTES_CLOSED[4].text,),
            "listener",
            -12,
            client_sentence="In het eerste gesprek vertellen we u welke regelingen er zijn.",
        ),
    ],
}

DEBRIEF_OPEN = {
    "themes": {
        "Eén aanspreekpunt": [NOTES_DEBRIEF[1].text],
        "Begrijpelijke informatie": [NOTES_DEBRIEF[4].text, NOTES_DEBRIEF[6].text],
    },
    "blind_spots": [NOTES_DEBRIEF[1].text, NOTES_DEBRIEF[3].text],
    "lessons": ["Ouders willen meedenken over het plan, niet het achteraf lezen."],
    "impact": "Dat ouders het plan pas achteraf zagen, hadden wij niet door.",
    "act_on": "Ouders aan tafel bij het plan, en een overzicht wie wat doet.",
    "plans": [
        Plan(
            "Plan van aanpak samen met ouders opstellen",
            (NOTES_DEBRIEF[3].text,),
            "coordinator",
            21,
            client_sentence="We maken het plan voortaan samen met u.",
        ),
        Plan(
            "Overzicht 'wie doet wat' na het eerste gesprek",
            (NOTES_DEBRIEF[4].text,),
            "listener",
            5,
            client_sentence="U krijgt na het eerste gesprek een overzicht op papier.",
        ),
    ],
}


SESSION_BUILDERS = [
    build_closed_session,
    build_debrief_session,
    build_live_session,
    build_planned_session,
    build_draft_session,
    build_partner_session,
]


def build_demo() -> Demo:
    organisations = ensure_organisations()
    users = ensure_users(organisations)
    ensure_library(organisations)
    ensure_rule_sets(organisations)
    remove_demo_sessions(organisations)
    demo = Demo(organisations=organisations, users=users)
    for build in SESSION_BUILDERS:
        build(demo)
    return demo


class Command(BaseCommand):
    help = (
        "Vult de database met een realistische demo: organisaties, gebruikers (wachtwoord "
        "'demo') en een spiegelgesprek in elke fase. Opnieuw draaien ververst de demo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ook uitvoeren als DEBUG uit staat (niet op productie gebruiken).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "De demo-gegevens zijn alleen voor lokaal gebruik: zet DEBUG=1 of gebruik --force."
            )
        try:
            with transaction.atomic():
                demo = build_demo()
        except TransitionError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.report(demo)

    def report(self, demo):
        write = self.stdout.write
        write(self.style.SUCCESS("Demo-gegevens staan klaar."))
        write("")
        write("Spiegelgesprekken:")
        for session in demo.sessions:
            organisations = ", ".join(o.name for o in session.organisations.all())
            write(f"  {session.get_status_display():<11} {session.title} ({organisations})")
        write("")
        write(f"Inloggen (wachtwoord voor iedereen: {DEMO_PASSWORD}):")
        for person in PEOPLE:
            user = demo.users[person.username]
            if person.is_admin:
                role = "beheerder (Django-admin op /admin/)"
            else:
                organisation = demo.organisations[person.organisation].name
                role = f"{Role(person.role).label.lower()} bij {organisation}"
            write(f"  {person.username:<13} {user.get_full_name():<18} {role}")
        write("")
        write(f"Start de server met `python manage.py runserver` en open {SITE_URL}")
