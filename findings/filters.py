"""The one filter of improvement actions, shared by `/actions/`, its CSV and XLSX exports and
the actions report: what the list shows is exactly what the exports contain, in the same order.

Input comes straight from the query string, so every value is validated by a form: a value
that does not fit is reported in Dutch on the form and ignored, and the other filters still
apply. No value ever reaches the database unchecked, and none causes a 500.

Nothing is enumerated that grows with the data: organisations and themes are short lists found
from the user's own roles; a session and an owner are searched by text (with at most twenty
suggestions, from what the user may see) and a chosen id is checked with one query.
"""

from django import forms
from django.core.cache import caches
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from findings.constants import ActionStatus, Priority
from findings.forms.actions import DateInput, check_year
from findings.models import AnyOf, Finding, ImprovementAction, Theme, co_ownerships
from participants.models import Listener, Membership, Organisation, User
from sessions.models import Session, leads
from spiegel.compiled import Prepared, UserQuery
from spiegel.forms import MAX_PK
from spiegel.pagination import keyset_order

UNFINISHED = "unfinished"
STATUS_CHOICES = [
    ("", _("Alle")),
    (UNFINISHED, _("Nog niet af (open of bezig)")),
    *ActionStatus.choices,
]

_STATUS_RANK = Case(
    *(When(status=value, then=Value(rank)) for rank, value in enumerate(ActionStatus.values)),
    output_field=IntegerField(),
)
_PRIORITY_RANK = Case(
    *(When(priority=value, then=Value(rank)) for rank, value in enumerate(Priority.values)),
    output_field=IntegerField(),
)
_OWNER = ("owner__first_name", "owner__last_name", "owner__username")

# Every ordering ends in the primary key, so pages never overlap or skip an action. The keys
# are names (ranks are annotated as `status_rank` / `priority_rank`) so that a keyset page
# (spiegel/pagination.py) can continue after a row in any of these orders.
RANKS = {"status_rank": _STATUS_RANK, "priority_rank": _PRIORITY_RANK}
SORTS = {
    "due": ("due_date", "pk"),
    "-due": ("-due_date", "-pk"),
    "status": ("status_rank", "due_date", "pk"),
    "priority": ("priority_rank", "due_date", "pk"),
    "session": ("-session__starts_at", "session__title", "session_id", "due_date", "pk"),
    "owner": (*_OWNER, "owner_id", "due_date", "pk"),
}
NULLABLE = {"session__starts_at"}
DEFAULT_SORT = "due"
SORT_CHOICES = [
    ("due", _("Uiterlijk klaar op, eerst de vroegste")),
    ("-due", _("Uiterlijk klaar op, eerst de laatste")),
    ("status", _("Status")),
    ("priority", _("Prioriteit, hoogste eerst")),
    ("session", _("Gesprek, nieuwste eerst")),
    ("owner", _("Eigenaar")),
]


