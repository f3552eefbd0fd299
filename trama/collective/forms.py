from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trama.market.models import Offer
from trama.people.models import Person, Role, User
from trama.people.queries import people_visible_to
from trama.territory.models import Place
from trama.territory.queries import neighbourhoods_for

from .models import TEXT_LIMIT, Decision, Group, Meeting

TOO_LONG = _("Il testo è troppo lungo: al massimo %(limit_value)d caratteri (ne hai scritti %(show_value)d).")
IMPOSSIBLE_DATE = _("Data non valida: usa il formato gg/mm/aaaa e una data che esiste.")
UNKNOWN_CHOICE = _("Scelta non valida: scegli una delle voci proposte.")
NOT_YOUR_NEIGHBOURHOOD = _("Puoi scegliere solo uno dei quartieri che ti sono assegnati.")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


def _tidy(form):
    """Italian messages for the errors hostile or careless input runs into, and length limits."""
    for field in form.fields.values():
        if "invalid_choice" in field.error_messages:
            field.error_messages["invalid_choice"] = UNKNOWN_CHOICE
        if "invalid_pk_value" in field.error_messages:
            field.error_messages["invalid_pk_value"] = UNKNOWN_CHOICE
        if isinstance(field, (forms.DateField, forms.DateTimeField)):
            field.error_messages["invalid"] = IMPOSSIBLE_DATE
        if isinstance(field, forms.CharField) and field.max_length:
            field.error_messages["max_length"] = TOO_LONG
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            field.validators.append(MaxLengthValidator(field.max_length, message=TOO_LONG))
            field.widget.attrs["maxlength"] = field.max_length


def _check_year(form, name):
    value = form.cleaned_data.get(name)
    if value and not 2000 <= value.year <= timezone.now().year + 3:
        form.add_error(name, IMPOSSIBLE_DATE)


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Perché non convocare il gruppo"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Scrivi perché la proposta non va avanti.")
        _tidy(self)


