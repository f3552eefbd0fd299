from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from trama.access import is_coordinator, is_partner
from trama.collective.queries import groups_visible_to
from trama.initiatives.queries import initiatives_visible_to
from trama.people.models import Organisation
from trama.territory.models import Neighbourhood
from trama.themes.models import Theme

from .models import TEXT_LIMIT, Body, Mandate, Practice

TOO_LONG = _("Il testo è troppo lungo: al massimo %(limit_value)d caratteri (ne hai scritti %(show_value)d).")
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
NO_SUCH = _("Questa scelta non c'è: scegline una dall'elenco.")


def _text(label, limit=TEXT_LIMIT, required=False, rows=4, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        validators=[MaxLengthValidator(limit, message=TOO_LONG)],
        error_messages={"required": _("Questo campo è obbligatorio.")},
    )


def named_themes(city):
    return Theme.objects.filter(city=city, status=Theme.Status.NAMED).order_by("name")


class PracticeForm(forms.ModelForm):
    title = _text(_("Titolo"), 160, required=True, rows=0)
    what_we_did = _text(
        _("Che cosa abbiamo fatto"), required=True, help_text=_("Racconta l'attività, non le persone: niente nomi, telefoni o indirizzi.")
    )
    with_whom = _text(_("Con chi"), help_text=_("Organizzazioni, ruoli, gruppi: non i nomi delle persone."))
    what_it_took = _text(_("Che cosa è servito"), help_text=_("Tempo, spazi, materiali, soldi, competenze."))
    what_worked = _text(_("Che cosa ha funzionato"))
    what_we_would_change = _text(_("Che cosa cambieremmo"))
    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Quartieri"),
        queryset=Neighbourhood.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NO_SUCH, "invalid_pk_value": NO_SUCH, "required": _("Indica almeno un quartiere.")},
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Temi"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NO_SUCH, "invalid_pk_value": NO_SUCH},
    )

    class Meta:
        model = Practice
        fields = [
            "title",
            "what_we_did",
            "with_whom",
            "what_it_took",
            "what_worked",
            "what_we_would_change",
            "neighbourhoods",
            "themes",
            "initiative",
            "group",
            "organisation",
        ]

    def __init__(self, *args, user, city, **kwargs):
        super().__init__(*args, **kwargs)
        hoods = Neighbourhood.objects.filter(city=city).order_by("name")
        if not is_coordinator(user) and not is_partner(user):
            hoods = hoods.filter(pk__in=user.neighbourhood_ids())
        self.fields["neighbourhoods"].queryset = hoods
        self.fields["themes"].queryset = named_themes(city)
        self.fields["initiative"].queryset = initiatives_visible_to(user).filter(city=city).order_by("name").distinct()
        self.fields["initiative"].label = _("Nata dall'iniziativa")
        self.fields["initiative"].empty_label = _("nessuna")
        if is_partner(user):
            del self.fields["group"]
            self.fields["organisation"].queryset = Organisation.objects.filter(members=user, city=city).order_by("name")
            self.fields["organisation"].required = True
        else:
            self.fields["group"].queryset = groups_visible_to(user).filter(city=city).order_by("name").distinct()
            self.fields["group"].label = _("Nata dal gruppo")
            self.fields["group"].empty_label = _("nessuno")
            self.fields["organisation"].queryset = Organisation.objects.filter(city=city).order_by("name")
        self.fields["organisation"].label = _("Organizzazione che la racconta")
        self.fields["organisation"].empty_label = _("nessuna") if not is_partner(user) else _("scegli la tua organizzazione")
        for name in ("initiative", "group", "organisation"):
            if name in self.fields:
                self.fields[name].error_messages["invalid_choice"] = NO_SUCH