class IdChoiceField(forms.TypedChoiceField):
    """A choice among ids listed beforehand: validated without touching the database."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, required=False, empty_value=None, **kwargs)


class IdField(forms.IntegerField):
    """An id from a search suggestion or an older link (`?session=12`): checked against what
    the user may see by one query for its label, never listed beforehand."""

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, max_value=MAX_PK, **kwargs)
        self.widget = forms.HiddenInput()


def _session_label(session) -> str:
    if session.starts_at:
        return f"{session.title} ({date_format(localtime(session.starts_at), 'SHORT_DATE_FORMAT')})"
    return session.title


SEARCH_LIMIT = 100
SUGGESTIONS = 20


def _words(text) -> list[str]:
    return (text or "").replace("\x00", "").split()[:5]


def person_search(words, prefix="") -> Q:
    """Every word in the first name, last name or username."""
    condition = Q()
    for word in words:
        condition &= (
            Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}username__icontains": word})
        )
    return condition


def involved_organisations(user):
    """The organisations whose actions `user` may come across, found from the user's own
    roles (memberships, sessions they lead or listen in, actions they own), each by an
    index on the user, never by going through every visible action."""
    through = Session.organisations.through.objects
    # Uncorrelated IN (…) subqueries: each is computed once from an index on the user (a
    # correlated EXISTS per organisation made PostgreSQL walk every organisation's sessions).
    led = Session.objects.filter(leads(user)).values("pk")
    # The sessions the user listens in, and the actions they (co-)own, as lists the database
    # makes once and looks up by key (`AnyOf`): as IN (…) joins, PostgreSQL hashed all 10,000
    # session links and all 16,000 actions to find the few hundred of a listener (4.8 → 1.6 ms
    # for the demo coordinator, eighth pass). An action brings the organisation that owns it
    # (what the filter's organisation means), read from the action itself.
    listened = Listener.objects.filter(user=user).order_by().values("session_id")
    # Owned and co-owned apart: the owned ones from the index on (owner, organisation) alone,
    # the co-owned by key (together, PostgreSQL read all 2,700 of the demo coordinator's).
    owned = ImprovementAction.objects.order_by()
    co_owned = co_ownerships(user).values("improvementaction_id")
    via = [
        Membership.objects.filter(user=user).values("organisation"),
        through.filter(session_id__in=led).values("organisation"),
        through.filter(AnyOf("session_id", listened)).values("organisation"),
        owned.filter(owner=user).values("organisation_id"),
        owned.filter(AnyOf("pk", co_owned)).values("organisation_id"),
    ]
    condition = Q()
    for ids in via:
        condition |= Q(pk__in=ids)
    return Organisation.objects.filter(condition)


# The filter's organisations, compiled once (`spiegel.compiled`).
_ORGANISATIONS = UserQuery(
    lambda user: (
        involved_organisations(user).order_by("name", "pk").values_list("pk", "name", "network_id")
    )
)


# How long a worker keeps a user's organisations for the filter (settings.CACHES["worker"]).
ORGANISATIONS_KEPT = 60  # seconds


def filter_organisations(user) -> list[tuple]:
    """The organisations the filter offers `user`: (pk, name, network_id) by name.

    Each worker keeps a user's list for ORGANISATIONS_KEPT seconds: it was the heaviest query
    of `/actions/` after the count and the page (~2 ms for the demo coordinator at 10,000
    sessions, most of it the organisations of the 1,082 actions they co-own), and a
    coordinator paging or filtering asks it again every few seconds. A list that is a minute
    old offers an organisation the user just left, or not yet one just joined. That is all it
    can do: which actions the user sees is decided by the query on every request, never by
    this list, so choosing a stale organisation finds only actions the user may still see."""
    return caches["worker"].get_or_set(
        f"action-filter-organisations:{user.pk}",
        lambda: _ORGANISATIONS.rows(user),
        ORGANISATIONS_KEPT,
    )


# The themes of the filter's organisations, by name (compiled once per number of them).
_THEMES = Prepared(
    lambda homes: (
        Theme.objects.of_homes(homes)
        .select_related("organisation")
        .order_by("name", "organisation__name", "pk")
    ),
    lists=("homes",),
)


class ActionFilterForm(forms.Form):
    """Organisation, theme and status are short lists; session and owner can be thousands,
    so they are a text search (`session_search`, `owner_search`, also without JavaScript)
    with at most SUGGESTIONS suggestions (`suggest_sessions`, `suggest_owners`), whose
    choice lands in `session` / `owner` as an id, as in every older link."""

    organisation = IdChoiceField(label=_("Organisatie"))
    session = IdField(label=_("Gesprek"))
    session_search = forms.CharField(
        label=_("Gesprek"), required=False, max_length=SEARCH_LIMIT, strip=True
    )
    theme = IdChoiceField(label=_("Thema"))
    owner = IdField(label=_("Eigenaar of mede-eigenaar"))
    owner_search = forms.CharField(
        label=_("Eigenaar of mede-eigenaar"), required=False, max_length=SEARCH_LIMIT, strip=True
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    overdue = forms.BooleanField(label=_("Alleen acties die te laat zijn"), required=False)
    due_before = forms.DateField(
        label=_("Uiterlijk klaar vóór"), required=False, widget=DateInput()
    )
    sort = forms.ChoiceField(label=_("Sorteren op"), choices=SORT_CHOICES, required=False)

    def __init__(self, data, *, user, visible):
        super().__init__(data)
        self.user = user
        self.visible = visible
        self.labels = {}  # the chosen session's and owner's names, for the page and the PDF
        anything = [("", _("Alle"))]
        organisations = filter_organisations(user)  # (pk, name, network_id) by name
        # Themes of these organisations and of their networks (a werkplaats shares its themes).
        homes = {pk for pk, _name, _network in organisations} | {
            network for _pk, _name, network in organisations if network
        }
        themes = _THEMES.rows(homes=sorted(homes))
        self.fields["organisation"].choices = anything + [
            (pk, name) for pk, name, _network in organisations
        ]
        self.fields["theme"].choices = anything + [
            (t.pk, f"{t.name} – {t.organisation.name}") for t in themes
        ]

    # The page renders these fields by hand (templates/findings/actions/action_list.html), with
    # the markup crispy-forms gave them: crispy and the widget templates cost more than the rest
    # of the page together. These give the parts that come from the widgets.

    def options(self, name):
        """The `<option>`s of the select `name`, the submitted one selected, as Django's
        Select renders them (an absent value selects the empty choice)."""
        bound = self[name]
        chosen = bound.field.widget.format_value(bound.value())
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, " selected" if str(value) in chosen else "", label)
                for value, label in bound.field.choices
            ),
        )

    def input_value(self, name):
        """The `value` of the input `name` as its widget shows it (None: no attribute)."""
        bound = self[name]
        return bound.field.widget.format_value(bound.value())

    def is_checked(self, name) -> bool:
        bound = self[name]
        return bound.field.widget.check_test(bound.value())

    def clean_session(self):
        pk = self.cleaned_data.get("session")
        if pk is None:
            return None
        session = Session.objects.filter(
            pk=pk, pk__in=self.visible.filter(session_id=pk).values("session_id")
        ).first()
        if session is None:
            raise forms.ValidationError(_("Dit gesprek is niet gevonden."), code="invalid_choice")
        self.labels["session"] = _session_label(session)
        return pk

    def clean_owner(self):
        pk = self.cleaned_data.get("owner")
        if pk is None:
            return None
        owner = (
            User.objects.filter(pk=pk)
            .filter(
                Exists(self.visible.filter(owner=OuterRef("pk")))
                | Exists(self.visible.filter(co_owners=OuterRef("pk")))
            )
            .first()
        )
        if owner is None:
            raise forms.ValidationError(_("Deze persoon is niet gevonden."), code="invalid_choice")
        self.labels["owner"] = _("Ikzelf") if owner.pk == self.user.pk else str(owner)
        return pk

    def clean_due_before(self):
        value = self.cleaned_data.get("due_before")
        check_year(value)
        return value


def suggest_sessions(user, text):
    """At most SUGGESTIONS sessions the user may see whose title holds every word, newest
    first: (pk, label)."""
    words = _words(text)
    if not words:
        return []
    sessions = Session.objects.for_user(user)
    for word in words:
        sessions = sessions.filter(title__icontains=word)
    sessions = sessions.order_by(F("starts_at").desc(nulls_first=True), "-pk")[:SUGGESTIONS]
    return [(s.pk, _session_label(s)) for s in sessions.only("pk", "title", "starts_at")]


def suggest_owners(user, text):
    """At most SUGGESTIONS owners or co-owners of actions the user may see, by name: (pk,
    label)."""
    words = _words(text)
    if not words:
        return []
    visible = ImprovementAction.objects.visible_to(user)
    people = (
        User.objects.filter(person_search(words))
        .filter(
            Exists(visible.filter(owner=OuterRef("pk")))
            | Exists(visible.filter(co_owners=OuterRef("pk")))
        )
        .order_by("first_name", "last_name", "username", "pk")[:SUGGESTIONS]
    )
    return [(u.pk, _("Ikzelf") if u.pk == user.pk else str(u)) for u in people]


class ActionFilter:
    """`ActionFilter(user, request.GET)`: the validated form and the matching actions."""

    def __init__(self, user, params, *, today=None):
        self.user = user
        self.today = today or timezone.localdate()
        self.visible = ImprovementAction.objects.visible_for_list(user)
        self.form = ActionFilterForm(params, user=user, visible=self.visible)
        self.form.is_valid()  # invalid values land in form.errors and are left out below
        self.values = self.form.cleaned_data

    @property
    def active(self) -> bool:
        """Whether anything narrows the list (sorting does not)."""
        return any(v for k, v in self.values.items() if k != "sort")

    @property
    def sort(self) -> str:
        return self.values.get("sort") or DEFAULT_SORT

    def queryset(self):
        """The visible actions that match, in the chosen order (no related objects loaded)."""
        actions = self.visible
        values = self.values
        if values.get("organisation"):
            # The organisation that owns the action, not every organisation of its session: in
            # a werkplaats each municipality takes its own actions home.
            actions = actions.filter(organisation_id=values["organisation"])
        if values.get("session"):
            actions = actions.filter(session_id=values["session"])
        for word in _words(values.get("session_search")):
            actions = actions.filter(session__title__icontains=word)
        if values.get("theme"):
            actions = actions.filter(
                Exists(Finding.objects.filter(actions=OuterRef("pk"), theme=values["theme"]))
            )
        if values.get("owner"):
            owner = values["owner"]
            actions = actions.filter(
                Q(owner_id=owner)
                | Exists(
                    ImprovementAction.co_owners.through.objects.filter(
                        improvementaction=OuterRef("pk"), user_id=owner
                    )
                )
            )
        words = _words(values.get("owner_search"))
        if words:
            actions = actions.filter(
                person_search(words, "owner__")
                | Exists(
                    ImprovementAction.co_owners.through.objects.filter(
                        person_search(words, "user__"), improvementaction=OuterRef("pk")
                    )
                )
            )
        status = values.get("status")
        if status == UNFINISHED:
            actions = actions.open()
        elif status:
            actions = actions.filter(status=status)
        if values.get("overdue"):
            actions = actions.overdue(self.today)
        if values.get("due_before"):
            actions = actions.filter(due_date__lt=values["due_before"])
        keys = self.keys
        ranks = {name: rank for name, rank in RANKS.items() if name in keys}
        return actions.annotate(**ranks).order_by(*keyset_order(keys))

    @property
    def keys(self) -> tuple:
        """The sort keys of the chosen order, for keyset pages."""
        return SORTS[self.sort]
