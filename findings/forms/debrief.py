"""Forms of the debrief and the feedback letter.

They check the shape of what the browser sends and that every id names something of this
session (choices come from the session); the services check the workflow.
"""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from findings.constants import FindingKind, Priority
from findings.forms.live import EditForm
from findings.models import (
    Debrief,
    FeedbackLetter,
    ImprovementAction,
    Lesson,
    Theme,
    default_action_organisation,
)
from findings.services.actions import check_owner
from findings.services.debrief import action_owner_candidates
from spiegel.forms import MAX_PK, SafeModelMultipleChoiceField

NO_THEME = "none"


def _limit(model, name):
    return model._meta.get_field(name).max_length


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FilterForm(forms.Form):
    """Which findings the debrief shows (GET). Unknown values are ignored, never an error page."""

    kind = forms.ChoiceField(label=_("Soort"), required=False, choices=FindingKind.choices)
    theme = forms.ChoiceField(label=_("Thema"), required=False)
    starred = forms.BooleanField(label=_("Alleen kernmomenten"), required=False)
    blind_spot = forms.BooleanField(label=_("Alleen blinde vlekken"), required=False)

    def __init__(self, *args, themes=(), counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = {str(theme.pk): theme for theme in themes}

        def label(text, n):
            return text if n is None else f"{text} ({n})"

        counts = counts or {}
        self.fields["kind"].choices = [
            ("", _("Alle soorten")),
            *((kind, label(name, counts.get(kind))) for kind, name in FindingKind.choices),
        ]
        self.fields["theme"].choices = [
            ("", _("Alle thema's")),
            (NO_THEME, label(_("Nog zonder thema"), counts.get("unthemed"))),
            *(
                (pk, label(theme.name, getattr(theme, "n_findings", None)))
                for pk, theme in self.themes.items()
            ),
        ]

    def filters(self) -> dict:
        """Keyword arguments for debrief.filter_findings, from the fields that were valid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        theme = data.get("theme", "")
        return {
            "kind": data.get("kind", ""),
            "theme": self.themes.get(theme),
            "unthemed": theme == NO_THEME,
            "starred": data.get("starred", False),
            "blind_spot": data.get("blind_spot", False),
        }

    def query(self) -> dict:
        """The valid filters as GET parameters, to come back to the same view after a change."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            key: ("1" if value is True else value)
            for key, value in data.items()
            if value not in ("", False, None)
        }

    @property
    def active(self) -> bool:
        return bool(self.query())


