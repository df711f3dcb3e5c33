from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participants import branding
from participants.constants import (
    MAX_RETENTION_DAYS,
    MIN_RETENTION_DAYS,
    ListenerFunction,
    OrganisationKind,
    Role,
)
from participants.models import (
    Listener,
    Membership,
    Organisation,
    OrganisationLogo,
    PanelMember,
    PanelMemberContact,
    User,
)
from participants.services.organisations import validate_new_password


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PanelMemberForm(forms.ModelForm):
    """Recruitment and consent; rendered together with ContactForm in one <form>."""

    class Meta:
        model = PanelMember
        fields = [
            "recruited_by",
            "status",
            "consent_date",
            "consent_letter_version",
            "consent_participation",
            "consent_quotes",
            "consent_feedback",
            "language",
            "online",
        ]
        widgets = {"consent_date": DateInput()}

    def __init__(self, *args, organisations=(), hybrid=False, **kwargs):
        """`organisations`: the session's, when the viewer may know who recruited whom;
        `hybrid`: the session meets in a room and online, so each member chooses."""
        super().__init__(*args, **kwargs)
        # A form that does not send the language (an older page, a script) keeps the
        # member's language, Dutch for a new one; a value that is not ours is refused.
        self.fields["language"].required = False
        recruitment = ["status", "language"]
        if hybrid:
            recruitment.append("online")
        else:
            del self.fields["online"]
        # Which of the session's organisations recruited the member: asked only when there
        # are several (a werkplaats); else, and by default, the session's first.
        recruiting = self.fields["recruited_by"]
        recruiting.queryset = recruiting.queryset.filter(pk__in=[o.pk for o in organisations])
        recruiting.empty_label = None
        recruiting.required = bool(organisations)
        if len(organisations) > 1:
            recruiting.label = _("Geworven door")
            if self.instance.recruited_by_id is None:
                self.initial.setdefault("recruited_by", organisations[0].pk)
            recruitment.insert(0, "recruited_by")
        else:
            del self.fields["recruited_by"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Werving"), *recruitment),
            Fieldset(
                _("Toestemming"),
                "consent_date",
                "consent_letter_version",
                "consent_participation",
                "consent_quotes",
                "consent_feedback",
            ),
        )

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language or settings.LANGUAGE_CODE

    def clean(self):
        cleaned = super().clean()
        scopes = [
            cleaned.get("consent_participation"),
            cleaned.get("consent_quotes"),
            cleaned.get("consent_feedback"),
        ]
        if any(scopes) and not cleaned.get("consent_date"):
            self.add_error("consent_date", _("Vul de datum van de toestemming in."))
        if (cleaned.get("consent_quotes") or cleaned.get("consent_feedback")) and not cleaned.get(
            "consent_participation"
        ):
            self.add_error(
                "consent_participation",
                _("Citaten en de terugkoppelingsbrief vragen eerst toestemming voor deelname."),
            )
        return cleaned


class ContactForm(forms.ModelForm):
    class Meta:
        model = PanelMemberContact
        fields = [
            "name",
            "email",
            "phone",
            "needs_transport",
            "needs_interpreter",
            "brings_companion",
            "access_notes",
            "compensation",
        ]
        widgets = {"access_notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Persoonlijke gegevens (alleen zichtbaar voor gespreksleider en coördinator)"),
                "name",
                "email",
                "phone",
            ),
            Fieldset(
                _("Toegankelijkheid en vergoeding"),
                "needs_transport",
                "needs_interpreter",
                "brings_companion",
                "access_notes",
                "compensation",
            ),
        )


