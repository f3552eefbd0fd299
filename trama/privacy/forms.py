from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ErasureRequest

TOO_LONG = _("Al massimo %(limit_value)d caratteri (ne hai scritti %(show_value)d).")


class ErasureRequestForm(forms.Form):
    """Asking for someone's data to be erased: optional notes, and a tick that says the consequences were read."""

    reason = forms.CharField(
        label=_("Note sulla richiesta (facoltative)"),
        required=False,
        max_length=ErasureRequest.REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
        help_text=_("Per esempio come e quando la persona lo ha chiesto. Non scrivere qui dati della persona."),
    )
    confirm = forms.BooleanField(
        label=_("Ho letto che cosa comporta: una volta confermata, la cancellazione non si può annullare."),
        error_messages={"required": _("Per registrare la richiesta spunta la conferma.")},
    )


class ErasureDecisionForm(forms.Form):
    """A coordinator's decision: confirm (ticking that it cannot be undone) or refuse (saying why)."""

    CONFIRM, REFUSE = "confirm", "refuse"

    decision = forms.ChoiceField(
        label=_("Decisione"),
        widget=forms.RadioSelect,
        choices=[(CONFIRM, _("Conferma: cancella i dati")), (REFUSE, _("Rifiuta la richiesta"))],
        error_messages={"required": _("Scegli se confermare o rifiutare."), "invalid_choice": _("Scegli se confermare o rifiutare.")},
    )
    confirm = forms.BooleanField(
        label=_("Confermo: i dati della persona saranno cancellati e il suo account disattivato, senza ritorno."),
        required=False,
    )
    refusal_reason = forms.CharField(
        label=_("Motivo del rifiuto"),
        required=False,
        max_length=ErasureRequest.REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
        help_text=_("Obbligatorio se rifiuti: per esempio un obbligo di legge di conservare i dati."),
    )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == self.CONFIRM and not cleaned.get("confirm"):
            self.add_error("confirm", _("Per cancellare i dati spunta la conferma."))
        if decision == self.REFUSE and not (cleaned.get("refusal_reason") or "").strip():
            self.add_error("refusal_reason", _("Per rifiutare la cancellazione scrivi il motivo (per esempio un obbligo di legge)."))
        return cleaned
