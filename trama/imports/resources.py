"""What each column of an imported list means, row by row, through django-import-export's Resource.

A resource checks a row (the columns it needs, the neighbourhood by name within the city, the tax
code as the organisation form does, the neighbourhoods a worker is assigned), finds the record
the row's `id_esterno` created before, and saves through the owning app's service. It never writes
another app's table itself: the external ids and the log of changes are this app's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from stdnum.it import codicefiscale, iva

from trama.people.models import Organisation
from trama.people.services import create_imported_organisations, delete_imported_organisation, save_imported_organisation
from trama.territory.models import Neighbourhood, Place
from trama.territory.services import create_imported_places, delete_imported_place, save_imported_place

from .files import CONTROL, SPLIT, formula_cell, parse_date
from .models import Change, ExternalId, Import

if TYPE_CHECKING:
    from trama.people.models import User
    from trama.territory.models import City


class Text(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if CONTROL.search(text):
            raise ValueError(_("contiene caratteri di controllo, invisibili: riscrivi la cella."))
        return text


class Compact(Text):
    """A tax code or VAT number written with spaces or in lower case, stored as the form stores it."""

    def __init__(self, compact):
        super().__init__()
        self.compact = compact

    def clean(self, value, row=None, **kwargs):
        return self.compact(super().clean(value))


class Choice(Text):
    """A choice written as its Italian label or its code, in any case."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value).lower()
        if not text:
            return ""
        for code, label in self.choices:
            if text in (code.lower(), str(label).lower()):
                return code
        raise ValueError(
            _("«%(value)s» non è tra i valori possibili: %(choices)s.")
            % {"value": text[:60], "choices": ", ".join(str(label) for _code, label in self.choices)}
        )


class Number(Text):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value).replace(",", ".")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            raise ValueError(_("«%(value)s» non è un numero.") % {"value": text[:40]}) from None


class YesNo(Text):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value).lower()
        if text in ("", "sì", "si", "s", "yes", "true", "1", "vero"):
            return True
        if text in ("no", "n", "false", "0", "falso"):
            return False
        raise ValueError(_("Scrivi sì o no."))


def column(attribute: str | None, name: str, widget: widgets.Widget | None = None) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=name, widget=widget or Text())