class ListenerForm(forms.ModelForm):
    """A member of the organisation (pick the user) or a guest (type the name)."""

    class Meta:
        model = Listener
        fields = ["user", "name", "email", "function", "organisation_name", "briefed", "online"]
        labels = {"user": _("Collega met een account")}
        help_texts = {"name": _("Leeg laten bij een collega met een account.")}

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        # Set before validation so the one-listener-per-user constraint can be checked.
        self.instance.session = session
        facilitators = [pk for pk in (session.facilitator_id, session.co_facilitator_id) if pk]
        self.fields["user"].queryset = (
            User.objects.filter(
                Q(
                    pk__in=Membership.objects.filter(
                        organisation__in=session.organisations.all()
                    ).values("user")
                )
            )
            .exclude(pk__in=facilitators)
            .order_by("first_name", "last_name")
        )
        if not session.is_hybrid:
            del self.fields["online"]  # everyone meets the same way
        self.fields["user"].required = False
        self.fields["name"].required = False
        self.fields["function"].widget.attrs["list"] = "function-suggestions"
        self.function_suggestions = ListenerFunction.values
        self.warnings = []  # shown after saving; see _match_guest
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        self.warnings = []
        linked = False
        if not cleaned.get("user"):
            if not self._match_guest(cleaned):
                return cleaned
            linked = cleaned.get("user") is not None
        user = cleaned.get("user")
        # The form has no `session` field, so Django skips the one-listener-per-user
        # constraint; check it here so a duplicate is an error message, not a 500.
        already = Listener.objects.filter(session=self.session, user=user).exclude(
            pk=self.instance.pk
        )
        if user and already.exists():
            self.add_error(
                "email" if linked else "user", _("Deze gebruiker is al toehoorder bij dit gesprek.")
            )
        if user:
            cleaned["name"] = cleaned.get("name") or user.get_full_name() or user.username
            cleaned["email"] = cleaned.get("email") or user.email
            if not cleaned.get("organisation_name"):
                membership = (
                    user.memberships.filter(organisation__in=self.session.organisations.all())
                    .select_related("organisation")
                    .first()
                )
                cleaned["organisation_name"] = membership.organisation.name if membership else ""
        elif not cleaned.get("name"):
            self.add_error("name", _("Kies een collega of vul de naam van de gast in."))
        return cleaned

    def _match_guest(self, cleaned) -> bool:
        """A guest is matched to the accounts by e-mail address (case-insensitive): the
        facilitators' address is refused (they cannot listen in on their own meeting, and a
        guest entry would hide that from the independence check); another account's address
        links the guest to that account. A guest with a facilitator's name is a warning only:
        two people may share a name. False when the form has an error."""
        facilitators = self.session.facilitators
        email = (cleaned.get("email") or "").strip()
        if email:
            if any(u.email and u.email.casefold() == email.casefold() for u in facilitators):
                self.add_error(
                    "email",
                    _(
                        "Dit e-mailadres hoort bij de gespreksleider van dit gesprek. Een "
                        "gespreksleider kan niet ook toehoorder zijn."
                    ),
                )
                return False
            accounts = list(User.objects.filter(email__iexact=email, is_active=True)[:2])
            if len(accounts) == 1:
                cleaned["user"] = accounts[0]
                return True
        name = " ".join((cleaned.get("name") or "").split()).casefold()
        if name and any(
            " ".join(u.get_full_name().split()).casefold() == name for u in facilitators
        ):
            self.warnings.append(
                _(
                    "%(name)s heeft dezelfde naam als een gespreksleider van dit gesprek. "
                    "Controleer of het niet dezelfde persoon is: een gespreksleider kan niet "
                    "ook toehoorder zijn."
                )
                % {"name": cleaned.get("name")}
            )
        return True


