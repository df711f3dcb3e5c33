"""The demo world of world.toml, read into typed records.

The records check themselves: an unknown key is a TypeError, a kind, role or status that is not
one of the model's choices a ValueError, so a slip in the data stops the build before the
database sees it. Nothing here touches the database; `findings.demo.builder` does that.
"""

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from findings.constants import ActionStatus, FindingKind
from participants.constants import OrganisationKind, RecruitmentStatus, Role
from sessions.constants import QuestionKind, Status


@dataclass(frozen=True)
class Day:
    """A wall-clock time in the site's time zone, `days` from today."""

    days: int
    hour: int
    minute: int = 0


def day(value) -> Day | None:
    return Day(*value) if value else None


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    name: str
    kind: str
    network: str | None = None  # key of the network organisation
    retention_days: int = 180
    contact_email: str = ""
    contact_phone: str = ""
    privacy_contact: str = ""

    def __post_init__(self):
        OrganisationKind(self.kind)


@dataclass(frozen=True)
class Person:
    """Someone with an account."""

    username: str
    first_name: str
    last_name: str
    email: str
    function: str
    organisation: str | None = None  # None for the administrator
    role: str | None = None
    is_admin: bool = False

    def __post_init__(self):
        if self.role:
            Role(self.role)


@dataclass(frozen=True)
class LibraryEntry:
    theme: str
    kind: str
    minutes: int
    text: str

    def __post_init__(self):
        QuestionKind(self.kind)


@dataclass(frozen=True)
class Custom:
    """A question written for one session, not taken from the library."""

    text: str
    kind: str = QuestionKind.PREPARED
    minutes: int = 10


@dataclass(frozen=True)
class Client:
    """A panel member; consent follows from the status."""

    name: str
    status: str = RecruitmentStatus.ATTENDED
    quotes: bool = True
    feedback: bool = True
    email: bool = True
    transport: bool = False
    interpreter: bool = False
    companion: bool = False
    notes: str = ""
    withdrawn: bool = False
    recruited_by: str | None = None  # organisation key; None: the session's first

    def __post_init__(self):
        RecruitmentStatus(self.status)


@dataclass(frozen=True)
class Guest:
    """A listener without an account."""

    name: str
    function: str
    organisation: str
    email: str = ""


@dataclass(frozen=True)
class Note:
    """A finding as the facilitator typed it: number n, under question q, by panel letter `by`
    (None: the group); at a kitchen-table session, said at table `table` (numbered from 1,
    no question: the table's host typed it)."""

    n: int
    kind: str
    text: str
    q: int | None = None
    by: str | None = None
    star: bool = False
    table: int | None = None

    def __post_init__(self):
        FindingKind(self.kind)


@dataclass(frozen=True)
class Plan:
    """An improvement action as the debrief agreed it (answering notes by number), and how far
    it got."""

    title: str
    notes: list
    owner: str  # username
    due_in_days: int  # negative: overdue
    status: str = ActionStatus.OPEN
    client_sentence: str = ""
    closing_note: str = ""
    client_closing: str = ""  # what clients read once it is done or dropped
    progress: str = ""
    from_reflection: bool = False
    organisation: str | None = None  # key; None: the owner's among the session's
    tip: str | None = None  # the text of the golden tip it comes from (kitchen tables)

    def __post_init__(self):
        ActionStatus(self.status)


@dataclass(frozen=True)
class Learning:
    """A listener's (by username) leervragen before the meeting and reflection after it."""

    who: str
    questions: list = field(default_factory=list)
    touched: str = ""
    change: str = ""
    shared: bool = False


@dataclass(frozen=True)
class DebriefSpec:
    themes: dict  # name: note numbers
    blind_spots: list  # note numbers
    lessons: list
    impact: str
    act_on: str
    actions: list


