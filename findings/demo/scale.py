"""A region's worth of history for `manage.py demo --scale N`: data to measure pages against.

N sessions are spread over the organisations of the demo network (the demo's municipalities
and neighbourhood team, plus a few partners added here), over the last five years and a few
months ahead: mostly closed, some in their debrief, a few planned or still a draft. Each has
6 pseudonymous panel members (contact details only while the retention term runs), 5 listeners
(accounts of the organisation's professionals and guests), a guide of 7 questions, the rules;
a held session ~10 findings; a session past its meeting a debrief, lessons, ~2 improvement
actions with a progress log and, for some, evaluations; a closed one its feedback letter.

Every run adds a pool of a few hundred professionals, coordinators and facilitators (password
`demo`) and N sessions; running again adds another N. The demo's `coordinator` coordinates the
organisation holding most sessions, and `listener` listens in about one in six of them.

It is fast because it never goes through the services row by row: the rows are made in Python
and inserted with `bulk_create` in chunks. What the services would compute is computed here:
pseudonym numbers (1–6) and the session's panel counter, guide and rule positions, closing
notes for done and dropped actions, one evaluation per participant. The moments (created,
updated) are written as they would have happened, not `now`: see `stamps_as_given`.
Determinism: the content follows `random.Random(seed, run)`; the secrets (evaluation tokens)
and the browser ids of findings are random, as in real use.
"""

import random
import unicodedata
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.translation import gettext

from findings.constants import CLOSED_STATUSES, ActionStatus, FindingKind, Priority
from findings.demo import world
from findings.models import (
    ActionUpdate,
    Debrief,
    FeedbackLetter,
    Finding,
    ImprovementAction,
    Lesson,
    Theme,
    theme_home_key,
)
from participants.constants import OrganisationKind, RecruitmentStatus, Role
from participants.models import (
    Listener,
    Membership,
    Organisation,
    PanelMember,
    PanelMemberContact,
    User,
)
from sessions.constants import LiveStep, MeetingForm, QuestionKind, Status
from sessions.models import Evaluation, LibraryQuestion, Question, Rule, Session

PANEL_SIZE = 6
LISTENERS = 5
CHUNK = 500  # sessions per round of inserts: bounded memory, few round trips
BATCH = 2000  # rows per INSERT (SQLite's variable limit lowers it where needed)
YEARS = 5

# Status of a session: mostly history, some in their debrief, a few ahead.
STATUS_WEIGHTS = {
    Status.CLOSED: 86,
    Status.DEBRIEF: 7,
    Status.PLANNED: 5,
    Status.DRAFT: 2,
}
HELD = (Status.DEBRIEF, Status.CLOSED)


# — the organisations —


@dataclass(frozen=True)
class Host:
    """An organisation whose work sessions discuss: its share of the sessions, its people."""

    name: str
    kind: str
    weight: int  # share of the sessions, in percent
    professionals: int  # accounts added per run
    functions: tuple
    topics: tuple  # keys of TOPICS
    venues: tuple
    partner: str | None = None  # discussed together in about one session in ten
    coordinators: int = 2


GENERAL = ("debt", "wmo", "carers", "household", "work", "reach", "housing", "lonely", "newcomers")
YOUTH = ("youth", "youth18", "youth_safety")
CARE = ("household", "carers", "home_care", "lonely")

# The demo's organisations (by name, from world.toml) first; the others are added to its network.
HOSTS = (
    Host(
        "Gemeente Vlaardingen",
        OrganisationKind.MUNICIPALITY,
        44,
        90,
        ("Wmo-consulent", "Beleidsmedewerker", "Klantmanager", "Jeugdconsulent", "Manager"),
        GENERAL + YOUTH,
        (
            "Stadskantoor Vlaardingen, vergaderzaal De Kade",
            "Wijkcentrum Het Palet, Vlaardingen",
            "Buurthuis De Loper, Vlaardingen",
            "Bibliotheek Vlaardingen, zaal Westwijk",
        ),
        partner="Wijkteam Vlaardingen",
    ),
    Host(
        "Gemeente Schiedam",
        OrganisationKind.MUNICIPALITY,
        14,
        35,
        ("Wmo-consulent", "Beleidsmedewerker", "Klantmanager", "Teamleider"),
        GENERAL + YOUTH,
        ("Stadskantoor Schiedam, zaal Lange Haven", "Wijkcentrum Nieuwland, Schiedam"),
        partner="Wijkteam Schiedam",
    ),
    Host(
        "Gemeente Maassluis",
        OrganisationKind.MUNICIPALITY,
        12,
        30,
        ("Klantmanager Werk en Inkomen", "Wmo-consulent", "Beleidsmedewerker"),
        GENERAL,
        ("Stadhuis Maassluis, raadzaal", "Dienstencentrum Koningshoek, Maassluis"),
        partner="Wijkteam Maassluis",
    ),
    Host(
        "Wijkteam Vlaardingen",
        OrganisationKind.NEIGHBOURHOOD_TEAM,
        9,
        22,
        ("Maatschappelijk werker", "Wijkteamcoördinator", "Wmo-consulent"),
        GENERAL,
        ("Wijkteam Holy, Vlaardingen", "Wijkteam Centrum, Vlaardingen"),
        partner="Gemeente Vlaardingen",
    ),
    Host(
        "Wijkteam Schiedam",
        OrganisationKind.NEIGHBOURHOOD_TEAM,
        6,
        16,
        ("Maatschappelijk werker", "Wijkverpleegkundige", "Wmo-consulent"),
        GENERAL,
        ("Wijkteam Oost, Schiedam",),
        partner="Gemeente Schiedam",
    ),
    Host(
        "Wijkteam Maassluis",
        OrganisationKind.NEIGHBOURHOOD_TEAM,
        5,
        14,
        ("Maatschappelijk werker", "Schuldhulpverlener", "Wmo-consulent"),
        GENERAL,
        ("Wijkteam Maassluis-West",),
        partner="Gemeente Maassluis",
    ),
    Host(
        "Jeugdbescherming Nieuwe Waterweg",
        OrganisationKind.YOUTH_PROTECTION,
        5,
        16,
        ("Jeugdbeschermer", "Gedragswetenschapper", "Teamleider"),
        YOUTH,
        ("Kantoor Jeugdbescherming, Schiedam",),
    ),
    Host(
        "Thuiszorg De Waterweg",
        OrganisationKind.CARE_PROVIDER,
        5,
        17,
        ("Wijkverpleegkundige", "Verzorgende", "Teamleider"),
        CARE,
        ("Locatie De Waterweg, Vlaardingen",),
    ),
)
FACILITATORS_PER_RUN = 14  # at the client interest organisation, independent of the hosts
FACILITATOR_HOME = "Zorgbelang Zuid-Holland"


@dataclass(frozen=True)
class Topic:
    theme: str
    target_group: str
    questions: tuple  # written for sessions on this topic


