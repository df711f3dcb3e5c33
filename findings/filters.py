"""The one filter of improvement actions, shared by `/actions/`, its CSV and XLSX exports and
the actions report: what the list shows is exactly what the exports contain, in the same order.

Input comes straight from the query string, so every value is validated by a form: a value
that does not fit is reported in Dutch on the form and ignored, and the other filters still
apply. No value ever reaches the database unchecked, and none causes a 500.

Choices are built from the actions the user may see (`ImprovementAction.objects.visible_to`),
one query per list, and validated against those lists without further queries.
"""

from django import forms
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from findings.constants import ActionStatus, Priority
from findings.forms.actions import DateInput, check_year
from findings.models import Finding, ImprovementAction, Theme
from participants.models import Organisation, User
from sessions.models import Session

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

# Every ordering ends in the primary key, so pages never overlap or skip an action.
SORTS = {
    "due": ("due_date", "pk"),
    "-due": ("-due_date", "-pk"),
    "status": (_STATUS_RANK, "due_date", "pk"),
    "priority": (_PRIORITY_RANK, "due_date", "pk"),
    "session": ("-session__starts_at", "session__title", "session_id", "due_date", "pk"),
    "owner": (*_OWNER, "owner_id", "due_date", "pk"),
}
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


def _person(user) -> str:
    return user.get_full_name() or user.username


class ActionFilterForm(forms.Form):
    organisation = IdChoiceField(label=_("Organisatie"))
    session = IdChoiceField(label=_("Gesprek"))
    theme = IdChoiceField(label=_("Thema"))
    owner = IdChoiceField(label=_("Eigenaar of mede-eigenaar"))
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    overdue = forms.BooleanField(label=_("Alleen acties die te laat zijn"), required=False)
    due_before = forms.DateField(
        label=_("Uiterlijk klaar vóór"), required=False, widget=DateInput()
    )
    sort = forms.ChoiceField(label=_("Sorteren op"), choices=SORT_CHOICES, required=False)

    def __init__(self, data, *, user, visible):
        super().__init__(data)
        anything = [("", _("Alle"))]
        sessions = Session.objects.filter(pk__in=visible.values("session")).order_by(
            "-starts_at", "title", "pk"
        )
        organisations = Organisation.objects.filter(
            Exists(
                Session.organisations.through.objects.filter(
                    organisation=OuterRef("pk"), session__in=visible.values("session")
                )
            )
        ).order_by("name")
        themes = (
            Theme.objects.filter(
                Exists(Finding.objects.filter(theme=OuterRef("pk"), actions__in=visible))
            )
            .select_related("organisation")
            .order_by("name", "organisation__name", "pk")
        )
        owners = User.objects.filter(
            Q(pk__in=visible.values("owner")) | Q(pk__in=visible.values("co_owners"))
        ).order_by("first_name", "last_name", "username")
        self.fields["organisation"].choices = anything + [(o.pk, o.name) for o in organisations]
        self.fields["session"].choices = anything + [
            (s.pk, f"{s.title} ({localtime(s.starts_at):%d-%m-%Y})" if s.starts_at else s.title)
            for s in sessions
        ]
        self.fields["theme"].choices = anything + [
            (t.pk, f"{t.name} – {t.organisation.name}") for t in themes
        ]
        people = [(u.pk, _person(u)) for u in owners]
        if user.pk in {pk for pk, _label in people}:
            people = [(user.pk, _("Ikzelf"))] + [p for p in people if p[0] != user.pk]
        self.fields["owner"].choices = anything + people

    def clean_due_before(self):
        value = self.cleaned_data.get("due_before")
        check_year(value)
        return value


class ActionFilter:
    """`ActionFilter(user, request.GET)`: the validated form and the matching actions."""

    def __init__(self, user, params, *, today=None):
        self.user = user
        self.today = today or timezone.localdate()
        self.visible = ImprovementAction.objects.visible_to(user)
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
            actions = actions.filter(
                session__in=Session.objects.filter(organisations=values["organisation"]).values(
                    "pk"
                )
            )
        if values.get("session"):
            actions = actions.filter(session_id=values["session"])
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
        status = values.get("status")
        if status == UNFINISHED:
            actions = actions.open()
        elif status:
            actions = actions.filter(status=status)
        if values.get("overdue"):
            actions = actions.overdue(self.today)
        if values.get("due_before"):
            actions = actions.filter(due_date__lt=values["due_before"])
        return actions.order_by(*SORTS[self.sort])
