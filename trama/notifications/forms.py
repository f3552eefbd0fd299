from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Delivery, EmailMode, Kind


class MarkReadForm(forms.Form):
    """Which notifications to mark as read: the ids given, or all of them when none is."""

    id = forms.CharField(required=False)

    def __init__(self, data):
        super().__init__(data)
        self.ids = data.getlist("id")

    def clean(self):
        if len(self.ids) > 100 or not all(value.isascii() and value.isdigit() and len(value) < 12 for value in self.ids):
            raise ValidationError(_("Le notifiche indicate non sono valide."))
        return {"ids": [int(value) for value in self.ids] or None}


class PreferencesForm(forms.Form):
    """For each kind of notification (the bell shows them all) an e-mail at once, in the daily digest or never;
    and the quiet hours."""

    TIME_ERROR = _("Scrivi un orario come 21:00.")
    MODE_ERROR = _("Scegli tra subito, riepilogo giornaliero e mai.")

    def __init__(self, *args, wanted, quiet, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=EmailMode.choices,
                initial=wanted[kind],
                error_messages={"invalid_choice": self.MODE_ERROR, "required": self.MODE_ERROR},
            )
        for name, label, value in (("quiet_starts", _("Niente e-mail dalle"), quiet.starts), ("quiet_ends", _("alle"), quiet.ends)):
            self.fields[name] = forms.TimeField(
                label=label,
                initial=value,
                input_formats=["%H:%M"],
                widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
                help_text=_("Nelle ore di quiete le e-mail aspettano la fine; dalle e alle uguali: nessuna ora di quiete."),
                error_messages={"invalid": self.TIME_ERROR, "required": self.TIME_ERROR},
            )

    def wanted(self):
        return {kind: self.cleaned_data[kind.value] for kind in Kind}


class DeliveryFilterForm(forms.Form):
    """The delivery log's filters; an unknown value is refused, never ignored into a wider list."""

    ERROR = _("Filtro non valido: scegli un valore dall'elenco.")

    tipo = forms.ChoiceField(
        label=_("Tipo"), choices=[("", _("tutti"))] + list(Kind.choices), required=False, error_messages={"invalid_choice": ERROR}
    )
    canale = forms.ChoiceField(
        label=_("Canale"), choices=[("", _("tutti"))] + list(Delivery.Channel.choices), required=False, error_messages={"invalid_choice": ERROR}
    )
    stato = forms.ChoiceField(
        label=_("Stato"), choices=[("", _("tutti"))] + list(Delivery.Status.choices), required=False, error_messages={"invalid_choice": ERROR}
    )