class ListResource(resources.Resource):
    """What is common to every kind of list: external ids, scope, the log of changes, the row's outcome."""

    kind: ClassVar[str]
    model: ClassVar[Any]
    resolved: ClassVar[tuple[str, ...]] = ()
    required: ClassVar[tuple[str, ...]]
    external_id = column(None, "id_esterno")

    class Meta:
        instance_loader_class = BaseInstanceLoader
        import_id_fields = ["external_id"]
        clean_model_instances = True
        skip_diff = True
        report_skipped = True
        use_transactions = True

    def __init__(self, *, city: City, by: User, scope: frozenset[int] | None, run: Import | None = None):
        super().__init__()
        self.city, self.by, self.scope, self.run = city, by, scope, run
        self.known = dict(ExternalId.objects.filter(city=city, kind=self.kind).values_list("external_id", "object_id"))
        self.by_name = {n.name.lower(): n for n in Neighbourhood.objects.filter(city=city)}
        self.seen: dict[str, dict[str, int]] = {}
        self.existing: dict[int, Any] = {}
        # What the confirmed chunk wrote: (record, its external id, its values before or None when created).
        self.saved: list[tuple[Any, str, dict[str, Any] | None]] = []
        self.to_create: list[Any] = []
        self.line = 0
        self.before: dict[str, Any] | None = None

    # -- finding the record ---------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        # The records the chunk's rows update, read in one query (not one per row).
        pks = {self.known[e] for e in (Text().clean(v) for v in dataset["id_esterno"]) if e in self.known}
        self.existing = {instance.pk: instance for instance in self.existing_records(pks)}

    def existing_records(self, pks: set[int]):
        return self.model.objects.filter(pk__in=pks)

    def get_instance(self, instance_loader, row):
        pk = self.known.get(Text().clean(row.get("id_esterno")))
        return self.existing.get(pk) if pk else None

    def init_instance(self, row=None):
        return self.model()

    def before_import_row(self, row, **kwargs):
        self.line = kwargs["line_of"](kwargs["row_number"])
        errors = {}
        for name, value in row.items():
            cell = formula_cell(value)
            if cell or (isinstance(value, str) and value.startswith("=")):
                errors[name] = _("La cella %(cell)s contiene una formula: sostituiscila con il suo valore (Incolla speciale → Valori).") % {
                    "cell": cell or name
                }
        external = Text().clean(row.get("id_esterno"))
        if not external:
            errors["id_esterno"] = _("Manca l'id esterno: ogni riga ha un codice che la identifica nel tuo elenco.")
        elif len(external) > 100:
            errors["id_esterno"] = _("L'id esterno è troppo lungo (al massimo 100 caratteri).")
        else:
            self._once("id_esterno", external, errors, _("Id esterno già usato alla riga %(line)d."))
        if errors:
            raise ValidationError(errors)

    def _once(self, column: str, value: str, errors: dict[str, Any], message: str) -> None:
        seen = self.seen.setdefault(column, {})
        if value in seen and seen[value] != self.line:
            errors[column] = message % {"line": seen[value]}
        else:
            seen[value] = self.line

    def after_init_instance(self, instance, new, row, **kwargs):
        self.before = None if new else self.snapshot(instance)
        if not new and not self.may_change(self.before):
            raise ValidationError(_("Questo record riguarda quartieri che non ti sono assegnati: non puoi aggiornarlo."))

    def neighbourhood(self, name: str) -> Neighbourhood:
        if not name.strip():
            raise ValueError(_("Manca il quartiere."))
        found = self.by_name.get(name.strip().lower())
        if found is None:
            raise ValueError(
                _("Il quartiere «%(name)s» non esiste a %(city)s. Quartieri possibili: %(names)s.")
                % {"name": name[:60], "city": self.city.name, "names": ", ".join(sorted(n.name for n in self.by_name.values()))}
            )
        if self.scope is not None and found.pk not in self.scope:
            raise ValueError(_("Il quartiere «%(name)s» non ti è assegnato: non puoi importarvi record.") % {"name": found.name})
        return found

    def may_change(self, snapshot: dict[str, Any]) -> bool:
        return self.scope is None or set(self.neighbourhood_ids(snapshot)) <= self.scope

    # -- saving and remembering ------------------------------------------------------------------

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return not import_validation_errors and self.before is not None and self.before == self.snapshot(instance)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Uniqueness is checked by the resource itself (against the city and the rows above, naming the
        # line); the constraints stay in the database, so a record registered meanwhile still stops the import.
        errors = dict(import_validation_errors or {})
        try:
            # The links were found by the resource in the city (a query per row to check them again is most of the time).
            instance.full_clean(exclude={*errors, *self.resolved}, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        if self.run is None:
            return  # a preview: every check is made before saving, and nothing of the file is written
        if is_create:
            self.to_create.append(instance)  # created with the others of the chunk (create_all)
        else:
            self.do_instance_save(instance, is_create)
        self.saved.append((instance, Text().clean(row.get("id_esterno")), self.before))

    def after_import(self, dataset, result, **kwargs):
        # In the chunk's transaction: the records, their external ids and the log are kept together, or not at all.
        if self.run is not None and not result.has_errors() and not result.has_validation_errors():
            if self.to_create:
                self.create_all(self.to_create)
            ids, changes = [], []
            for instance, external, before in self.saved:
                if before is None:
                    ids.append(ExternalId(city=self.city, kind=self.kind, external_id=external, object_id=instance.pk))
                    self.known[external] = instance.pk
                action = Change.Action.CREATED if before is None else Change.Action.UPDATED
                changes.append(
                    Change(
                        run=self.run,
                        action=action,
                        object_id=instance.pk,
                        external_id=external,
                        previous=before or {},
                        written=self.snapshot(instance),
                        person_id=self.person_of(instance),
                    )
                )
            ExternalId.objects.bulk_create(ids)
            Change.objects.bulk_create(changes)
        self.saved, self.to_create = [], []

    def person_of(self, instance: Any) -> int | None:
        """The person whose record `instance` is, when the list is about people (None for organisations, places)."""
        return None

    def create_all(self, instances: list[Any]) -> None:
        """Create the chunk's new records, through the owning app's service."""
        raise NotImplementedError

    def label(self, row) -> str:
        return Text().clean(row.get("nome"))[:120]

    def snapshot(self, instance) -> dict[str, Any]:
        raise NotImplementedError

    def neighbourhood_ids(self, snapshot: dict[str, Any]) -> list[int]:
        raise NotImplementedError

    def restore(self, instance, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def delete(self, instance) -> None:
        raise NotImplementedError


ORGANISATION_FIELDS = ("name", "sector", "legal_form", "tax_code", "vat_number", "description", "email", "phone", "address", "website")


class OrganisationResource(ListResource):
    """Columns: id_esterno, nome, settore, quartieri (separated by ;), and optionally forma_giuridica,
    codice_fiscale, partita_iva, email, telefono, indirizzo, sito_web, descrizione."""

    kind = Import.Kind.ORGANISATIONS
    model = Organisation
    required = ("id_esterno", "nome", "settore", "quartieri")
    resolved = ("city",)
    name = column("name", "nome")
    sector = column("sector", "settore", Choice(Organisation.Sector.choices))
    legal_form = column("legal_form", "forma_giuridica", Choice(Organisation.LegalForm.choices))
    tax_code = column("tax_code", "codice_fiscale", Compact(codicefiscale.compact))
    vat_number = column("vat_number", "partita_iva", Compact(iva.compact))
    email = column("email", "email")
    phone = column("phone", "telefono")
    address = column("address", "indirizzo")
    website = column("website", "sito_web")
    description = column("description", "descrizione")
    neighbourhoods = column(None, "quartieri")
    # Checked (the three formats of files.parse_date) but not kept: an organisation has no join date yet.
    joined = column(None, "data_adesione")

    class Meta(ListResource.Meta):
        pass

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        taken = Organisation.objects.filter(city=self.city).values_list("pk", "name", "tax_code")
        self.taken_names = {name.lower(): (pk, name) for pk, name, _tax in taken}
        self.taken_tax_codes = {tax: (pk, name) for pk, name, tax in taken if tax}

    def init_instance(self, row=None):
        return Organisation(city=self.city)

    def existing_records(self, pks):
        return Organisation.objects.filter(pk__in=pks).prefetch_related("neighbourhoods")

    def snapshot(self, instance):
        values = {f: getattr(instance, f) for f in ORGANISATION_FIELDS}
        planned = getattr(instance, "_planned_neighbourhoods", None)
        # .all(): the neighbourhoods prefetched with the chunk's records (existing_records), not a query per row.
        values["neighbourhoods"] = sorted(planned if planned is not None else ([n.pk for n in instance.neighbourhoods.all()] if instance.pk else []))
        return values

    def neighbourhood_ids(self, snapshot):
        return snapshot["neighbourhoods"]

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        names = [n for n in SPLIT.split(Text().clean(row.get("quartieri"))) if n]
        if not names:
            errors["neighbourhoods"] = [_("Scrivi almeno un quartiere in cui l'organizzazione opera.")]
        try:
            instance._planned_neighbourhoods = sorted({self.neighbourhood(n).pk for n in names})
        except ValueError as error:
            errors["neighbourhoods"] = [str(error)]
        try:
            parse_date(row.get("data_adesione"))
        except ValueError as error:
            errors["data_adesione"] = [str(error)]
        if instance.tax_code:
            self._once("tax_code", instance.tax_code, errors, _("Codice fiscale già usato alla riga %(line)d: è la stessa organizzazione?"))
            same = self.taken_tax_codes.get(instance.tax_code)
            if same is not None and same[0] != instance.pk and "tax_code" not in errors:
                errors["tax_code"] = [_("Un'organizzazione con questo codice fiscale è già registrata: «%(name)s».") % {"name": same[1]}]
        if instance.name:
            self._once("name", instance.name.lower(), errors, _("Nome già usato alla riga %(line)d."))
            same = self.taken_names.get(instance.name.lower())
            if "name" not in errors and same is not None and same[0] != instance.pk:
                errors["name"] = [_("Esiste già un'organizzazione con questo nome in città.")]
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        save_imported_organisation(instance, instance._planned_neighbourhoods, by=self.by, created=is_create)

    def create_all(self, instances):
        create_imported_organisations([(o, o._planned_neighbourhoods) for o in instances], by=self.by)

    def restore(self, instance, values):
        for name in ORGANISATION_FIELDS:
            setattr(instance, name, values[name])
        save_imported_organisation(instance, values["neighbourhoods"], by=self.by, created=False)

    def delete(self, instance):
        delete_imported_organisation(instance, by=self.by)


# What an import of places may change, hence what its undo keeps of a place before: the fields both the
# list import and the HSDS import write, then each one's own (a list says whether the place is public,
# an HSDS directory gives its phone).
PLACE_SHARED_FIELDS = (
    "name",
    "kind",
    "address",
    "description",
    "lat",
    "lon",
    "opening_hours",
    "accessibility",
    "neighbourhood_id",
    "managing_organisation_id",
)
PLACE_FIELDS = (*PLACE_SHARED_FIELDS, "is_public")


class PlaceResource(ListResource):
    """Columns: id_esterno, nome, quartiere, and optionally tipo, indirizzo, descrizione, lat, lon, orari,
    accessibilita, gestito_da (the name of an organisation of the city), pubblico (sì/no)."""

    kind = Import.Kind.PLACES
    model = Place
    required = ("id_esterno", "nome", "quartiere")
    resolved = ("neighbourhood", "managing_organisation")
    name = column("name", "nome")
    place_kind = column("kind", "tipo", Choice(Place.Kind.choices))
    address = column("address", "indirizzo")
    description = column("description", "descrizione")
    lat = column("lat", "lat", Number())
    lon = column("lon", "lon", Number())
    opening_hours = column("opening_hours", "orari")
    accessibility = column("accessibility", "accessibilita")
    is_public = column("is_public", "pubblico", YesNo())
    neighbourhood_name = column(None, "quartiere")
    manager = column(None, "gestito_da")

    class Meta(ListResource.Meta):
        pass

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.organisations = {name.lower(): pk for pk, name in Organisation.objects.filter(city=self.city).values_list("pk", "name")}

    def snapshot(self, instance):
        return {f: getattr(instance, f) for f in PLACE_FIELDS}

    def neighbourhood_ids(self, snapshot):
        return [snapshot["neighbourhood_id"]]

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not instance.kind:
            instance.kind = Place.Kind.OTHER
        try:
            instance.neighbourhood = self.neighbourhood(Text().clean(row.get("quartiere")))
        except ValueError as error:
            errors["neighbourhood"] = [str(error)]
        manager = Text().clean(row.get("gestito_da"))
        instance.managing_organisation_id = None
        if manager:
            instance.managing_organisation_id = self.organisations.get(manager.lower())
            if instance.managing_organisation_id is None:
                errors["managing_organisation"] = [
                    _("Nessuna organizzazione di nome «%(name)s» in città: importa prima le organizzazioni.") % {"name": manager[:80]}
                ]
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        save_imported_place(instance, by=self.by, created=is_create)

    def create_all(self, instances):
        create_imported_places(instances, by=self.by)

    def restore(self, instance, values):
        for name in PLACE_FIELDS:
            setattr(instance, name, values[name])
        save_imported_place(instance, by=self.by, created=False)

    def delete(self, instance):
        delete_imported_place(instance, by=self.by)


RESOURCES: dict[str, type[ListResource]] = {Import.Kind.ORGANISATIONS: OrganisationResource, Import.Kind.PLACES: PlaceResource}

# The column a model field is read from, to name it in a row's messages.
COLUMN_OF = {
    **{f.attribute: f.column_name for r in RESOURCES.values() for f in r.fields.values() if f.attribute},
    "neighbourhoods": "quartieri",
    "neighbourhood": "quartiere",
    "managing_organisation": "gestito_da",
    "city": "città",
}
