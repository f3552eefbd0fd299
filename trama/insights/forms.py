from decimal import Decimal

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trama.territory.models import Neighbourhood

from . import indicators, targets
from .models import Target
from .periods import FIRST_YEAR

TOO_LONG = _("Il testo è troppo lungo: al massimo %(limit_value)d caratteri (ne hai scritti %(show_value)d).")


def _text(label, limit, required=True, rows=4, help_text=""):
    # No maxlength attribute: a pasted long text is refused with a message, not cut silently.
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        validators=[MaxLengthValidator(limit, message=TOO_LONG)],
    )


def indicator_choices():
    return [(f"{goal} · {label}", [(item.key, str(item.name)) for item in items]) for goal, label, items in indicators.by_goal()]


def _kept(number):
    return None if number is None else Decimal(number).quantize(Decimal("0.0001"))


class TargetForm(forms.Form):
    """A target of an indicator for a year, in a neighbourhood or the whole city, with its baseline (optional)."""

    indicator = forms.ChoiceField(label=_("Indicatore"))
    neighbourhood = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label=_("Tutta la città"),
        error_messages={"invalid_choice": _("Scegli un quartiere della città dall'elenco.")},
    )
    year = forms.IntegerField(label=_("Anno dell'obiettivo"))
    target = forms.DecimalField(
        label=_("Obiettivo"),
        max_digits=14,
        decimal_places=4,
        localize=True,
        help_text=_("Nell'unità dell'indicatore; le percentuali da 0 a 100."),
    )
    baseline = forms.DecimalField(
        label=_("Punto di partenza"),
        max_digits=14,
        decimal_places=4,
        required=False,
        localize=True,
        help_text=_("Lascialo vuoto per usare il primo anno con dati sulla piattaforma."),
    )
    baseline_source = _text(
        _("Fonte del punto di partenza"),
        300,
        required=False,
        rows=0,
        help_text=_("Da dove viene il valore (un'indagine, il registro dell'anno prima...): obbligatoria se scrivi un punto di partenza."),
    )

    def __init__(self, *args, city, instance=None, **kwargs):
        self.city, self.instance = city, instance
        if instance is not None and "initial" not in kwargs:
            item = indicators.REGISTRY.get(instance.indicator)
            kwargs["initial"] = {
                "indicator": instance.indicator,
                "neighbourhood": instance.neighbourhood_id,
                "year": instance.year,
                "target": targets.entered(item, instance.target).normalize() if item else instance.target,
                "baseline": targets.entered(item, instance.baseline).normalize() if item and instance.baseline is not None else None,
                "baseline_source": instance.baseline_source,
            }
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices()
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(city=city).order_by("name")
        this_year = timezone.localdate().year
        self.fields["year"].min_value = FIRST_YEAR
        self.fields["year"].max_value = this_year + 10
        year = self.fields["year"]
        year.validators = []
        year.widget.attrs.update({"min": FIRST_YEAR, "max": this_year + 10})
        if instance is None:
            year.initial = this_year

    def clean_year(self):
        year = self.cleaned_data["year"]
        last = timezone.localdate().year + 10
        if not FIRST_YEAR <= year <= last:
            raise forms.ValidationError(_("Scegli un anno tra il %(first)s e il %(last)s.") % {"first": FIRST_YEAR, "last": last})
        return year

    def clean(self):
        data = super().clean()
        item = indicators.REGISTRY.get(data.get("indicator") or "")
        if item is None:
            return data
        for field, label in (("target", _("L'obiettivo")), ("baseline", _("Il punto di partenza"))):
            number = data.get(field)
            if number is not None:
                message = targets.check(item, number, label)
                if message:
                    self.add_error(field, message)
        if data.get("baseline") is not None and not (data.get("baseline_source") or "").strip():
            self.add_error("baseline_source", _("Scrivi da dove viene il punto di partenza."))
        if "year" in data and "neighbourhood" in data:
            same = Target.objects.filter(city=self.city, indicator=item.key, year=data["year"], neighbourhood=data["neighbourhood"])
            if self.instance is not None:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error(None, _("Per questo indicatore, quest'area e quest'anno c'è già un obiettivo: modifica quello."))
        return data

    def save(self, by):
        data = self.cleaned_data
        item = indicators.REGISTRY[data["indicator"]]
        target = self.instance or Target(city=self.city)
        target.indicator, target.neighbourhood, target.year = item.key, data["neighbourhood"], data["year"]
        target.target = _kept(targets.stored(item, data["target"]))
        target.baseline = _kept(targets.stored(item, data["baseline"]))
        target.baseline_source = (data.get("baseline_source") or "").strip() if data["baseline"] is not None else ""
        target.set_by = by
        target.save()
        return target


