from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Kind


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
    """E-mail or not, for each kind of notification (the bell shows them all)."""

    def __init__(self, *args, wanted, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.BooleanField(label=kind.label, required=False, initial=wanted[kind])
