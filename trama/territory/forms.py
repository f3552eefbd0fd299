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