class StoryForm(forms.Form):
    """A story of change, pseudonymised, with the person's consent."""

    neighbourhood = forms.ModelChoiceField(
        label=_("Quartiere"),
        queryset=Neighbourhood.objects.none(),
        error_messages={"invalid_choice": _("Scegli un quartiere dall'elenco."), "required": _("Scegli il quartiere della storia.")},
    )
    title = _text(_("Titolo"), 120, rows=0, help_text=_("Poche parole, senza nomi: «Dal pane e latte al pranzo insieme»."))
    what_changed = _text(_("Che cosa è cambiato"), 2000, help_text=_("Com'era prima, che cosa è successo, com'è adesso."))
    for_whom = _text(
        _("Per chi"),
        200,
        rows=0,
        help_text=_("Senza nome né dettagli che la facciano riconoscere: «una signora che vive sola», «un gruppo di genitori»."),
    )
    why_it_matters = _text(_("Perché è importante"), 2000, help_text=_("Perché, secondo chi racconta, è il cambiamento più significativo."))
    goals = forms.MultipleChoiceField(label=_("Obiettivi del programma"), required=False, widget=forms.CheckboxSelectMultiple)
    themes = forms.ModelMultipleChoiceField(label=_("Temi"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    initiatives = forms.ModelMultipleChoiceField(label=_("Iniziative"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    person = forms.ModelChoiceField(
        label=_("Persona a cui si riferisce (facoltativo, non viene mostrata)"),
        queryset=None,
        required=False,
        empty_label=_("Nessuna scheda collegata"),
        help_text=_("Collegarla serve a cancellare la storia se la persona chiede la cancellazione dei suoi dati."),
        error_messages={"invalid_choice": _("Scegli una persona dall'elenco.")},
    )
    consent_form = forms.ChoiceField(
        label=_("Come ha dato il consenso"),
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": _("Di' come la persona ha dato il consenso.")},
    )
    consent = forms.BooleanField(
        label=_("La persona ha acconsentito che la storia sia raccolta e letta dal tavolo di quartiere e nel rapporto, senza il suo nome."),
        error_messages={"required": _("Senza il consenso della persona la storia non può essere registrata.")},
    )

    TEXTS = ("title", "what_changed", "for_whom", "why_it_matters")

    def __init__(self, *args, user, city, neighbourhoods, themes, initiatives, people=None, **kwargs):
        from .indicators import GOALS
        from .models import Story

        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods
        self.fields["goals"].choices = [(key, f"{key} · {label}") for key, label in GOALS.items()]
        self.fields["themes"].queryset = themes
        self.fields["initiatives"].queryset = initiatives
        self.fields["consent_form"].choices = Story.ConsentForm.choices
        if people is None:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = people

    def clean(self):
        from . import stories

        data = super().clean()
        names = stories.names_of(data.get("person"))
        for field in self.TEXTS:
            found = stories.personal_details(data.get(field) or "", names)
            if found:
                self.add_error(
                    field,
                    _("Togli i dati che fanno riconoscere la persona: qui c'è %(what)s. La storia resta anonima.") % {"what": ", ".join(found)},
                )
        person, neighbourhood = data.get("person"), data.get("neighbourhood")
        if person is not None and neighbourhood is not None and person.neighbourhood_id != neighbourhood.pk:
            self.add_error("person", _("La persona collegata deve essere del quartiere della storia."))
        return data


class ReviewForm(forms.Form):
    """A participatory review: when the table met, which figures it discussed, its comments, the stories it chose."""

    neighbourhood = forms.ModelChoiceField(
        label=_("Tavolo di quartiere"),
        queryset=Neighbourhood.objects.none(),
        error_messages={"invalid_choice": _("Scegli un quartiere dall'elenco."), "required": _("Scegli il quartiere del tavolo.")},
    )
    title = _text(_("Titolo dell'incontro"), 200, rows=0)
    starts_at = forms.DateTimeField(
        label=_("Data e ora"),
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": _("Scrivi data e ora come 2026-03-15 18:00."), "required": _("Scrivi quando si è riunito il tavolo.")},
    )
    period = forms.ChoiceField(label=_("Periodo dei numeri discussi"))
    comments = _text(
        _("Commenti del tavolo sui numeri"),
        4000,
        required=False,
        rows=5,
        help_text=_("Che cosa dicono i numeri secondo il tavolo, che cosa manca, che cosa sorprende. Senza nomi di persone."),
    )
    stories = forms.ModelMultipleChoiceField(
        label=_("Storie più significative scelte dal tavolo"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Scegli le storie dall'elenco.")},
    )

    def __init__(self, *args, neighbourhoods, stories, **kwargs):
        from . import periods

        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods
        self.fields["stories"].queryset = stories
        self.fields["stories"].label_from_instance = lambda s: f"{s.title} ({s.neighbourhood.name})"
        self.fields["period"].choices = [(str(label), [(p.param, p.label) for p in items]) for label, items in periods.choices()]
        self.fields["period"].initial = periods.default().param
        self.fields["title"].initial = _("Revisione partecipata")

    def clean(self):
        data = super().clean()
        hood = data.get("neighbourhood")
        if hood is not None and any(s.neighbourhood_id != hood.pk for s in data.get("stories") or []):
            self.add_error("stories", _("Scegli solo storie del quartiere del tavolo."))
        for field in ("comments", "title"):
            from . import stories

            found = stories.personal_details(data.get(field) or "")
            if found:
                self.add_error(field, _("Togli i dati che fanno riconoscere una persona: qui c'è %(what)s.") % {"what": ", ".join(found)})
        return data
