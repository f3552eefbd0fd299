from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Neighbourhood


class NeighbourhoodField(forms.ModelChoiceField):
    """Which neighbourhood, asked as a person is asked: a real prompt instead of Django's dashes, and what to do
    when one does not know. The form gives the queryset (the neighbourhoods of its city, or of a worker's scope)."""

    def __init__(self, label=_("Quartiere"), **kwargs):
        kwargs.setdefault("empty_label", _("Scegli il quartiere"))
        kwargs.setdefault("help_text", _("Non sai qual è? Scegli quello che ti sembra più vicino: chi ti ricontatta "
                                         "lo correggerà se serve."))
        super().__init__(queryset=Neighbourhood.objects.none(), label=label, **kwargs)
