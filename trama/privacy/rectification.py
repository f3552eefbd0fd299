"""Rectification of a person's data (GDPR art. 16), from the fields the registry declares rectifiable.

`parts_for(user, person)` finds which of the person's own rows (found through each declaration's
`subject`, never through a text that merely mentions them) `user` may correct, and which fields
of each: staff the `rectifiable` fields of a row they may change (its `<app>.change_<model>`
permission, the owning app's rule), the person themself the `rectifiable_by_person` ones.
`RectificationForm` is one model form per row with exactly those fields (nothing else posted is
read) and the reason; `rectify` saves the changed rows in one transaction, through each model's
own `save()` (so what a model derives from its text follows), and records a `Rectification` and
one audit entry per changed row naming the fields, never their values.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms.models import modelform_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.access import COORDINATOR, WORKER, Scope, role_of

from . import audit
from .exports import may_export
from .forms import TOO_LONG
from .models import Rectification
from .registry import registry

READ_REASON = "rettifica dei dati"
REASON = "rettifica dei dati (art. 16 GDPR) n. %(number)s della persona %(person)s: %(fields)s"


def may_rectify(user, person):
    """Who may correct `person`'s data: the same as for a copy of it (staff in scope, or the person themself).
    Which fields each may change is then decided row by row (`parts_for`)."""
    return may_export(user, person)


@dataclass
class Part:
    """One of the person's rows and the fields of it the user may correct."""

    declaration: object
    row: object
    fields: tuple

    @property
    def prefix(self):
        return f"{self.row._meta.label_lower}-{self.row.pk}"

    @property
    def title(self):
        meta = self.row._meta
        if meta.label == "people.Person":
            return _("Scheda della persona")
        return _("%(what)s n. %(number)s") % {"what": str(meta.verbose_name).capitalize(), "number": self.row.pk}


def own_rows(declaration, person):
    """The declared model's rows that are `person`'s own: through the subject lookups only."""
    condition = Q()
    for path in declaration.subject:
        condition |= Q(**{path: person.pk})
    return declaration.model._default_manager.filter(condition).distinct().order_by("pk")


def parts_for(user, person):
    """The rows of `person` that `user` may correct, each with its fields, in the registry's order."""
    if not may_rectify(user, person) or person.anonymised_at is not None:
        return []
    staff = role_of(user) in (COORDINATOR, WORKER)
    themself = person.account_id is not None and person.account_id == user.pk
    parts = []
    for declaration in registry:
        if not declaration.rectifiable:
            continue
        rows = list(own_rows(declaration, person))
        if staff:
            _prime(user, declaration.change_permission, rows)
        for row in rows:
            fields = ()
            if staff and user.has_perm(declaration.change_permission, row):
                fields = declaration.rectifiable
            if themself:
                fields = (*fields, *(f for f in declaration.rectifiable_by_person if f not in fields))
            if fields:
                # In the model's order, so a form reads as the record does.
                order = [f.name for f in row._meta.concrete_fields]
                parts.append(Part(declaration, row, tuple(sorted(fields, key=order.index))))
    return parts


def _prime(user, permission, rows):
    """Answer `permission` for all of `rows` in one query when a scope granted it (trama.access.Scope.grant):
    the answers are remembered on the rows, and `has_perm` then asks the same rule without a query per row."""
    for scope in Scope.registry:
        if permission in scope.permissions:
            scope.allowed_among(user, rows)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motivo della rettifica"),
        max_length=Rectification.REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Per esempio «numero di telefono cambiato» o «cognome scritto male». Non ripetere qui i dati: bastano i campi qui sopra."
        ),
        error_messages={"required": gettext_lazy("Scrivi il motivo della rettifica."), "max_length": TOO_LONG},
    )


class RectificationForm:
    """The model forms of the parts (one per row, prefixed by its model and id) and the reason."""

    def __init__(self, parts, data=None):
        self.parts = parts
        self.forms = [modelform_factory(part.row.__class__, fields=part.fields)(data, instance=part.row, prefix=part.prefix) for part in parts]
        self.reason = ReasonForm(data)

    def __iter__(self):
        return iter(zip(self.parts, self.forms, strict=True))

    def is_valid(self):
        # A list, not a generator: every form is validated, so the page marks every wrong field at once.
        valid = all([form.is_valid() for form in self.forms]) and self.reason.is_valid()  # noqa: C419
        if valid and not self.changed():
            self.add_error(ValidationError(_("Non hai cambiato nessun dato: correggi almeno un campo."), code="nothing_changed"))
            return False
        return valid

    def add_error(self, error):
        self.reason.add_error(None, error)

    @property
    def has_errors(self):
        return any(form.errors for form in self.forms) or bool(self.reason.errors)

    def changed(self):
        """(part, form, the names of the fields changed) for each row whose form changes something."""
        return [(part, form, form.changed_data) for part, form in self if form.changed_data]


def rectify(user, person, form, path=""):
    """Save what `form` (valid) changes of `person`'s data, in one transaction, and record it.

    Refuses (PermissionDenied) anyone who may not correct this person's data, and any part not
    among what `parts_for` gives `user` now. Returns the `Rectification`.
    """
    allowed = {(part.row._meta.label, part.row.pk): set(part.fields) for part in parts_for(user, person)}
    changes = form.changed()
    for part, _form, names in changes:
        if not set(names) <= allowed.get((part.row._meta.label, part.row.pk), set()):
            raise PermissionDenied(_("Non puoi rettificare questi dati."))
    if not changes:
        raise ValidationError(_("Non hai cambiato nessun dato: correggi almeno un campo."), code="nothing_changed")
    with transaction.atomic():
        rectification = Rectification.objects.create(
            person=person,
            made_by=user,
            reason=form.reason.cleaned_data["reason"],
            fields=[f"{part.row._meta.label_lower}.{name}" for part, _form, names in changes for name in names],
        )
        for _part, model_form, names in changes:
            row = model_form.save(commit=False)
            row.save(update_fields=names)
            audit.record(
                user,
                audit.Action.UPDATE,
                row,
                path=path,
                reason=REASON % {"number": rectification.pk, "person": person.pk, "fields": ", ".join(names)},
            )
    return rectification


def history_of(person):
    """The rectifications of `person`'s data, newest first."""
    return Rectification.objects.filter(person=person).select_related("made_by")
