from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Delivery, EmailMode, Kind
from .sms import NUMBER_ERROR, normalise_number


class _RawCheckboxInput(forms.CheckboxInput):
    # Django's checkbox reads any value but "false" and "0" as ticked: hand the value sent to the field instead.
    def value_from_datadict(self, data, files, name):
        return data.get(name)


class StrictCheckbox(forms.BooleanField):
    """A checkbox that is ticked ("on") or not sent: any other value is refused, not read as ticked."""

    widget = _RawCheckboxInput
    ERROR = _("Valore non valido per una casella: spunta la casella o lasciala vuota.")

    def to_python(self, value):
        if value in (None, "", False):
            return False
        if value in ("on", True):
            return True
        raise ValidationError(self.ERROR, code="invalid")


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
    """For each kind of notification (the bell shows them all) an e-mail at once, in the daily digest or never,
    and an SMS or not; the mobile number for SMS; and the quiet hours."""

    TIME_ERROR = _("Scrivi un orario come 21:00.")
    MODE_ERROR = _("Scegli tra subito, riepilogo giornaliero e mai.")
    NO_NUMBER = _("Per ricevere SMS scrivi il numero del tuo cellulare, oppure togli la spunta dagli SMS.")

    def __init__(self, *args, wanted, sms_kinds, number, quiet, push_kinds=None, **kwargs):
        """`push_kinds`: the kinds wanted as a push, or None when push is not offered (no field for it)."""
        super().__init__(*args, **kwargs)
        self.push_offered = push_kinds is not None
        self.fields["sms_number"] = forms.CharField(
            label=_("Cellulare per gli SMS"),
            required=False,
            max_length=30,
            initial=number,
            help_text=_("Facoltativo. Serve solo per gli SMS di Trama; lascialo vuoto per non riceverne."),
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
            error_messages={"max_length": NUMBER_ERROR},
        )
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=_("E-mail"),
                choices=EmailMode.choices,
                initial=wanted[kind],
                error_messages={"invalid_choice": self.MODE_ERROR, "required": self.MODE_ERROR},
            )
            self.fields[f"sms_{kind.value}"] = StrictCheckbox(label=_("anche per SMS"), required=False, initial=kind in sms_kinds)
            if self.push_offered:
                self.fields[f"push_{kind.value}"] = StrictCheckbox(
                    label=_("anche come avviso sul telefono"), required=False, initial=kind in push_kinds
                )
        for name, label, value in (("quiet_starts", _("Niente e-mail, SMS né avvisi dalle"), quiet.starts), ("quiet_ends", _("alle"), quiet.ends)):
            self.fields[name] = forms.TimeField(
                label=label,
                initial=value,
                input_formats=["%H:%M"],
                widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
                help_text=_("Nelle ore di quiete e-mail, SMS e avvisi sul telefono aspettano la fine; dalle e alle uguali: nessuna ora di quiete."),
                error_messages={"invalid": self.TIME_ERROR, "required": self.TIME_ERROR},
            )

    def clean_sms_number(self):
        value = self.cleaned_data["sms_number"].strip()
        return normalise_number(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sms_number") == "" and self.sms_kinds():
            self.add_error("sms_number", self.NO_NUMBER)
        return cleaned

    def wanted(self):
        return {kind: self.cleaned_data[kind.value] for kind in Kind}

    def sms_kinds(self):
        return {kind for kind in Kind if self.cleaned_data.get(f"sms_{kind.value}")}

    def push_kinds(self):
        return {kind for kind in Kind if self.cleaned_data.get(f"push_{kind.value}")}

    def kinds(self):
        """Per kind: its name, and the fields of its e-mail, its SMS and its push (None when not offered), for the page's fieldsets."""
        return [(kind.label, self[kind.value], self[f"sms_{kind.value}"], self[f"push_{kind.value}"] if self.push_offered else None) for kind in Kind]


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
