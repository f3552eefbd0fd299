from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LIVE, Theme, TraditionalCategory
from .services import MAX_REQUESTED_THEMES

CONFIRM_ERRORS = {"required": _("Conferma spuntando la casella.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RunForm(forms.Form):
    since = forms.DateField(label=_("Dal"), required=False, widget=DateInput(), help_text=_("Senza data: gli ultimi sei mesi."))
    until = forms.DateField(label=_("Al"), required=False, widget=DateInput())
    requested_themes = forms.IntegerField(
        label=_("Numero di temi"),
        required=False,
        min_value=2,
        max_value=MAX_REQUESTED_THEMES,
        help_text=_("Lascia vuoto per farlo scegliere al motore."),
    )
    seed = forms.IntegerField(
        label=_("Seme"), required=False, min_value=0, max_value=2**31 - 1, initial=1, help_text=_("Stessi testi e stesso seme danno gli stessi temi.")
    )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        today = timezone.localdate()
        if until and until > today:
            self.add_error("until", _("La data di fine non può essere nel futuro."))
        if since and until and since > until:
            self.add_error("until", _("La data di fine viene prima di quella di inizio."))
        if data.get("seed") is None:
            data["seed"] = 1
        return data


class NameForm(forms.Form):
    name = forms.CharField(label=_("Nome del tema"), max_length=120, help_text=_("Con le vostre parole: come ne parlate nel quartiere."))
    description = forms.CharField(label=_("Descrizione"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(
        label=_("Tema da unire a questo"), queryset=Theme.objects.none(), error_messages={"invalid_choice": _("Scegli un tema dell'elenco.")}
    )
    confirm = forms.BooleanField(
        label=_("Confermo: i testi dell'altro tema passano a questo e l'altro tema viene chiuso."), error_messages=CONFIRM_ERRORS
    )

    def __init__(self, *args, theme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = Theme.objects.filter(city_id=theme.city_id, status__in=LIVE).exclude(pk=theme.pk)


class SplitForm(forms.Form):
    confirm = forms.BooleanField(label=_("Confermo: il tema viene separato in due temi proposti e poi archiviato."), error_messages=CONFIRM_ERRORS)


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("Perché (facoltativo)"), required=False, max_length=500)
    confirm = forms.BooleanField(
        label=_("Confermo: il tema viene archiviato e le prossime ricerche non lo riproporranno."), error_messages=CONFIRM_ERRORS
    )


class CategoriesForm(forms.Form):
    categories = forms.ModelMultipleChoiceField(
        label=_("Categorie tradizionali che il tema tocca"),
        queryset=TraditionalCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Scegli categorie dell'elenco.")},
    )
    outside = forms.BooleanField(label=_("Il tema è fuori dalle categorie tradizionali"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("outside") and data.get("categories"):
            raise forms.ValidationError(_("Scegli delle categorie oppure segna il tema come fuori da tutte, non entrambe le cose."))
        return data


class TagForm(forms.Form):
    theme = forms.ModelChoiceField(
        label=_("Aggiungi un tema"), queryset=Theme.objects.none(), error_messages={"invalid_choice": _("Scegli un tema dell'elenco.")}
    )

    def __init__(self, *args, city_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(city_id=city_id, status__in=LIVE)
