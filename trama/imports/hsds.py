"""A directory of services in Open Referral's Human Services Data Specification (HSDS 3.0), read into Trama.

Two shapes of the same data are accepted:

- JSON: the tables by name (`{"organizations": [...], "services": [...], "locations": [...], "schedules": [...],
  "phones": [...], "addresses": [...], "service_at_locations": [...]}`, which is also what Trama's own open data
  gives), or a list of HSDS service or organization objects with their details nested (what an HSDS API answers,
  with or without its `contents` page wrapper);
- the tabular package: a ZIP of CSV files named after the tables (`organizations.csv`, `services.csv`, ...).

Organizations become organisations, locations places and services the organisations' services, with their
opening hours written out from the schedules. Every record is checked before anything is written (the preview
lists each organization, location and service with its errors, by file and record or line); re-importing the
same directory finds each record again by its HSDS id and changes nothing; the whole file is imported in one
transaction and undone as a whole. Records are written only through people's and territory's services.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.access import neighbourhood_scope
from trama.people.models import Organisation, Service
from trama.people.services import (
    delete_imported_organisation,
    delete_imported_service,
    save_imported_organisation,
    save_imported_service,
)
from trama.territory.models import Neighbourhood, Place
from trama.territory.queries import neighbourhood_at
from trama.territory.services import delete_imported_place, save_imported_place

from . import files
from .models import Change, ExternalId, Import
from .resources import PLACE_SHARED_FIELDS

if TYPE_CHECKING:
    from trama.people.models import User
    from trama.territory.models import City

KIND = "hsds"
MAX_RECORDS = files.MAX_ROWS
MAX_ID = 80
# What a JSON file may nest before it is refused (an API's service holds its locations' addresses: 5 levels).
MAX_DEPTH = 12
MAIN = ("organizations", "locations", "services")
DETAILS = ("schedules", "phones", "addresses", "service_at_locations", "accessibility")
TABLES = MAIN + DETAILS
NESTED = {*TABLES, "organization", "location"}
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
DAYS = {"MO": "lunedì", "TU": "martedì", "WE": "mercoledì", "TH": "giovedì", "FR": "venerdì", "SA": "sabato", "SU": "domenica"}
BYDAY = re.compile(r"^(-?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(:[0-5]\d)?(Z|[+-]\d{2}:?\d{2})?$")
# Control characters other than tab and new lines: no one types them, and PostgreSQL refuses NUL.
CONTROL = files.CONTROL


@dataclass
class Record:
    """One object of one table, with where it was in the file (for the person who fixes it)."""

    table: str
    where: str
    data: dict[str, Any]
    errors: list[str] = field(default_factory=list)


# -- reading the file ------------------------------------------------------------------------------


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level


def read(name: str, data: bytes) -> dict[str, list[Record]]:
    """The file's records, table by table; `files.Refused` when the file as a whole cannot be read."""
    if len(data) > files.MAX_BYTES:
        raise files.Refused(_("Il file supera %(mb)d MB: dividilo in più file.") % {"mb": files.MAX_BYTES // (1024 * 1024)})
    if not data.strip():
        raise files.Refused(_("Il file è vuoto."))
    lower = name.lower()
    if lower.endswith(".zip") or data[:4] == b"PK\x03\x04":
        tables = _read_package(data)
    elif lower.endswith(".json") or data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        tables = _read_json(data)
    else:
        raise files.Refused(
            _("Per un elenco HSDS sono accettati un file JSON o un pacchetto ZIP di file CSV (organizations.csv, services.csv, locations.csv…).")
        )
    total = sum(len(records) for records in tables.values())
    if not any(tables[t] for t in MAIN):
        raise files.Refused(_("Il file non contiene organizzazioni, servizi o luoghi da importare."))
    if total > MAX_RECORDS:
        raise files.Refused(_("Il file ha più di %(max)d record: dividilo in più file e importali uno alla volta.") % {"max": MAX_RECORDS})
    return tables


def _read_json(data: bytes) -> dict[str, list[Record]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise files.Refused(_("Il file JSON deve essere in UTF-8: salvalo di nuovo con questa codifica.")) from None
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise files.Refused(
            _("Il file non è un JSON valido: %(what)s alla riga %(line)d, colonna %(column)d.")
            % {"what": error.msg, "line": error.lineno, "column": error.colno}
        ) from None
    except RecursionError:
        raise files.Refused(_("Il file JSON è annidato troppo in profondità per essere un elenco HSDS.")) from None
    if _depth(parsed) > MAX_DEPTH:
        raise files.Refused(_("Il file JSON è annidato troppo in profondità per essere un elenco HSDS."))
    tables: dict[str, list[Record]] = {t: [] for t in TABLES}
    if isinstance(parsed, dict) and isinstance(parsed.get("contents"), list):
        parsed = parsed["contents"]  # a page of an HSDS API's answer
    if isinstance(parsed, dict) and any(t in parsed for t in TABLES):
        # Other tables of HSDS (taxonomies, contacts, fundings…) are not kept by Trama.
        for table in TABLES:
            items = parsed.get(table, [])
            if not isinstance(items, list):
                raise files.Refused(_("«%(table)s» deve essere un elenco di record.") % {"table": table})
            for number, item in enumerate(items, start=1):
                _add(tables, table, item, _("%(table)s, record %(n)d") % {"table": table, "n": number})
        return tables
    if isinstance(parsed, dict) and "id" in parsed:
        parsed = [parsed]
    if not isinstance(parsed, list):
        raise files.Refused(
            _(
                "Il file non segue lo schema HSDS: ci aspettiamo le tabelle organizations, services e locations, "
                "oppure un elenco di servizi o di organizzazioni."
            )
        )
    for number, item in enumerate(parsed, start=1):
        where = _("record %(n)d") % {"n": number}
        if isinstance(item, dict) and ("organization" in item or "service_at_locations" in item or "status" in item):
            _nested_service(tables, item, where)
        else:
            _nested_organization(tables, item, where)
    return tables


def _add(tables: dict[str, list[Record]], table: str, item: Any, where: str, **links: Any) -> Record:
    record = Record(table, where, {})
    if not isinstance(item, dict):
        record.errors.append(_("Non è un oggetto JSON con i campi del record."))
    else:
        # The details nested in a record are records of their own tables (read by the caller); any other value is
        # kept as it came, so that a list or an object where a text belongs is said to be wrong.
        record.data = {key: value for key, value in item.items() if key not in NESTED}
        for key, value in links.items():
            record.data.setdefault(key, value)
    tables[table].append(record)
    return record


def _details(tables: dict[str, list[Record]], item: dict[str, Any], where: str, names: Iterable[str], **links: Any) -> None:
    for name in names:
        values = item.get(name) or []
        if not isinstance(values, list):
            continue
        for number, detail in enumerate(values, start=1):
            inner = f"{where} › {name} {number}"
            if name == "location" or name == "locations":
                _nested_location(tables, detail, inner, **links)
            else:
                _add(tables, name if name in TABLES else "phones", detail, inner, **links)


def _nested_location(tables: dict[str, list[Record]], item: Any, where: str, **links: Any) -> Record:
    record = _add(tables, "locations", item, where, **links)
    if isinstance(item, dict) and item.get("id") is not None:
        _details(tables, item, where, ("addresses", "phones", "schedules", "accessibility"), location_id=item["id"])
    return record


def _nested_organization(tables: dict[str, list[Record]], item: Any, where: str) -> None:
    _add(tables, "organizations", item, where)
    if not isinstance(item, dict):
        return
    key = {"organization_id": item.get("id")}
    _details(tables, item, where, ("phones", "locations"), **key)
    for number, service in enumerate(item.get("services") or [], start=1):
        if isinstance(service, dict):
            service = {**service, "organization_id": service.get("organization_id", item.get("id"))}
        _nested_service(tables, service, f"{where} › services {number}", nested_organization=False)


def _nested_service(tables: dict[str, list[Record]], item: Any, where: str, nested_organization: bool = True) -> None:
    if isinstance(item, dict) and nested_organization and isinstance(item.get("organization"), dict):
        organisation = item["organization"]
        if not any(r.data.get("id") == organisation.get("id") for r in tables["organizations"]):
            _nested_organization(tables, organisation, f"{where} › organization")
        item = {**item, "organization_id": item.get("organization_id", organisation.get("id"))}
    _add(tables, "services", item, where)
    if not isinstance(item, dict):
        return
    service_id = item.get("id")
    _details(tables, item, where, ("schedules", "phones"), service_id=service_id)
    for number, link in enumerate(item.get("service_at_locations") or [], start=1):
        inner = f"{where} › service_at_locations {number}"
        if not isinstance(link, dict):
            _add(tables, "service_at_locations", link, inner)
            continue
        location = link.get("location")
        location_id = link.get("location_id")
        if isinstance(location, dict):
            location_id = location_id or location.get("id")
            if not any(r.data.get("id") == location.get("id") for r in tables["locations"]):
                _nested_location(tables, location, f"{inner} › location")
        _add(tables, "service_at_locations", link, inner, service_id=service_id, location_id=location_id)
        _details(tables, link, inner, ("schedules",), service_id=service_id, location_id=location_id)


def _read_package(data: bytes) -> dict[str, list[Record]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except zipfile.BadZipFile:
        raise files.Refused(_("Il file non è un pacchetto ZIP leggibile.")) from None
    unpacked = sum(info.file_size for info in members)
    if unpacked > files.MAX_UNPACKED_BYTES or unpacked > files.MAX_RATIO * max(len(data), 1):
        raise files.Refused(_("Il pacchetto ZIP, una volta aperto, sarebbe troppo grande: contiene solo i file CSV delle tabelle HSDS?"))
    tables: dict[str, list[Record]] = {t: [] for t in TABLES}
    for info in members:
        base = info.filename.rsplit("/", 1)[-1]
        table = base[:-4].lower() if base.lower().endswith(".csv") else ""
        if table == "service_at_location":
            table = "service_at_locations"
        if table not in TABLES:
            continue  # datapackage.json, other HSDS tables Trama does not keep
        dataset = files.read_csv(archive.read(info))
        if "id" not in dataset.headers:
            raise files.Refused(_("Manca la colonna «id» in %(file)s: ogni tabella HSDS la ha.") % {"file": base})
        for line, row in enumerate(dataset, start=2):
            values = dict(zip(dataset.headers, row, strict=False))
            if any(str(v or "").strip() for v in values.values()):
                where = _("%(file)s, riga %(line)d") % {"file": base, "line": line}
                tables[table].append(Record(table, where, {k: v for k, v in values.items() if str(v or "").strip()}))
    if not any(tables.values()):
        raise files.Refused(_("Il pacchetto ZIP non contiene organizations.csv, services.csv o locations.csv."))
    return tables


# -- checking values -------------------------------------------------------------------------------


def text(record: Record, name: str, limit: int = 4000) -> str:
    """A field as text (numbers are written out), or "" with the record's error said in words."""
    value = record.data.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        record.errors.append(_("%(field)s: deve essere un testo.") % {"field": name})
        return ""
    value = str(value).strip()
    if CONTROL.search(value):
        record.errors.append(_("%(field)s: contiene caratteri di controllo non ammessi.") % {"field": name})
        return ""
    if len(value) > limit:
        record.errors.append(_("%(field)s: al massimo %(max)d caratteri (ne ha %(n)d).") % {"field": name, "max": limit, "n": len(value)})
        return ""
    return value


def _shown(value: Any) -> str:
    """A value of the file as the report may quote it: without control characters."""
    return CONTROL.sub("", str(value))


def _said(record: Record, name: str) -> bool:
    """Whether the record's field was already said to be wrong (its value was then left empty)."""
    return any(message.startswith(f"{name}:") for message in record.errors)


def number(record: Record, name: str) -> float | None:
    value = record.data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        value = "?"
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        record.errors.append(_("%(field)s: «%(value)s» non è un numero.") % {"field": name, "value": str(value)[:40]})
        return None


def _choice(value: str, choices: Iterable[tuple[str, Any]]) -> str | None:
    wanted = value.strip().lower()
    for code, label in choices:
        if wanted in (code.lower(), str(label).lower()):
            return code
    return None


def _clock(record: Record, name: str) -> str:
    value = text(record, name, 20)
    if not value:
        return ""
    match = CLOCK.match(value)
    if match is None:
        record.errors.append(_("%(field)s: «%(value)s» non è un orario: scrivilo come 09:30.") % {"field": name, "value": value})
        return ""
    return f"{int(match.group(1))}:{match.group(2)}"


def opening_hours(schedules: list[Record]) -> str:
    """The schedules in Italian words ("lunedì e giovedì 9:00-12:00; il 1° sabato del mese 10:00-12:00"): a
    schedule's own description when it has one; its errors go to the schedule's record."""
    parts = []
    for schedule in schedules:
        described = text(schedule, "description", 300)
        if described:
            parts.append(described)
            continue
        days = []
        for token in filter(None, (t.strip().upper() for t in text(schedule, "byday", 100).split(","))):
            match = BYDAY.match(token)
            if match is None:
                schedule.errors.append(
                    _("byday: «%(value)s» non è un giorno: usa MO, TU, WE, TH, FR, SA, SU (e 2MO per il secondo lunedì del mese).")
                    % {"value": token[:20]}
                )
                continue
            nth, day = match.groups()
            if nth is None:
                days.append(DAYS[day])
            elif nth == "-1":
                days.append(_("l'ultimo %(day)s del mese") % {"day": DAYS[day]})
            else:
                days.append(_("il %(n)s° %(day)s del mese") % {"n": nth.lstrip("-"), "day": DAYS[day]})
        opens, closes = _clock(schedule, "opens_at"), _clock(schedule, "closes_at")
        hours = f"{opens}-{closes}" if opens and closes else opens or closes
        said = " ".join(p for p in ((" e ".join([", ".join(days[:-1]), days[-1]]) if len(days) > 1 else "".join(days)), hours) if p)
        if said:
            parts.append(said)
    return "; ".join(parts)


# -- what each table becomes -----------------------------------------------------------------------


ORGANISATION_FIELDS = ("name", "sector", "legal_form", "tax_code", "description", "email", "phone", "website")
PLACE_FIELDS = (*PLACE_SHARED_FIELDS, "phone")
SERVICE_FIELDS = ("name", "description", "opening_hours", "organisation_id", "place_id")


def _organisation_snapshot(organisation: Organisation) -> dict[str, Any]:
    values = {f: getattr(organisation, f) for f in ORGANISATION_FIELDS}
    planned = getattr(organisation, "_planned_neighbourhoods", None)
    values["neighbourhoods"] = sorted(
        planned if planned is not None else ([n.pk for n in organisation.neighbourhoods.all()] if organisation.pk else [])
    )
    return values


@dataclass
class Kind:
    """How a table's records are kept, compared, put back and removed (what undoing a change needs)."""

    prefix: str
    model: Any
    snapshot: Callable[[Any], dict[str, Any]]
    save: Callable[..., Any]
    delete: Callable[..., None]
    label: Any

    def restore(self, instance: Any, values: dict[str, Any], by: User) -> None:
        for name, value in values.items():
            if name != "neighbourhoods":
                setattr(instance, name, value)
        self.save(instance, values, by=by, created=False)


def _save_organisation(instance: Organisation, values: dict[str, Any], *, by: User, created: bool) -> None:
    save_imported_organisation(instance, values["neighbourhoods"], by=by, created=created)


KINDS = {
    "organizations": Kind(
        "organization", Organisation, _organisation_snapshot, _save_organisation, delete_imported_organisation, gettext_lazy("Organizzazione")
    ),
    "locations": Kind(
        "location",
        Place,
        lambda p: {f: getattr(p, f) for f in PLACE_FIELDS},
        lambda p, _values, *, by, created: save_imported_place(p, by=by, created=created),
        delete_imported_place,
        gettext_lazy("Luogo"),
    ),
    "services": Kind(
        "service",
        Service,
        lambda s: {f: getattr(s, f) for f in SERVICE_FIELDS},
        lambda s, _values, *, by, created: save_imported_service(s, by=by, created=created),
        delete_imported_service,
        gettext_lazy("Servizio"),
    ),
}
# The field of the file a model field is read from, to name it in a record's messages.
HSDS_NAME = {
    "lat": "latitude",
    "lon": "longitude",
    "tax_code": "tax_id",
    "phone": "phones",
    "opening_hours": "schedules",
    "address": "addresses",
    "sector": "legal_status",
}
DETAIL_LABELS = {
    "schedules": gettext_lazy("Orario"),
    "phones": gettext_lazy("Telefono"),
    "addresses": gettext_lazy("Indirizzo"),
    "service_at_locations": gettext_lazy("Servizio in un luogo"),
    "accessibility": gettext_lazy("Accessibilità"),
}
KIND_OF_PREFIX = {kind.prefix: kind for kind in KINDS.values()}


def kind_of_change(change: Change) -> Kind:
    return KIND_OF_PREFIX[change.external_id.split(":", 1)[0]]


@dataclass
class Entry:
    """A main record as it will be written: the instance, its values before (None when new), its outcome."""

    record: Record
    kind: Kind
    external_id: str
    instance: Any = None
    before: dict[str, Any] | None = None
    outcome: str = "new"


class Directory:
    """The records of one HSDS file checked against the city: what each would create or update."""

    def __init__(self, tables: dict[str, list[Record]], *, city: City, by: User):
        self.tables, self.city, self.by, self.scope = tables, city, by, neighbourhood_scope(by)
        self.known = dict(ExternalId.objects.filter(city=city, kind=KIND).values_list("external_id", "object_id"))
        self.by_name = {n.name.lower(): n for n in Neighbourhood.objects.filter(city=city)}
        self.entries: dict[str, dict[str, Entry]] = {t: {} for t in MAIN}
        self.earlier_organisations: dict[int, Organisation | None] = {}
        self.ordered: list[Entry] = []
        self._index_details()
        self._organisations()
        self._places()
        self._services()
        self._neighbourhoods_of_organisations()
        for entry in self.ordered:
            self._outcome(entry)
        for table in DETAILS:
            for record in tables[table]:
                self._check_detail(record)

    # ids and the details hanging on each record

    def _id(self, record: Record) -> str:
        value = record.data.get("id")
        if value in (None, ""):
            record.errors.append(_("Manca l'id: ogni record HSDS ha un identificativo."))
            return ""
        value = text(record, "id", MAX_ID)
        return value

    def _index_details(self) -> None:
        self.details: dict[tuple[str, str], list[Record]] = {}
        self.detail_ids: dict[str, dict[str, str]] = {t: {} for t in DETAILS}
        for table in DETAILS:
            for record in self.tables[table]:
                if record.errors:
                    continue
                # Links between a service and a location often come without an id of their own (an API's nesting).
                ident = self._id(record) if table != "service_at_locations" else text(record, "id", MAX_ID)
                if ident:
                    first = self.detail_ids[table].setdefault(ident, record.where)
                    if first != record.where:
                        record.errors.append(_("Id «%(id)s» già usato in %(where)s.") % {"id": ident, "where": first})
                for link in ("organization_id", "location_id", "service_id"):
                    target = text(record, link, MAX_ID)
                    if target:
                        self.details.setdefault((f"{table}:{link}", target), []).append(record)

    def _of(self, table: str, link: str, ident: str) -> list[Record]:
        return self.details.get((f"{table}:{link}", ident), [])

    def _check_detail(self, record: Record) -> None:
        # A detail pointing at nothing in the file is a mistake the person should hear of.
        for link, main in (("organization_id", "organizations"), ("location_id", "locations"), ("service_id", "services")):
            target = record.data.get(link)
            if target not in (None, "") and str(target) not in self.entries[main] and f"{KINDS[main].prefix}:{target}" not in self.known:
                record.errors.append(_("%(field)s: «%(id)s» non è nel file.") % {"field": link, "id": str(target)[:MAX_ID]})
        if record.table == "phones" and not record.errors and not text(record, "number", 30):
            record.errors.append(_("number: manca il numero di telefono."))

    def _entry(self, table: str, record: Record) -> Entry | None:
        kind = KINDS[table]
        ident = self._id(record) if not record.errors else ""
        if not ident:
            entry = Entry(record, kind, "")
            self.ordered.append(entry)
            return None
        if ident in self.entries[table]:
            record.errors.append(_("Id «%(id)s» già usato in %(where)s.") % {"id": ident, "where": self.entries[table][ident].record.where})
            self.ordered.append(Entry(record, kind, ""))
            return None
        entry = Entry(record, kind, f"{kind.prefix}:{ident}")
        self.entries[table][ident] = entry
        self.ordered.append(entry)
        return entry

    def _existing_records(self, table: str, queryset: Any) -> dict[int, Any]:
        """The records of `table` that an earlier import created, read in one query (not one per record)."""
        prefix = KINDS[table].prefix
        keys = (f"{prefix}:{str(record.data.get('id')).strip()}" for record in self.tables[table])
        return {instance.pk: instance for instance in queryset.filter(pk__in={self.known[key] for key in keys if key in self.known})}

    def _existing(self, entry: Entry, found: dict[int, Any]) -> Any:
        pk = self.known.get(entry.external_id)
        return found.get(pk) if pk else None

    # the three main tables

    def _organisations(self) -> None:
        taken = Organisation.objects.filter(city=self.city).values_list("pk", "name", "tax_code")
        names = {name.lower(): pk for pk, name, _tax in taken}
        tax_codes = {tax: pk for pk, _name, tax in taken if tax}
        seen_names: dict[str, str] = {}
        found = self._existing_records("organizations", Organisation.objects.filter(city=self.city).prefetch_related("neighbourhoods"))
        for record in self.tables["organizations"]:
            entry = self._entry("organizations", record)
            if entry is None:
                continue
            existing = self._existing(entry, found)
            organisation = existing or Organisation(city=self.city)
            entry.before = _organisation_snapshot(existing) if existing else None
            organisation.name = text(record, "name", 200)
            if not organisation.name and not _said(record, "name"):
                record.errors.append(_("name: manca il nome dell'organizzazione."))
            organisation.description = text(record, "description", 4000)
            organisation.email = text(record, "email", 254)
            organisation.website = text(record, "website", 200)
            status = text(record, "legal_status", 200)
            organisation.sector = (_choice(status, Organisation.Sector.choices) if status else None) or (
                existing.sector if existing else Organisation.Sector.THIRD_SECTOR
            )
            form = _choice(status, Organisation.LegalForm.choices) if status else None
            if form:
                organisation.legal_form = form
            tax = text(record, "tax_id", 20).replace(" ", "").upper()
            organisation.tax_code = tax
            phones = self._of("phones", "organization_id", entry.external_id.split(":", 1)[1])
            organisation.phone = next((text(p, "number", 30) for p in phones if not p.errors and p.data.get("number")), organisation.phone)
            if organisation.name:
                key = organisation.name.lower()
                if key in seen_names:
                    record.errors.append(_("name: nome già usato in %(where)s.") % {"where": seen_names[key]})
                elif names.get(key, organisation.pk) != organisation.pk:
                    record.errors.append(_("name: esiste già un'organizzazione con questo nome in città."))
                seen_names.setdefault(key, record.where)
            if tax and tax_codes.get(tax, organisation.pk) != organisation.pk:
                record.errors.append(_("tax_id: un'organizzazione con questo codice fiscale è già registrata in città."))
            self._clean(record, organisation, exclude={"city", "neighbourhoods", "members"})
            entry.instance = organisation

    def _places(self) -> None:
        organisations = self.entries["organizations"]
        found = self._existing_records("locations", Place.objects.filter(neighbourhood__city=self.city))
        for record in self.tables["locations"]:
            entry = self._entry("locations", record)
            if entry is None:
                continue
            ident = entry.external_id.split(":", 1)[1]
            existing = self._existing(entry, found)
            place = existing or Place()
            entry.before = KINDS["locations"].snapshot(existing) if existing else None
            kind = text(record, "location_type", 20).lower()
            if kind and kind != "physical":
                record.errors.append(
                    _("location_type: «%(value)s»: Trama registra solo luoghi fisici (physical); toglilo dal file.") % {"value": kind[:20]}
                )
            place.name = text(record, "name", 200)
            if not place.name and not _said(record, "name"):
                record.errors.append(_("name: manca il nome del luogo."))
            place.description = text(record, "description", 4000)
            place.lat, place.lon = number(record, "latitude"), number(record, "longitude")
            addresses = [a for a in self._of("addresses", "location_id", ident) if not a.errors]
            place.address = text(record, "address", 200)
            if addresses:
                first = addresses[0]
                line = ", ".join(p for p in (text(first, "address_1", 200), text(first, "city", 100)) if p)
                place.address = line[:200]
            accessibility = [text(a, "description", 1000) for a in self._of("accessibility", "location_id", ident) if not a.errors]
            place.accessibility = "\n".join(a for a in accessibility if a)[:1000] or place.accessibility
            place.opening_hours = opening_hours([s for s in self._of("schedules", "location_id", ident) if not s.data.get("service_id")])
            if len(place.opening_hours) > 300:
                record.errors.append(_("schedules: gli orari del luogo, scritti per esteso, superano 300 caratteri."))
            phones = self._of("phones", "location_id", ident)
            place.phone = next((text(p, "number", 30) for p in phones if not p.errors and p.data.get("number")), place.phone)
            chosen_kind = text(record, "kind", 60)
            if chosen_kind:
                place.kind = _choice(chosen_kind, Place.Kind.choices) or Place.Kind.OTHER
            elif not existing:
                place.kind = Place.Kind.OTHER
            place.neighbourhood = self._neighbourhood(record, place, existing)  # type: ignore[assignment]
            organisation = text(record, "organization_id", MAX_ID)
            place.managing_organisation = None
            if organisation:
                place.managing_organisation = self._organisation(record, "organization_id", organisation, organisations)
            self._clean(record, place, exclude={"neighbourhood", "managing_organisation"})
            entry.instance = place

    def _neighbourhood(self, record: Record, place: Place, existing: Place | None) -> Neighbourhood | None:
        name = text(record, "neighbourhood", 100)
        found = None
        if name:
            found = self.by_name.get(name.lower())
            if found is None:
                record.errors.append(
                    _("neighbourhood: il quartiere «%(name)s» non esiste a %(city)s. Quartieri possibili: %(names)s.")
                    % {"name": name[:60], "city": self.city.name, "names": ", ".join(sorted(n.name for n in self.by_name.values()))}
                )
                return None
        elif place.lat is not None and place.lon is not None:
            if not (-90 <= place.lat <= 90 and -180 <= place.lon <= 180):
                return None  # the coordinates' own error says why
            found = neighbourhood_at(self.city, place.lat, place.lon)
            if found is None:
                record.errors.append(_("latitude, longitude: il punto non cade in nessun quartiere di %(city)s.") % {"city": self.city.name})
                return None
        elif existing is not None:
            found = existing.neighbourhood
        else:
            record.errors.append(
                _("Non si sa in quale quartiere sia: aggiungi latitude e longitude, oppure il campo neighbourhood con il nome del quartiere.")
            )
            return None
        if self.scope is not None and found.pk not in self.scope:
            record.errors.append(_("Il quartiere «%(name)s» non ti è assegnato: non puoi importarvi luoghi.") % {"name": found.name})
        if existing is not None and self.scope is not None and existing.neighbourhood_id not in self.scope:
            record.errors.append(_("Questo luogo è in un quartiere che non ti è assegnato: non puoi aggiornarlo."))
        return found

    def _organisation(self, record: Record, name: str, ident: str, organisations: dict[str, Entry]) -> Organisation | None:
        if ident in organisations:
            return organisations[ident].instance
        pk = self.known.get(f"organization:{ident}")
        if pk and pk not in self.earlier_organisations:  # one query per organisation, not per record that names it
            self.earlier_organisations[pk] = Organisation.objects.filter(pk=pk, city=self.city).first()
        found = self.earlier_organisations.get(pk) if pk else None
        if found is None:
            record.errors.append(
                _("%(field)s: l'organizzazione «%(id)s» non è nel file né in un'importazione precedente.") % {"field": name, "id": ident}
            )
        return found

    def _services(self) -> None:
        organisations, places = self.entries["organizations"], self.entries["locations"]
        found = self._existing_records("services", Service.objects.filter(organisation__city=self.city))
        for record in self.tables["services"]:
            entry = self._entry("services", record)
            if entry is None:
                continue
            ident = entry.external_id.split(":", 1)[1]
            existing = self._existing(entry, found)
            service = existing or Service()
            entry.before = KINDS["services"].snapshot(existing) if existing else None
            service.name = text(record, "name", 200)
            if not service.name and not _said(record, "name"):
                record.errors.append(_("name: manca il nome del servizio."))
            service.description = text(record, "description", 2000)
            status = text(record, "status", 30).lower()
            if status and status not in STATUSES:
                record.errors.append(
                    _("status: «%(value)s» non è uno stato HSDS (active, inactive, defunct, temporarily closed).") % {"value": status[:30]}
                )
            elif status and status != "active":
                record.errors.append(
                    _("status: il servizio non è attivo («%(value)s»): Trama importa solo servizi attivi; toglilo dal file.") % {"value": status}
                )
            organisation = text(record, "organization_id", MAX_ID)
            if not organisation:
                record.errors.append(_("organization_id: manca l'organizzazione che offre il servizio."))
            else:
                provider = self._organisation(record, "organization_id", organisation, organisations)
                service.organisation = provider  # type: ignore[assignment]
                known = provider if organisation not in organisations else None
                if self.scope is not None and known is not None and not (set(known.neighbourhoods.values_list("pk", flat=True)) or {0}) <= self.scope:
                    record.errors.append(_("L'organizzazione del servizio opera in quartieri che non ti sono assegnati: non puoi importarlo."))
            links = [link for link in self._of("service_at_locations", "service_id", ident) if not link.errors]
            service.place = None
            location = next((text(link, "location_id", MAX_ID) for link in links if link.data.get("location_id")), "")
            if location:
                if location in places:
                    service.place = places[location].instance
                else:
                    pk = self.known.get(f"location:{location}")
                    service.place = Place.objects.filter(pk=pk, neighbourhood__city=self.city).first() if pk else None
                    if service.place is None:
                        record.errors.append(
                            _("service_at_locations: il luogo «%(id)s» non è nel file né in un'importazione precedente.") % {"id": location}
                        )
            schedules = [s for s in self._of("schedules", "service_id", ident) if not s.errors]
            service.opening_hours = opening_hours(schedules)
            if len(service.opening_hours) > 300:
                record.errors.append(_("schedules: gli orari del servizio, scritti per esteso, superano 300 caratteri."))
            self._clean(record, service, exclude={"organisation", "place", "embedding", "embedding_model"})
            entry.instance = service

    def _neighbourhoods_of_organisations(self) -> None:
        """An organisation works where its places are: the neighbourhoods of its locations in the file, else the ones it had."""
        of: dict[int, set[int]] = {}
        for entry in self.entries["locations"].values():
            place = entry.instance
            if place is not None and place.managing_organisation is not None and place.neighbourhood_id:
                of.setdefault(id(place.managing_organisation), set()).add(place.neighbourhood_id)
        for entry in self.entries["organizations"].values():
            organisation = entry.instance
            if organisation is None:
                continue
            planned = of.get(id(organisation)) or set((entry.before or {}).get("neighbourhoods", []))
            organisation._planned_neighbourhoods = sorted(planned)
            if self.scope is None:
                continue
            if entry.before is not None and not set(entry.before["neighbourhoods"]) <= self.scope:
                entry.record.errors.append(_("Questa organizzazione opera in quartieri che non ti sono assegnati: non puoi aggiornarla."))
            elif not planned:
                entry.record.errors.append(_("Nessuno dei suoi luoghi è in un quartiere che ti è assegnato: non puoi importarla."))
            elif not planned <= self.scope:
                entry.record.errors.append(_("Alcuni dei suoi luoghi sono in quartieri che non ti sono assegnati: non puoi importarla."))

    def _clean(self, record: Record, instance: Any, exclude: set[str]) -> None:
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                name = HSDS_NAME.get(field_name, field_name)
                # A field already said to be wrong is not said twice (its value was left empty).
                if not _said(record, name):
                    record.errors += [f"{name}: {message}" for message in messages]

    def _outcome(self, entry: Entry) -> None:
        if entry.record.errors or entry.instance is None:
            entry.outcome = "error"
        elif entry.before is None:
            entry.outcome = "new"
        else:
            entry.outcome = "same" if entry.before == entry.kind.snapshot(entry.instance) else "update"

    # the report

    def rows(self) -> list[dict[str, Any]]:
        """The preview's report, a row per organisation, place and service and per detail in error. What the file
        wrote is quoted without its control characters: the report is stored (PostgreSQL's JSON refuses NUL)."""
        rows = []
        for number, entry in enumerate(self.ordered, start=1):
            name = entry.record.data.get("name")
            rows.append(
                {
                    "line": number,
                    "where": _shown(entry.record.where),
                    "outcome": "error" if entry.record.errors else entry.outcome,
                    "label": f"{entry.kind.label} · {_shown(name if isinstance(name, (str, int, float)) else '')[:100]}",
                    "messages": [_shown(message) for message in entry.record.errors],
                }
            )
        number = len(rows)
        for table in DETAILS:
            for record in self.tables[table]:
                if record.errors:
                    number += 1
                    label = str(DETAIL_LABELS[table])
                    messages = [_shown(message) for message in record.errors]
                    rows.append({"line": number, "where": _shown(record.where), "outcome": "error", "label": label, "messages": messages})
        return rows

    # writing

    def write(self, run: Import) -> None:
        """Write every new or changed record, in the order they point at each other, with its external id and its
        change for undoing. The caller holds the transaction."""
        ids, changes = [], []
        for table in MAIN:
            for entry in self.entries[table].values():
                if entry.outcome == "same":
                    continue
                instance = entry.instance
                if table == "locations" and instance.managing_organisation is not None:
                    instance.managing_organisation_id = instance.managing_organisation.pk
                if table == "services":
                    instance.organisation_id = instance.organisation.pk
                    instance.place_id = instance.place.pk if instance.place is not None else None
                created = entry.before is None
                values = entry.kind.snapshot(instance)
                entry.kind.save(instance, values, by=self.by, created=created)
                if created:
                    ids.append(ExternalId(city=self.city, kind=KIND, external_id=entry.external_id, object_id=instance.pk))
                changes.append(
                    Change(
                        run=run,
                        action=Change.Action.CREATED if created else Change.Action.UPDATED,
                        object_id=instance.pk,
                        external_id=entry.external_id,
                        previous=entry.before or {},
                        written=entry.kind.snapshot(instance),
                    )
                )
        ExternalId.objects.bulk_create(ids)
        Change.objects.bulk_create(changes)


def count(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(("new", "update", "same", "error"), 0)
    for row in rows:
        counts[row["outcome"]] += 1
    return counts


def check(name: str, data: bytes) -> int:
    """Read the file as a whole and return how many records it has (`files.Refused` when it cannot be read)."""
    return sum(len(records) for records in read(name, data).values())


def compute_preview(run: Import, progress: Callable[[int], None]) -> None:
    """Say, record by record, what importing the directory would do; nothing of it is written."""
    assert run.requested_by is not None
    tables = read(run.filename, bytes(run.content))
    progress(30)
    directory = Directory(tables, city=run.city, by=run.requested_by)
    run.rows = directory.rows()
    run.counts = count(run.rows)
    if run.has_errors:
        run.content = b""


def execute(run: Import, progress: Callable[[int], None]) -> None:
    """Import a confirmed directory in one transaction: if a record has become invalid since the preview (an
    organisation of the same name registered meanwhile), nothing is written and the error says which."""
    assert run.requested_by is not None
    tables = read(run.filename, bytes(run.content))
    progress(10)
    with transaction.atomic():
        directory = Directory(tables, city=run.city, by=run.requested_by)
        rows = directory.rows()
        failed = next((row for row in rows if row["outcome"] == "error"), None)
        if failed is not None:
            raise ValueError(
                _("Il record %(where)s non è più valido (%(why)s): niente è stato importato. Prepara una nuova anteprima.")
                % {"where": failed["where"], "why": "; ".join(failed["messages"])}
            )
        progress(50)
        directory.write(run)
    run.rows, run.counts = rows, count(rows)
