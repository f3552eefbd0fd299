from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from trama.access import is_coordinator
from trama.people.forms import InvitationForm
from trama.people.models import Consent, Organisation, Person, Role, User
from trama.people.queries import people_visible_to
from trama.people.rules import PEOPLE
from trama.territory.forms import NeighbourhoodField, refuse_markup
from trama.territory.models import Neighbourhood, Place
from trama.territory.queries import neighbourhoods_for

from .models import TEXT_LIMIT, Antenna, AntennaApplication, Encounter, OutreachTask, Signal, TrainingModule, TrainingSession

TOO_LONG = _("Il testo è troppo lungo: al massimo %(limit_value)d caratteri (ne hai scritti %(show_value)d).")
NOT_YOUR_NEIGHBOURHOOD = _("Puoi scegliere solo uno dei quartieri che ti sono assegnati.")
IMPOSSIBLE_DATE = _("Data non valida: usa il formato gg/mm/aaaa e una data che esiste.")
UNKNOWN_CHOICE = _("Scelta non valida: scegli una delle voci proposte.")


def _limit_text(form, name, limit=TEXT_LIMIT, required=None):
    field = form.fields[name]
    field.max_length = limit
    field.widget.attrs["maxlength"] = limit
    field.error_messages["max_length"] = TOO_LONG
    field.validators = [v for v in field.validators if getattr(v, "code", "") != "max_length"]
    field.validators.append(MaxLengthValidator(limit, message=TOO_LONG))
    if required is not None:
        field.required = required


def _clear_choice_errors(form):
    for field in form.fields.values():
        if "invalid_choice" in field.error_messages:
            field.error_messages["invalid_choice"] = UNKNOWN_CHOICE
        if "invalid" in field.error_messages and isinstance(field, (forms.DateField, forms.DateTimeField)):
            field.error_messages["invalid"] = IMPOSSIBLE_DATE


class SignalForm(forms.ModelForm):
    """The 30-second form: only what was noticed and how urgent it is are required."""

    # Set by the page's script (trama/static/attention/phone.js): a resend of the same signal finds the first.
    client_key = forms.UUIDField(
        required=False, widget=forms.HiddenInput, error_messages={"invalid": _("La chiave della segnalazione non è valida.")}
    )

    class Meta:
        model = Signal
        fields = ["text", "neighbourhood", "place", "urgency", "age_band", "household", "person_aware"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "text": _("Con parole tue, senza nome né indirizzo: non servono."),
            "place": _("Facoltativo: se è successo vicino a uno di questi luoghi."),
        }

    def __init__(self, *args, antenna, **kwargs):
        super().__init__(*args, **kwargs)
        self.antenna = antenna
        neighbourhoods = neighbourhoods_for(antenna).order_by("name")
        self.fields["neighbourhood"].queryset = neighbourhoods
        self.fields["neighbourhood"].error_messages["invalid_choice"] = NOT_YOUR_NEIGHBOURHOOD
        self.fields["neighbourhood"].empty_label = None
        first = neighbourhoods.first()
        if first is not None and not self.is_bound:
            self.initial.setdefault("neighbourhood", first.pk)
        self.fields["place"].queryset = Place.objects.filter(neighbourhood__in=neighbourhoods).order_by("name")
        self.fields["place"].empty_label = _("— nessun luogo in particolare —")
        self.fields["urgency"].choices = Signal.Urgency.choices
        # Left out (an API client may): the model's defaults, "medium" and "not sure".
        self.fields["urgency"].required = self.fields["person_aware"].required = False
        for name in ("age_band", "household"):
            self.fields[name].choices = [("", _("Non so / preferisco non dirlo"))] + list(self.fields[name].choices)[1:]
        _limit_text(self, "text")
        self.fields["text"].error_messages["required"] = _("Scrivi in poche parole che cosa hai notato.")
        _clear_choice_errors(self)
        self.fields["neighbourhood"].error_messages["invalid_choice"] = NOT_YOUR_NEIGHBOURHOOD

    def clean_urgency(self):
        return self.cleaned_data.get("urgency") or Signal.Urgency.MEDIUM

    def clean_person_aware(self):
        return self.cleaned_data.get("person_aware") or Signal.Aware.UNSURE

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Scrivi in poche parole che cosa hai notato."))
        return text

    def clean(self):
        cleaned = super().clean()
        place, neighbourhood = cleaned.get("place"), cleaned.get("neighbourhood")
        if place and neighbourhood and place.neighbourhood_id != neighbourhood.pk:
            self.add_error("place", _("Questo luogo non è nel quartiere scelto."))
        return cleaned