TOPICS = {
    "debt": Topic(
        "Hulp bij schulden",
        "Inwoners die in het afgelopen jaar schuldhulp kregen",
        (
            "Hoe was het om hulp te vragen bij geldzorgen?",
            "Wist u bij wie u terecht kon met uw schulden?",
        ),
    ),
    "wmo": Topic(
        "De Wmo-aanvraag",
        "Inwoners die in het afgelopen jaar een Wmo-aanvraag deden",
        (
            "Hoe verliep het keukentafelgesprek?",
            "Paste de ondersteuning bij wat u nodig had?",
        ),
    ),
    "carers": Topic(
        "Ondersteuning van mantelzorgers",
        "Mantelzorgers van inwoners met ondersteuning",
        (
            "Weet u waar u als mantelzorger terecht kunt voor ondersteuning?",
            "Wat zou u helpen om het mantelzorgen vol te houden?",
        ),
    ),
    "household": Topic(
        "Huishoudelijke hulp",
        "Inwoners met huishoudelijke hulp",
        (
            "Hoe ging het toen de huishoudelijke hulp begon?",
            "Wat gebeurde er als uw vaste hulp er niet was?",
        ),
    ),
    "work": Topic(
        "Begeleiding naar werk",
        "Inwoners met een bijstandsuitkering die begeleiding naar werk kregen",
        (
            "Hoe paste de begeleiding bij wat u zelf wilde in werk?",
            "Wat gebeurde er na een proefplaatsing of stage?",
        ),
    ),
    "reach": Topic(
        "Bereikbaarheid van de gemeente",
        "Inwoners die het afgelopen jaar contact zochten met de gemeente",
        (
            "Hoe makkelijk was het om de gemeente te bereiken, telefonisch of online?",
            "Waren de brieven en formulieren voor u te begrijpen?",
        ),
    ),
    "housing": Topic(
        "Beschermd wonen en herstel",
        "Inwoners die beschermd wonen of begeleid zelfstandig wonen",
        (
            "Hoe was de overgang naar uw eigen woning?",
            "Wie hielp u toen het even minder ging?",
        ),
    ),
    "lonely": Topic(
        "Eenzaamheid bij ouderen",
        "Ouderen die alleen wonen en ondersteuning krijgen",
        (
            "Wanneer merkte iemand dat het niet goed met u ging?",
            "Welke activiteiten in de wijk kent u?",
        ),
    ),
    "newcomers": Topic(
        "Inburgering en eerste stappen",
        "Statushouders die in de afgelopen twee jaar in de gemeente kwamen wonen",
        (
            "Hoe was het eerste gesprek bij de gemeente?",
            "Begreep u wat er van u verwacht werd?",
        ),
    ),
    "youth": Topic(
        "Jeugdhulp: de eerste maand",
        "Ouders van wie een kind in het afgelopen jaar jeugdhulp kreeg",
        (
            "Hoe verliep de eerste maand nadat u hulp voor uw kind had gevraagd?",
            "Werd u als ouder betrokken bij de keuzes over de hulp?",
        ),
    ),
    "youth18": Topic(
        "Van 18- naar 18+",
        "Jongeren die in het afgelopen jaar achttien werden en hulp kregen",
        (
            "Wat veranderde er voor u toen u achttien werd?",
            "Wie hielp u met geld, wonen en school na uw verjaardag?",
        ),
    ),
    "youth_safety": Topic(
        "Een maatregel in het gezin",
        "Ouders en jongeren met een ondertoezichtstelling",
        (
            "Hoe hoorde u voor het eerst van de maatregel?",
            "Werd uw kant van het verhaal gehoord?",
        ),
    ),
    "home_care": Topic(
        "Wijkverpleging thuis",
        "Cliënten van de wijkverpleging en hun naasten",
        (
            "Hoe waren de afspraken over de tijden van de zorg?",
            "Wist u wie er zou komen?",
        ),
    ),
}

# Themes live at the network when the organisations share one (all hosts do) and return
# across the partners' sessions; the first three are the demo's own, so the scale data continue
# its recurring themes.
THEMES = (
    "Bereikbaarheid",
    "Eén aanspreekpunt",
    "Begrijpelijke informatie",
    "Wachttijd",
    "Bejegening",
    "Samenwerking tussen hulpverleners",
    "Eigen regie",
    "Betrokkenheid van naasten",
    "Digitale dienstverlening",
    "Taal en tolken",
)

P, IMP, W, Q = FindingKind.POSITIVE, FindingKind.IMPROVEMENT, FindingKind.WISH, FindingKind.QUOTE

# What clients say, by theme: (kind, text).
SAYINGS = {
    "Bereikbaarheid": (
        (IMP, "Ik moest drie keer bellen voordat ik iemand sprak."),
        (P, "Ik kon gewoon binnenlopen bij het wijkteam."),
        (W, "Een vast telefoonnummer waar je een mens aan de lijn krijgt."),
        (Q, "Het keuzemenu aan de telefoon is een doolhof."),
        (IMP, "Na vijf uur is er niemand meer te bereiken."),
    ),
    "Eén aanspreekpunt": (
        (IMP, "Ik moest mijn verhaal steeds opnieuw vertellen aan nieuwe mensen."),
        (W, "Eén contactpersoon voor alles, van begin tot eind."),
        (P, "Mijn vaste consulent kende mijn situatie, dat scheelde veel."),
        (IMP, "Ik wist niet wie mijn contactpersoon was toen de eerste wegging."),
        (Q, "Elke keer een ander gezicht, en elke keer weer bij nul beginnen."),
    ),
    "Begrijpelijke informatie": (
        (IMP, "De brieven waren vol moeilijke woorden."),
        (IMP, "Brieven van verschillende afdelingen spraken elkaar tegen."),
        (W, "Een overzicht op papier: wie doet wat, en wanneer."),
        (P, "De consulent legde de beslissing rustig uit aan de keukentafel."),
        (Q, "Ik heb de brief drie keer gelezen en begreep hem nog niet."),
    ),
    "Wachttijd": (
        (IMP, "Het duurde zeven weken voordat ik een intakegesprek kreeg."),
        (IMP, "De wachtlijst werd nooit uitgelegd."),
        (P, "Binnen een week kwam er iemand thuis langs."),
        (W, "Laat weten hoe lang het duurt, dan kan ik me erop instellen."),
        (Q, "Wachten is het ergste, vooral als je niets hoort."),
    ),
    "Bejegening": (
        (P, "Ik voelde me serieus genomen, voor het eerst."),
        (Q, "Ik schaamde me, en de eerste vraag was of ik mijn papieren had."),
        (IMP, "Aan de balie werd over mij gepraat alsof ik er niet bij stond."),
        (P, "Ze namen de tijd en keken niet steeds op de klok."),
        (Q, "Luister eerst, de papieren komen daarna wel."),
    ),
    "Samenwerking tussen hulpverleners": (
        (IMP, "De hulpverleners wisten niet van elkaar wat ze deden."),
        (P, "De wijkverpleegkundige en de consulent belden elkaar zelf."),
        (W, "Eén plan waar iedereen zich aan houdt."),
        (IMP, "Ik was de boodschapper tussen drie organisaties."),
    ),
    "Eigen regie": (
        (IMP, "Het plan werd gemaakt zonder dat ik erbij was."),
        (P, "Ik mocht zelf kiezen welke aanbieder bij mij kwam."),
        (W, "Eerder samen kijken naar wat ik wél kan."),
        (Q, "Het gaat over mijn leven, laat mij dan ook meebeslissen."),
    ),
    "Betrokkenheid van naasten": (
        (IMP, "Mijn dochter moest alles regelen; niemand vroeg hoe het met haar ging."),
        (P, "Ook aan mij als mantelzorger werd gevraagd wat ik nodig had."),
        (W, "Neem mijn partner mee in het gesprek, hij ziet dingen die ik vergeet."),
        (Q, "Ik ben geen hulpverlener, ik ben zijn moeder."),
    ),
    "Digitale dienstverlening": (
        (IMP, "Het formulier op de website liep steeds vast."),
        (P, "Online gesprekken maakten het makkelijker met mijn werk."),
        (W, "Laat me ook op papier kunnen aanvragen, niet alleen met DigiD."),
        (IMP, "Ik kreeg een bericht in de berichtenbox, maar wist niet dat die bestond."),
    ),
    "Taal en tolken": (
        (IMP, "Er kwam een tolk, maar pas bij het tweede gesprek."),
        (P, "Met een tolk kon ik eindelijk zeggen wat ik bedoelde."),
        (W, "Informatie in eenvoudige taal of in mijn eigen taal."),
        (Q, "Mijn kind moest voor mij vertalen, dat wil je niet."),
    ),
}
SAYINGS_FLAT = tuple((theme, kind, text) for theme, rows in SAYINGS.items() for kind, text in rows)

