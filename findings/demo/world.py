"""The demo world as data: who is in it, and what happened in each of its sessions.

Nothing here touches the database; `findings.demo.builder` walks these lists and puts them in
through the same services the pages use. Moments are relative to today (`Day`), so the demo
looks the same whenever it is built. Notes and questions are numbered from 1, as on screen.
"""

from dataclasses import dataclass, field

from findings.constants import FindingKind as K
from participants.constants import OrganisationKind, Role
from participants.constants import RecruitmentStatus as S
from sessions.constants import QuestionKind
from sessions.constants import Status as State

DEMO_PASSWORD = "demo"
SITE_URL = "http://127.0.0.1:8000/"
CONSENT_LETTER_VERSION = "informatiebrief versie 2"
COMPENSATION = "Cadeaubon € 25"


# — the shapes of the data —


@dataclass(frozen=True)
class Day:
    """A wall-clock time in the site's time zone, `days` from today."""

    days: int
    hour: int
    minute: int = 0


@dataclass(frozen=True)
class MinutesAgo:
    """A start time just behind us: now, rounded down to five minutes, minus `minutes`."""

    minutes: int


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    name: str
    kind: str
    network: str | None = None  # key of the network organisation
    retention_days: int = 180


@dataclass(frozen=True)
class Person:
    """Someone with an account; all of them log in with DEMO_PASSWORD."""

    username: str
    first_name: str
    last_name: str
    email: str
    organisation: str | None  # key in ORGANISATIONS; None for the administrator
    role: str | None
    function: str
    is_admin: bool = False


@dataclass(frozen=True)
class Custom:
    """A question written for one session, not taken from the library."""

    text: str
    kind: str = QuestionKind.PREPARED
    minutes: int = 10


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


@dataclass(frozen=True)
class Note:
    """A finding as the facilitator typed it: under the n-th question, by a speaker letter of
    the panel (None: the group), of a kind, optionally starred."""

    question: int
    kind: str
    text: str
    speaker: str | None = None
    starred: bool = False


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


@dataclass(frozen=True)
class DebriefSpec:
    """What the professionals made of it: themes (name: note texts), blind spots (note
    texts), lessons, the two answers, and the actions."""

    themes: dict
    blind_spots: list
    lessons: list
    impact: str
    act_on: str
    plans: list


@dataclass(frozen=True)
class SessionSpec:
    """One demo session, built up to `status`; parts past that status stay empty."""

    status: str
    organisations: list  # keys in ORGANISATIONS
    created: Day
    details: dict  # title, theme, … as create_session takes them
    panel: list
    invited: Day  # when the panel was invited
    consent: Day | None = None
    withdrawn: Day | None = None  # when the withdrawn Client took back consent
    starts: Day | MinutesAgo | None = None
    co_facilitator: str | None = None  # username
    listeners: tuple = ()  # usernames
    guests: list = field(default_factory=list)
    listeners_invited: Day | None = None
    unbriefed: frozenset = frozenset()  # listener names or usernames
    guide: list = field(default_factory=list)  # library texts and Custom questions
    planned: Day | None = None
    live_after: int | None = None  # minutes after the start
    findings: list = field(default_factory=list)  # Notes, in the order they were typed
    current: int | None = None  # question the facilitator is at, when still live
    ended_after: int | None = None  # minutes after the start
    debrief: DebriefSpec | None = None
    closed: Day | None = None
    evaluations: list = field(default_factory=list)  # (panel letter or listener name, 5 answers)

    @property
    def title(self) -> str:
        return self.details["title"]


# — organisations —

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

# Texts of organisation A's own library, then of the network's shared one.
Q_DEBT_HELP = "Hoe was het om hulp te vragen bij geldzorgen?"
Q_DEBT_WHERE = "Wist u bij wie u terecht kon met uw schulden?"
Q_DEBT_CONTACT = "Hoe ging het contact met uw schuldhulpverlener tijdens het traject?"
Q_YOUTH_MONTH = "Hoe verliep de eerste maand nadat u hulp voor uw kind had gevraagd?"
Q_YOUTH_PARENT = "Werd u als ouder betrokken bij de keuzes over de hulp?"
Q_YOUTH_NEEDED = "Wat had u in die eerste weken nodig dat u niet kreeg?"
Q_CARER_WHERE = "Weet u waar u als mantelzorger terecht kunt voor ondersteuning?"
Q_CARER_SEEN = "Werd bij de aanvraag ook gekeken naar u als mantelzorger?"
Q_CARER_KEEP_UP = "Wat zou u helpen om het mantelzorgen vol te houden?"
Q_REACH = "Hoe makkelijk was het om de gemeente te bereiken, telefonisch of online?"
Q_FORMS = "Waren de brieven en formulieren voor u te begrijpen?"

