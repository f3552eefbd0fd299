from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from trama.territory.forms import NeighbourhoodField
from trama.territory.models import Neighbourhood
from trama.text import words

from .models import RECORDED_CHANNELS, TEXT_LIMIT, TITLE_LIMIT, Channel, Contribution, Match, Need, Offer, Rate, Slot, Weekday

TOO_LONG = _("Il testo è troppo lungo: al massimo %(limit_value)d caratteri (ne hai scritti %(show_value)d).")
FEW_WORDS = _(
    "Scrivi qualche parola in più: con una parola sola non si capisce che cosa serve "
    "(per esempio «portare a casa la spesa il sabato» invece di «spesa»)."
)


def has_a_few_words(value):
    """A need in one word (or none) matches anything and nothing: ask for a few more."""
    if len(words(value)) < 2:
        raise ValidationError(FEW_WORDS, code="few_words")


def _long_text(label, limit=TEXT_LIMIT, required=True, help_text=""):
    # No maxlength attribute: a pasted long text is refused with a message, not cut silently.
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
        validators=[MaxLengthValidator(limit, message=TOO_LONG)],
    )


def _need_text(label, help_text=""):
    field = _long_text(label, help_text=help_text)
    field.validators.append(has_a_few_words)
    field.error_messages["required"] = FEW_WORDS
    return field


def _short_text(label, limit=TITLE_LIMIT, required=True):
    return forms.CharField(label=label, required=required, validators=[MaxLengthValidator(limit, message=TOO_LONG)])