class AnswersForm(forms.Form):
    impact = forms.CharField(
        label=Debrief._meta.get_field("impact").verbose_name,
        max_length=_limit(Debrief, "impact"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wat raakte u, wat verraste u, wat herkende u?"),
    )
    act_on = forms.CharField(
        label=Debrief._meta.get_field("act_on").verbose_name,
        max_length=_limit(Debrief, "act_on"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Kies wat het zwaarst weegt; maak er hieronder verbeteracties van."),
    )
    base = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class ThemeForm(forms.Form):
    name = forms.CharField(
        label=_("Nieuw thema"),
        max_length=_limit(Theme, "name"),
        error_messages={"required": _("Geef het thema een naam.")},
    )


class ThemeChoiceField(forms.ModelChoiceField):
    """A theme of the session's organisations, or empty for "no theme"."""

    def __init__(self, session, **kwargs):
        super().__init__(
            queryset=Theme.objects.for_session(session),
            required=False,
            empty_label=_("— geen thema —"),
            **kwargs,
        )

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                number = int(str(value))
            except ValueError:
                number = None
            if number is not None and not 0 < number <= MAX_PK:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


class FindingThemeForm(forms.Form):
    """One finding's theme (the finding comes from the URL)."""

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"] = ThemeChoiceField(session, label=_("Thema"))


class BulkThemeForm(forms.Form):
    """Several findings of this session under one theme (or out of their theme)."""

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"] = SafeModelMultipleChoiceField(
            queryset=session.findings.all(),
            label=_("Bevindingen"),
            error_messages={"required": _("Kies eerst een of meer bevindingen.")},
        )
        self.fields["theme"] = ThemeChoiceField(session, label=_("Thema"))


class LessonForm(forms.Form):
    text = forms.CharField(
        label=_("Nieuwe les"),
        max_length=_limit(Lesson, "text"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Schrijf eerst de les op.")},
    )


class FindingChoiceField(SafeModelMultipleChoiceField):
    def label_from_instance(self, finding):
        who = finding.speaker.pseudonym if finding.speaker else _("spreker onbekend")
        text = finding.text if len(finding.text) <= 160 else finding.text[:159] + "…"
        return f"{finding.get_kind_display()} · {who}: {text}"


class ActionForm(forms.Form):
    """A new improvement action from findings of this session (findings.actions.create_action)."""

    title = forms.CharField(label=_("Titel"), max_length=_limit(ImprovementAction, "title"))
    description = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=_limit(ImprovementAction, "description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat gaat er veranderen, en hoe merken cliënten dat?"),
    )
    due_date = forms.DateField(label=_("Uiterlijk klaar op"), widget=DateInput)
    priority = forms.ChoiceField(
        label=_("Prioriteit"), choices=Priority.choices, initial=Priority.NORMAL
    )
    client_sentence = forms.CharField(
        label=_("Wat we deden met uw feedback"),
        required=False,
        max_length=_limit(ImprovementAction, "client_sentence"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Eén zin in eenvoudige taal voor de brief aan de cliënten. Bijvoorbeeld: "
            "“U krijgt binnen twee werkdagen een telefoontje terug.”"
        ),
    )

    from_reflection = forms.BooleanField(
        label=_("Komt voort uit een reflectie"),
        required=False,
        help_text=_(
            "Aanvinken als deze actie opkwam uit wat een toehoorder na het gesprek opschreef."
        ),
    )

    field_order = [
        "findings",
        "title",
        "description",
        "organisation",
        "owner",
        "co_owners",
        "due_date",
    ]

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        candidates = action_owner_candidates(session).order_by("first_name", "last_name", "pk")
        # Which organisation takes the action home (a werkplaats has several). Left empty, it
        # is the owner's organisation among the session's (default_action_organisation).
        self.fields["organisation"] = forms.ModelChoiceField(
            queryset=session.organisations.order_by("name"),
            label=_("Organisatie"),
            required=False,
            empty_label=_("— die van de eigenaar —"),
            help_text=_(
                "De organisatie die de actie mee naar huis neemt. De eigenaar hoort bij die "
                "organisatie of luisterde namens haar mee."
            ),
        )
        # Asked only in a session of several organisations (one query, for the template).
        self.offers_organisation = len(self.fields["organisation"].queryset) > 1
        self.fields["findings"] = FindingChoiceField(
            queryset=session.findings.select_related("speaker").order_by("created_at", "pk"),
            label=_("Bevindingen waar de actie op antwoordt"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        # An action may also come from a golden tip of a kitchen-table session (the plenary's
        # "Actie maken"); then no finding is needed.
        self.fields["from_tip"] = forms.ModelChoiceField(
            queryset=session.golden_tips.filter(merged_into__isnull=True),
            required=False,
            widget=forms.HiddenInput,
        )
        self.fields["owner"] = forms.ModelChoiceField(
            queryset=candidates,
            label=_("Eigenaar"),
            empty_label=_("— kies de eigenaar —"),
            help_text=_("Toehoorders van dit gesprek en medewerkers van de organisatie."),
        )
        self.fields["co_owners"] = SafeModelMultipleChoiceField(
            queryset=candidates,
            label=_("Mede-eigenaren"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["due_date"].widget.attrs["min"] = timezone.localdate().isoformat()
        self.order_fields(self.field_order)

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("Kies een datum vandaag of later."))
        if due.year > 2100:
            raise forms.ValidationError(_("Kies een datum vóór 2100."))
        return due

    def clean(self):
        data = super().clean()
        if not data.get("findings") and not data.get("from_tip") and "findings" not in self.errors:
            self.add_error("findings", _("Koppel de actie aan minstens één bevinding."))
        owner, co_owners = data.get("owner"), data.get("co_owners")
        if owner is not None and co_owners is not None:
            data["co_owners"] = [user for user in co_owners if user.pk != owner.pk]
        if owner is not None and "organisation" in data:
            organisation = data["organisation"] or default_action_organisation(self.session, owner)
            data["organisation"] = organisation
            if organisation is not None:
                try:
                    check_owner(session=self.session, organisation=organisation, owner=owner)
                except forms.ValidationError as error:
                    self.add_error("owner", error)
        return data


class LetterForm(forms.Form):
    text = forms.CharField(
        label=_("Tekst van de brief"),
        max_length=_limit(FeedbackLetter, "text"),
        widget=forms.Textarea(attrs={"rows": 18}),
        error_messages={"required": _("De brief is leeg.")},
    )


class CorrectionForm(EditForm):
    """A note corrected after the meeting: the live page's correction (text, kind, speaker,
    key moment, the version it started from), with the speakers offered by pseudonym."""

    speaker = forms.TypedChoiceField(
        label=_("Spreker"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, session, finding, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "text": finding.text,
                "kind": finding.kind,
                "speaker": finding.speaker_id or "",
                "starred": finding.starred,
                "version": finding.version,
            },
        )
        super().__init__(*args, **kwargs)
        members = session.panel_members.filter(erased_at__isnull=True).order_by("number")
        self.fields["speaker"].choices = [("", _("Niet gekozen"))] + [
            (m.pk, m.pseudonym) for m in members
        ]
        self.fields["text"].widget = forms.Textarea(attrs={"rows": 5})
        self.fields["version"].widget = forms.HiddenInput()
        self.helper = FormHelper()
        self.helper.form_tag = False
