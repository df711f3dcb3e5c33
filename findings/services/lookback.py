"""The terugblik: a session being prepared looks back on the earlier sessions of the same
organisations (or their network; sessions.services.sessions.earlier_sessions says which).

- `lookback_for`: the earlier sessions' actions with their status and the sentence written for
  clients, and the themes that keep returning (in how many of the last sessions, how many of
  their actions are open, done or dropped). Titles, statuses and client sentences only: no
  finding, no name, so everyone who sees the new session may read it.
- `recap_of`: what the opening item "Wat deden we met wat u vorige keer zei?" shows the room:
  the client sentences and their status in plain words, nothing else; copied onto the guide
  item by `put_recap` (the presenter screen lives in sessions and reads only that copy).
- `returning_theme_ids`: the themes that already have open or dropped actions from earlier
  sessions; the debrief marks their findings "komt terug".
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from findings import changes
from findings.constants import CLIENT_STATUS, ActionStatus
from findings.models import Finding, ImprovementAction, Theme
from sessions.services import sessions as session_services

RECAP_TEXT = _("Wat deden we met wat u vorige keer zei?")


@dataclass
class PastSession:
    session: object
    actions: list = field(default_factory=list)


@dataclass
class ThemeHistory:
    name: str
    sessions: int  # in how many of the earlier sessions looked at
    of: int  # how many earlier sessions were looked at
    open: int = 0
    done: int = 0
    dropped: int = 0

    @property
    def returns(self) -> bool:
        return self.sessions > 1


@dataclass
class Lookback:
    sessions: list
    themes: list

    @property
    def is_empty(self) -> bool:
        return not self.sessions

    @property
    def returning(self) -> list:
        return [theme for theme in self.themes if theme.returns]

    @property
    def actions(self) -> list:
        return [action for past in self.sessions for action in past.actions]


def lookback_for(session, *, limit=None) -> Lookback:
    """The terugblik of `session`: four queries, whatever the history."""
    limit = limit or settings.LOOKBACK_SESSIONS
    earlier = list(session_services.earlier_sessions(session, limit=limit))
    if not earlier:
        return Lookback([], [])
    ids = [s.pk for s in earlier]
    actions = ImprovementAction.objects.filter(session_id__in=ids).order_by("due_date", "pk")
    by_session = defaultdict(list)
    for action in actions:
        action.client_status = CLIENT_STATUS[action.status]
        by_session[action.session_id].append(action)
    # In how many sessions each theme had findings…
    seen = (
        Finding.objects.filter(session_id__in=ids, theme__isnull=False)
        .values("theme_id", "theme__name")
        .annotate(n=Count("session_id", distinct=True))
    )
    themes = {
        row["theme_id"]: ThemeHistory(row["theme__name"], row["n"], len(earlier)) for row in seen
    }
    # …and what became of the actions that came from them (an action counts once per theme).
    outcomes = (
        ImprovementAction.objects.filter(session_id__in=ids, findings__theme__isnull=False)
        .values("findings__theme_id", "status")
        .annotate(n=Count("pk", distinct=True))
    )
    for row in outcomes:
        theme = themes.get(row["findings__theme_id"])
        if theme is None:
            continue
        if row["status"] == ActionStatus.DONE:
            theme.done += row["n"]
        elif row["status"] == ActionStatus.DROPPED:
            theme.dropped += row["n"]
        else:
            theme.open += row["n"]
    ordered = sorted(themes.values(), key=lambda t: (-t.sessions, -(t.open + t.dropped), t.name))
    return Lookback([PastSession(s, by_session[s.pk]) for s in earlier], ordered)


def recap_of(lookback, *, language) -> list[dict]:
    """The client sentences of the earlier sessions' actions, with their status in plain words
    in the session's language: what the room may see. Actions without a sentence for clients
    are left out (their titles are the professionals' words)."""
    with translation.override(language):
        return [
            {"sentence": " ".join(a.client_sentence.split()), "state": str(a.client_status)}
            for a in lookback.actions
            if a.client_sentence.strip()
        ]


def put_recap(*, session):
    """Add the opening item to the guide, or refresh its sentences. Returns (item, created)."""
    with translation.override(session.language):
        text = str(RECAP_TEXT)
    recap = recap_of(lookback_for(session), language=session.language)
    return session_services.put_recap(session=session, text=text, recap=recap)


def returning_theme_ids(session) -> set[int]:
    """Of the themes of this session's findings (the only ones the debrief marks), those that
    already have open or dropped actions from earlier sessions: one query, an EXISTS per theme
    that stops at its first such action. It was the distinct themes of every unfinished action
    of the organisations' whole history (3,400 buffers, most of the debrief's SQL at 10,000
    sessions).

    Cached until a session, finding, theme or action of the organisations looked back on
    changes (findings.changes): every session it reads, this one and the earlier ones, sits
    with at least one of them. Theme ids only; no text of anyone's."""
    organisations = session_services.lookback_organisations(session)
    return changes.cached(
        "returning-themes.1",
        organisations,
        (session.pk,),
        lambda: _returning_theme_ids(session),
    )


def _returning_theme_ids(session) -> set[int]:
    themes = Finding.objects.filter(session=session, theme__isnull=False).values("theme_id")
    unfinished = ImprovementAction.objects.filter(
        session_services.earlier_condition(session, via="session__"),
        findings__theme=OuterRef("pk"),
    ).exclude(status=ActionStatus.DONE)
    # In the SELECT list, not the WHERE: there PostgreSQL turned the EXISTS into a join over
    # every unfinished action of the history before looking at the themes.
    rows = Theme.objects.filter(pk__in=themes).order_by().values_list("pk", Exists(unfinished))
    return {pk for pk, returns in rows if returns}