# — organisations run themselves (issue 10) —


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)
    first_name = forms.CharField(label=_("Voornaam"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices, initial=Role.PROFESSIONAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class RolesForm(forms.Form):
    """The roles one member holds; none ends the membership (the remove button says so)."""

    roles = forms.MultipleChoiceField(
        label=_("Rollen"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )


class RetentionForm(forms.ModelForm):
    """The retention period and the public contact details of an organisation."""

    class Meta:
        model = Organisation
        fields = ["retention_days", "contact_email", "contact_phone", "privacy_contact"]
        help_texts = {
            "retention_days": _(
                "Namen en contactgegevens van cliënten worden zoveel dagen na het afsluiten van "
                "een gesprek gewist. Kies de termijn die uw organisatie in haar privacybeleid "
                "heeft vastgelegd: lang genoeg om de terugkoppelingsbrief te versturen "
                "(minstens %(min)s dagen), niet langer dan nodig (hoogstens %(max)s dagen). "
                "Pseudoniemen, bevindingen en verbeteracties blijven bewaard."
            )
            % {"min": MIN_RETENTION_DAYS, "max": MAX_RETENTION_DAYS}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retention_days"].widget.attrs.update(
            min=MIN_RETENTION_DAYS, max=MAX_RETENTION_DAYS
        )
        self.helper = FormHelper()
        self.helper.form_tag = False


class LookForm(forms.ModelForm):
    """An organisation's own colours and logo, checked when saved (participants/branding.py)."""

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG of SVG, hoogstens 200 kB en 2000 pixels breed en hoog."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/svg+xml"}),
    )
    remove_logo = forms.BooleanField(label=_("Logo verwijderen"), required=False)

    class Meta:
        model = Organisation
        fields = ["brand_color", "link_color", "form_border_color"]
        help_texts = {
            "brand_color": _(
                "Van de menubalk en de hoofdknop, met witte tekst erop: contrast minstens 4,5:1 "
                "met wit. Bijvoorbeeld #1d4e6e. Leeg: de standaardkleur."
            ),
            "link_color": _("Van links op wit: contrast minstens 4,5:1. Leeg: de standaardkleur."),
            "form_border_color": _(
                "De rand van invulvelden op wit: contrast minstens 3:1. Leeg: de standaardkleur."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].widget.attrs.update(placeholder="#1d4e6e", size=8)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def _colour(self, name, minimum, what):
        value = self.cleaned_data.get(name, "").strip()
        return value and branding.check_colour(value, minimum=minimum, what=what)

    def clean_brand_color(self):
        return self._colour("brand_color", branding.TEXT_CONTRAST, _("De hoofdkleur"))

    def clean_link_color(self):
        return self._colour("link_color", branding.TEXT_CONTRAST, _("De kleur van links"))

    def clean_form_border_color(self):
        return self._colour(
            "form_border_color", branding.BORDER_CONTRAST, _("De randkleur van invulvelden")
        )

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        return upload and branding.check_logo(upload)

    def save(self, commit=True):
        organisation = super().save(commit=commit)
        if commit:
            logo = self.cleaned_data.get("logo")
            if self.cleaned_data.get("remove_logo"):
                OrganisationLogo.objects.filter(organisation=organisation).delete()
            elif logo:
                data, content_type = logo
                OrganisationLogo.objects.update_or_create(
                    organisation=organisation,
                    defaults={"data": data, "content_type": content_type},
                )
        return organisation


class OrganisationCreateForm(forms.ModelForm):
    """A new organisation or network, with the e-mail address of its first beheerder."""

    first_admin_email = forms.EmailField(
        label=_("E-mailadres van de eerste beheerder"), max_length=254
    )
    first_admin_first_name = forms.CharField(
        label=_("Voornaam van de beheerder"), max_length=150, required=False
    )
    first_admin_last_name = forms.CharField(
        label=_("Achternaam van de beheerder"), max_length=150, required=False
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "network", "retention_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Organisation.objects.filter(kind=OrganisationKind.NETWORK)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == OrganisationKind.NETWORK and cleaned.get("network"):
            self.add_error("network", _("Een netwerk hoort zelf niet bij een ander netwerk."))
        return cleaned


class ActivationForm(forms.Form):
    """The invitee's name and password, checked with Django's password validators."""

    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Wachtwoord (nogmaals)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif first:
            try:
                validate_new_password(
                    first,
                    invitation=self.invitation,
                    first_name=cleaned.get("first_name", ""),
                    last_name=cleaned.get("last_name", ""),
                )
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned
