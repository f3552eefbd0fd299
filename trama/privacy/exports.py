"""A person's complete record (GDPR art. 15 and 20): every declared row as JSON, and a readable PDF.

`request_export` checks who asks and records the request; `tasks.build_export` builds the file
in the background with `record_of`, `build_pdf` and `build_zip`; the file is handed over once
by `deliver`, to the account that asked, before it expires.
"""

import base64
import io
import json
import re
import secrets
import zipfile
from datetime import date, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trama.access import COORDINATOR, WORKER, role_of
from trama.pdf import add_fonts

from . import audit
from .models import DataExport
from .registry import PERSON, registry

REQUEST_REASON = "richiesta di copia dei dati (art. 15 e 20 GDPR)"
DELIVERY_REASON = "consegna della copia dei dati (art. 15 e 20 GDPR)"


def may_export(user, person):
    """May `user` ask for `person`'s complete record? Staff for a person in their scope; anyone for themself."""
    if person is None or role_of(user) in (None, "anonymous"):
        return False
    if role_of(user) in (COORDINATOR, WORKER):
        return user.has_perm("people.view_person", person)
    return person.account_id == user.pk


def request_export(user, person, path=""):
    """Queue the building of `person`'s record for `user` and audit the request; refuse anyone else.

    A request already queued or running for the same person and requester is returned instead of a new one.
    """
    from .tasks import build_export

    if not may_export(user, person):
        raise PermissionDenied(_("Non puoi chiedere i dati di questa persona."))
    expire_old()
    pending = DataExport.objects.filter(person=person, requested_by=user, status__in=[DataExport.Status.QUEUED, DataExport.Status.RUNNING]).first()
    if pending is not None:
        return pending
    export = DataExport.objects.create(person=person, requested_by=user, token=secrets.token_urlsafe(32))
    audit.record(user, audit.Action.EXPORT, person, reason=REQUEST_REASON, path=path)
    build_export.enqueue(export.pk)
    return export


def expire_old(now=None):
    """Drop the files nobody downloaded in time; returns how many."""
    now = now or timezone.now()
    return DataExport.objects.filter(status=DataExport.Status.DONE, expires_at__lte=now).update(status=DataExport.Status.EXPIRED, content=None)


def deliver(export, user, path=""):
    """The file of `export`, handed over once to the account that asked for it; None when it cannot be.

    The file is dropped in the same UPDATE that marks it delivered, so two clicks cannot both get it.
    """
    now = timezone.now()
    if export.requested_by_id != user.pk or not export.downloadable(now):
        return None
    content = bytes(export.content)
    taken = DataExport.objects.filter(pk=export.pk, status=DataExport.Status.DONE, expires_at__gt=now).update(
        status=DataExport.Status.DELIVERED, delivered_at=now, content=None
    )
    if not taken:
        return None
    # Named by its id: the delivery hands over a file, it does not load the person's record.
    audit.record(user, audit.Action.EXPORT, object_type=_label_lower(PERSON), object_id=export.person_id, reason=DELIVERY_REASON, path=path)
    return content


# -- the record ---------------------------------------------------------------------------------


def _json_value(f, row):
    value = f.value_from_object(row)
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(f, models.FileField):
        return value.name or ""
    return value


def _since(rows):
    """When we first held one of these rows: the earliest date set when a row was created."""
    dates = []
    for row in rows:
        for f in row._meta.concrete_fields:
            if getattr(f, "auto_now_add", False) and getattr(row, f.attname) is not None:
                dates.append(getattr(row, f.attname))
    return min(dates) if dates else None


def record_of(person, progress=lambda share: None):
    """`person`'s complete record: for each declared model its purpose, legal basis, retention and
    every row about them with every exported field; then who read or changed those rows (the audit log)."""
    declarations = list(registry)
    sections = []
    for done, declaration in enumerate(declarations, 1):
        rows = list(declaration.rows_of(person))
        fields = declaration.exported_fields()
        sections.append(
            {
                "model": declaration.label,
                "name": str(declaration.model._meta.verbose_name_plural),
                "purpose": str(declaration.purpose),
                "legal_basis": str(declaration.basis),
                "retention": str(declaration.retention),
                "since": _since(rows),
                "rows": [{f.name: _json_value(f, row) for f in fields} for row in rows],
                # Named, not given: fields about someone else (art. 15.4).
                "withheld": list(declaration.withheld),
                "_objects": rows,
            }
        )
        progress(done / len(declarations))
    return {
        "person": person.pk,
        "generated_at": timezone.now(),
        "sections": sections,
        "accesses": accesses_of(person, sections),
    }


def _label_lower(label):
    return apps.get_model(label)._meta.label_lower


def accesses_of(person, sections):
    """Who read, changed or exported the rows of `sections`: one line per audit entry, oldest first.

    An entry names one record (its id) or a page of a list (the ids in its reason, see audit.record_page).
    """
    condition = Q()
    for section in sections:
        ids = [str(row.pk) for row in section["_objects"]]
        if not ids:
            continue
        label = _label_lower(section["model"])
        pattern = r": (.*,)?(" + "|".join(re.escape(pk) for pk in ids) + r")(,|$)"
        condition |= Q(object_type=label, object_id__in=ids) | Q(object_type=label, object_id="", reason__regex=pattern)
    if not condition:
        return []
    entries = audit.AuditEntry.objects.filter(condition).select_related("actor").order_by("at", "pk")
    return [
        {
            "at": entry.at,
            "action": entry.action,
            "action_label": str(entry.get_action_display()),
            "by_role": _role_label(entry.actor, person),
            "what": entry.object_type,
        }
        for entry in entries
    ]


