from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from stdnum.it import codicefiscale, iva

from trama.territory.forms import refuse_markup
from trama.territory.models import Neighbourhood, Place

from .models import SCOPED_ROLES, Membership, Organisation, Role, Service, User, validate_tax_code, validate_vat_number
from .second_factor import RECOVERY_CODE, TOTP_CODE, normalise

# Longer passwords are refused before hashing: a clear message, no wasted CPU.
PASSWORD_MAX_LENGTH = 256
TOO_LONG = _("La password può avere al massimo %(limit_value)d caratteri (ne hai inseriti %(show_value)d).")


def _plain_names(form):
    for name in ("first_name", "last_name"):
        if name in form.fields:
            form.fields[name].validators.append(refuse_markup)


def _limit_password(field):
    field.max_length = PASSWORD_MAX_LENGTH
    field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH, message=TOO_LONG))
    field.widget.attrs["maxlength"] = PASSWORD_MAX_LENGTH


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Nome per accedere o e-mail"), max_length=254, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )

    error_messages = {
        "invalid_login": _("Nome per accedere o password non corretti. Controlla e riprova."),
        "inactive": _("Questo account è disattivato."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_password(self.fields["password"])

    def clean_username(self):
        value = self.cleaned_data["username"].strip()
        if "@" in value:
            match = User.objects.filter(email__iexact=value).only("username").first()
            if match:
                return match.username
        return value


class TramaPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("old_password", "new_password1", "new_password2"):
            _limit_password(self.fields[name])


class TramaSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("new_password1", "new_password2"):
            _limit_password(self.fields[name])


class RegistrationForm(forms.ModelForm):
    """Self-registration: always a citizen, never another role."""

    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(label=_("Ripeti la password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    privacy = forms.BooleanField(label=_("Ho letto l'informativa privacy"), required=True)

    class Meta:
        model = User
        fields = ["first_name", "email", "username"]
        labels = {"first_name": _("Nome (anche solo quello con cui vuoi farti chiamare)"), "username": _("Nome per accedere")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        # The name becomes the person's chosen name at the first need or offer, which holds 80 characters.
        self.fields["first_name"].max_length = 80
        self.fields["first_name"].validators.append(MaxLengthValidator(80))
        self.fields["first_name"].widget.attrs["maxlength"] = 80
        _plain_names(self)
        for name in ("password1", "password2"):
            if name in self.fields:  # registering after SPID or CIE chooses no password
                _limit_password(self.fields[name])

    def clean_username(self):
        # Sign-in treats anything with "@" as an e-mail, and "Marta" and "marta"
        # must not be two people.
        username = self.cleaned_data["username"]
        if "@" in username:
            raise forms.ValidationError(_("Il nome per accedere non può contenere @: per accedere puoi già usare la tua e-mail."))
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Questo nome per accedere è già in uso: scegline un altro."))
        return username

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Esiste già un account con questa e-mail. Se l'hai dimenticata, recupera la password."))
        return email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Le due password non coincidono."))
        if p1 and not self.errors.get("password1"):
            candidate = User(username=cleaned.get("username", ""), email=cleaned.get("email", ""), first_name=cleaned.get("first_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.role = Role.CITIZEN
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


class DigitalIdentityRegistrationForm(RegistrationForm):
    """Registration after a first sign-in with SPID or CIE: the same questions and consent, no password to choose
    (she signs in with her digital identity). The names and e-mail the provider gave are only suggested."""

    password1 = None
    password2 = None

    def save(self, commit=True):
        user = forms.ModelForm.save(self, commit=False)
        user.role = Role.CITIZEN
        return user


class InvitationForm(forms.ModelForm):
    """A coordinator invites someone: the account gets a role and, if scoped, neighbourhoods."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "role", "neighbourhoods"]
        widgets = {"neighbourhoods": forms.CheckboxSelectMultiple}

    def __init__(self, *args, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        self.fields["first_name"].required = True
        _plain_names(self)
        self.fields["neighbourhoods"].queryset = Neighbourhood.objects.filter(city=city) if city else Neighbourhood.objects.all()
        self.fields["neighbourhoods"].help_text = _("Obbligatori per operatori e antenne: vedranno i dati personali solo in questi quartieri.")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Esiste già un account con questa e-mail."))
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") in SCOPED_ROLES and not cleaned.get("neighbourhoods"):
            self.add_error("neighbourhoods", _("Scegli almeno un quartiere per questo ruolo."))
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = _unique_username(self.cleaned_data["email"])
        user.city = self.city
        user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


def _unique_username(email):
    base = email.split("@")[0][:140] or "persona"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


class AccountSearchForm(forms.Form):
    q = forms.CharField(label=_("Cerca per nome, nome per accedere o e-mail"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Ruolo"), required=False, choices=[("", _("Tutti i ruoli"))] + Role.choices)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nome del token"),
        max_length=100,
        validators=[refuse_markup],
        help_text=_("Per riconoscerlo: per esempio il programma o lo script che lo userà."),
    )


class AppCodeForm(forms.Form):
    """The 6-digit code an authenticator app shows."""

    code = forms.CharField(
        label=_("Codice di verifica"),
        help_text=_("Le 6 cifre che l'app di autenticazione mostra in questo momento."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}),
    )

    def clean_code(self):
        code = normalise(self.cleaned_data["code"])
        if not TOTP_CODE.fullmatch(code):
            raise forms.ValidationError(_("Il codice dell'app è fatto di 6 cifre: controlla e riprova."), code="malformed")
        return code


class RecoveryCodeForm(forms.Form):
    """One of the recovery codes given at enrolment, for when the phone is not at hand."""

    recovery_code = forms.CharField(
        label=_("Codice di recupero"),
        help_text=_("Uno dei codici di recupero che hai conservato, per esempio abcd-efgh. Ogni codice vale una volta sola."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false", "size": 12}),
    )

    def clean_recovery_code(self):
        code = normalise(self.cleaned_data["recovery_code"])
        if not RECOVERY_CODE.fullmatch(code):
            raise forms.ValidationError(_("Un codice di recupero ha 8 caratteri, lettere e cifre da 2 a 7, come abcd-efgh."), code="malformed")
        return code


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Cerca per nome o codice fiscale"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("Settore"), required=False, choices=[("", _("Tutti i settori"))] + Organisation.Sector.choices)


class OrganisationForm(forms.ModelForm):
    """An organisation's profile. Staff also say where it works; a referent keeps the rest of her own."""

    website = forms.URLField(label=_("Sito web"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "sector",
            "legal_form",
            "tax_code",
            "vat_number",
            "description",
            "neighbourhoods",
            "address",
            "phone",
            "email",
            "website",
            "public_page_agreed",
        ]
        widgets = {"neighbourhoods": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"tax_code": _("11 cifre per un ente, 16 caratteri per una ditta individuale. Facoltativo.")}

    def __init__(self, *args, city, with_neighbourhoods=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = self.instance.city = city
        self.duplicate = None
        self.fields["name"].validators.append(refuse_markup)
        self.fields["legal_form"].choices = [("", _("Scegli la forma giuridica"))] + Organisation.LegalForm.choices
        if with_neighbourhoods:
            self.fields["neighbourhoods"].queryset = Neighbourhood.objects.filter(city=city)
        else:
            del self.fields["neighbourhoods"]

    def clean_tax_code(self):
        value = codicefiscale.compact(self.cleaned_data["tax_code"] or "")
        if value:
            validate_tax_code(value)
            same = Organisation.objects.filter(city=self.city, tax_code=value).exclude(pk=self.instance.pk).first()
            if same is not None:
                # The page links the one already there: the same organisation entered twice is merged, not kept.
                self.duplicate = same
                raise forms.ValidationError(
                    _("Un'organizzazione con questo codice fiscale è già registrata: «%(name)s»."), code="duplicate", params={"name": same.name}
                )
        return value

    def clean_vat_number(self):
        value = iva.compact(self.cleaned_data["vat_number"] or "")
        if value:
            validate_vat_number(value)
        return value

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Organisation.objects.filter(city=self.city, name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Esiste già un'organizzazione con questo nome in città."), code="duplicate_name")
        return name


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = ["name", "description", "opening_hours", "place"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].validators.append(refuse_markup)
        self.fields["place"].queryset = Place.objects.filter(neighbourhood__city=city, is_public=True)
        self.fields["place"].empty_label = _("Nessun luogo in particolare")


class MembershipForm(forms.Form):
    """Link an existing partner account: named by its access name or e-mail, as the coordinator knows it."""

    account = forms.CharField(label=_("Nome per accedere o e-mail dell'account partner"), max_length=254)
    role = forms.ChoiceField(label=_("Ruolo nell'organizzazione"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city

    def clean_account(self):
        value = self.cleaned_data["account"].strip()
        accounts = User.objects.filter(role=Role.PARTNER, is_active=True)
        if self.city is not None:
            accounts = accounts.filter(city=self.city)
        found = accounts.filter(email__iexact=value).first() or accounts.filter(username=value).first()
        if found is None:
            raise forms.ValidationError(
                _(
                    "Nessun account partner attivo della città si chiama così. Se la persona non ha ancora un account, "
                    "invitala prima con il ruolo Partner."
                ),
                code="unknown",
            )
        return found


class ColleagueInvitationForm(forms.ModelForm):
    """Invite someone new into an organisation: a partner account of the organisation's city, linked to it.

    Its referent invites colleagues as members only; the staff who keep the organisation may make the
    invited person its referent (`with_role`)."""

    role = forms.ChoiceField(label=_("Ruolo nell'organizzazione"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, organisation, with_role, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["first_name"].required = True
        self.fields["email"].required = True
        self.fields["email"].help_text = _("Le arriva il link per scegliere la password: vale tre giorni.")
        _plain_names(self)
        if not with_role:
            del self.fields["role"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            # Not "this person has an account": who invites learns nothing about other people's accounts.
            raise forms.ValidationError(
                _("Questa e-mail non si può invitare da qui. Se la persona usa già Trama, chiedi al coordinamento di collegarla."),
                code="taken",
            )
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = _unique_username(self.cleaned_data["email"])
        user.role = Role.PARTNER
        user.city = self.organisation.city
        user.set_unusable_password()
        if commit:
            user.save()
        return user

    @property
    def membership_role(self):
        return self.cleaned_data.get("role") or Membership.Role.MEMBER


class MergeForm(forms.Form):
    """Which organisation is the duplicate of the one kept (the page's own)."""

    duplicate = forms.ModelChoiceField(
        label=_("Il doppione da unire in questa"), queryset=Organisation.objects.none(), empty_label=_("Scegli l'organizzazione doppia")
    )

    def __init__(self, *args, keep, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = Organisation.objects.filter(city=keep.city_id).exclude(pk=keep.pk)
