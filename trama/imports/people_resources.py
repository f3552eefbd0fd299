"""The lists about people: people themselves, their offers and needs, and antennas (issue 14, step 3).

The same design as resources.py (one Resource per kind, scope by neighbourhood, external ids, a log of
changes to undo), with what people's records add:

- a person is recorded pseudonymously (a chosen name and her neighbourhood), with the consent she signed on
  paper: its date is a required column (`consenso_raccolto_il`), kept as «raccolto su carta il <data>»;
  identifying details (nome_anagrafico, cognome, telefono, email) only with `consenso_dati_anagrafici` = sì;
- offers and needs name their person by the external id she was imported with (`id_persona`), and say how
  they reached the programme (`canale`: on paper unless the list says by phone or in person);
- antennas come in as applications waiting for a worker of their neighbourhood, as those of the public page
  «Diventa antenna» do: accepting one invites her account as any antenna's, with the training first.

The preview and the log never show or keep a person's name: a row is named by its external id and its
neighbourhood.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from trama.attention.models import Antenna, AntennaApplication
from trama.attention.services import delete_imported_application, save_imported_application
from trama.market.models import RECORDED_CHANNELS, Channel, Need, Offer
from trama.market.services import delete_imported, save_imported_need, save_imported_offer
from trama.people.models import Consent, Person
from trama.people.services import create_imported_people, delete_imported_person, save_imported_person

from .files import SPLIT, parse_date
from .models import ExternalId, Import
from .resources import COLUMN_OF, RESOURCES, Choice, ListResource, Text, column

# The kinds whose files and rows are about people: their file is dropped once imported.
PERSONAL_KINDS = frozenset({Import.Kind.PEOPLE, Import.Kind.OFFERS, Import.Kind.NEEDS, Import.Kind.ANTENNAS})


class Consented(Text):
    """A consent column: only an explicit yes is a consent (an empty cell is not)."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value).lower()
        if text in ("sì", "si", "s", "yes", "true", "1", "vero", "x"):
            return True
        if text in ("", "no", "n", "false", "0", "falso"):
            return False
        raise ValueError(_("Scrivi sì o no."))


class Whole(Text):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value)
        if not text:
            return None
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise ValueError(_("«%(value)s» non è un numero intero.") % {"value": text[:40]}) from None
        if number != int(number):
            raise ValueError(_("«%(value)s» non è un numero intero.") % {"value": text[:40]})
        return int(number)


def consent_date(value) -> Any:
    """The date the paper consent was signed: required, not in the future; ValueError says what is wrong."""
    on = parse_date(value)
    if on is None:
        raise ValueError(_("Manca la data in cui la persona ha firmato il consenso su carta: senza consenso non si registra nessuno."))
    if on > timezone.localdate():
        raise ValueError(_("La data del consenso (%(date)s) è nel futuro.") % {"date": on.strftime("%d/%m/%Y")})
    return on


def _fields_errors(instance, errors: dict[str, Any], exclude) -> dict[str, Any]:
    """The model's own field checks, without its clean() (which may query): the resource checks the rest."""
    try:
        instance.clean_fields(exclude={*errors, *exclude})
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    return errors


class PersonalResource(ListResource):
    """A row is named by its external id and neighbourhood, never by a person's name."""

    class Meta(ListResource.Meta):
        pass

    def label(self, row) -> str:
        where = Text().clean(row.get("quartiere")) or Text().clean(row.get("id_persona"))
        return " · ".join(part for part in (Text().clean(row.get("id_esterno"))[:60], where[:60]) if part)


PERSON_FIELDS = ("display_name", "neighbourhood_id", "first_name", "last_name", "phone", "email", "first_contact_channel")