# The facilitator's notes for later: no speaker, no theme.
LATER = (
    "Vraag aan beleid: wachttijden naast die van de buurgemeenten leggen.",
    "Uitzoeken waarom de brief niet in eenvoudige taal is.",
    "Navragen of het tolkencentrum ook 's avonds kan.",
    "Nagaan of mantelzorgers bij het gesprek uitgenodigd worden.",
    "Terugkoppelen aan de klachtencoördinator.",
    "Checken: krijgen inwoners het plan vooraf te lezen?",
)

# What the professionals agreed to do, by theme: (title, sentence for clients).
PLANS = {
    "Bereikbaarheid": (
        (
            "Terugbelgarantie binnen één werkdag",
            "Wie ons belt, wordt binnen één werkdag teruggebeld.",
        ),
        ("Avondspreekuur in de wijk", "Eén avond per week kunt u ook na werktijd bij ons terecht."),
    ),
    "Eén aanspreekpunt": (
        ("Eén vaste consulent per inwoner", "U houdt voortaan dezelfde contactpersoon."),
        (
            "Warme overdracht bij wisseling",
            "Als uw consulent wisselt, stellen wij de nieuwe aan u voor.",
        ),
    ),
    "Begrijpelijke informatie": (
        ("Brieven herschrijven op B1-niveau", "Onze brieven zijn herschreven in eenvoudige taal."),
        ("Overzicht 'wie doet wat' na het eerste gesprek", "U krijgt een overzicht op papier."),
    ),
    "Wachttijd": (
        ("Intake binnen drie weken", "U krijgt nu binnen drie weken een eerste gesprek."),
        ("Wachttijd melden bij de aanmelding", "Wij vertellen u meteen hoe lang het duurt."),
    ),
    "Bejegening": (
        (
            "Eerste gesprek begint bij het verhaal",
            "Wij beginnen met uw verhaal, niet met papieren.",
        ),
        ("Training bejegening voor de balie", "Onze baliemedewerkers kregen een training."),
    ),
    "Samenwerking tussen hulpverleners": (
        ("Eén gezamenlijk plan per huishouden", "Alle hulpverleners werken vanuit één plan."),
        ("Maandelijks casusoverleg met partners", "Wij overleggen elke maand met de anderen."),
    ),
    "Eigen regie": (
        ("Plan van aanpak samen opstellen", "We maken het plan voortaan samen met u."),
        ("Keuze uit aanbieders toelichten", "Wij leggen uit uit welke aanbieders u kunt kiezen."),
    ),
    "Betrokkenheid van naasten": (
        ("Mantelzorger standaard uitnodigen", "Uw naaste mag altijd mee naar het gesprek."),
        ("Mantelzorgcheck in het keukentafelgesprek", "Wij vragen ook hoe het met uw naaste gaat."),
    ),
    "Digitale dienstverlening": (
        ("Papieren aanvraag weer mogelijk", "U kunt ook weer op papier een aanvraag doen."),
        ("Formulier op de website verbeteren", "Het formulier op de website is eenvoudiger."),
    ),
    "Taal en tolken": (
        ("Tolk vanaf het eerste gesprek", "Heeft u een tolk nodig, dan is die er meteen."),
        ("Folders in vijf talen", "Onze folders zijn er nu ook in andere talen."),
    ),
}
DESCRIPTIONS = (
    "Afgesproken in het nagesprek; eerst uitzoeken wat ervoor nodig is.",
    "Samen met het team uitwerken en voorleggen aan de manager.",
    "Klein beginnen in één wijk, daarna breder invoeren.",
    "Hangt af van de capaciteit in het team; in het werkoverleg bespreken.",
)
PROGRESS = (
    "Besproken in het werkoverleg; het team is enthousiast.",
    "Eerste versie gemaakt, ligt bij de manager.",
    "Proef gestart in één wijk.",
    "Overleg met de partners gepland.",
    "Budget aangevraagd.",
    "Nog niet aan toegekomen door ziekte in het team.",
    "Werkinstructie aangepast.",
)
DONE_NOTES = (
    "Ingevoerd; de eerste reacties van inwoners zijn positief.",
    "Werkwijze aangepast en in het team uitgelegd.",
    "Afgerond; we meten over een halfjaar opnieuw.",
    "Klaar: de nieuwe versie wordt sinds deze maand gebruikt.",
)
DROPPED_NOTES = (
    "Vervallen: opgenomen in het regionale verbeterplan.",
    "Vervallen: niet haalbaar binnen het budget; alternatief besproken.",
    "Vervallen: de landelijke regeling is veranderd.",
)
LESSONS = (
    "Wij beginnen bij de papieren; inwoners beginnen bij hun verhaal.",
    "Elke wisseling van hulpverlener kost de inwoner zijn verhaal opnieuw.",
    "Wat voor ons een routinebrief is, is voor de inwoner een zorg erbij.",
    "Mantelzorgers zien we pas als ze zelf omvallen.",
    "Wachten zonder te weten hoe lang is zwaarder dan het wachten zelf.",
    "Ouders willen meedenken over het plan, niet het achteraf lezen.",
    "Een tolk is geen luxe maar een voorwaarde voor een goed gesprek.",
    "Onze bereikbaarheid is beter op papier dan in werkelijkheid.",
    "Inwoners weten vaak niet wat wij al van elkaar weten.",
    "Kleine dingen, zoals terugbellen, maken het verschil.",
)
IMPACTS = (
    "Het raakte ons hoe vaak mensen zich niet gehoord voelden.",
    "We waren verrast door hoe positief mensen over de huisbezoeken waren.",
    "Pijnlijk om te horen hoe lang mensen in onzekerheid zaten.",
    "Het gaf energie: veel van wat we doen, werkt.",
    "We zagen dat we te veel vanuit onze eigen regels denken.",
)
ACT_ONS = (
    "Bereikbaarheid en één vast aanspreekpunt.",
    "De brieven, en het plan samen met de inwoner maken.",
    "Wachttijden eerlijk melden en de overdracht verbeteren.",
    "Naasten betrekken en sneller een tolk inzetten.",
)
COMMENTS = (
    "Fijn dat er echt geluisterd werd.",
    "De tijd ging te snel.",
    "Confronterend, maar heel leerzaam.",
    "Ik hoop dat er echt iets mee gedaan wordt.",
    "Goed geregeld, de koffie stond klaar.",
    "Ik had graag meer tijd gehad voor de laatste vraag.",
    "Het was spannend om te vertellen, maar het voelde veilig.",
)
SESSION_NOTES = (
    "Koffie en thee bij binnenkomst; cadeaubonnen uitdelen na afloop.",
    "Ringleiding in de zaal.",
    "Zaal op de begane grond, rolstoeltoegankelijk.",
    "Kinderopvang geregeld in de zaal ernaast.",
)
ACCESS_NOTES = (
    "Slechthorend: graag dicht bij de gespreksleider.",
    "Rolstoel; taxi via het Wmo-vervoer geregeld.",
    "Komt met een vrijwilliger.",
    "Tolk geregeld via het tolkencentrum.",
)
GUESTS = (
    ("Vrijwilliger", "SchuldHulpMaatje"),
    ("Beleidsmedewerker", None),  # None: the host itself
    ("Manager", None),
    ("Mantelzorgconsulent", "Steunpunt Mantelzorg"),
    ("Cliëntondersteuner", "MEE Plus"),
    ("Raadslid", None),
    ("Ervaringsdeskundige", "Cliëntenraad Sociaal Domein"),
    ("Jobcoach", "Werkplein"),
)
FIRST_NAMES = (
    "Anna", "Bart", "Chantal", "Daan", "Esra", "Fatima", "Gerard", "Hanneke", "Ilse", "Jeroen",
    "Kim", "Lotte", "Mohamed", "Naima", "Olaf", "Priya", "Ruud", "Sanne", "Thijs", "Ufuk",
    "Vera", "Wim", "Yasmina", "Zeynep", "Arjen", "Bas", "Carla", "Dewi", "Emre", "Femke",
    "Gijs", "Hatice", "Iris", "Joost", "Karin", "Lars", "Marieke", "Nadia", "Orlando", "Petra",
    "Rachid", "Sophie", "Tom", "Vincent", "Wendy", "Youssef", "Anouk", "Bram", "Dilan", "Eva",
    "Fleur", "Hans", "Jasper", "Kees", "Linda", "Marco", "Nicole", "Roos", "Stefan", "Tessa",
)  # fmt: skip
LAST_NAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen",
    "van den Broek", "de Bruijn", "de Bruin", "van der Heijden", "Schouten", "van Beek",
    "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster", "Prins",
    "Yilmaz", "Kaya", "El Amrani", "Bouzid", "Ramdin", "Martina", "Öztürk", "Nguyen", "Pinas",
    "Demir", "Aslan", "Benali", "Chaouch", "Kuipers",
)  # fmt: skip
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
STARTS = ((9, 30), (10, 0), (13, 30), (14, 0), (19, 0), (19, 30))
FACES = (1, 2, 3, 4, 5)
FACE_WEIGHTS = (2, 5, 15, 40, 38)


# — small helpers —


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


@contextmanager
def stamps_as_given(*models):
    """Let `bulk_create` keep the moments we set on auto_now(_add) fields instead of `now`:
    a five-year history must not look as if it was all written this minute. The fields' flags
    are restored afterwards, also on error."""
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


STAMPED = (
    Session,
    PanelMember,
    Listener,
    Finding,
    Theme,
    Debrief,
    Lesson,
    ImprovementAction,
    ActionUpdate,
    FeedbackLetter,
)


@dataclass(frozen=True)
class Staff:
    """Someone with an account, as a listener row would describe them."""

    pk: int
    name: str
    email: str
    function: str
    organisation: str


@dataclass
class Pool:
    """Who works where in this run: professionals and coordinators by organisation pk, the
    facilitators (with the demo's two favoured), everyone by user pk."""

    professionals: dict = field(default_factory=dict)
    coordinators: dict = field(default_factory=dict)
    facilitators: list = field(default_factory=list)
    users: int = 0
    memberships: int = 0


@dataclass(slots=True)
class Plan:
    """One session as it is being generated, with the rows its later parts refer to."""

    session: Session
    host: Organisation
    organisations: list
    topic: Topic
    members: list = field(default_factory=list)
    attended: list = field(default_factory=list)
    listeners: list = field(default_factory=list)
    accounts: list = field(default_factory=list)  # Staff of the account listeners
    questions: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    sayings: list = field(default_factory=list)  # theme name per finding (None: a note)
    actions: list = field(default_factory=list)
    action_findings: list = field(default_factory=list)
    action_co_owners: list = field(default_factory=list)


@dataclass
class ScaleResult:
    run: int
    seed: int
    sessions: int
    rows: Counter
    pool: Pool


# — the builder —


class ScaleBuilder:
    def __init__(self, *, seed: int, run: int, now=None):
        self.seed, self.run = seed, run
        # Demo data, not secrets: the content must repeat for the same seed and run.
        self.rng = random.Random(f"spiegel-scale/{seed}/{run}")  # noqa: S311
        self.now = now or timezone.now()
        self.tz = timezone.get_current_timezone()
        self.today = timezone.localdate(self.now)
        self.rows = Counter()
        self.statuses = list(STATUS_WEIGHTS)
        self.status_cum = list(accumulate(STATUS_WEIGHTS.values()))
        self.host_cum = list(accumulate(h.weight for h in HOSTS))

    # — the world the sessions live in —

    def prepare(self):
        network = Organisation.objects.get(name=world.ORGANISATIONS[0].name)
        self.organisations = {}
        for host in HOSTS:
            organisation, _created = Organisation.objects.get_or_create(
                name=host.name, defaults={"kind": host.kind, "network": network}
            )
            self.organisations[host.name] = organisation
        self.facilitator_home = Organisation.objects.get(name=FACILITATOR_HOME)
        self.themes = self.ensure_themes()
        self.library = self.default_library()
        self.rule_sets = {}
        self.pool = self.make_pool()

    def ensure_themes(self) -> dict:
        """The themes by name per theme home, created where missing (the demo made a few).
        A theme lives where the debrief would file it (findings.models.theme_home_key): at the
        network when a session's organisations share one, so a theme returns across the
        partners' sessions; else at the session's first organisation. The homes are those of
        every host alone and with its partner."""
        homes = set()
        for host in HOSTS:
            homes.add(theme_home_key([self.organisations[host.name]]))
            if host.partner:
                pair = [self.organisations[host.name], self.organisations[host.partner]]
                homes.add(theme_home_key(pair))
        themes = {}
        for home in sorted(homes):
            existing = {t.name.lower(): t.pk for t in Theme.objects.filter(organisation_id=home)}
            missing = [
                Theme(organisation_id=home, name=name, created_at=self.now)
                for name in THEMES
                if name.lower() not in existing
            ]
            with stamps_as_given(Theme):
                Theme.objects.bulk_create(missing)
            self.rows["Theme"] += len(missing)
            existing.update({t.name.lower(): t.pk for t in missing})
            themes[home] = {name: existing[name.lower()] for name in THEMES}
        return themes

    def default_library(self) -> dict:
        """The default library's questions by kind (migration 0002), to copy into guides."""
        library = {kind: [] for kind in QuestionKind.values}
        for question in LibraryQuestion.objects.filter(organisation__isnull=True).order_by("pk"):
            library[question.kind].append(question)
        fallback = {
            QuestionKind.OPENING: "Kunt u zich voorstellen en vertellen waarvoor u hulp kreeg?",
            QuestionKind.PREPARED: "Voelde u zich gehoord? Wat hielp daarbij?",
            QuestionKind.CLOSING: "Als u één ding mocht veranderen, wat zou dat zijn?",
            QuestionKind.LISTENER: "Verduidelijkende vragen van de toehoorders.",
        }
        for kind, text in fallback.items():  # an administrator may have emptied a kind
            if not library[kind]:
                library[kind].append(LibraryQuestion(pk=None, kind=kind, text=text))
        return library

    def rules_for(self, organisations) -> list:
        key = tuple(o.pk for o in organisations)
        if key not in self.rule_sets:
            template = Rule.objects.template_for(sorted(organisations, key=lambda o: o.pk))
            self.rule_sets[key] = list(
                template.order_by("position", "pk").values_list("text", flat=True)
            )
        return self.rule_sets[key]

    def person(self):
        rng = self.rng
        return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)

    def make_pool(self) -> Pool:
        """A few hundred accounts for this run, plus the demo's own people in their places."""
        rng, run = self.rng, self.run
        password = make_password(world.DEMO_PASSWORD)
        pool = Pool()
        users, roles, emails = [], [], Counter()

        def add(organisation, role, function, domain):
            first, last = self.person()
            address = f"{slug(first)}.{slug(last)}"
            emails[address] += 1
            if emails[address] > 1:
                address += str(emails[address])
            user = User(
                username=f"{slug(first)}.{slug(last)}-{run}-{len(users):03d}",
                first_name=first,
                last_name=last,
                email=f"{address}@{domain}",
                password=password,
                date_joined=self.now,
            )
            users.append(user)
            roles.append((user, organisation, role, function))

        for host in HOSTS:
            organisation = self.organisations[host.name]
            domain = f"{slug(host.name.split()[-1])}.example.nl"
            for _i in range(host.coordinators):
                add(organisation, Role.COORDINATOR, "Coördinator", domain)
            for _i in range(host.professionals):
                add(organisation, Role.PROFESSIONAL, rng.choice(host.functions), domain)
        for _i in range(FACILITATORS_PER_RUN):
            add(self.facilitator_home, Role.FACILITATOR, "Gespreksleider", "zorgbelang.example.org")
        User.objects.bulk_create(users, batch_size=BATCH)
        Membership.objects.bulk_create(
            (Membership(user=u, organisation=o, role=role) for u, o, role, _f in roles),
            batch_size=BATCH,
        )
        pool.users, pool.memberships = len(users), len(roles)
        self.rows["User"] += len(users)
        self.rows["Membership"] += len(roles)

        for user, organisation, role, function in roles:
            staff = Staff(user.pk, user.get_full_name(), user.email, function, organisation.name)
            if role == Role.FACILITATOR:
                pool.facilitators.append(staff.pk)
            else:
                group = pool.coordinators if role == Role.COORDINATOR else pool.professionals
                group.setdefault(organisation.pk, []).append(staff)
        # The demo's people work where world.toml says; they come first in their lists.
        demo_users = {
            u.username: u
            for u in User.objects.filter(username__in=[p.username for p in world.PEOPLE])
        }
        self.demo_facilitators = []
        for person in world.PEOPLE:
            user = demo_users.get(person.username)
            organisation = self.organisations.get(self.demo_org_name(person.organisation))
            if user is None or person.is_admin:
                continue
            if person.role == Role.FACILITATOR:
                self.demo_facilitators.append(user.pk)
                continue
            if organisation is None:
                continue
            staff = Staff(
                user.pk, user.get_full_name(), person.email, person.function, organisation.name
            )
            group = pool.coordinators if person.role == Role.COORDINATOR else pool.professionals
            group.setdefault(organisation.pk, []).insert(0, staff)
        listener = demo_users.get("listener")
        self.listener = next(
            (
                s
                for s in pool.professionals.get(self.home().pk, [])
                if listener and s.pk == listener.pk
            ),
            None,
        )
        self.listener_placed = False
        return pool

    def demo_org_name(self, key):
        return next((o.name for o in world.ORGANISATIONS if o.key == key), None)

    def home(self) -> Organisation:
        """The organisation holding most sessions: the demo coordinator's."""
        return self.organisations[HOSTS[0].name]

    # — moments —

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.tz)

    def between(self, start: datetime, end: datetime) -> datetime:
        """A moment between start and end (both included), rounded to the minute."""
        if end <= start:
            return start
        seconds = int((end - start).total_seconds())
        return (start + timedelta(seconds=self.rng.randint(0, seconds))).replace(
            second=0, microsecond=0
        )

    def before_now(self, moment: datetime) -> datetime:
        return min(moment, self.now - timedelta(minutes=5))

    # — one chunk of sessions —

    def build(self, n: int):
        done = 0
        while done < n:
            size = min(CHUNK, n - done)
            with stamps_as_given(*STAMPED):
                self.build_chunk(done, size)
            done += size

    def build_chunk(self, offset: int, size: int):
        plans = [self.plan_session(offset + i) for i in range(size)]
        Session.objects.bulk_create([p.session for p in plans], batch_size=BATCH)
        through = Session.organisations.through
        self.insert(
            through,
            [
                through(session_id=p.session.pk, organisation_id=o.pk)
                for p in plans
                for o in p.organisations
            ],
            "Session.organisations",
        )
        self.rows["Session"] += len(plans)

        for p in plans:
            self.plan_people(p)
            self.plan_guide(p)
        self.insert(PanelMember, [m for p in plans for m in p.members])
        self.insert(Listener, [row for p in plans for row in p.listeners])
        self.insert(Question, [q for p in plans for q in p.questions])
        self.insert(Rule, [r for p in plans for r in self.plan_rules(p)])
        self.insert(PanelMemberContact, [c for p in plans for c in self.plan_contacts(p)])

        held = [p for p in plans if p.session.status in HELD]
        for p in held:
            self.plan_findings(p)
        self.insert(Finding, [f for p in held for f in p.findings])

        self.insert(Debrief, [self.plan_debrief(p) for p in held])
        self.insert(Lesson, [row for p in held for row in self.plan_lessons(p)])
        self.insert(
            FeedbackLetter,
            [
                letter
                for p in held
                if p.session.status == Status.CLOSED
                for letter in self.plan_letter(p)
            ],
        )
        updates = []
        for p in held:
            updates += self.plan_actions(p)
        self.insert(ImprovementAction, [a for p in held for a, _log in p.actions])
        findings_through = ImprovementAction.findings.through
        self.insert(
            findings_through,
            [
                findings_through(improvementaction_id=action.pk, finding_id=finding.pk)
                for p in held
                for action, finding in p.action_findings
            ],
            "ImprovementAction.findings",
        )
        owners_through = ImprovementAction.co_owners.through
        self.insert(
            owners_through,
            [
                owners_through(improvementaction_id=action.pk, user_id=user_pk)
                for p in held
                for action, user_pk in p.action_co_owners
            ],
            "ImprovementAction.co_owners",
        )
        self.insert(ActionUpdate, updates)
        self.insert(Evaluation, [e for p in held for e in self.plan_evaluations(p)])

    def insert(self, model, rows, label=None):
        model.objects.bulk_create(rows, batch_size=BATCH)
        self.rows[label or model.__name__] += len(rows)

    # — the session itself —

    def plan_session(self, index: int) -> Plan:
        rng, now, today = self.rng, self.now, self.today
        status = rng.choices(self.statuses, cum_weights=self.status_cum)[0]
        host_spec = rng.choices(HOSTS, cum_weights=self.host_cum)[0]
        host = self.organisations[host_spec.name]
        organisations = [host]
        if host_spec.partner and rng.random() < 0.1:
            organisations.append(self.organisations[host_spec.partner])
        topic = TOPICS[rng.choice(host_spec.topics)]

        if status == Status.CLOSED:
            day = today - timedelta(days=rng.randint(30, 365 * YEARS))
        elif status == Status.DEBRIEF:
            day = today - timedelta(days=rng.randint(2, 45))
        elif status == Status.PLANNED:
            day = today + timedelta(days=rng.randint(3, 120))
        else:
            day = today + timedelta(days=rng.randint(30, 180)) if rng.random() < 0.5 else None
        starts_at = self.at(day, *rng.choice(STARTS)) if day else None
        duration = rng.choice((90, 120, 120, 120, 150))

        if status in HELD:
            created_at = starts_at - timedelta(days=rng.randint(40, 90), hours=rng.randint(0, 8))
        else:
            created_at = now - timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 8))
        created_at = created_at.replace(second=0, microsecond=0)

        facilitators = self.pick_facilitators(status)
        online = rng.random() < 0.15
        if starts_at:
            title = f"Spiegelgesprek {topic.theme}, {MONTHS[day.month - 1]} {day.year}"
        else:
            title = f"Spiegelgesprek {topic.theme} (nog te plannen)"
        session = Session(
            title=title,
            theme=topic.theme,
            target_group=topic.target_group,
            starts_at=starts_at,
            duration_minutes=duration,
            meeting_form=MeetingForm.ONLINE if online else MeetingForm.IN_PERSON,
            location="" if online else rng.choice(host_spec.venues),
            online_url=f"https://beeldbellen.example.nl/spiegel-{self.run}-{index}"
            if online
            else "",
            facilitator_id=facilitators[0],
            co_facilitator_id=facilitators[1],
            notes=rng.choice(SESSION_NOTES) if rng.random() < 0.25 else "",
            status=status,
            panel_counter=PANEL_SIZE,
            created_by_id=facilitators[0] or self.pool.facilitators[0],
            created_at=created_at,
            updated_at=created_at,
        )
        if status != Status.DRAFT:
            planned_end = min(now, starts_at - timedelta(days=14)) if starts_at else now
            session.planned_at = self.between(created_at + timedelta(days=1), planned_end)
        if status in HELD:
            session.live_step = LiveStep.QUESTIONS
            session.reminder_sent_at = starts_at - timedelta(days=2)
            session.live_at = starts_at + timedelta(minutes=rng.randint(0, 6))
            session.rules_explained_at = session.live_at + timedelta(minutes=4)
            session.ended_at = starts_at + timedelta(minutes=duration - rng.randint(0, 15))
            session.updated_at = session.ended_at
        if status == Status.CLOSED:
            session.closed_at = self.before_now(
                session.ended_at + timedelta(days=rng.randint(7, 28), hours=rng.randint(0, 6))
            )
            session.updated_at = session.closed_at
            purge = session.closed_at + timedelta(days=host.retention_days)
            if purge < now:
                session.contacts_purged_at = purge.replace(hour=3, minute=0)
        return Plan(session=session, host=host, organisations=organisations, topic=topic)

    def pick_facilitators(self, status):
        rng = self.rng
        if status == Status.DRAFT and rng.random() < 0.4:
            return None, None
        favourites = self.demo_facilitators
        roll = rng.random()
        if favourites and roll < 0.1:
            first = favourites[0]
        elif len(favourites) > 1 and roll < 0.16:
            first = favourites[1]
        else:
            first = rng.choice(self.pool.facilitators)
        second = None
        if rng.random() < 0.25:
            second = rng.choice([pk for pk in self.pool.facilitators if pk != first])
        return first, second

    # — people —

    def plan_people(self, p: Plan):
        rng, s = self.rng, p.session
        S = RecruitmentStatus
        invited_at = self.before_now(self.between(s.created_at, s.created_at + timedelta(days=7)))
        statuses = self.panel_statuses(s.status)
        last_day = min(s.starts_at.date() if s.starts_at else self.today, self.today)
        for number, status in enumerate(statuses, start=1):
            consent = status in (S.CONFIRMED, S.ATTENDED, S.NO_SHOW)
            consent_date = None
            if consent:
                consent_date = min(invited_at.date() + timedelta(days=rng.randint(3, 14)), last_day)
            withdrawn = None
            if consent and s.ended_at and rng.random() < 0.02:
                withdrawn = self.before_now(s.ended_at + timedelta(days=rng.randint(3, 40)))
            member = PanelMember(
                session_id=s.pk,
                number=number,
                status=status,
                consent_date=consent_date,
                consent_letter_version=world.CONSENT_LETTER_VERSION if consent else "",
                consent_participation=consent,
                consent_quotes=consent and rng.random() < 0.85,
                consent_feedback=consent and rng.random() < 0.75,
                consent_withdrawn_at=withdrawn,
                invited_at=invited_at,
                created_at=invited_at,
                updated_at=withdrawn or s.ended_at or invited_at,
            )
            p.members.append(member)
            if status == S.ATTENDED:
                p.attended.append(member)

        # Listeners: accounts of the organisation's professionals (sometimes its coordinator,
        # and for the home organisation now and then the demo's `listener`), plus guests.
        guests = 1 if rng.random() < 0.6 else 2
        candidates = []
        for organisation in p.organisations:
            candidates += self.pool.professionals.get(organisation.pk, [])
        accounts = []
        home = self.listener and p.host.pk == self.home().pk
        if home and (rng.random() < 0.12 or not self.listener_placed):
            accounts.append(self.listener)
            self.listener_placed = True
        coordinators = self.pool.coordinators.get(p.host.pk, [])
        if coordinators and rng.random() < 0.25:
            accounts.append(rng.choice(coordinators))
        while len(accounts) < LISTENERS - guests:
            staff = rng.choice(candidates)
            if staff not in accounts:
                accounts.append(staff)
        p.accounts = accounts
        listeners_invited = None
        if s.planned_at:
            listeners_invited = self.before_now(s.planned_at + timedelta(days=rng.randint(1, 5)))
        rows = [
            (staff.pk, staff.name, staff.email, staff.function, staff.organisation)
            for staff in accounts
        ]
        for _i in range(guests):
            first, last = self.person()
            function, organisation = rng.choice(GUESTS)
            name = f"{first} {last}"
            email = f"{slug(first)}.{slug(last)}@example.com"
            rows.append((None, name, email, function, organisation or p.host.name))
        for user_pk, name, email, function, organisation in rows:
            p.listeners.append(
                Listener(
                    session_id=s.pk,
                    user_id=user_pk,
                    name=name,
                    email=email,
                    function=function,
                    organisation_name=organisation,
                    briefed=s.status in HELD or (s.status == Status.PLANNED and rng.random() < 0.8),
                    invited_at=listeners_invited,
                    attended=(rng.random() < 0.92) if s.status in HELD else None,
                    created_at=listeners_invited or s.created_at,
                )
            )

    def panel_statuses(self, status) -> list:
        rng, S = self.rng, RecruitmentStatus
        if status in HELD:
            statuses = [S.ATTENDED] * PANEL_SIZE
            if rng.random() < 0.15:
                statuses[-1] = S.NO_SHOW
            if rng.random() < 0.1:
                statuses[-2] = S.CANCELLED
        elif status == Status.PLANNED:
            statuses = [S.CONFIRMED] * PANEL_SIZE
            if rng.random() < 0.5:
                statuses[-1] = S.INVITED
            if rng.random() < 0.1:
                statuses[-2] = S.CANCELLED
        else:
            statuses = [S.CONFIRMED if rng.random() < 0.3 else S.INVITED for _ in range(PANEL_SIZE)]
        return statuses

    def plan_contacts(self, p: Plan) -> list:
        """Contact details while the retention term runs; purged sessions have none."""
        if p.session.contacts_purged_at:
            return []
        rng, contacts = self.rng, []
        for member in p.members:
            first, last = self.person()
            transport, interpreter = rng.random() < 0.1, rng.random() < 0.05
            companion = rng.random() < 0.08
            expected = member.status in (RecruitmentStatus.CONFIRMED, RecruitmentStatus.ATTENDED)
            contacts.append(
                PanelMemberContact(
                    panel_member_id=member.pk,
                    name=f"{first} {last}",
                    email=f"{slug(first)}.{slug(last)}@example.nl" if rng.random() < 0.8 else "",
                    phone=f"06-{rng.randint(10000000, 99999999)}" if rng.random() < 0.9 else "",
                    needs_transport=transport,
                    needs_interpreter=interpreter,
                    brings_companion=companion,
                    access_notes=rng.choice(ACCESS_NOTES)
                    if transport or interpreter or companion
                    else "",
                    compensation=world.COMPENSATION if expected else "",
                )
            )
        return contacts

    # — the guide and the rules —

    def plan_guide(self, p: Plan):
        rng, library = self.rng, self.library
        topic = p.topic
        prepared = [(text, None, rng.choice((10, 15))) for text in topic.questions]
        prepared += [
            (q.text, q, q.planned_minutes)
            for q in rng.sample(
                library[QuestionKind.PREPARED], min(2, len(library[QuestionKind.PREPARED]))
            )
        ]
        rng.shuffle(prepared)
        entries = [
            (QuestionKind.OPENING, rng.choice(library[QuestionKind.OPENING])),
            *((QuestionKind.PREPARED, entry) for entry in prepared),
            (QuestionKind.CLOSING, rng.choice(library[QuestionKind.CLOSING])),
            (QuestionKind.LISTENER, library[QuestionKind.LISTENER][0]),
        ]
        for position, (kind, entry) in enumerate(entries, start=1):
            if isinstance(entry, tuple):
                text, source, minutes = entry
            else:
                text, source, minutes = entry.text, entry, entry.planned_minutes
            p.questions.append(
                Question(
                    session_id=p.session.pk,
                    position=position,
                    text=text,
                    kind=kind,
                    planned_minutes=minutes,
                    source_id=source.pk if source else None,
                )
            )

    def plan_rules(self, p: Plan) -> list:
        if p.session.status == Status.DRAFT:
            return []
        texts = self.rules_for(p.organisations)
        return [
            Rule(session_id=p.session.pk, text=text, position=i)
            for i, text in enumerate(texts, start=1)
        ]

    # — the meeting —

    def plan_findings(self, p: Plan):
        rng, s = self.rng, p.session
        count = rng.randint(8, 12)
        later = rng.random() < 0.5
        sayings = rng.sample(SAYINGS_FLAT, count - later)
        themed = 0.75 if s.status == Status.CLOSED else 0.4
        positions = sorted(rng.choice((1, 2, 2, 3, 3, 4, 4, 5, 5, 6)) for _ in sayings)
        entries = [(position, saying) for position, saying in zip(positions, sayings, strict=True)]
        if later:
            entries.append((rng.randint(2, 6), None))
            entries.sort(key=lambda e: e[0])
        span = s.ended_at - s.live_at
        themes = self.themes[theme_home_key(p.organisations)]
        for k, (position, saying) in enumerate(entries, start=1):
            moment = s.live_at + span * k / (len(entries) + 1)
            moment = moment.replace(microsecond=0)
            if saying is None:
                kind, text, speaker, theme = FindingKind.LATER, rng.choice(LATER), None, None
            else:
                theme, kind, text = saying
                speaker = rng.choice(p.attended) if rng.random() < 0.9 else None
            p.sayings.append(theme)
            p.findings.append(
                Finding(
                    session_id=s.pk,
                    question_id=p.questions[position - 1].pk,
                    client_id=uuid.uuid4(),
                    text=text,
                    kind=kind,
                    speaker_id=speaker.pk if speaker else None,
                    starred=saying is not None and rng.random() < 0.2,
                    theme_id=themes[theme] if theme and rng.random() < themed else None,
                    blind_spot=saying is not None and rng.random() < 0.1,
                    created_by_id=s.facilitator_id,
                    created_at=moment,
                    updated_at=moment,
                )
            )

    # — the debrief and what came of it —

    def coordinator_of(self, p: Plan) -> Staff | None:
        coordinators = self.pool.coordinators.get(p.host.pk, [])
        return coordinators[0] if coordinators else None

    def debrief_moment(self, p: Plan) -> datetime:
        s = p.session
        latest = s.closed_at or self.now
        return self.before_now(
            self.between(
                s.ended_at + timedelta(days=1), min(latest, s.ended_at + timedelta(days=10))
            )
        )

    def plan_debrief(self, p: Plan) -> Debrief:
        rng, s = self.rng, p.session
        closed = s.status == Status.CLOSED
        started = closed or rng.random() < 0.6
        coordinator = self.coordinator_of(p)
        return Debrief(
            session_id=s.pk,
            impact=rng.choice(IMPACTS) if started else "",
            act_on=rng.choice(ACT_ONS) if closed or (started and rng.random() < 0.5) else "",
            concluded_at=s.closed_at if closed else None,
            concluded_by_id=(coordinator.pk if coordinator else s.facilitator_id)
            if closed
            else None,
            updated_at=s.closed_at or self.debrief_moment(p),
        )

    def plan_lessons(self, p: Plan) -> list:
        rng, s = self.rng, p.session
        count = rng.randint(1, 3) if s.status == Status.CLOSED else rng.randint(0, 2)
        return [
            Lesson(
                session_id=s.pk,
                text=text,
                created_by_id=rng.choice(p.accounts).pk,
                created_at=self.debrief_moment(p),
            )
            for text in rng.sample(LESSONS, count)
        ]

    def plan_letter(self, p: Plan) -> list:
        if self.rng.random() >= 0.9:
            return []
        s = p.session
        coordinator = self.coordinator_of(p)
        when = timezone.localtime(s.starts_at, self.tz)
        text = "\n".join(
            [
                "Beste deelnemer,",
                "",
                f"Op {when.day} {MONTHS[when.month - 1]} {when.year} deed u mee aan een "
                "spiegelgesprek.",
                f"Het onderwerp was: {s.theme}.",
                "Dank u wel dat u daaraan meedeed en dat u zo open vertelde over uw ervaringen.",
                "",
                "Wat wij ermee doen, leest u in de volgende brief.",
                "",
                "Met vriendelijke groet,",
                p.host.name,
            ]
        )
        return [
            FeedbackLetter(
                session_id=s.pk,
                text=text,
                finalised_at=s.closed_at,
                finalised_by_id=coordinator.pk if coordinator else s.facilitator_id,
                updated_at=s.closed_at,
            )
        ]

    def plan_actions(self, p: Plan) -> list:
        """~2 actions per debrief, traced to its findings, owned by listeners or the
        coordinator, with statuses as far as time allowed and a progress log to match."""
        rng, s = self.rng, p.session
        closed = s.status == Status.CLOSED
        count = rng.choice((1, 2, 2, 2, 3)) if closed else rng.choice((0, 1, 2, 2))
        candidates = [
            (f, theme)
            for f, theme in zip(p.findings, p.sayings, strict=True)
            if f.kind in (FindingKind.IMPROVEMENT, FindingKind.WISH)
        ] or [(f, theme) for f, theme in zip(p.findings, p.sayings, strict=True) if theme]
        coordinator = self.coordinator_of(p)
        owners = [staff.pk for staff in p.accounts]
        if coordinator:
            owners.append(coordinator.pk)
        owners = list(dict.fromkeys(owners))  # the coordinator may be listening too
        titles, updates = set(), []
        for _i in range(min(count, len(candidates))):
            chosen = rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2))))
            theme = chosen[0][1]
            title, sentence = rng.choice(PLANS[theme])
            if title in titles:
                continue
            titles.add(title)
            created_at = self.debrief_moment(p)
            due_date = created_at.date() + timedelta(days=rng.randint(21, 150))
            status = self.action_status(closed, due_date)
            owner = rng.choice(owners)
            creator = coordinator.pk if coordinator else owner
            action = ImprovementAction(
                session_id=s.pk,
                organisation_id=p.host.pk,
                title=title,
                description=rng.choice(DESCRIPTIONS) if rng.random() < 0.5 else "",
                owner_id=owner,
                due_date=due_date,
                priority=rng.choices(
                    (Priority.NORMAL, Priority.HIGH, Priority.LOW), weights=(60, 25, 15)
                )[0],
                status=status,
                client_sentence=sentence if rng.random() < 0.8 else "",
                created_by_id=creator,
                created_at=created_at,
                updated_at=created_at,
            )
            log = [
                ActionUpdate(
                    action=action,
                    author_id=creator,
                    text=gettext("Actie aangemaakt."),
                    new_status=ActionStatus.OPEN,
                    created_at=created_at,
                )
            ]
            # Progress lines up to a horizon around the due date (never after now); the first
            # one moves the action to "in progress" when it got that far.
            horizon = self.before_now(self.at(due_date, 16) + timedelta(days=rng.randint(-20, 40)))
            horizon = max(horizon, created_at + timedelta(hours=1))
            via_progress = status == ActionStatus.IN_PROGRESS or (
                status in CLOSED_STATUSES
                and rng.random() < (0.7 if status == ActionStatus.DONE else 0.3)
            )
            lines = rng.randint(0, 2) + via_progress
            current = ActionStatus.OPEN
            moments = sorted(self.between(created_at, horizon) for _ in range(lines))
            for k, moment in enumerate(moments):
                entry = ActionUpdate(
                    action=action, author_id=owner, text=rng.choice(PROGRESS), created_at=moment
                )
                if k == 0 and via_progress:
                    entry.old_status, entry.new_status = current, ActionStatus.IN_PROGRESS
                    current = ActionStatus.IN_PROGRESS
                log.append(entry)
            if status in CLOSED_STATUSES:
                action.closed_at = self.before_now(
                    max(horizon, log[-1].created_at + timedelta(minutes=10))
                )
                action.closing_note = rng.choice(
                    DONE_NOTES if status == ActionStatus.DONE else DROPPED_NOTES
                )
                log.append(
                    ActionUpdate(
                        action=action,
                        author_id=owner,
                        text="",
                        old_status=current,
                        new_status=status,
                        created_at=action.closed_at,
                    )
                )
            log.sort(key=lambda u: u.created_at)
            action.updated_at = log[-1].created_at
            p.actions.append((action, log))
            p.action_findings += [(action, f) for f, _theme in chosen]
            co_owners = [pk for pk in owners if pk != owner]
            for pk in rng.sample(co_owners, rng.choices((0, 1, 2), weights=(50, 35, 15))[0]):
                p.action_co_owners.append((action, pk))
            updates += log
        return updates

    def action_status(self, closed: bool, due_date: date) -> str:
        rng = self.rng
        A = ActionStatus
        if not closed:
            options, weights = (A.OPEN, A.IN_PROGRESS), (70, 30)
        elif due_date < self.today:
            options, weights = (A.DONE, A.DROPPED, A.IN_PROGRESS, A.OPEN), (65, 12, 13, 10)
        else:
            options, weights = (A.OPEN, A.IN_PROGRESS, A.DONE), (45, 40, 15)
        return rng.choices(options, weights=weights)[0]

    def plan_evaluations(self, p: Plan) -> list:
        """For about six in ten meetings: a link per participant who attended, most answered."""
        rng, s = self.rng, p.session
        if rng.random() >= 0.6:
            return []
        evaluations = []
        people = [("panel_member", m, 0.7) for m in p.attended if m.consent_withdrawn_at is None]
        people += [("listener", row, 0.6) for row in p.listeners if row.attended is not False]
        for role, person, answers in people:
            evaluation = Evaluation(session_id=s.pk, **{f"{role}_id": person.pk})
            if rng.random() < answers:
                faces = rng.choices(FACES, weights=FACE_WEIGHTS, k=4)
                evaluation.experience, evaluation.safety, evaluation.enough_time = faces[:3]
                evaluation.again = faces[3]
                evaluation.comment = rng.choice(COMMENTS) if rng.random() < 0.4 else ""
                evaluation.responded_at = self.before_now(
                    s.ended_at + timedelta(hours=rng.randint(1, 240))
                )
            evaluations.append(evaluation)
        return evaluations


def next_run() -> int:
    """Runs are numbered by the pool users already there, so usernames never clash."""
    run = 1
    while User.objects.filter(username__endswith=f"-{run}-000").exists():
        run += 1
    return run


def build_scale(n: int, *, seed: int = 1) -> ScaleResult:
    """Add `n` sessions (and a pool of people) to the demo world. The caller provides the
    transaction; the demo world (`build_demo`) must be there."""
    builder = ScaleBuilder(seed=seed, run=next_run())
    builder.prepare()
    builder.build(n)
    return ScaleResult(run=builder.run, seed=seed, sessions=n, rows=builder.rows, pool=builder.pool)