class BitsField(forms.TypedMultipleChoiceField):
    """Checkboxes stored as a bit mask."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices=choices.choices, coerce=int, required=False, widget=forms.CheckboxSelectMultiple, **kwargs)

    def clean(self, value):
        return sum(set(super().clean(value)))


def _bits(mask, choices):
    return [value for value, _label in choices.choices if mask & value]


def _channel_field():
    """How what a worker writes down on someone's behalf reached her (the indicators count them apart)."""
    return forms.ChoiceField(
        label=_("Come è arrivata"),
        choices=[(c.value, c.label) for c in RECORDED_CHANNELS],
        initial=Channel.IN_PERSON,
        required=False,  # a form sent without it (an older page, a script) records nothing rather than a guess
        help_text=_("Su una cartolina o un modulo di carta, con una telefonata, o di persona."),
        error_messages={"invalid_choice": _("Scegli come è arrivata dall'elenco.")},
    )


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("Che cosa offri"), choices=Offer.Kind.choices)
    title = _short_text(_("In poche parole"))
    description = _long_text(_("Racconta meglio"), required=False)
    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Quartieri"),
        queryset=Neighbourhood.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Scegli almeno un quartiere.")},
    )
    days = BitsField(Weekday, label=_("Giorni (nessuno = qualsiasi)"))
    slots = BitsField(Slot, label=_("Fasce orarie (nessuna = qualsiasi)"))
    available_from = forms.DateField(label=_("Disponibile dal"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    available_until = forms.DateField(
        label=_("Disponibile fino al"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    capacity = forms.IntegerField(label=_("Quante volte si può abbinare"), min_value=1, max_value=1000, initial=1)

    def __init__(self, *args, city=None, organisations=None, offer=None, on_behalf=False, **kwargs):
        if offer is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": offer.kind,
                "title": offer.title,
                "description": offer.description,
                "neighbourhoods": list(offer.neighbourhoods.all()),
                "days": _bits(offer.days, Weekday),
                "slots": _bits(offer.slots, Slot),
                "available_from": offer.available_from,
                "available_until": offer.available_until,
                "capacity": offer.capacity,
            }
        super().__init__(*args, **kwargs)
        self.fields["neighbourhoods"].queryset = Neighbourhood.objects.filter(city=city).order_by("name")
        if on_behalf:
            self.fields["channel"] = _channel_field()
        if organisations:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Per conto di"),
                queryset=organisations,
                required=offer is None,
                empty_label=None,
            )
            if offer is not None:
                del self.fields["organisation"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("available_from"), cleaned.get("available_until")
        if start and end and end < start:
            self.add_error("available_until", _("La data di fine viene prima della data di inizio."))
        return cleaned


class NeedForm(forms.Form):
    """A need in the person's own words, and always the other side: what they could give."""

    text = _need_text(_("Di che cosa c'è bisogno, con le parole della persona"))
    neighbourhood = forms.ModelChoiceField(label=_("Quartiere"), queryset=Neighbourhood.objects.none())
    urgency = forms.ChoiceField(label=_("Quando serve"), choices=Need.Urgency.choices, initial=Need.Urgency.MEDIUM)
    kind = forms.ChoiceField(label=_("Che tipo di aiuto (se si sa)"), choices=[("", _("Non so"))] + Offer.Kind.choices, required=False)
    days = BitsField(Weekday, label=_("Giorni comodi (nessuno = qualsiasi)"))
    slots = BitsField(Slot, label=_("Fasce orarie comode (nessuna = qualsiasi)"))
    give_kind = forms.ChoiceField(label=_("E che cosa potrebbe offrire?"), choices=[("", _("Per ora niente"))] + Offer.Kind.choices, required=False)
    give_text = _long_text(
        _("Che cosa sa fare o potrebbe dare"),
        limit=1000,
        required=False,
        help_text=_("Ognuno può dare qualcosa: un'ora di tempo, una ricetta, una competenza."),
    )

    def __init__(self, *args, city=None, on_behalf=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(city=city).order_by("name")
        if on_behalf:
            self.fields["channel"] = _channel_field()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("give_kind") and not (cleaned.get("give_text") or "").strip():
            self.add_error("give_text", _("Racconta in due parole che cosa potrebbe offrire."))
        return cleaned


class PublicNeedForm(forms.Form):
    """'Cerco una mano': what someone looks for, with no label on them."""

    text = _need_text(_("Di che cosa avresti bisogno?"), help_text=_("Scrivilo come lo diresti a un vicino di casa."))
    neighbourhood = NeighbourhoodField(label=_("In quale quartiere?"))
    urgency = forms.ChoiceField(label=_("Quando ti servirebbe?"), choices=Need.Urgency.choices, initial=Need.Urgency.MEDIUM)
    give_text = _long_text(
        _("E tu, che cosa potresti offrire? (facoltativo)"),
        limit=1000,
        required=False,
        help_text=_("Un'ora di tempo, una ricetta, una competenza: ognuno ha qualcosa da dare."),
    )

    def __init__(self, *args, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(city=city).order_by("name")


class PublicOfferForm(forms.Form):
    """'Offro una mano'."""

    kind = forms.ChoiceField(label=_("Che cosa vorresti offrire?"), choices=Offer.Kind.choices)
    title = _short_text(_("In poche parole"))
    description = _long_text(_("Racconta meglio (facoltativo)"), required=False)
    neighbourhood = NeighbourhoodField(label=_("In quale quartiere?"))
    days = BitsField(Weekday, label=_("Giorni in cui puoi (nessuno = qualsiasi)"))
    slots = BitsField(Slot, label=_("Fasce orarie (nessuna = qualsiasi)"))

    def __init__(self, *args, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(city=city).order_by("name")


class ContactForm(forms.Form):
    """Leave a contact instead of registering: a worker of the neighbourhood will get in touch."""

    name = _short_text(_("Come ti chiami (anche solo il nome)"), limit=80)
    phone = forms.RegexField(
        label=_("Telefono"),
        regex=r"^\+?[0-9 ]{6,20}$",
        required=False,
        error_messages={"invalid": _("Scrivi il numero con sole cifre, ad esempio 333 1234567.")},
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    consent = forms.BooleanField(label=_("Acconsento a essere ricontattata/o per questa richiesta (informativa privacy)"))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if "<" in name or ">" in name:
            raise forms.ValidationError(_("Il nome non può contenere i caratteri < e >."))
        return name

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email"):
            raise forms.ValidationError(_("Lascia almeno un telefono o un'e-mail."))
        return cleaned


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Cerca"), required=False, max_length=100)
    neighbourhood = forms.ModelChoiceField(label=_("Quartiere"), queryset=Neighbourhood.objects.none(), required=False, empty_label=_("Tutti"))

    def __init__(self, *args, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(city=city).order_by("name")


class OfferSearchForm(SearchForm):
    kind = forms.ChoiceField(label=_("Tipo"), choices=[("", _("Tutti"))] + Offer.Kind.choices, required=False)
    status = forms.ChoiceField(label=_("Stato"), choices=[("", _("Tutti"))] + Offer.Status.choices, required=False)
    who = forms.ChoiceField(
        label=_("Chi offre"), required=False, choices=[("", _("Tutti")), ("organisations", _("Organizzazioni")), ("people", _("Persone"))]
    )


class NeedSearchForm(SearchForm):
    urgency = forms.ChoiceField(label=_("Quando serve"), choices=[("", _("Tutte"))] + Need.Urgency.choices, required=False)
    status = forms.ChoiceField(label=_("Stato"), choices=[("", _("Tutti"))] + Need.Status.choices, required=False)


class AnswerForm(forms.Form):
    side = forms.ChoiceField(choices=Match.Side.choices, widget=forms.HiddenInput)
    answer = forms.ChoiceField(choices=[("yes", _("Accetto")), ("no", _("Rifiuto"))])


class MatchStepForm(forms.Form):
    step = forms.ChoiceField(
        choices=[("start", _("Avvia")), ("follow_up", _("Fissa la verifica")), ("complete", _("Concludi")), ("cancel", _("Annulla"))]
    )
    follow_up_on = forms.DateField(label=_("Data di verifica"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    outcome = _long_text(_("Esito"), limit=1000, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("step") == "follow_up" and not cleaned.get("follow_up_on"):
            self.add_error("follow_up_on", _("Indica la data della verifica."))
        if cleaned.get("step") == "complete" and not (cleaned.get("outcome") or "").strip():
            self.add_error("outcome", _("Scrivi in breve com'è andata."))
        return cleaned


class FeedbackForm(forms.Form):
    side = forms.ChoiceField(choices=Match.Side.choices, widget=forms.HiddenInput)
    text = _long_text(_("Il tuo commento"), limit=500)


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo di contributo"), choices=Contribution.Kind.choices)
    quantity = forms.DecimalField(label=_("Quantità (ore, pezzi, ore di uso o euro)"), max_digits=10, decimal_places=2)
    area_sqm = forms.DecimalField(label=_("Superficie dello spazio (m²)"), max_digits=8, decimal_places=1, required=False)
    declared_value = forms.DecimalField(label=_("Valore dichiarato dei beni (€)"), max_digits=10, decimal_places=2, required=False)
    giver = forms.ChoiceField(label=_("Chi ha dato"), choices=[("need", _("Chi riceve")), ("offer", _("Chi offre"))], initial="offer")
    on = forms.DateField(label=_("Data"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    note = _short_text(_("Nota"), limit=300, required=False)


class RateForm(forms.Form):
    def __init__(self, *args, rates=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Rate.Kind.choices:
            self.fields[kind] = forms.DecimalField(
                label=label,
                min_value=0,
                max_value=10000,
                max_digits=8,
                decimal_places=2,
                initial=(rates or {}).get(kind),
            )
