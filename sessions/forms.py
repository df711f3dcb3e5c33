from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participants.constants import AccessAction, OrganisationKind, Role
from participants.models import Organisation, PanelMember, User, members_with_role
from sessions.constants import Face, MeetingForm
from sessions.models import LibraryQuestion, Question, Rule, Session, SessionTable
from sessions.services.evaluation import QUESTION_FIELDS
from spiegel.forms import MAX_PK, SafeModelMultipleChoiceField

# Dates outside this range are typing mistakes, and year 1 cannot even be read back.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def organisations_for(user):
    """Organisations whose sessions this user may prepare.

    Coordinators prepare sessions about their own organisations; facilitators (often from a
    client-interest organisation) lead sessions for the partners in their networks.
    """
    mine = Organisation.objects.filter(memberships__user=user)
    coordinated = Organisation.objects.coordinated_by(user)
    facilitating = mine.filter(memberships__role=Role.FACILITATOR)
    partners = Organisation.objects.sharing_library_with(facilitating).exclude(
        kind=OrganisationKind.NETWORK
    )
    return Organisation.objects.filter(Q(pk__in=coordinated) | Q(pk__in=partners)).distinct()


def facilitators_for(user):
    """Facilitators known in the user's networks (the user included, when they facilitate)."""
    shared = Organisation.objects.sharing_library_with(Organisation.objects.for_member(user))
    return members_with_role(Role.FACILITATOR, shared)


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = [
            "title",
            "organisations",
            "theme",
            "target_group",
            "starts_at",
            "duration_minutes",
            "meeting_form",
            "location",
            "online_url",
            "facilitator",
            "co_facilitator",
            "language",
            "listener_questions_allowed",
            "notes",
        ]
        field_classes = {"organisations": SafeModelMultipleChoiceField}
        widgets = {
            "starts_at": DateTimeInput(),
            "organisations": forms.CheckboxSelectMultiple,
            "meeting_form": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = self._organisation_choices(user)
        people = facilitators_for(user)
        for name in ("facilitator", "co_facilitator"):
            current = getattr(self.instance, f"{name}_id", None)
            self.fields[name].queryset = User.objects.filter(
                Q(pk__in=people) | Q(pk=current)
            ).order_by("first_name", "last_name")
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if not self.instance.pk and user in self.fields["facilitator"].queryset:
            self.initial.setdefault("facilitator", user.pk)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Opslaan")))

    def _organisation_choices(self, user):
        allowed = organisations_for(user)
        if self.instance.pk:
            current = self.instance.organisations.values("pk")
            return Organisation.objects.filter(Q(pk__in=allowed) | Q(pk__in=current))
        return allowed

    def clean_starts_at(self):
        starts_at = self.cleaned_data.get("starts_at")
        if starts_at and not FIRST_YEAR <= starts_at.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Kies een datum tussen %(first)s en %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return starts_at

    def clean(self):
        cleaned = super().clean()
        facilitator, co = cleaned.get("facilitator"), cleaned.get("co_facilitator")
        if facilitator and co and facilitator == co:
            self.add_error(
                "co_facilitator",
                _("De tweede gespreksleider moet iemand anders zijn dan de gespreksleider."),
            )
        if cleaned.get("online_url") and cleaned.get("meeting_form") == MeetingForm.IN_PERSON:
            self.add_error(
                "online_url",
                _(
                    "Een link hoort bij een online of hybride gesprek: kies die vorm, "
                    "of laat de link leeg."
                ),
            )
        return cleaned


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "kind", "planned_minutes"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Vraag opslaan")))


class LibraryChoiceForm(forms.Form):
    questions = SafeModelMultipleChoiceField(
        label=_("Vragen uit de vragenbank"),
        queryset=LibraryQuestion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één vraag.")},
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = (
            LibraryQuestion.objects.available_to(session.organisations.all())
            .in_meeting_order()
            .select_related("organisation")
        )
        self.fields["questions"].label_from_instance = self.label_for

    @staticmethod
    def label_for(question):
        parts = [question.text]
        if question.theme:
            parts.append(f"[{question.theme}]")
        parts.append(f"({question.get_kind_display()}, {question.planned_minutes} min)")
        return " ".join(parts)


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spelregel opslaan")))


class LibraryQuestionForm(forms.ModelForm):
    """A question of an organisation's library, kept by its beheerders."""

    class Meta:
        model = LibraryQuestion
        fields = ["text", "theme", "kind", "planned_minutes"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Vraag opslaan")))


class SaveToLibraryForm(forms.Form):
    """Which of the organisations the user runs keeps this guide question."""

    organisation = forms.ModelChoiceField(
        label=_("Vragenbank van"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )


class SessionRulesSettingsForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["listener_questions_allowed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Opslaan"), css_class="btn-secondary"))


# — invitations —


class InvitationForm(forms.Form):
    listeners = forms.BooleanField(label=_("Toehoorders"), required=False, initial=True)
    panel = forms.BooleanField(
        label=_("Panelleden (met toestemming en e-mailadres)"),
        required=False,
        initial=True,
    )
    only_new = forms.BooleanField(
        label=_("Alleen aan wie nog geen uitnodiging kreeg"),
        help_text=_("Zet dit uit om iedereen opnieuw te mailen, bijvoorbeeld na een nieuwe datum."),
        required=False,
        initial=True,
    )

    def clean(self):
        data = super().clean()
        if not (data.get("listeners") or data.get("panel")):
            raise forms.ValidationError(_("Kies toehoorders, panelleden of beide."))
        return data


# — the participants' evaluation (public, through a personal link) —


class FaceChoiceField(forms.TypedChoiceField):
    widget = forms.RadioSelect(attrs={"class": "btn-check"})

    def __init__(self, **kwargs):
        super().__init__(
            choices=Face.choices,
            coerce=int,
            empty_value=None,
            required=False,
            error_messages={"invalid_choice": _("Kies een van de vijf gezichtjes.")},
            **kwargs,
        )


class EvaluationForm(forms.Form):
    experience = FaceChoiceField(label=_("Hoe vond u het gesprek?"))
    safety = FaceChoiceField(label=_("Kon u veilig zeggen wat u wilde?"))
    enough_time = FaceChoiceField(label=_("Was er genoeg tijd?"))
    again = FaceChoiceField(label=_("Zou u nog eens meedoen?"))
    comment = forms.CharField(
        label=_("Wilt u nog iets zeggen?"),
        help_text=_("Dit mag u leeg laten."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        error_messages={
            "max_length": _(
                "Uw tekst is te lang. Gebruik niet meer dan %(limit_value)d tekens. "
                "U heeft er nu %(show_value)d."
            ),
            "null_characters_not_allowed": _(
                "In uw tekst staat een teken dat niet kan. Haal het weg en probeer het opnieuw."
            ),
        },
    )

    def face_fields(self):
        return [self[name] for name in QUESTION_FIELDS]

    def clean(self):
        data = super().clean()
        answered = any(data.get(name) is not None for name in QUESTION_FIELDS)
        if not self.errors and not answered and not data.get("comment"):
            raise forms.ValidationError(
                _("U heeft nog niets ingevuld. Kies bij een vraag een gezichtje, of schrijf iets.")
            )
        return data


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AccessLogFilterForm(forms.Form):
    """The filters of the access log page. Each id is checked against the organisations whose
    log the user reads; a value that does not fit gets a Dutch error and is ignored, while the
    other filters still apply (as on /actions/)."""

    session = forms.IntegerField(
        label=_("Gesprek"), required=False, min_value=1, max_value=MAX_PK, widget=forms.HiddenInput
    )
    member = forms.IntegerField(
        label=_("Panellid"), required=False, min_value=1, max_value=MAX_PK, widget=forms.HiddenInput
    )
    user = forms.TypedChoiceField(
        label=_("Medewerker"), required=False, coerce=int, empty_value=None
    )
    action = forms.ChoiceField(label=_("Handeling"), required=False)
    start = forms.DateField(label=_("Van"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())

    def __init__(self, data, *, sessions, users):
        super().__init__(data)
        self.sessions = sessions
        self.fields["user"].choices = [("", _("Iedereen")), *((u.pk, str(u)) for u in users)]
        self.fields["action"].choices = [("", _("Alle handelingen")), *AccessAction.choices]

    def clean_session(self):
        pk = self.cleaned_data["session"]
        if pk is None:
            return None
        session = self.sessions.filter(pk=pk).first()
        if session is None:
            raise forms.ValidationError(_("Dit gesprek hoort niet bij uw organisatie."))
        return session

    def clean_member(self):
        pk = self.cleaned_data["member"]
        if pk is None:
            return None
        member = (
            PanelMember.objects.filter(pk=pk, session__in=self.sessions)
            .select_related("session")
            .first()
        )
        if member is None:
            raise forms.ValidationError(_("Dit panellid hoort niet bij uw organisatie."))
        return member

    def _clean_day(self, name):
        value = self.cleaned_data[name]
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Kies een datum tussen %(first)s en %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return value

    def clean_start(self):
        return self._clean_day("start")

    def clean_end(self):
        return self._clean_day("end")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("De einddatum ligt vóór de begindatum."))
        return data


class TableForm(forms.ModelForm):
    """One table of a kitchen-table session: its name, host or ambassador, who sits there."""

    class Meta:
        model = SessionTable
        fields = ["name", "host", "ambassador", "panel_members", "listeners"]
        widgets = {
            "panel_members": forms.CheckboxSelectMultiple,
            "listeners": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "panel_members": SafeModelMultipleChoiceField,
            "listeners": SafeModelMultipleChoiceField,
        }

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        shared = Organisation.objects.sharing_library_with(session.organisations.all())
        self.fields["host"].queryset = User.objects.filter(
            Q(pk__in=members_with_role(Role.FACILITATOR, shared).values("pk"))
            | Q(pk__in=[u.pk for u in session.facilitators])
        ).order_by("first_name", "last_name", "pk")
        self.fields["host"].empty_label = _("— geen: de gespreksleiders leggen vast —")
        members = session.panel_members.filter(erased_at__isnull=True).order_by("number", "pk")
        self.fields["ambassador"].queryset = members
        self.fields["ambassador"].empty_label = _("— geen —")
        self.fields["panel_members"].queryset = members
        self.fields["listeners"].queryset = session.listeners.all()

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get("DELETE"):
            return cleaned
        if cleaned.get("name") and not (cleaned.get("host") or cleaned.get("ambassador")):
            raise forms.ValidationError(
                _("Kies een tafelleider of een ambassadeur voor tafel “%(name)s”.")
                % {"name": cleaned["name"]}
            )
        return cleaned

    def save(self, commit=True):
        table = super().save(commit=False)
        table.session = self.session
        if table.pk is None:
            table.position = self.session.tables.count() + 1
        if commit:
            table.save()
            self.save_m2m()
        return table


class BaseTableFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        names = [
            form.cleaned_data["name"].strip().casefold()
            for form in self.forms
            if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
        ]
        if len(names) != len(set(names)):
            raise forms.ValidationError(_("Geef elke tafel een eigen naam."))


def table_formset(session, data=None):
    TableFormSet = forms.modelformset_factory(
        SessionTable, form=TableForm, formset=BaseTableFormSet, extra=1, can_delete=True
    )
    return TableFormSet(
        data,
        queryset=session.tables.prefetch_related("panel_members", "listeners"),
        form_kwargs={"session": session},
        prefix="tables",
    )