class PersonResource(PersonalResource):
    """Columns: id_esterno, nome (a chosen name or nickname), quartiere, consenso_raccolto_il; optionally
    consenso_ricontatto and consenso_dati_anagrafici (sì/no), nome_anagrafico, cognome, telefono, email (only with
    consenso_dati_anagrafici), primo_contatto."""

    kind = Import.Kind.PEOPLE
    model = Person
    required = ("id_esterno", "nome", "quartiere", "consenso_raccolto_il")
    resolved = ("city", "neighbourhood", "account", "created_by")
    display_name = column("display_name", "nome")
    first_name = column("first_name", "nome_anagrafico")
    last_name = column("last_name", "cognome")
    phone = column("phone", "telefono")
    email = column("email", "email")
    channel = column("first_contact_channel", "primo_contatto", Choice(Person.Channel.choices))
    neighbourhood_name = column(None, "quartiere")
    consent_on = column(None, "consenso_raccolto_il")
    contact = column(None, "consenso_ricontatto")
    identifying = column(None, "consenso_dati_anagrafici")

    class Meta(PersonalResource.Meta):
        pass

    def init_instance(self, row=None):
        return Person(city=self.city)

    def snapshot(self, instance):
        return {f: getattr(instance, f) for f in PERSON_FIELDS}

    def person_of(self, instance):
        return instance.pk

    def neighbourhood_ids(self, snapshot):
        return [snapshot["neighbourhood_id"]]

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not instance.first_contact_channel:
            instance.first_contact_channel = self.before["first_contact_channel"] if self.before else Person.Channel.SELF
        try:
            instance.neighbourhood = self.neighbourhood(Text().clean(row.get("quartiere")))
        except ValueError as error:
            errors["neighbourhood"] = [str(error)]
        purposes = {Consent.Purpose.REGISTRATION}
        on = None
        try:
            on = consent_date(row.get("consenso_raccolto_il"))
        except ValueError as error:
            errors["consenso_raccolto_il"] = [str(error)]
        for name, purpose in (("consenso_ricontatto", Consent.Purpose.CONTACT), ("consenso_dati_anagrafici", Consent.Purpose.IDENTIFYING)):
            try:
                if Consented().clean(row.get(name)):
                    purposes.add(purpose)
            except ValueError as error:
                errors[name] = [str(error)]
        details = [name for name in Person.IDENTIFYING_FIELDS if getattr(instance, name)]
        if details and Consent.Purpose.IDENTIFYING not in purposes and "consenso_dati_anagrafici" not in errors:
            errors["consenso_dati_anagrafici"] = [
                _(
                    "Nome anagrafico, cognome, telefono ed e-mail si conservano solo con il consenso della persona: "
                    "scrivi sì in questa colonna se l'ha firmato, altrimenti lascia vuoti quei campi."
                )
            ]
        instance._consent = (sorted(purposes), on)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = _fields_errors(instance, dict(import_validation_errors or {}), self.resolved)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        purposes, on = instance._consent
        save_imported_person(instance, purposes, on, by=self.by)

    def create_all(self, instances):
        create_imported_people([(p, *p._consent) for p in instances], by=self.by)

    def restore(self, instance, values):
        for name in PERSON_FIELDS:
            setattr(instance, name, values[name])
        save_imported_person(instance, [], None, by=self.by)

    def delete(self, instance):
        delete_imported_person(instance, by=self.by)


class OfPersonResource(PersonalResource):
    """A record of a person imported before, named in `id_persona` by her external id."""

    class Meta(PersonalResource.Meta):
        pass

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.person_ids = dict(ExternalId.objects.filter(city=self.city, kind=Import.Kind.PEOPLE).values_list("external_id", "object_id"))
        self.people: dict[int, Person] = {}

    def person_of(self, instance):
        return instance.person_id

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        refs = {Text().clean(v) for v in dataset["id_persona"]}
        pks = {self.person_ids[ref] for ref in refs if ref in self.person_ids}
        self.people = {p.pk: p for p in Person.objects.filter(pk__in=pks, city=self.city).only("pk", "neighbourhood_id", "city_id")}

    def person(self, ref: str) -> Person:
        if not ref:
            raise ValueError(_("Manca l'id esterno della persona."))
        person = self.people.get(self.person_ids.get(ref, 0))
        if person is None:
            raise ValueError(
                _("Nessuna persona importata con id esterno «%(ref)s»: controlla il codice o importa prima l'elenco delle persone.")
                % {"ref": ref[:60]}
            )
        if self.scope is not None and person.neighbourhood_id not in self.scope:
            raise ValueError(_("La persona «%(ref)s» è di un quartiere che non ti è assegnato.") % {"ref": ref[:60]})
        return person

    def channel_of(self, instance):
        if not instance.channel:
            instance.channel = self.before["channel"] if self.before else Channel.CARD


RECORDED = [(c.value, c.label) for c in RECORDED_CHANNELS]
NEED_FIELDS = ("person_id", "text", "neighbourhood_id", "urgency", "kind", "channel")