class ConveneForm(forms.Form):
    name = forms.CharField(label=_("Nome del gruppo (lo sceglierà il gruppo: per ora uno provvisorio)"), max_length=120)
    purpose = forms.CharField(label=_("Scopo"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    members = forms.ModelMultipleChoiceField(
        label=_("Persone da invitare"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(label=_("Le persone scelte hanno dato il consenso a far parte del gruppo"), required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Person.objects.filter(pk__in=[p.pk for p in people]).order_by("display_name", "pk")
        self.fields["name"].error_messages["required"] = _("Dai al gruppo un nome, anche provvisorio.")
        _tidy(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("members") and not cleaned.get("consent"):
            self.add_error("consent", _("Aggiungi le persone solo dopo aver raccolto il loro consenso."))
        return cleaned


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "purpose", "neighbourhood", "themes"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3}), "themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from trama.themes.models import Theme

        self.fields["neighbourhood"].queryset = neighbourhoods_for(user).order_by("name")
        self.fields["neighbourhood"].empty_label = None
        city = user.city if user.city_id else None
        themes = Theme.objects.filter(status__in=[Theme.Status.CANDIDATE, Theme.Status.NAMED])
        self.fields["themes"].queryset = (themes.filter(city=city) if city else themes).order_by("name", "pk")
        self.fields["themes"].required = False
        if self.instance.pk:
            # A group stays where it was born.
            del self.fields["neighbourhood"]
        _tidy(self)
        if "neighbourhood" in self.fields:
            self.fields["neighbourhood"].error_messages["invalid_choice"] = NOT_YOUR_NEIGHBOURHOOD


class GroupStatusForm(forms.Form):
    ACTIONS = [("activate", _("Attiva il gruppo")), ("close", _("Chiudi il gruppo"))]
    action = forms.ChoiceField(label=_("Che cosa fare"), choices=ACTIONS, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Nota di chiusura"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=_("Confermo"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = _("Spunta la conferma per procedere.")
        _tidy(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "close" and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Scrivi in breve perché il gruppo si chiude."))
        return cleaned


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Persona"), queryset=Person.objects.none())
    consent = forms.BooleanField(label=_("Ha dato il consenso a far parte del gruppo"), required=True)

    def __init__(self, *args, user, group, **kwargs):
        super().__init__(*args, **kwargs)
        members = group.memberships.filter(left_at__isnull=True).values("person_id")
        self.fields["person"].queryset = (
            people_visible_to(user).filter(city=group.city, anonymised_at__isnull=True).exclude(pk__in=members).order_by("display_name", "pk")
        )
        self.fields["consent"].error_messages["required"] = _("Una persona entra nel gruppo solo con il suo consenso.")
        _tidy(self)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "title", "neighbourhood", "starts_at", "ends_at", "place", "is_public", "agenda"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "is_public": _("Un incontro aperto compare nel calendario pubblico con titolo, data, luogo e ordine del giorno."),
        }

    def __init__(self, *args, user, group=None, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group or self.instance.group if self.instance.pk else group
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = DATETIME_FORMATS
        if self.group is not None:
            del self.fields["kind"], self.fields["neighbourhood"]
        else:
            self.fields["kind"].choices = [(k.value, k.label) for k in Meeting.Kind if k != Meeting.Kind.GROUP]
            if self.instance.kind == Meeting.Kind.GROUP:
                self.instance.kind = Meeting.Kind.TABLE
            self.fields["neighbourhood"].queryset = neighbourhoods_for(user).order_by("name")
            self.fields["neighbourhood"].empty_label = None
        self.fields["place"].queryset = Place.objects.filter(neighbourhood__city=city).order_by("name") if city else Place.objects.none()
        self.fields["place"].empty_label = _("— da definire —")
        _tidy(self)
        if "neighbourhood" in self.fields:
            self.fields["neighbourhood"].error_messages["invalid_choice"] = NOT_YOUR_NEIGHBOURHOOD

    def clean(self):
        cleaned = super().clean()
        _check_year(self, "starts_at")
        _check_year(self, "ends_at")
        return cleaned

    def _post_clean(self):
        # The group (and so kind and neighbourhood) is set by the view before validation.
        if self.group is not None:
            self.instance.group = self.group
            self.instance.kind = Meeting.Kind.GROUP
            self.instance.city_id = self.group.city_id
            self.instance.neighbourhood_id = self.group.neighbourhood_id
        elif self.cleaned_data.get("neighbourhood") is not None:
            self.instance.city_id = self.cleaned_data["neighbourhood"].city_id
        super()._post_clean()


class AttendanceForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Chi era presente"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attendance_count = forms.IntegerField(
        label=_("Quante persone c'erano (per gli incontri aperti)"),
        required=False,
        min_value=0,
        max_value=100000,
    )
    minutes = forms.CharField(label=_("Verbale"), required=False, max_length=TEXT_LIMIT * 4, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members
        if not members.exists():
            del self.fields["attendees"]
        _tidy(self)
        self.fields["attendance_count"].error_messages["invalid"] = _("Scrivi un numero intero.")


def owners_for(city):
    return User.objects.filter(is_active=True, role__in=[Role.WORKER, Role.COORDINATOR], city=city).order_by("first_name", "username")


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "owner", "owner_name", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners_for(city)
        self.fields["owner"].empty_label = _("— nessun account —")
        self.fields["due_date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        _tidy(self)

    def clean(self):
        cleaned = super().clean()
        _check_year(self, "due_date")
        if not cleaned.get("owner") and not (cleaned.get("owner_name") or "").strip() and not self.errors:
            self.add_error("owner_name", _("Indica chi se ne occupa."))
        return cleaned


class MarketForm(forms.Form):
    SIDES = [("need", _("Una richiesta (il gruppo cerca una mano)")), ("offer", _("Un'offerta (il gruppo dà una mano)"))]
    side = forms.ChoiceField(label=_("Che cosa aprire nel mercato"), choices=SIDES)
    person = forms.ModelChoiceField(label=_("A nome di"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("Che tipo di aiuto"), choices=[(k.value, k.label) for k in Offer.Kind])
    text = forms.CharField(label=_("Con parole semplici"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, people, decision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        if decision is not None and not self.is_bound:
            self.initial["text"] = decision.text
        _tidy(self)