# (theme, kind, minutes, text)
P = QuestionKind.PREPARED
LIBRARY_A = [
    ("Schulden", P, 10, Q_DEBT_HELP),
    ("Schulden", P, 10, Q_DEBT_WHERE),
    ("Schulden", P, 15, Q_DEBT_CONTACT),
    ("Jeugdhulp", P, 15, Q_YOUTH_MONTH),
    ("Jeugdhulp", P, 10, Q_YOUTH_PARENT),
    ("Jeugdhulp", P, 10, Q_YOUTH_NEEDED),
    ("Mantelzorg", P, 10, Q_CARER_WHERE),
    ("Mantelzorg", P, 15, Q_CARER_SEEN),
    ("Mantelzorg", P, 10, Q_CARER_KEEP_UP),
]
LIBRARY_NETWORK = [
    ("Bereikbaarheid", P, 10, Q_REACH),
    ("Bereikbaarheid", P, 10, Q_FORMS),
]
LIBRARIES = {ORG_A: LIBRARY_A, NETWORK: LIBRARY_NETWORK}

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

# — what was said in the sessions that were held —

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

# (who, experience, safety, enough_time, again, comment); who: a panel letter or a listener

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

# — what the professionals made of it —

DEBRIEF_CLOSED = DebriefSpec(
    themes={
        "Bereikbaarheid": [NOTES_CLOSED[1].text, NOTES_CLOSED[5].text],
        "Eén aanspreekpunt": [NOTES_CLOSED[8].text, NOTES_CLOSED[10].text],
        "Begrijpelijke informatie": [NOTES_CLOSED[4].text, NOTES_CLOSED[6].text],
    },
    blind_spots=[NOTES_CLOSED[2].text, NOTES_CLOSED[8].text],
    lessons=[
        "Wij beginnen bij de papieren; inwoners beginnen bij hun schaamte.",
        "Elke wisseling van hulpverlener kost de inwoner zijn verhaal opnieuw.",
    ],
    impact="Het raakte ons hoe vaak mensen zich schaamden, en dat wij dat niet zagen.",
    act_on="Wachttijd voor de intake, één vast aanspreekpunt, en duidelijke brieven.",
    plans=[
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
)

DEBRIEF_OPEN = DebriefSpec(
    themes={
        "Eén aanspreekpunt": [NOTES_DEBRIEF[1].text],
        "Begrijpelijke informatie": [NOTES_DEBRIEF[4].text, NOTES_DEBRIEF[6].text],
    },
    blind_spots=[NOTES_DEBRIEF[1].text, NOTES_DEBRIEF[3].text],
    lessons=["Ouders willen meedenken over het plan, niet het achteraf lezen."],
    impact="Dat ouders het plan pas achteraf zagen, hadden wij niet door.",
    act_on="Ouders aan tafel bij het plan, en een overzicht wie wat doet.",
    plans=[
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
)

# — the sessions: one of organisation A in each state, and one of organisation B —

SESSIONS = [
    # About two months ago; closed after the debrief, one member withdrew consent later.
    SessionSpec(
        status=State.CLOSED,
        organisations=[ORG_A],
        created=Day(-95, 9, 30),
        details={
            "title": "Spiegelgesprek Hulp bij schulden",
            "theme": "Hulp bij schulden",
            "target_group": "Inwoners die in het afgelopen jaar schuldhulp kregen via de gemeente",
            "location": "Stadskantoor Vlaardingen, vergaderzaal De Kade",
            "notes": "Koffie en thee bij binnenkomst; cadeaubonnen uitgedeeld na afloop.",
        },
        starts=Day(-60, 14),
        co_facilitator="facilitator2",
        panel=[
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
        invited=Day(-84, 10),
        consent=Day(-70, 12),
        withdrawn=Day(-45, 11, 15),
        listeners=("listener", "mbouzid", "coordinator"),
        guests=[
            Guest("Henk Mulder", "Vrijwilliger", "SchuldHulpMaatje Vlaardingen"),
            Guest(
                "Anouk Verhoeven", "Beleidsmedewerker armoede en schulden", "Gemeente Vlaardingen"
            ),
        ],
        listeners_invited=Day(-80, 9),
        guide=[
            Q_INTRODUCE,
            Q_REMEMBERED,
            Q_DEBT_HELP,
            Q_DEBT_WHERE,
            Q_DEBT_CONTACT,
            Custom("Hoe merkte u dat uw situatie rustiger werd, of juist niet?", minutes=10),
            Q_ONE_THING,
            Q_REMEMBER,
            Q_LISTENERS,
        ],
        planned=Day(-88, 11),
        live_after=4,
        findings=NOTES_CLOSED,
        ended_after=112,
        debrief=DEBRIEF_CLOSED,
        closed=Day(-53, 16, 30),
        evaluations=EVALUATIONS_CLOSED,
    ),
    # Held online last week; the professionals still have to finish the debrief.
    SessionSpec(
        status=State.DEBRIEF,
        organisations=[ORG_A],
        created=Day(-40, 14),
        details={
            "title": "Spiegelgesprek Jeugdhulp: de eerste maand",
            "theme": "Jeugdhulp: de eerste maand",
            "target_group": "Ouders van wie een kind in het afgelopen jaar jeugdhulp kreeg",
            "duration_minutes": 90,
            "online_url": "https://beeldbellen.example.nl/jeugdhulp-eerste-maand",
            "notes": "Online, zodat ouders niet hoeven te regelen wie er op de kinderen past.",
        },
        starts=Day(-7, 10),
        panel=[
            Client("Linda Verbeek"),
            Client("Dennis Schouten", quotes=False),
            Client("Naima Ouali"),
            Client("Tessa van den Heuvel", notes="Doet mee via haar telefoon; camera uit."),
            Client("Ricardo Martina"),
            Client("Esther Kramer", feedback=False),
            Client("Jolanda Bos", status=S.NO_SHOW),
            Client("Kevin de Wit", status=S.CANCELLED, email=False),
        ],
        invited=Day(-30, 9),
        consent=Day(-18, 12),
        listeners=("listener", "dvisser"),
        guests=[
            Guest("Miriam Koster", "Manager Jeugd", "Gemeente Vlaardingen"),
            Guest("Rob Hendriks", "Gedragswetenschapper", "Jeugd- en gezinsteam Vlaardingen"),
        ],
        listeners_invited=Day(-28, 9),
        guide=[
            Q_INTRODUCE,
            Q_YOUTH_MONTH,
            Q_YOUTH_PARENT,
            Q_YOUTH_NEEDED,
            Q_COOPERATION,
            Q_ONE_THING,
            Q_LISTENERS,
        ],
        planned=Day(-33, 15),
        live_after=3,
        findings=NOTES_DEBRIEF,
        ended_after=88,
        debrief=DEBRIEF_OPEN,
        evaluations=EVALUATIONS_DEBRIEF,
    ),
    # Going on right now, with the wijkteam's work under discussion too.
    SessionSpec(
        status=State.LIVE,
        organisations=[ORG_A, NEIGHBOURHOOD_TEAM],
        created=Day(-35, 9),
        details={
            "title": "Spiegelgesprek De Wmo-aanvraag bij het wijkteam",
            "theme": "De Wmo-aanvraag bij het wijkteam",
            "target_group": "Inwoners die in het afgelopen jaar een Wmo-aanvraag deden",
            "location": "Wijkcentrum Het Palet, Vlaardingen (zaal op de begane grond)",
            "notes": "Ringleiding in de zaal; tolk Turks is bevestigd.",
        },
        starts=MinutesAgo(15),
        panel=[
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
        invited=Day(-28, 10),
        consent=Day(-14, 11),
        listeners=("listener", "ldeboer", "coordinator"),
        guests=[
            Guest("Gerda Willems", "Beleidsmedewerker Wmo", "Gemeente Vlaardingen"),
            Guest("Thijs van Os", "Wmo-consulent", "Wijkteam Vlaardingen"),
        ],
        listeners_invited=Day(-25, 9),
        guide=[
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
        planned=Day(-21, 9, 30),
        live_after=2,
        findings=NOTES_LIVE,
        current=3,
    ),
    # In ten days; still two confirmations short and two listeners to brief.
    SessionSpec(
        status=State.PLANNED,
        organisations=[ORG_A],
        created=Day(-20, 13),
        details={
            "title": "Spiegelgesprek Ondersteuning van mantelzorgers",
            "theme": "Ondersteuning van mantelzorgers",
            "target_group": "Mantelzorgers van inwoners met Wmo-ondersteuning",
            "location": "Buurthuis De Loper, Vlaardingen",
            "notes": "'s Avonds gepland, zodat werkende mantelzorgers kunnen komen. "
            "Respijtzorg regelen voor wie dat nodig heeft.",
        },
        starts=Day(10, 19, 30),
        panel=[
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
        invited=Day(-12, 10),
        consent=Day(-5, 12),
        listeners=("listener", "ldeboer"),
        guests=[
            Guest("Jeroen Smit", "Mantelzorgconsulent", "Steunpunt Mantelzorg Vlaardingen"),
            Guest("Ilse Prins", "Beleidsmedewerker", "Gemeente Vlaardingen"),
        ],
        listeners_invited=Day(-10, 9),
        unbriefed=frozenset({"Jeroen Smit", "Ilse Prins"}),
        guide=[
            Q_INTRODUCE,
            Q_CARER_WHERE,
            Q_CARER_SEEN,
            Q_CARER_KEEP_UP,
            Q_REACH,
            Q_ONE_THING,
            Q_LISTENERS,
        ],
        planned=Day(-6, 11),
    ),
    # Deliberately incomplete: no date, guide, rules or listeners yet.
    SessionSpec(
        status=State.DRAFT,
        organisations=[ORG_A],
        created=Day(-2, 16),
        details={
            "title": "Spiegelgesprek Huishoudelijke hulp na de herindicatie",
            "theme": "Huishoudelijke hulp na de herindicatie",
            "notes": "Nog te doen: datum prikken, zaal reserveren, toehoorders uitnodigen, "
            "vragenlijst afstemmen met de coördinator.",
        },
        panel=[
            Client("Truus Wagenaar", status=S.INVITED, email=False),
            Client("Cor Hermans", status=S.INVITED),
            Client("Anneke Dijkstra", status=S.INVITED),
        ],
        invited=Day(-1, 10),
    ),
    # Organisation B's own session: the outsider listens here and sees nothing of A.
    SessionSpec(
        status=State.DEBRIEF,
        organisations=[ORG_B],
        created=Day(-50, 10),
        details={
            "title": "Spiegelgesprek Begeleiding naar werk (Maassluis)",
            "theme": "Begeleiding naar werk",
            "target_group": "Inwoners met een bijstandsuitkering die begeleiding naar werk kregen",
            "location": "Stadhuis Maassluis, raadzaal",
        },
        starts=Day(-21, 13, 30),
        panel=[
            Client("Sjaak Verschoor"),
            Client("Mehmet Aslan"),
            Client("Petra Molenaar", quotes=False),
            Client("Chantal Pinas"),
            Client("Arjen Zwart", email=False, transport=True),
            Client("Erik Lambregts", companion=True, notes="Komt met zijn jobcoach."),
            Client("Nicole van Rijn", status=S.NO_SHOW),
        ],
        invited=Day(-45, 10),
        consent=Day(-30, 12),
        listeners=("outsider",),
        guests=[
            Guest("Bas Kuipers", "Teamleider Werk en Inkomen", "Gemeente Maassluis"),
            Guest("Nadia Benali", "Jobcoach", "Werkplein Maassluis"),
        ],
        listeners_invited=Day(-40, 9),
        guide=[
            Q_INTRODUCE,
            Q_WAITING,
            Q_HEARD,
            Q_FORMS,
            Custom("Hoe paste de begeleiding bij wat u zelf wilde in werk?", minutes=15),
            Q_OWN_CONTROL,
            Q_REMEMBER,
            Q_LISTENERS,
        ],
        planned=Day(-42, 10),
        live_after=5,
        findings=NOTES_PARTNER,
        ended_after=115,
    ),
]

DEMO_TITLES = [spec.title for spec in SESSIONS]