class NeedResource(OfPersonResource):
    """Columns: id_esterno, id_persona, testo; optionally quartiere (else the person's), urgenza, tipo, canale
    (su carta, al telefono, di persona: on paper when empty)."""

    kind = Import.Kind.NEEDS
    model = Need
    required = ("id_esterno", "id_persona", "testo")
    resolved = ("city", "person", "neighbourhood", "created_by")
    text = column("text", "testo")
    urgency = column("urgency", "urgenza", Choice(Need.Urgency.choices))
    need_kind = column("kind", "tipo", Choice(Offer.Kind.choices))
    channel = column("channel", "canale", Choice(RECORDED))
    person_ref = column(None, "id_persona")
    neighbourhood_name = column(None, "quartiere")

    class Meta(OfPersonResource.Meta):
        pass

    def init_instance(self, row=None):
        return Need(city=self.city, created_by=self.by)

    def snapshot(self, instance):
        return {f: getattr(instance, f) for f in NEED_FIELDS}

    def neighbourhood_ids(self, snapshot):
        return [snapshot["neighbourhood_id"]]

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        instance.urgency = instance.urgency or (self.before["urgency"] if self.before else Need.Urgency.MEDIUM)
        self.channel_of(instance)
        try:
            person = self.person(Text().clean(row.get("id_persona")))
        except ValueError as error:
            errors["person"] = [str(error)]
        else:
            instance.person_id = person.pk
            name = Text().clean(row.get("quartiere"))
            try:
                instance.neighbourhood_id = self.neighbourhood(name).pk if name else person.neighbourhood_id
            except ValueError as error:
                errors["neighbourhood"] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = _fields_errors(instance, dict(import_validation_errors or {}), (*self.resolved, "search_tokens"))
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        save_imported_need(instance, by=self.by, created=is_create)

    def create_all(self, instances):
        for need in instances:
            save_imported_need(need, by=self.by, created=True)

    def restore(self, instance, values):
        for name in NEED_FIELDS:
            setattr(instance, name, values[name])
        save_imported_need(instance, by=self.by, created=False)

    def delete(self, instance):
        delete_imported(instance, by=self.by)


OFFER_FIELDS = ("person_id", "kind", "title", "description", "capacity", "channel")


class OfferResource(OfPersonResource):
    """Columns: id_esterno, id_persona, tipo, titolo; optionally descrizione, quartieri (else the person's), posti
    (how many times it can be matched), canale (su carta, al telefono, di persona: on paper when empty)."""

    kind = Import.Kind.OFFERS
    model = Offer
    required = ("id_esterno", "id_persona", "tipo", "titolo")
    resolved = ("city", "person", "organisation", "created_by")
    offer_kind = column("kind", "tipo", Choice(Offer.Kind.choices))
    title = column("title", "titolo")
    description = column("description", "descrizione")
    capacity = column("capacity", "posti", Whole())
    channel = column("channel", "canale", Choice(RECORDED))
    person_ref = column(None, "id_persona")
    neighbourhoods_names = column(None, "quartieri")

    class Meta(OfPersonResource.Meta):
        pass

    def init_instance(self, row=None):
        return Offer(city=self.city, created_by=self.by)

    def existing_records(self, pks):
        return Offer.objects.filter(pk__in=pks).prefetch_related("neighbourhoods")

    def snapshot(self, instance):
        values = {f: getattr(instance, f) for f in OFFER_FIELDS}
        planned = getattr(instance, "_planned_neighbourhoods", None)
        values["neighbourhoods"] = sorted(planned if planned is not None else ([n.pk for n in instance.neighbourhoods.all()] if instance.pk else []))
        return values

    def neighbourhood_ids(self, snapshot):
        return snapshot["neighbourhoods"]

    def label(self, row) -> str:
        return " · ".join(part for part in (Text().clean(row.get("id_esterno"))[:60], Text().clean(row.get("id_persona"))[:60]) if part)

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.capacity is None:
            instance.capacity = self.before["capacity"] if self.before else 1
        self.channel_of(instance)
        if not instance.kind and "kind" not in errors:
            errors["kind"] = [_("Scrivi che cosa offre: %(choices)s.") % {"choices": ", ".join(str(label) for _c, label in Offer.Kind.choices)}]
        instance._planned_neighbourhoods = []
        try:
            person = self.person(Text().clean(row.get("id_persona")))
        except ValueError as error:
            errors["person"] = [str(error)]
        else:
            instance.person_id = person.pk
            names = [n for n in SPLIT.split(Text().clean(row.get("quartieri"))) if n]
            try:
                instance._planned_neighbourhoods = sorted({self.neighbourhood(n).pk for n in names} if names else {person.neighbourhood_id})
            except ValueError as error:
                errors["neighbourhoods"] = [str(error)]
        if instance.pk and instance.capacity < instance.taken:
            errors["capacity"] = [_("L'offerta è già abbinata %(n)d volte: i posti non possono essere meno.") % {"n": instance.taken}]
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = _fields_errors(instance, dict(import_validation_errors or {}), (*self.resolved, "search_tokens"))
        if not errors:
            try:
                instance.clean()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        save_imported_offer(instance, instance._planned_neighbourhoods, by=self.by, created=is_create)

    def create_all(self, instances):
        for offer in instances:
            save_imported_offer(offer, offer._planned_neighbourhoods, by=self.by, created=True)

    def restore(self, instance, values):
        for name in OFFER_FIELDS:
            setattr(instance, name, values[name])
        save_imported_offer(instance, values["neighbourhoods"], by=self.by, created=False)

    def delete(self, instance):
        delete_imported(instance, by=self.by)