@dataclass(frozen=True)
class Follow:
    """A panel member (by letter) with a personal link to "U zei, wij deden"."""

    member: str
    mail: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A table of a kitchen-table session: its host (username) and/or ambassador (panel
    letter), and who sits there (panel letters, listener usernames or guest names)."""

    name: str
    host: str | None = None
    ambassador: str | None = None
    members: list = field(default_factory=list)
    listeners: list = field(default_factory=list)


@dataclass(frozen=True)
class TipSpec:
    """A golden tip of table `table` (numbered from 1)."""

    table: int
    theme: str
    text: str


@dataclass(frozen=True)
class MergedTipSpec:
    """The plenary merged these tips (by their texts) into one."""

    theme: str
    text: str
    tips: list


@dataclass(frozen=True)
class SessionSpec:
    """One demo session; the parts past its status stay empty."""

    status: str
    organisations: list
    created: Day
    fields: dict
    invited: Day
    panel: list
    consent: Day | None = None
    withdrawn: Day | None = None
    starts: Day | None = None
    starts_minutes_ago: int | None = None
    co_facilitator: str | None = None
    listeners: list = field(default_factory=list)
    guests: list = field(default_factory=list)
    listeners_invited: Day | None = None
    unbriefed: list = field(default_factory=list)
    guide: list = field(default_factory=list)
    planned: Day | None = None
    live_after: int | None = None
    findings: list = field(default_factory=list)
    current: int | None = None
    ended_after: int | None = None
    closed: Day | None = None
    evaluations: list = field(default_factory=list)
    debrief: DebriefSpec | None = None
    recap: bool = False  # the opening item "Wat deden we met wat u vorige keer zei?"
    follow: list = field(default_factory=list)
    learning: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    tips: list = field(default_factory=list)
    merged_tips: list = field(default_factory=list)

    def __post_init__(self):
        Status(self.status)
        if [note.n for note in self.findings] != list(range(1, len(self.findings) + 1)):
            raise ValueError(f"{self.title}: notes are not numbered 1, 2, 3, …")

    @property
    def title(self) -> str:
        return self.fields["title"]

    def note(self, n: int) -> Note:
        return self.findings[n - 1]


# The fields that hold a Day, written [days from today, hour, minute] in world.toml.
MOMENTS = [f.name for f in dataclasses.fields(SessionSpec) if f.type in (Day, Day | None)]


def read_session(data: dict, questions: dict) -> SessionSpec:
    """A [[sessions]] table as a SessionSpec: guide entries by question name or Custom."""
    read = {
        **dict.fromkeys(MOMENTS, day),
        "panel": lambda rows: [Client(**row) for row in rows],
        "guests": lambda rows: [Guest(**row) for row in rows],
        "guide": lambda rows: [questions[e] if isinstance(e, str) else Custom(**e) for e in rows],
        "findings": lambda rows: [Note(**row) for row in rows],
        "follow": lambda rows: [Follow(**row) for row in rows],
        "learning": lambda rows: [Learning(**row) for row in rows],
        "tables": lambda rows: [TableSpec(**row) for row in rows],
        "tips": lambda rows: [TipSpec(**row) for row in rows],
        "merged_tips": lambda rows: [MergedTipSpec(**row) for row in rows],
        "debrief": lambda d: DebriefSpec(**{**d, "actions": [Plan(**row) for row in d["actions"]]}),
    }
    return SessionSpec(**{key: read.get(key, lambda v: v)(value) for key, value in data.items()})


WORLD = tomllib.loads((Path(__file__).parent / "world.toml").read_text(encoding="utf-8"))

DEMO_PASSWORD = WORLD["password"]
SITE_URL = WORLD["site_url"]
CONSENT_LETTER_VERSION = WORLD["consent_letter_version"]
COMPENSATION = WORLD["compensation"]
ORGANISATIONS = [OrganisationSpec(**row) for row in WORLD["organisations"]]
PEOPLE = [Person(**row) for row in WORLD["people"]]
EXTRA_RULES = WORLD["extra_rules"]
LIBRARIES = {
    key: [
        LibraryEntry(theme, kind, minutes, WORLD["questions"][name])
        for theme, kind, minutes, name in rows
    ]
    for key, rows in WORLD["library"].items()
}
SESSIONS = [read_session(row, WORLD["questions"]) for row in WORLD["sessions"]]
DEMO_TITLES = [spec.title for spec in SESSIONS]