class TriageForm(forms.Form):
    OUTCOMES = [
        (Signal.Outcome.MERGED, _("È la stessa situazione di un'altra segnalazione")),
        (Signal.Outcome.PERSON, _("Riguarda una persona che conosciamo già")),
        (Signal.Outcome.NO_ACTION, _("Non serve nessuna azione")),
        (Signal.Outcome.REFERRED, _("La inviamo a un servizio")),
    ]
    outcome = forms.ChoiceField(label=_("Esito"), choices=OUTCOMES)
    merge_with = forms.ModelChoiceField(label=_("Segnalazione a cui unirla"), queryset=Signal.objects.none(), required=False)
    person = forms.ModelChoiceField(label=_("Persona già conosciuta"), queryset=Person.objects.none(), required=False)
    note = forms.CharField(
        label=_("Motivo o servizio a cui è inviata"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obbligatorio se non serve nessuna azione o se la invii a un servizio."),
    )

    def __init__(self, *args, signal, user, **kwargs):
        from .queries import merge_candidates

        super().__init__(*args, **kwargs)
        self.fields["merge_with"].queryset = merge_candidates(signal)
        self.fields["merge_with"].label_from_instance = lambda s: (
            _("n. %(pk)s del %(date)s") % {"pk": s.pk, "date": date_format(timezone.localtime(s.created_at), "SHORT_DATE_FORMAT")}
        )
        self.fields["person"].queryset = people_visible_to(user).filter(neighbourhood_id=signal.neighbourhood_id, anonymised_at__isnull=True)
        _limit_text(self, "note")
        _clear_choice_errors(self)

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == Signal.Outcome.MERGED and not cleaned.get("merge_with"):
            self.add_error("merge_with", _("Scegli la segnalazione a cui unirla."))
        if outcome == Signal.Outcome.PERSON and not cleaned.get("person"):
            self.add_error("person", _("Scegli la persona."))
        if outcome in (Signal.Outcome.NO_ACTION, Signal.Outcome.REFERRED) and not cleaned.get("note", "").strip():
            self.add_error("note", _("Scrivi il motivo, o a quale servizio la invii."))
        return cleaned


def workers_for(neighbourhood):
    return User.objects.filter(is_active=True, role=Role.WORKER, neighbourhoods=neighbourhood).order_by("first_name", "username")


class OutreachForm(forms.ModelForm):
    class Meta:
        model = OutreachTask
        fields = ["assigned_to", "method", "due_date", "plan"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, neighbourhood, user, **kwargs):
        super().__init__(*args, **kwargs)
        workers = workers_for(neighbourhood)
        if is_coordinator(user):
            workers = workers | User.objects.filter(pk=user.pk)
        self.fields["assigned_to"].queryset = workers.distinct()
        self.fields["assigned_to"].error_messages["invalid_choice"] = _("Scegli un operatore del quartiere.")
        if not self.is_bound:
            self.initial.setdefault("assigned_to", user.pk)
            self.initial.setdefault("due_date", (timezone.localdate() + timezone.timedelta(days=7)).isoformat())
        _limit_text(self, "plan")
        _clear_choice_errors(self)
        self.fields["assigned_to"].error_messages["invalid_choice"] = _("Scegli un operatore del quartiere.")

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("La scadenza non può essere nel passato."))
        if due.year > timezone.localdate().year + 2:
            raise forms.ValidationError(_("La scadenza è troppo lontana: controlla l'anno."))
        return due


class OutreachResultForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Com'è andata"),
        choices=[(s.value, s.label) for s in OutreachTask.Status if s != OutreachTask.Status.PLANNED],
    )
    result = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_text(self, "result")
        _clear_choice_errors(self)


KNOWN_CHOICES = [("", _("Non si sa")), ("yes", _("Sì")), ("no", _("No"))]
NEED_URGENCY = [("low", _("Può aspettare")), ("medium", _("Entro qualche settimana")), ("high", _("Presto"))]
OFFER_KINDS = [("time", _("Tempo")), ("skill", _("Competenze")), ("knowhow", _("Saper fare")), ("goods", _("Beni")), ("space", _("Spazi"))]