class SearchForm(forms.Form):
    cerca = forms.CharField(
        label=_("Parole"), max_length=200, required=False, error_messages={"max_length": _("Cerca con al massimo 200 caratteri.")}
    )
    tema = forms.ModelChoiceField(
        label=_("Tema"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("tutti"),
        error_messages={"invalid_choice": _("Questo tema non c'è: scegline uno dall'elenco.")},
    )
    quartiere = forms.ModelChoiceField(
        label=_("Quartiere"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label=_("tutti"),
        error_messages={"invalid_choice": _("Questo quartiere non c'è: scegline uno dall'elenco.")},
    )

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tema"].queryset = named_themes(city)
        self.fields["quartiere"].queryset = Neighbourhood.objects.filter(city=city).order_by("name")


class StaffSearchForm(SearchForm):
    stato = forms.ChoiceField(
        label=_("Stato"),
        required=False,
        choices=[("", _("tutti")), *Practice.Status.choices],
        error_messages={"invalid_choice": _("Questo stato non c'è: scegline uno dall'elenco.")},
    )


class ReviewForm(forms.Form):
    nota = forms.CharField(
        label=_("Nota per chi ha scritto la scheda"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("La nota può avere al massimo 500 caratteri.")},
    )


class BodyForm(forms.ModelForm):
    remit = _text(_("Di che cosa si occupa"), 2000)

    class Meta:
        model = Body
        fields = ["kind", "name", "neighbourhood", "remit"]

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(city=city).order_by("name")
        self.fields["neighbourhood"].help_text = _("Solo per un tavolo di quartiere.")
        self.fields["neighbourhood"].empty_label = _("nessuno (cabina di regia)")
        self.fields["kind"].choices = [("", _("scegli il tipo")), *Body.Kind.choices]
        self.fields["neighbourhood"].error_messages["invalid_choice"] = NO_SUCH
        self.fields["kind"].error_messages["invalid_choice"] = NO_SUCH


class MandateForm(forms.ModelForm):
    class Meta:
        model = Mandate
        fields = ["role", "organisation", "represents_municipality", "member", "member_name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, city, **kwargs):
        from trama.people.models import User

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(city=city).order_by("name")
        self.fields["member"].queryset = User.objects.filter(city=city, is_active=True).order_by("username")
        self.fields["member"].help_text = _("Se la persona ha un account; altrimenti scrivi il suo nome qui sotto.")
        self.fields["member"].empty_label = _("nessun account")
        self.fields["organisation"].empty_label = _("nessuna (rappresenta il Comune)")
        for name in ("organisation", "member"):
            self.fields[name].error_messages["invalid_choice"] = NO_SUCH
        self.fields["role"].help_text = _("Per esempio: rappresentante, presidenza, segreteria.")


class BodyMeetingForm(forms.Form):
    title = forms.CharField(
        label=_("Titolo"),
        max_length=200,
        error_messages={"required": _("Dai un titolo all'incontro."), "max_length": _("Il titolo può avere al massimo 200 caratteri.")},
    )
    starts_at = forms.DateTimeField(
        label=_("Inizio"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("Indica quando inizia."), "invalid": _("Data e ora non valide.")},
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Quartiere in cui si tiene"), queryset=Neighbourhood.objects.none(), required=False, error_messages={"invalid_choice": NO_SUCH}
    )
    agenda = _text(_("Ordine del giorno"), 4000)
    is_public = forms.BooleanField(label=_("Aperto al pubblico"), required=False)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        if body.kind == Body.Kind.TABLE:
            del self.fields["neighbourhood"]
        else:
            self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(city=body.city).order_by("name")
            self.fields["neighbourhood"].empty_label = _("scegli il quartiere")
            self.fields["neighbourhood"].required = True
            self.fields["neighbourhood"].error_messages["required"] = _("Indica il quartiere in cui si tiene l'incontro.")


class DecisionLinkForm(forms.Form):
    practice = forms.ModelChoiceField(
        label=_("Scheda di pratica cambiata"), queryset=Practice.objects.none(), required=False, error_messages={"invalid_choice": NO_SUCH}
    )
    initiative = forms.ModelChoiceField(label=_("Iniziativa cambiata"), queryset=None, required=False, error_messages={"invalid_choice": NO_SUCH})
    target = forms.CharField(
        label=_("Obiettivo o indicatore toccato"), max_length=200, required=False, error_messages={"max_length": _("Al massimo 200 caratteri.")}
    )
    concerns = forms.ModelMultipleChoiceField(
        label=_("Organizzazioni interessate"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NO_SUCH, "invalid_pk_value": NO_SUCH},
    )
    responsible_organisation = forms.ModelChoiceField(
        label=_("Organizzazione responsabile"), queryset=Organisation.objects.none(), required=False, error_messages={"invalid_choice": NO_SUCH}
    )
    responsible_role = forms.CharField(
        label=_("Ruolo responsabile"),
        max_length=120,
        required=False,
        help_text=_("Un ruolo, non il nome di una persona: per esempio «referente del progetto»."),
        error_messages={"max_length": _("Al massimo 120 caratteri.")},
    )

    def __init__(self, *args, user, body, **kwargs):
        super().__init__(*args, **kwargs)
        from .rules import PRACTICES

        orgs = Organisation.objects.filter(city=body.city).order_by("name")
        self.fields["practice"].queryset = PRACTICES.visible_to(user).filter(city=body.city).order_by("title").distinct()
        self.fields["initiative"].queryset = initiatives_visible_to(user).filter(city=body.city).order_by("name").distinct()
        self.fields["concerns"].queryset = orgs
        self.fields["responsible_organisation"].queryset = orgs
        for name in ("practice", "initiative", "responsible_organisation"):
            self.fields[name].empty_label = _("nessuna")
