from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from trama.access import neighbourhood_scope
from trama.market.models import Contribution
from trama.people.models import Organisation, Role, User
from trama.territory.forms import NeighbourhoodField
from trama.territory.models import Neighbourhood, Place
from trama.themes.models import Theme

from .models import Agreement, AutonomyAssessment, Initiative, InterventionObject, Partner

TOO_LONG = _("Il testo è troppo lungo: al massimo %(limit_value)d caratteri (ne hai scritti %(show_value)d).")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
SCORE_CHOICES = [(0, _("0 – per niente")), (1, _("1 – poco")), (2, _("2 – abbastanza")), (3, _("3 – del tutto"))]


def _text(label, limit, required=True, rows=4, help_text=""):
    # No maxlength attribute: a pasted long text is refused with a message, not cut silently.
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        validators=[MaxLengthValidator(limit, message=TOO_LONG)],
    )


def check_pdf(upload):
    """Accept only a real PDF of at most 10 MB: the name ends in .pdf and the content starts with %PDF-."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("Il file è troppo grande: al massimo 10 MB."))
    if not upload.name.lower().endswith(".pdf"):
        raise ValidationError(_("Carica un file PDF (con estensione .pdf)."))
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("Il file non è un PDF valido: carica il documento firmato in formato PDF."))
    return upload


def staff_of(city):
    return User.objects.filter(city=city, role__in=[Role.WORKER, Role.COORDINATOR], is_active=True).order_by("username")


def themes_of(city):
    return Theme.objects.filter(city=city, status=Theme.Status.NAMED).order_by("name")


# -- catalogue of intervention objects ---------------------------------------------------------


class InterventionObjectForm(forms.ModelForm):
    description = _text(_("Descrizione"), 4000)
    purpose = _text(_("A che cosa serve"), 2000, required=False)
    wording_guidance = _text(
        _("Come parlarne"),
        2000,
        required=False,
        help_text=_("Per esempio: presenta l'attività, non le persone a cui si rivolge."),
    )

    class Meta:
        model = InterventionObject
        fields = ["name", "slug", "description", "purpose", "wording_guidance", "themes"]
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Lascia vuoto per ricavarlo dal nome.")
        self.fields["themes"].queryset = themes_of(city)

    def clean(self):
        cleaned = super().clean()
        slug = cleaned.get("slug") or slugify(cleaned.get("name") or "")[:80]
        if not slug and cleaned.get("name"):
            self.add_error("name", _("Scegli un nome con almeno una lettera o un numero."))
        others = InterventionObject.objects.filter(city=self.city, slug=slug).exclude(pk=self.instance.pk)
        if slug and others.exists():
            self.add_error("slug", _("Questo identificativo è già in uso nel catalogo."))
        cleaned["slug"] = slug
        self.instance.city = self.city
        return cleaned


# -- initiatives ------------------------------------------------------------------------------


class InitiativeForm(forms.ModelForm):
    description = _text(_("Che cosa si fa"), 4000)
    how_to_join = _text(_("Come partecipare"), 2000, required=False, rows=3)

    class Meta:
        model = Initiative
        fields = [
            "name",
            "description",
            "intervention_object",
            "neighbourhoods",
            "themes",
            "when",
            "place",
            "how_to_join",
            "contact_email",
            "is_public",
            "participant_count",
            "lead_worker",
        ]
        widgets = {"neighbourhoods": forms.CheckboxSelectMultiple, "themes": forms.CheckboxSelectMultiple}
        help_texts = {
            "is_public": _("Solo le iniziative in incubazione, accompagnate o autonome compaiono nel catalogo pubblico."),
            "how_to_join": _("Sulla pagina pubblica: niente nomi di persone, niente etichette."),
        }

    def __init__(self, *args, city, user, fixed_neighbourhoods=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        objects = InterventionObject.objects.filter(city=city)
        if self.instance.intervention_object_id:
            objects = objects.filter(active=True) | objects.filter(pk=self.instance.intervention_object_id)
        else:
            objects = objects.filter(active=True)
        self.fields["intervention_object"].queryset = objects.order_by("name")
        neighbourhoods = Neighbourhood.objects.filter(city=city).order_by("name")
        if neighbourhood_scope(user) is not None:
            neighbourhoods = neighbourhoods.filter(pk__in=neighbourhood_scope(user))
        self.fields["neighbourhoods"].queryset = neighbourhoods
        self.fields["themes"].queryset = themes_of(city)
        self.fields["place"].queryset = Place.objects.filter(neighbourhood__city=city, is_public=True).order_by("name")
        self.fields["lead_worker"].queryset = staff_of(city)
        self.fields["participant_count"].widget.attrs["max"] = 100000
        if fixed_neighbourhoods:  # from a group or a decision: the neighbourhood comes with it
            del self.fields["neighbourhoods"]

    def clean_participant_count(self):
        value = self.cleaned_data.get("participant_count")
        if value is not None and value > 100000:
            raise ValidationError(_("Il numero di partecipanti sembra troppo alto: controlla."))
        return value


class CoManagedInitiativeForm(forms.ModelForm):
    """What a partner that promotes or co-manages the initiative keeps up to date (services.CO_MANAGED_FIELDS)."""

    description = _text(_("Che cosa si fa"), 4000)
    how_to_join = _text(_("Come partecipare"), 2000, required=False, rows=3)

    class Meta:
        model = Initiative
        fields = ["description", "when", "how_to_join", "participant_count"]
        help_texts = InitiativeForm.Meta.help_texts

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant_count"].widget.attrs["max"] = 100000

    clean_participant_count = InitiativeForm.clean_participant_count


class ProposalForm(forms.Form):
    name = forms.CharField(label=_("Nome dell'iniziativa"), max_length=160)
    description = _text(_("Che cosa vorreste fare, e con chi"), 4000)
    neighbourhood = NeighbourhoodField()
    intervention_object = forms.ModelChoiceField(
        label=_("Somiglia a"),
        queryset=InterventionObject.objects.none(),
        required=False,
        empty_label=_("nessuna di queste attività"),
    )

    def __init__(self, *args, city, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(city=city).order_by("name")
        self.fields["intervention_object"].queryset = InterventionObject.objects.filter(city=city, active=True)
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Per conto di"),
                queryset=organisations,
                empty_label=None,
            )


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Nuova fase"))
    reason = forms.CharField(
        label=_("Motivo del passaggio"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Scrivi il motivo del passaggio.")},
    )
    confirm = forms.BooleanField(
        label=_("Confermo il passaggio di fase"), required=True, error_messages={"required": _("Conferma il passaggio spuntando la casella.")}
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = Initiative.NEXT[initiative.stage]
        self.fields["stage"].choices = [(value, label) for value, label in Initiative.Stage.choices if value in allowed]


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Realtà"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Ruolo"), choices=Partner.Role.choices)

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(city=city).order_by("name")


KIND_CHOICES = [("", _("Nessun tipo in particolare"))] + list(Contribution.Kind.choices)


class CommitmentForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None)
    description = forms.CharField(label=_("Impegno"), max_length=300)
    kind = forms.ChoiceField(label=_("Tipo di contributo"), choices=KIND_CHOICES, required=False)
    quantity = forms.DecimalField(label=_("Quantità promessa"), required=False, min_value=0, max_digits=10, decimal_places=2)
    due_date = forms.DateField(label=_("Entro il"), required=False, widget=DATE)

    def __init__(self, *args, initiative, fixed_partner=False, of=None, **kwargs):
        super().__init__(*args, **kwargs)
        partners = initiative.partners.select_related("organisation").order_by("organisation__name")
        # A partner (`of`) records only their own organisation's commitments.
        self.fields["partner"].queryset = partners if of is None else partners.filter(organisation__members=of)
        if fixed_partner:
            del self.fields["partner"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("quantity") is not None and not cleaned.get("kind"):
            self.add_error("kind", _("Per una quantità indica il tipo di contributo (ore, beni, spazio, euro)."))
        return cleaned


class ContributionForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(label=_("Quartiere"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Tipo di contributo"), choices=Contribution.Kind.choices)
    quantity = forms.DecimalField(label=_("Quantità (ore, pezzi, ore di uso o euro)"), min_value=0, max_digits=10, decimal_places=2)
    on = forms.DateField(label=_("Data"), widget=DATE)
    area_sqm = forms.DecimalField(label=_("Superficie (m², per uno spazio)"), required=False, max_digits=8, decimal_places=1)
    declared_value = forms.DecimalField(label=_("Valore dichiarato (€, per i beni)"), required=False, max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("Nota"), max_length=300, required=False)

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = initiative.neighbourhoods.order_by("name")


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Traguardo"), max_length=200)
    due_date = forms.DateField(label=_("Previsto per"), required=False, widget=DATE)


class AssessmentForm(forms.ModelForm):
    own_leadership = forms.TypedChoiceField(label=_("Ha una guida propria"), choices=SCORE_CHOICES, coerce=int)
    own_resources = forms.TypedChoiceField(label=_("Ha risorse proprie"), choices=SCORE_CHOICES, coerce=int)
    own_decisions = forms.TypedChoiceField(label=_("Decide da sola"), choices=SCORE_CHOICES, coerce=int)
    ties = forms.TypedChoiceField(label=_("Ha legami con altre realtà"), choices=SCORE_CHOICES, coerce=int)
    note = _text(_("Note"), 2000, required=False, rows=2)

    class Meta:
        model = AutonomyAssessment
        fields = ["assessed_on", "own_leadership", "own_resources", "own_decisions", "ties", "note"]
        widgets = {"assessed_on": DATE}


class ParticipantForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Persona"), queryset=None)
    consent = forms.BooleanField(
        label=_("La persona ha acconsentito a essere registrata come partecipante"),
        error_messages={"required": _("Serve il consenso della persona: spunta la casella dopo averlo chiesto.")},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ParticipantCountForm(forms.Form):
    participant_count = forms.IntegerField(label=_("Partecipanti (numero)"), min_value=0, max_value=100000)


class CatalogueFilterForm(forms.Form):
    quartiere = forms.ModelChoiceField(label=_("Quartiere"), queryset=None, required=False, empty_label=_("tutti"))
    attivita = forms.ModelChoiceField(label=_("Attività"), queryset=None, required=False, empty_label=_("tutte"))

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartiere"].queryset = Neighbourhood.objects.filter(city=city).order_by("name")
        self.fields["attivita"].queryset = InterventionObject.objects.filter(city=city, active=True).order_by("name")


class InitiativeFilterForm(CatalogueFilterForm):
    fase = forms.ChoiceField(label=_("Fase"), choices=[("", _("tutte"))] + list(Initiative.Stage.choices), required=False)


# -- agreements -------------------------------------------------------------------------------


class PactRegisterForm(forms.Form):
    """The public register's search: words in the title or the object, a neighbourhood, a status."""

    cerca = forms.CharField(label=_("Cerca"), max_length=200, required=False, error_messages={"max_length": TOO_LONG})
    quartiere = forms.ModelChoiceField(
        label=_("Quartiere"),
        queryset=None,
        required=False,
        empty_label=_("tutti"),
        error_messages={"invalid_choice": _("Questo quartiere non c'è: scegline uno dall'elenco.")},
    )
    stato = forms.ChoiceField(
        label=_("Stato"),
        required=False,
        choices=[("", _("tutti"))] + [c for c in Agreement.Status.choices if c[0] != Agreement.Status.DRAFT],
        error_messages={"invalid_choice": _("Questo stato non c'è: scegline uno dall'elenco.")},
    )

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartiere"].queryset = Neighbourhood.objects.filter(city=city).order_by("name")