class EncounterForm(forms.ModelForm):
    """One step for the whole meeting: where and how, who (registered pseudonymously), needs and offers."""

    person = forms.ModelChoiceField(label=_("Persona già registrata"), queryset=Person.objects.none(), required=False)
    register = forms.BooleanField(label=_("Registra la persona (basta un nome o un soprannome)"), required=False)
    display_name = forms.CharField(label=_("Nome o soprannome"), max_length=80, required=False)
    channel = forms.ChoiceField(label=_("Come l'abbiamo conosciuta"), choices=Person.Channel.choices, required=False)
    known_to_services = forms.ChoiceField(label=_("Era già conosciuta dai servizi sociali?"), choices=KNOWN_CHOICES, required=False)
    consent_registration = forms.BooleanField(label=_("Ha dato il consenso a essere registrata nel programma"), required=False)
    consent_contact = forms.BooleanField(label=_("Ha dato il consenso a essere ricontattata"), required=False)
    consent_groups = forms.BooleanField(label=_("Ha dato il consenso a essere invitata a gruppi e attività"), required=False)
    need_text = forms.CharField(label=_("Di che cosa ha bisogno (con le sue parole)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    need_urgency = forms.ChoiceField(label=_("Per quando"), choices=NEED_URGENCY, initial="medium", required=False)
    offer_text = forms.CharField(label=_("Che cosa potrebbe offrire"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    offer_kind = forms.ChoiceField(label=_("Che tipo di offerta"), choices=OFFER_KINDS, initial="time", required=False)

    class Meta:
        model = Encounter
        fields = ["neighbourhood", "setting", "happened_at", "notes"]
        widgets = {
            "happened_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, signal=None, outreach=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.signal, self.outreach = user, signal, outreach
        self.fields["neighbourhood"].queryset = neighbourhoods_for(user).order_by("name")
        self.fields["neighbourhood"].error_messages["invalid_choice"] = NOT_YOUR_NEIGHBOURHOOD
        self.fields["person"].queryset = people_visible_to(user).filter(anonymised_at__isnull=True).order_by("display_name")
        self.fields["happened_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        from .services import registration_channel

        if not self.is_bound:
            self.initial.setdefault("happened_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
            self.initial["channel"] = registration_channel(signal, outreach)
            source = signal or (outreach.signal if outreach else None)
            if source is not None:
                self.initial["neighbourhood"] = source.neighbourhood_id
                self.initial["person"] = source.person_id
            elif outreach is not None:
                self.initial["neighbourhood"] = outreach.neighbourhood_id
        _limit_text(self, "notes", 8000)
        _limit_text(self, "need_text")
        _limit_text(self, "offer_text")
        self.fields["display_name"].error_messages["max_length"] = TOO_LONG
        _clear_choice_errors(self)
        self.fields["neighbourhood"].error_messages["invalid_choice"] = NOT_YOUR_NEIGHBOURHOOD

    def clean_happened_at(self):
        when = self.cleaned_data["happened_at"]
        if when > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("L'incontro non può essere nel futuro."))
        if when.year < 2000:
            raise forms.ValidationError(IMPOSSIBLE_DATE)
        return when

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if "<" in name or ">" in name:
            raise forms.ValidationError(_("Il nome non può contenere i caratteri < e >."))
        return name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("register"):
            if cleaned.get("person"):
                self.add_error("register", _("Hai già scelto una persona registrata: togli una delle due."))
            if not cleaned.get("display_name"):
                self.add_error("display_name", _("Scrivi un nome o un soprannome: il cognome non serve."))
            if not cleaned.get("consent_registration"):
                self.add_error("consent_registration", _("Senza il suo consenso la persona non viene registrata."))
            if not cleaned.get("channel"):
                self.add_error("channel", _("Indica come l'abbiamo conosciuta."))
        person = cleaned.get("person")
        if person and not PEOPLE.allows(self.user, person):
            self.add_error("person", UNKNOWN_CHOICE)
        return cleaned

    def new_person(self):
        if not self.cleaned_data.get("register"):
            return None
        consents = [Consent.Purpose.REGISTRATION]
        if self.cleaned_data.get("consent_contact"):
            consents.append(Consent.Purpose.CONTACT)
        if self.cleaned_data.get("consent_groups"):
            consents.append(Consent.Purpose.GROUPS)
        known = {"yes": True, "no": False}.get(self.cleaned_data.get("known_to_services"))
        return {
            "display_name": self.cleaned_data["display_name"],
            "channel": self.cleaned_data["channel"],
            "known_to_services": known,
            "consents": consents,
        }

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "neighbourhood": data["neighbourhood"],
            "setting": data["setting"],
            "happened_at": data["happened_at"],
            "notes": data.get("notes", ""),
            "signal": self.signal,
            "outreach": self.outreach,
            "person": data.get("person"),
            "new_person": self.new_person(),
            "need_text": data.get("need_text", ""),
            "need_urgency": data.get("need_urgency") or "medium",
            "offer_text": data.get("offer_text", ""),
            "offer_kind": data.get("offer_kind") or "time",
        }


class AntennaOnboardingForm(InvitationForm):
    """A worker or coordinator brings in an antenna: the account, its neighbourhoods and its profile."""

    kind = forms.ChoiceField(label=_("Che tipo di antenna"), choices=Antenna.Kind.choices)
    organisation = forms.ModelChoiceField(label=_("Organizzazione (facoltativa)"), queryset=Organisation.objects.none(), required=False)
    email_updates = forms.BooleanField(label=_("Vuole ricevere per e-mail gli aggiornamenti sulle sue segnalazioni"), required=False)

    class Meta(InvitationForm.Meta):
        fields = ["first_name", "last_name", "email", "neighbourhoods"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, city=user.city, **kwargs)
        self.fields["neighbourhoods"].queryset = neighbourhoods_for(user).order_by("name")
        self.fields["neighbourhoods"].error_messages["invalid_choice"] = NOT_YOUR_NEIGHBOURHOOD
        self.fields["neighbourhoods"].help_text = _("I quartieri in cui l'antenna potrà inviare segnalazioni.")
        self.fields["organisation"].queryset = Organisation.objects.filter(city=user.city) if user.city_id else Organisation.objects.all()
        _clear_choice_errors(self)
        self.fields["neighbourhoods"].error_messages["invalid_choice"] = NOT_YOUR_NEIGHBOURHOOD

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("neighbourhoods") and "neighbourhoods" not in self.errors:
            self.add_error("neighbourhoods", _("Scegli almeno un quartiere."))
        return cleaned

    def save(self, commit=True):
        self.instance.role = Role.ANTENNA
        return super().save(commit=commit)


class TrainingModuleForm(forms.ModelForm):
    class Meta:
        model = TrainingModule
        fields = ["title", "content", "duration_minutes"]
        widgets = {"content": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.city = city
        _limit_text(self, "content", 20000)
        self.fields["duration_minutes"].min_value = 1
        self.fields["duration_minutes"].widget.attrs.update(min=1, max=2400)

    def clean_duration_minutes(self):
        minutes = self.cleaned_data["duration_minutes"]
        if not 1 <= minutes <= 2400:
            raise forms.ValidationError(_("Indica una durata tra 1 e 2400 minuti."))
        return minutes

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if TrainingModule.objects.filter(city=self.instance.city, title__iexact=title).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Esiste già un modulo con questo titolo."))
        return title


class TrainingSessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["starts_at", "place", "location", "capacity"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        self.fields["place"].queryset = Place.objects.filter(neighbourhood__city=city).order_by("name") if city else Place.objects.all()
        _clear_choice_errors(self)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("location", "").strip() and not self.errors:
            self.add_error("location", _("Indica un luogo, o scrivi dove si tiene."))
        starts = cleaned.get("starts_at")
        if starts and not 2000 <= starts.year <= timezone.now().year + 3:
            self.add_error("starts_at", IMPOSSIBLE_DATE)
        return cleaned


class EnrolmentForm(forms.Form):
    """An antenna's own enrolment for a session: put her name down, or take it back."""

    ENROL, CANCEL = "iscrivi", "annulla"
    azione = forms.ChoiceField(
        label=_("Che cosa vuoi fare"),
        choices=[(ENROL, _("Mi iscrivo")), (CANCEL, _("Annullo l'iscrizione"))],
        error_messages={
            "required": _("Scegli se iscriverti o annullare l'iscrizione."),
            "invalid_choice": _("Scegli se iscriverti o annullare l'iscrizione."),
        },
    )


class AttendanceForm(forms.Form):
    antennas = forms.ModelMultipleChoiceField(
        label=_("Chi era presente"), queryset=Antenna.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, antennas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["antennas"].queryset = antennas
        self.fields["antennas"].label_from_instance = lambda a: f"{a.account} · {a.get_kind_display()}"
        _clear_choice_errors(self)


class TrapInput(forms.TextInput):
    """A text box people never see (out of sight, out of the tab order), which form-filling robots fill."""

    is_hidden = True

    def __init__(self):
        # The design system's class and a name of its own, like every control, though nobody sees it.
        super().__init__(
            attrs={
                "class": "form-control visually-hidden",
                "tabindex": "-1",
                "autocomplete": "off",
                "aria-hidden": "true",
                "aria-label": _("Lascia vuoto questo campo"),
            }
        )


class AntennaApplicationForm(forms.ModelForm):
    """ "Diventa antenna": who, where, how to reach her (at least one way), and her consent to be contacted.

    `website` is a trap left empty by people (it is hidden) and filled by the robots that fill every field."""

    neighbourhood = NeighbourhoodField(label=_("In quale quartiere vivi o lavori?"))
    consent = forms.BooleanField(
        label=_("Acconsento a essere ricontattata/o da chi lavora nel quartiere per questa candidatura (informativa privacy)"),
        error_messages={"required": _("Per poterti ricontattare ci serve il tuo consenso.")},
    )
    website = forms.CharField(label=_("Lascia vuoto questo campo"), required=False, widget=TrapInput)

    class Meta:
        model = AntennaApplication
        fields = ["name", "kind", "neighbourhood", "address", "email", "phone"]
        labels = {
            "name": _("Come ti chiami"),
            "kind": _("Chi sei"),
            "address": _("Indirizzo del negozio o del luogo dove lavori (facoltativo)"),
            "email": _("E-mail"),
            "phone": _("Telefono"),
        }
        help_texts = {"email": _("Lascia almeno un'e-mail o un telefono: ti ricontatta chi lavora nel quartiere.")}

    def __init__(self, *args, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.filter(city=city).order_by("name")
        self.fields["kind"].choices = [("", _("Scegli"))] + list(Antenna.Kind.choices)
        self.fields["name"].error_messages["required"] = _("Scrivi come ti chiami.")
        self.fields["kind"].error_messages["required"] = _("Scegli che tipo di antenna saresti.")
        self.fields["email"].error_messages["invalid"] = _("Scrivi un indirizzo e-mail valido, ad esempio nome@esempio.it.")
        self.fields["phone"] = forms.RegexField(
            label=_("Telefono"),
            regex=r"^\+?[0-9 ]{6,20}$",
            required=False,
            max_length=20,
            error_messages={"invalid": _("Scrivi il numero con sole cifre, ad esempio 333 1234567."), "max_length": TOO_LONG},
        )
        for name in ("name", "address"):
            self.fields[name].error_messages["max_length"] = TOO_LONG
            self.fields[name].validators.append(refuse_markup)
        _clear_choice_errors(self)

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors and "phone" not in self.errors:
            self.add_error("email", _("Lascia almeno un'e-mail o un telefono."))
        return cleaned

    @property
    def is_robot(self):
        return bool(self.cleaned_data.get("website"))

    def service_arguments(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DeclineApplicationForm(forms.Form):
    reason = forms.CharField(
        label=_("Perché non è accolta"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Resta per chi leggerà la candidatura e non viene inviato. Se ha lasciato un'e-mail, le scriviamo un messaggio gentile."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_text(self, "reason")
        self.fields["reason"].error_messages["required"] = _("Scrivi il motivo: resta per chi leggerà la candidatura.")


def onboarding_from_application(application):
    """What the onboarding form starts from when a worker accepts an application (she can correct it)."""
    first, _space, last = application.name.partition(" ")
    return {
        "first_name": first,
        "last_name": last,
        "email": application.email,
        "neighbourhoods": [application.neighbourhood_id],
        "kind": application.kind,
    }


class LessonAnswerForm(forms.Form):
    """The answer to a lesson's question (a lesson without one has nothing to choose)."""

    answer = forms.TypedChoiceField(label="", coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, lesson, **kwargs):
        super().__init__(*args, **kwargs)
        self.lesson = lesson
        if lesson.question is None:
            del self.fields["answer"]
        else:
            self.fields["answer"].label = lesson.question.text
            self.fields["answer"].choices = [(i, a.text) for i, a in enumerate(lesson.question.answers)]
            self.fields["answer"].error_messages["required"] = _("Scegli una risposta.")
            _clear_choice_errors(self)

    @property
    def chosen(self):
        """The answer chosen (None for a lesson without a question)."""
        if self.lesson.question is None:
            return None
        return self.lesson.question.answers[self.cleaned_data["answer"]]


class RecordedSignalForm(SignalForm):
    """A worker's quick entry of a paper card, a phone call or a word in person: the antenna's form, in the worker's
    neighbourhoods, with how it came."""

    channel = forms.TypedChoiceField(
        label=_("Come è arrivata"),
        choices=[(c.value, c.label) for c in Signal.RECORDED_CHANNELS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Scegli come è arrivata: cartolina, telefono o di persona."), "invalid_choice": UNKNOWN_CHOICE},
    )

    class Meta(SignalForm.Meta):
        fields = ["channel", *SignalForm.Meta.fields]
        help_texts = {**SignalForm.Meta.help_texts, "text": _("Le parole di chi ha scritto o chiamato, senza nome né indirizzo.")}

    def __init__(self, *args, worker, **kwargs):
        super().__init__(*args, antenna=worker, **kwargs)
        self.fields["channel"].error_messages["invalid_choice"] = UNKNOWN_CHOICE