APPLICATION_FIELDS = ("name", "kind", "neighbourhood_id", "address", "email", "phone")


def _noon(on) -> datetime:
    return timezone.make_aware(datetime.combine(on, time(12)))


class AntennaResource(PersonalResource):
    """Columns: id_esterno, nome (name and surname), tipo, quartiere, consenso_raccolto_il (her consent to be
    contacted, signed on paper); how she is reached: at least one of email, telefono, indirizzo."""

    kind = Import.Kind.ANTENNAS
    model = AntennaApplication
    required = ("id_esterno", "nome", "tipo", "quartiere", "consenso_raccolto_il")
    resolved = ("city", "neighbourhood", "decided_by", "account")
    name = column("name", "nome")
    antenna_kind = column("kind", "tipo", Choice(Antenna.Kind.choices))
    address = column("address", "indirizzo")
    email = column("email", "email")
    phone = column("phone", "telefono")
    neighbourhood_name = column(None, "quartiere")
    consent_on = column(None, "consenso_raccolto_il")

    class Meta(PersonalResource.Meta):
        pass

    def init_instance(self, row=None):
        return AntennaApplication(city=self.city, status=AntennaApplication.Status.PENDING)

    def snapshot(self, instance):
        values = {f: getattr(instance, f) for f in APPLICATION_FIELDS}
        values["consent_on"] = timezone.localtime(instance.consent_at).date().isoformat() if instance.consent_at else None
        return values

    def neighbourhood_ids(self, snapshot):
        return [snapshot["neighbourhood_id"]]

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not instance.kind and "kind" not in errors:
            errors["kind"] = [
                _("Scrivi che tipo di antenna è: %(choices)s.") % {"choices": ", ".join(str(label) for _c, label in Antenna.Kind.choices)}
            ]
        try:
            instance.neighbourhood = self.neighbourhood(Text().clean(row.get("quartiere")))
        except ValueError as error:
            errors["neighbourhood"] = [str(error)]
        try:
            instance.consent_at = _noon(consent_date(row.get("consenso_raccolto_il")))
        except ValueError as error:
            errors["consenso_raccolto_il"] = [str(error)]
        if not (instance.email or instance.phone or instance.address):
            errors["email"] = [_("Scrivi come raggiungerla: e-mail, telefono o indirizzo del negozio o del luogo.")]
        if self.before is not None and instance.status != AntennaApplication.Status.PENDING and self.snapshot(instance) != self.before:
            errors["id_esterno"] = [_("Questa candidatura è già stata valutata: non si cambia più da un elenco.")]
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = _fields_errors(instance, dict(import_validation_errors or {}), self.resolved)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        save_imported_application(instance, by=self.by, created=is_create)

    def create_all(self, instances):
        for application in instances:
            save_imported_application(application, by=self.by, created=True)

    def restore(self, instance, values):
        for name in APPLICATION_FIELDS:
            setattr(instance, name, values[name])
        if values.get("consent_on"):
            instance.consent_at = _noon(datetime.fromisoformat(values["consent_on"]).date())
        save_imported_application(instance, by=self.by, created=False)

    def delete(self, instance):
        delete_imported_application(instance, by=self.by)


KINDS: dict[str, type[ListResource]] = {
    Import.Kind.PEOPLE: PersonResource,
    Import.Kind.OFFERS: OfferResource,
    Import.Kind.NEEDS: NeedResource,
    Import.Kind.ANTENNAS: AntennaResource,
}


def register() -> None:
    """Add these kinds to the registry of resources.py, and their fields to the names of columns in messages."""
    RESOURCES.update(KINDS)
    for resource in KINDS.values():
        for f in resource.fields.values():
            if f.attribute:
                COLUMN_OF.setdefault(f.attribute, f.column_name)
    COLUMN_OF.setdefault("person", "id_persona")


register()
