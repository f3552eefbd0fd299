from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Neighbourhood, Place
from .queries import neighbourhood_at, where_unknown_goes


def refuse_markup(value):
    """Names are plain text: markup in a name is an attack, never a name."""
    if "<" in value or ">" in value:
        raise forms.ValidationError(_("Il nome non può contenere i caratteri < e >."), code="markup")


class NeighbourhoodField(forms.ModelChoiceField):
    """Which neighbourhood, asked as a person is asked: "Non lo so" first (never Django's dashes), and accepted.
    Who does not know is routed to the neighbourhood whose community point takes them in (`where_unknown_goes`):
    its workers call back and correct it. The form gives the queryset (the neighbourhoods of its city)."""

    def __init__(self, label=_("Quartiere"), **kwargs):
        kwargs.setdefault("empty_label", _("Non lo so"))
        kwargs.setdefault(
            "help_text", _("Se non lo sai, lascia «Non lo so»: ti ricontatta chi lavora al punto di comunità, che lo correggerà se serve.")
        )
        super().__init__(queryset=Neighbourhood.objects.none(), label=label, required=False, **kwargs)

    def clean(self, value):
        chosen = super().clean(value)
        if chosen is None:
            chosen = where_unknown_goes(self.queryset)
            if chosen is None:
                raise ValidationError(_("Non ci sono ancora quartieri in cui ricevere richieste: riprova più tardi."), code="no_neighbourhood")
        return chosen


class PlaceForm(forms.ModelForm):
    """A community asset: where it is by a pin (or typed coordinates, without JavaScript) and, worked out from the
    pin, its neighbourhood, which the person can correct by choosing another."""

    class Meta:
        model = Place
        fields = [
            "name",
            "kind",
            "address",
            "phone",
            "lat",
            "lon",
            "neighbourhood",
            "location_is_approximate",
            "opening_hours",
            "accessibility",
            "description",
            "managing_organisation",
            "is_public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "accessibility": forms.Textarea(attrs={"rows": 2}),
            "lat": forms.NumberInput(attrs={"step": "any"}),
            "lon": forms.NumberInput(attrs={"step": "any"}),
        }

    def __init__(self, *args, city, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        self.allowed = neighbourhoods
        self.found = None
        field = self.fields["neighbourhood"]
        field.queryset = Neighbourhood.objects.filter(city=city).order_by("name")
        field.required = False
        field.empty_label = _("Dal punto sulla mappa")
        field.help_text = _("Lascialo «dal punto sulla mappa» e Trama lo trova dal punto; sceglilo per correggerlo.")
        self.fields["name"].validators.append(refuse_markup)
        self.fields["lat"].help_text = _("Tra -90 e 90; per esempio 44.8015. Clicca sulla mappa per metterla da sola.")
        self.fields["lon"].help_text = _("Tra -180 e 180; per esempio 10.3279.")
        organisations = self.fields["managing_organisation"]
        organisations.queryset = Place._meta.get_field("managing_organisation").related_model.objects.filter(city=city)
        organisations.empty_label = _("Nessuna organizzazione")
        place = self.instance
        if place.pk and place.lat is not None and neighbourhood_at(city, place.lat, place.lon) == place.neighbourhood:
            # Found from the pin, not corrected: moving the pin finds it again.
            self.initial["neighbourhood"] = None

    def clean(self):
        cleaned = super().clean()
        lat, lon, chosen = cleaned.get("lat"), cleaned.get("lon"), cleaned.get("neighbourhood")
        if self.errors:
            return cleaned
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("Servono sia la latitudine sia la longitudine, o nessuna delle due."), code="half_pin")
        if lat is not None:
            self.found = neighbourhood_at(self.city, lat, lon)
        neighbourhood = chosen or self.found
        if neighbourhood is None:
            if lat is None:
                self.add_error("neighbourhood", _("Metti il punto sulla mappa (o scrivi le coordinate) oppure scegli il quartiere."))
            else:
                self.add_error(
                    "neighbourhood", _("Il punto è fuori da tutti i quartieri della città: controlla le coordinate oppure scegli il quartiere.")
                )
            return cleaned
        if neighbourhood.pk not in self.allowed:
            self.add_error("neighbourhood", _("Puoi registrare luoghi solo nei quartieri in cui lavori."))
            return cleaned
        cleaned["neighbourhood"] = self.instance.neighbourhood = neighbourhood
        return cleaned


