from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Import


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Che cosa contiene il file"), choices=Import.Kind.choices)
    file = forms.FileField(
        label=_("File CSV o XLSX (JSON o ZIP per un elenco HSDS)"),
        help_text=_("Al massimo 5 MB e 50.000 righe; la prima riga ha i nomi delle colonne."),
    )