def _role_label(actor, person):
    if actor is None:
        return _("nessun account (sistema o visitatore)")
    if actor.pk == person.account_id:
        return _("la persona stessa")
    return str(actor.get_role_display())


def to_json(record):
    clean = {**record, "sections": [{k: v for k, v in s.items() if k != "_objects"} for s in record["sections"]]}
    return json.dumps(clean, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


# -- the readable copy ------------------------------------------------------------------------


def _readable(f, row):
    value = getattr(row, f.attname)
    if value in (None, "") or f.name in ("id",):
        return None
    if f.choices:
        return str(getattr(row, f"get_{f.name}_display")())
    if isinstance(value, bool):
        return _("sì") if value else _("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if f.is_relation:
        return _("n. %(id)s") % {"id": value}
    if isinstance(f, models.FileField):
        return value.name if hasattr(value, "name") else str(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _when(value):
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


def build_pdf(record, person, progress=lambda share: None):
    """The record as a PDF in Italian: what we hold, why, since when, and who saw it."""
    from fpdf import FPDF, XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_creation_date(timezone.make_aware(datetime(2000, 1, 1)))
    add_fonts(pdf)
    pdf.set_title(_("I dati personali che Trama conserva"))
    pdf.set_author("Trama")
    pdf.set_auto_page_break(True, margin=15)

    def heading(text, size=14):
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    def paragraph(text, size=10, bold=False):
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.add_page()
    heading(_("I dati personali che Trama conserva"), 20)
    paragraph(_("Persona: %(name)s (identificativo %(id)s)") % {"name": person.display_name, "id": person.pk}, 12)
    paragraph(_("Documento preparato il %(date)s.") % {"date": _when(record["generated_at"])})
    pdf.ln(2)
    paragraph(
        _(
            "Questo documento elenca tutti i dati che Trama conserva su di te, perché li conserva, su quale base "
            "giuridica, da quando e per quanto tempo, e chi li ha letti o modificati (articoli 15 e 20 del "
            "Regolamento europeo sulla protezione dei dati). Il file dati.json, nello stesso archivio, contiene "
            "gli stessi dati in un formato leggibile da un programma, per portarli altrove."
        )
    )
    pdf.ln(4)

    held = [s for s in record["sections"] if s["rows"]]
    if not held:
        paragraph(_("Non conserviamo altri dati su di te."))
    for done, section in enumerate(held, 1):
        heading(section["name"].capitalize(), 13)
        paragraph(_("Perché: %(purpose)s") % {"purpose": section["purpose"]})
        paragraph(_("Base giuridica: %(basis)s") % {"basis": section["legal_basis"]})
        paragraph(_("Per quanto tempo: %(retention)s") % {"retention": section["retention"]})
        paragraph(_("Dal: %(since)s") % {"since": _when(section["since"])})
        declaration = registry.declarations[section["model"]]
        if declaration.withheld:
            names = ", ".join(str(declaration.model._meta.get_field(name).verbose_name) for name in declaration.withheld)
            paragraph(_("Non riportati qui perché riguardano altre persone: %(fields)s") % {"fields": names})
        pdf.ln(2)
        for number, row in enumerate(section["_objects"], 1):
            paragraph(_("Voce %(n)s di %(total)s") % {"n": number, "total": len(section["_objects"])}, 10, bold=True)
            for f in declaration.exported_fields():
                value = _readable(f, row)
                if value is not None:
                    paragraph(f"{str(f.verbose_name).capitalize()}: {value}", 9)
            pdf.ln(2)
        progress(done / len(held))

    heading(_("Chi ha visto o modificato i tuoi dati"), 13)
    if not record["accesses"]:
        paragraph(_("Nessun accesso registrato."))
    else:
        pdf.set_font("DejaVu", "", 9)
        with pdf.table(col_widths=(30, 40, 35, 45), text_align="LEFT", first_row_as_headings=True) as grid:
            line = grid.row()
            for title in (_("Quando"), _("Chi"), _("Che cosa"), _("Quale dato")):
                line.cell(title)
            for access in record["accesses"]:
                line = grid.row()
                for text in (
                    date_format(timezone.localtime(access["at"]), "SHORT_DATETIME_FORMAT"),
                    access["by_role"],
                    access["action_label"],
                    _type_label(access["what"]),
                ):
                    line.cell(str(text))
    return bytes(pdf.output())


def _type_label(object_type):
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def build_zip(json_bytes, pdf_bytes):
    """One archive with the two files, dated like the PDF so the same record gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (("dati.json", json_bytes), ("dati.pdf", pdf_bytes)):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


def lifetime():
    return timedelta(hours=settings.TRAMA_PRIVACY_EXPORT_HOURS)


def person_model():
    return apps.get_model(PERSON)