class NeighbourhoodSettingsForm(forms.ModelForm):
    """What a coordinator keeps of a neighbourhood from the city's settings: its name, code, residents and
    whether it is in the pilot. Taking it out of the pilot changes every comparison of the indicators,
    so it asks for a confirmation. The boundary comes from a GeoJSON file, not from this form."""

    confirm = forms.BooleanField(
        label=_("Confermo: il quartiere esce dalla sperimentazione"),
        required=False,
        help_text=_("Gli indicatori non lo confronteranno più con gli altri quartieri in sperimentazione."),
    )

    class Meta:
        model = Neighbourhood
        fields = ["name", "code", "population", "is_pilot"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.was_pilot = self.instance.is_pilot
        self.fields["name"].validators.append(refuse_markup)
        self.fields["code"].validators.append(refuse_markup)
        self.fields["code"].help_text = _("Il codice ISTAT dell'area sub-comunale, se c'è.")
        self.fields["population"].help_text = _("I residenti all'ultimo dato demografico: servono per i tassi ogni 1.000 abitanti.")
        if not self.was_pilot:
            del self.fields["confirm"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Scrivi il nome del quartiere."), code="required")
        taken = Neighbourhood.objects.filter(city_id=self.instance.city_id, name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("Un altro quartiere della città si chiama già così."), code="taken")
        return name

    def clean(self):
        cleaned = super().clean()
        if self.was_pilot and cleaned.get("is_pilot") is False and not cleaned.get("confirm"):
            self.add_error("confirm", _("Per togliere il quartiere dalla sperimentazione, conferma."))
        return cleaned


class ThresholdForm(forms.Form):
    """The city's small-count threshold: raised freely, never under the floor; lowering it shows more, so it asks for a confirmation."""

    threshold = forms.IntegerField(
        label=_("Soglia dei conteggi piccoli"),
        help_text=_("I conteggi da 1 fino a questo numero meno uno sono nascosti nei dati mostrati fuori dai quartieri di chi lavora."),
    )
    confirm = forms.BooleanField(label=_("Confermo: abbasso la soglia e più conteggi saranno mostrati"), required=False)

    def __init__(self, *args, current, floor, ceiling, **kwargs):
        super().__init__(*args, **kwargs)
        self.current, self.floor, self.ceiling = current, floor, ceiling
        self.fields["threshold"].initial = current
        self.fields["threshold"].widget.attrs.update(min=floor, max=ceiling)

    def clean_threshold(self):
        value = self.cleaned_data["threshold"]
        if value < self.floor:
            raise ValidationError(_("La soglia non può scendere sotto %(floor)s."), params={"floor": self.floor}, code="floor")
        if value > self.ceiling:
            raise ValidationError(_("La soglia non può superare %(ceiling)s."), params={"ceiling": self.ceiling}, code="ceiling")
        return value

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("threshold")
        if value is not None and value < self.current and not cleaned.get("confirm"):
            self.add_error("confirm", _("Abbassare la soglia mostra conteggi che oggi sono nascosti: conferma per procedere."))
        return cleaned


class PlaceSearchForm(forms.Form):
    """The staff's list of places: words in the name or address, a neighbourhood, a kind."""

    q = forms.CharField(label=_("Cerca per nome o indirizzo"), required=False, max_length=100)
    neighbourhood = forms.ModelChoiceField(
        label=_("Quartiere"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label=_("Tutti i quartieri"),
        error_messages={"invalid_choice": _("Scegli un quartiere dell'elenco.")},
    )
    kind = forms.ChoiceField(
        label=_("Tipo"),
        required=False,
        choices=[("", _("Tutti i tipi"))] + Place.Kind.choices,
        error_messages={"invalid_choice": _("Scegli un tipo dell'elenco.")},
    )

    def __init__(self, *args, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(city=city).order_by("name")
