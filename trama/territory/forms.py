from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Neighbourhood
from .queries import where_unknown_goes


class NeighbourhoodField(forms.ModelChoiceField):
    """Which neighbourhood, asked as a person is asked: "Non lo so" first (never Django's dashes), and accepted.
    Who does not know is routed to the neighbourhood whose community point takes them in (`where_unknown_goes`):
    its workers call back and correct it. The form gives the queryset (the neighbourhoods of its city)."""

    def __init__(self, label=_("Quartiere"), **kwargs):
        kwargs.setdefault("empty_label", _("Non lo so"))
        kwargs.setdefault("help_text", _("Se non lo sai, lascia «Non lo so»: ti ricontatta chi lavora al punto di "
                                         "comunità, che lo correggerà se serve."))
        super().__init__(queryset=Neighbourhood.objects.none(), label=label, required=False, **kwargs)

    def clean(self, value):
        chosen = super().clean(value)
        if chosen is None:
            chosen = where_unknown_goes(self.queryset)
            if chosen is None:
                raise ValidationError(_("Non ci sono ancora quartieri in cui ricevere richieste: riprova più tardi."),
                                      code="no_neighbourhood")
        return chosen