class AgreementForm(forms.ModelForm):
    subject = _text(_("Oggetto"), 4000)
    document = forms.FileField(label=_("Documento firmato (PDF, al massimo 10 MB)"), required=False, validators=[check_pdf])

    class Meta:
        model = Agreement
        fields = ["kind", "title", "subject", "initiative", "neighbourhoods", "starts_on", "ends_on"]
        widgets = {"neighbourhoods": forms.CheckboxSelectMultiple, "starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.city = city
        self.fields["initiative"].queryset = Initiative.objects.filter(city=city).order_by("name")
        self.fields["neighbourhoods"].queryset = Neighbourhood.objects.filter(city=city).order_by("name")


class PartyForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Realtà"), queryset=None, required=False)
    name = forms.CharField(label=_("Oppure nome (se non è una realtà registrata)"), max_length=200, required=False)
    commitments = _text(_("Si impegna a"), 4000, required=False, rows=2)

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(city=city).order_by("name")

    def clean(self):
        cleaned = super().clean()
        who = cleaned.get("organisation") or (cleaned.get("name") or "").strip()
        if (who or cleaned.get("commitments")) and not (who and cleaned.get("commitments")):
            raise ValidationError(_("Per ogni parte indica chi è (una realtà o un nome) e a che cosa si impegna."))
        return cleaned


class BasePartyFormSet(forms.BaseFormSet):
    def parties(self):
        return [f.cleaned_data for f in self.forms if f.cleaned_data.get("commitments")]


PartyFormSet = forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=2, max_num=30, validate_max=True, absolute_max=30)


class RenewForm(forms.Form):
    starts_on = forms.DateField(label=_("Inizio del rinnovo"), widget=DATE)
    ends_on = forms.DateField(label=_("Fine del rinnovo"), required=False, widget=DATE)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", _("La fine non può venire prima dell'inizio."))
        return cleaned
