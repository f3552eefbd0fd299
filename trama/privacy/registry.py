"""The registry of personal data: what each app holds about a person, and what becomes of it.

Each app declares its own part in `trama/<app>/personal_data.py`, next to its models, and the
privacy app reads those declarations (imported by `PrivacyConfig.ready()`); it never looks
another app's models up by name. A declaration says, for one model:

- how a person's rows are found (`subject`: lookups from the model to `people.Person`),
- which links only name the account that did the work (`actors`: a worker recording a need),
- which fields are free text about people (`texts`), and which of them make a row the person's
  when they name them (`mentions`: meeting minutes naming someone), and which are not exported (`hidden`:
  secrets and derived copies; `withheld`: fields about someone else, which a copy must not
  hand over, GDPR art. 15.4; the reason in the declaration),
- how the rows are erased or anonymised (`erase`), how long they are kept (`retention`,
  `months`), why they are held (`purpose`), on which legal basis (`basis`) and who may see them
  (`seen_by`),
- when a row has been kept long enough and what then becomes of it (`expires`: one `Expiry` or
  more, applied every night by `privacy.retention`),
- which fields a person may ask to have corrected (`rectifiable`, GDPR art. 16: changed by staff
  allowed to change the row, asked with its `<app>.change_<model>` permission), and which of those
  the person may correct themself from their profile (`rectifiable_by_person`).

A model whose links to accounts only say who did the work, or whose free text is not about
people (a place's description), is declared with `not_about_people` and the reason.
`problems()` lists every model the registry does not account for: a test keeps it empty, so
the next app cannot forget its part.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

PERSON = "people.Person"
# Free text: a TextField, or a CharField long enough to hold a sentence about someone.
FREE_TEXT_LENGTH = 300
# What takes an erased person's name in a text kept for the others (meeting minutes, a decision).
NAME_REMOVED = "[nome cancellato]"


@dataclass(frozen=True)
class Erase:
    """What erasure does to a person's rows of one model.

    DELETE removes them; ANONYMISE keeps them for the aggregates with `blank` fields emptied,
    `unlink` links set to null and the person's names taken out of the `scrub` texts; REMOVE
    takes the person out of the many-to-many `unlink` (the row's own count stays); KEEP keeps
    them as they are, for the reason given; CALL hands the rows to `function(rows, person)`, a
    service of the owning app doing what `reason` says. `person` is as it was before the
    erasure began: its names are still there for the services to look for.
    """

    DELETE = "delete"
    ANONYMISE = "anonymise"
    REMOVE = "remove"
    KEEP = "keep"
    CALL = "call"

    kind: str
    blank: tuple = ()
    unlink: tuple = ()
    scrub: tuple = ()
    function: str = ""
    reason: str = ""

    @classmethod
    def delete(cls):
        return cls(cls.DELETE)

    @classmethod
    def anonymise(cls, blank=(), unlink=(), scrub=()):
        return cls(cls.ANONYMISE, blank=tuple(blank), unlink=tuple(unlink), scrub=tuple(scrub))

    @classmethod
    def remove(cls, relation):
        return cls(cls.REMOVE, unlink=(relation,))

    @classmethod
    def keep(cls, reason):
        return cls(cls.KEEP, reason=reason)

    @classmethod
    def call(cls, function, reason):
        """`function` is the dotted path of the owning app's service, so declaring imports no services."""
        return cls(cls.CALL, function=function, reason=reason)


@dataclass(frozen=True)
class Expiry:
    """When a row of a declared model has been kept long enough, and what then becomes of it.

    The clock runs from the date field `clock`; only rows matching `ended` may expire (a need
    still open, a signal still followed, is never touched), after the declaration's `months`
    or, for a further rule of the same model, after this rule's own `months` (its key in
    `TRAMA_RETENTION_MONTHS` is then "label:name"). `ended` is a Q, or a function giving one
    when the rule runs (for a condition on models registered by apps made ready after privacy). What happens is `erase` (DELETE, or
    ANONYMISE where indicators count the rows), by default the declaration's own; or the
    owning app's `function(rows, now)`, with `pending` saying which rows it still has to act
    on, so that a second run finds nothing. `why` justifies the period in the records of
    processing (docs/privacy.md).
    """

    clock: str
    ended: models.Q | Callable[[], models.Q] = field(default_factory=models.Q)
    erase: Erase | None = None
    function: str = ""
    pending: models.Q | None = None
    name: str = ""
    months: int | None = None
    why: str = ""


@dataclass(frozen=True)
class Declaration:
    """One model's personal data about a person (see the module's docstring)."""

    label: str
    subject: tuple
    purpose: str
    basis: str
    retention: str
    erase: Erase
    months: int | None = None
    actors: tuple = ()
    texts: tuple = ()
    hidden: tuple = ()
    withheld: tuple = ()
    by_name: tuple = ()
    mentions: tuple = ()
    seen_by: str = ""
    expires: tuple = ()
    rectifiable: tuple = ()
    rectifiable_by_person: tuple = ()

    @property
    def model(self):
        return apps.get_model(self.label)

    @property
    def change_permission(self):
        """The permission asked (with the row) before staff correct a row's `rectifiable` fields."""
        meta = self.model._meta
        return f"{meta.app_label}.change_{meta.model_name}"

    def exported_fields(self):
        """The concrete fields of a row that go into a person's record: all of them but the hidden and the withheld."""
        return [f for f in self.model._meta.concrete_fields if f.name not in self.hidden and f.name not in self.withheld]

    def rows_of(self, person):
        """This model's rows about `person`: through any of the subject lookups, naming them in `by_name`,
        or mentioning one of their names in a `mentions` text."""
        condition = models.Q()
        for path in self.subject:
            condition |= models.Q(**{path: person.pk})
        names = names_of(person)
        for field_name in self.by_name:
            for name in names:
                condition |= models.Q(**{f"{field_name}__iexact": name})
        for field_name in self.mentions:
            for name in names:
                condition |= models.Q(**{f"{field_name}__icontains": name})
        if not condition:
            return self.model._default_manager.none()
        return self.model._default_manager.filter(condition).distinct().order_by("pk")


def names_of(person):
    """The names that single a person out in Trama's texts: their chosen name and their full name, longest first.

    A first or a last name alone is shared by too many people to be looked for.
    """
    names = (person.display_name, f"{person.first_name} {person.last_name}")
    # One letter is no name to look for: it would match every text.
    return sorted({name.strip() for name in names if len(name.strip()) > 1}, key=lambda n: (-len(n), n))


def scrub_names(text, person):
    """`text` with every name of `names_of(person)` replaced by NAME_REMOVED (whole words, any case)."""
    if not text:
        return text
    for name in names_of(person):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", NAME_REMOVED, text, flags=re.IGNORECASE)
    return text


@dataclass(frozen=True)
class Exemption:
    """A model whose links to people only name who did the work, or whose free text is not about people."""

    label: str
    reason: str
    actors: tuple = ()
    texts: tuple = ()


@dataclass
class Registry:
    declarations: dict = field(default_factory=dict)
    exemptions: dict = field(default_factory=dict)

    def declare(
        self,
        label,
        *,
        subject,
        purpose,
        basis,
        retention,
        erase,
        months=None,
        actors=(),
        texts=(),
        hidden=(),
        withheld=(),
        by_name=(),
        mentions=(),
        seen_by="",
        expires=(),
        rectifiable=(),
        rectifiable_by_person=(),
    ):
        """Declare that `label` holds a person's data (one call per model, from the app that owns it)."""
        self._check_new(label)
        self.declarations[label] = Declaration(
            label=label,
            subject=tuple(subject),
            purpose=purpose,
            basis=basis,
            retention=retention,
            erase=erase,
            months=months,
            actors=tuple(actors),
            texts=tuple(texts),
            hidden=tuple(hidden),
            withheld=tuple(withheld),
            by_name=tuple(by_name),
            mentions=tuple(mentions),
            seen_by=seen_by,
            expires=(expires,) if isinstance(expires, Expiry) else tuple(expires),
            rectifiable=tuple(rectifiable),
            rectifiable_by_person=tuple(rectifiable_by_person),
        )

    def not_about_people(self, label, *, reason, actors=(), texts=()):
        """Declare that `label`'s links to accounts (`actors`) and free text (`texts`) hold no one's personal data."""
        self._check_new(label)
        self.exemptions[label] = Exemption(label=label, reason=reason, actors=tuple(actors), texts=tuple(texts))

    def _check_new(self, label):
        if label in self.declarations or label in self.exemptions:
            raise ValueError(f"{label} is declared twice in the personal-data registry")

    def __iter__(self):
        """The declarations in the order of the installed apps and their models (a stable export)."""
        order = {m._meta.label: i for i, m in enumerate(apps.get_models())}
        return iter(sorted(self.declarations.values(), key=lambda d: order.get(d.label, len(order))))

    def problems(self, model_list=None):
        """What the registry fails to account for, as sentences; empty when every model is declared.

        A model needs a declaration when it links to a person or an account (a foreign key, a
        one-to-one, or a many-to-many without a model of its own) or, in Trama's own apps, when it
        has free text. Every such link and text must be named in its declaration, and every field a
        declaration names must exist.
        """
        found = []
        for model in model_list if model_list is not None else apps.get_models():
            found += self._model_problems(model)
        for label, declaration in self.declarations.items():
            found += [f"{label}: {p}" for p in _declaration_problems(declaration)]
            found += [f"{label}: {p}" for p in _rectification_problems(declaration)]
        return found

    def _model_problems(self, model):
        label = model._meta.label
        links, texts = people_links(model), free_texts(model)
        if not links and not texts:
            return []
        declaration = self.declarations.get(label) or self.exemptions.get(label)
        if declaration is None:
            what = ", ".join(links + texts)
            return [f"{label} holds personal data ({what}) but is not declared in its app's personal_data.py"]
        named = set(declaration.actors) | set(declaration.texts)
        if isinstance(declaration, Declaration):
            named |= {path.split("__")[0] for path in declaration.subject} | set(declaration.by_name)
        return [f"{label}.{name} is not named in its personal-data declaration" for name in links + texts if name not in named]


def _is_people_model(model):
    return model is not None and model._meta.label in (PERSON, _user_label())


def _user_label():
    from django.conf import settings

    return apps.get_model(settings.AUTH_USER_MODEL)._meta.label


def people_links(model):
    """Names of `model`'s own links to a person or an account.

    A many-to-many through a model of its own is that model's link, declared there.
    """
    links = [f.name for f in model._meta.concrete_fields if f.is_relation and _is_people_model(f.related_model)]
    links += [f.name for f in model._meta.many_to_many if _is_people_model(f.related_model) and f.remote_field.through._meta.auto_created]
    return links if not model._meta.auto_created else []


def free_texts(model):
    """Names of `model`'s free-text fields, in Trama's own apps (third-party text is about accounts, linked above)."""
    if not model.__module__.startswith("trama."):
        return []
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.TextField) or (type(f) is models.CharField and not f.choices and (f.max_length or 0) >= FREE_TEXT_LENGTH)
    ]


def _declaration_problems(declaration):
    model = declaration.model
    problems = []
    for path in declaration.subject:
        if _target(model, path) is not apps.get_model(PERSON):
            problems.append(f"subject {path!r} does not lead to {PERSON}")
    names = [
        *declaration.actors,
        *declaration.texts,
        *declaration.hidden,
        *declaration.withheld,
        *declaration.by_name,
        *declaration.mentions,
        *declaration.erase.blank,
        *declaration.erase.unlink,
        *declaration.erase.scrub,
    ]
    for name in names:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            problems.append(f"names {name!r}, which is not a field")
    for name in declaration.erase.blank:
        if name in {f.name for f in model._meta.concrete_fields} and not _blankable(model._meta.get_field(name)):
            problems.append(f"cannot blank {name!r}: it is neither blank nor null")
    if declaration.erase.kind == Erase.ANONYMISE:
        for name in declaration.erase.unlink:
            if name in {f.name for f in model._meta.concrete_fields} and not model._meta.get_field(name).null:
                problems.append(f"cannot unlink {name!r}: it is not nullable")
    for name in (*declaration.mentions, *declaration.erase.scrub):
        if name not in declaration.texts:
            problems.append(f"looks for names in {name!r}, which is not among its texts")
    if declaration.erase.kind == Erase.REMOVE and not all(name in {f.name for f in model._meta.many_to_many} for name in declaration.erase.unlink):
        problems.append("removes the person from a relation that is not many-to-many")
    if declaration.erase.kind == Erase.CALL and not _importable(declaration.erase.function):
        problems.append(f"erases through {declaration.erase.function!r}, which is not a function")
    if not (declaration.purpose and declaration.basis and declaration.retention):
        problems.append("needs a purpose, a legal basis and a retention period")
    if not declaration.seen_by:
        problems.append("needs to say who may see it (seen_by)")
    return problems + _expiry_problems(declaration)


def _expiry_problems(declaration):
    """A time limit must say when each row expires, and an expiry must be one the retention task can apply."""
    model, problems = declaration.model, []
    if declaration.months and not declaration.expires:
        problems.append(f"keeps rows for {declaration.months} months but has no expiry rule (expires=)")
    if declaration.expires and not declaration.months:
        problems.append("has an expiry rule but no time limit (months=)")
    names = [expiry.name for expiry in declaration.expires]
    if names and (names[0] or not all(names[1:]) or len(set(names)) != len(names)):
        problems.append("the first expiry rule has no name, each further one a name of its own")
    for expiry in declaration.expires:
        rule = f"expiry {expiry.name or '(main)'}"
        if expiry.name and not expiry.months:
            problems.append(f"{rule} needs its own months")
        try:
            clock = model._meta.get_field(expiry.clock)
            if not isinstance(clock, models.DateField):
                problems.append(f"{rule} runs from {expiry.clock!r}, which is not a date")
        except FieldDoesNotExist:
            problems.append(f"{rule} runs from {expiry.clock!r}, which is not a field")
        if expiry.function:
            if not _importable(expiry.function):
                problems.append(f"{rule} calls {expiry.function!r}, which is not a function")
            if expiry.pending is None:
                problems.append(f"{rule} calls a function but does not say which rows it still has to act on (pending=)")
            continue
        erase = expiry.erase or declaration.erase
        if erase.kind not in (Erase.DELETE, Erase.ANONYMISE) or erase.scrub:
            problems.append(f"{rule} must delete, anonymise with blank/unlink, or call a function")
        for name in (*erase.blank, *erase.unlink):
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                problems.append(f"{rule} names {name!r}, which is not a field")
    return problems


def _rectification_problems(declaration):
    """A rectifiable field is one of the row's own values, shown in the person's copy, that a form can change;
    what the person corrects themself is among what staff may correct; someone must be allowed to change a row."""
    import rules

    model = declaration.model
    problems = []
    links = {path.split("__")[0] for path in declaration.subject} | set(declaration.actors)
    for name in dict.fromkeys((*declaration.rectifiable, *declaration.rectifiable_by_person)):
        try:
            f = model._meta.get_field(name)
        except FieldDoesNotExist:
            problems.append(f"declares {name!r} rectifiable, which is not a field")
            continue
        if (
            not f.concrete
            or f.is_relation
            or f.primary_key
            or not f.editable
            or name in links
            or name in declaration.hidden
            or name in declaration.withheld
        ):
            problems.append(f"declares {name!r} rectifiable, which is not an editable value of the person's own")
    for name in declaration.rectifiable_by_person:
        if name not in declaration.rectifiable:
            problems.append(f"lets the person correct {name!r}, which is not among its rectifiable fields")
    if declaration.rectifiable and not rules.perm_exists(declaration.change_permission):
        problems.append(f"declares rectifiable fields, but no rule {declaration.change_permission!r} says who may change a row")
    return problems


def _importable(path):
    try:
        return callable(import_string(path))
    except ImportError:
        return False


def _blankable(f):
    return f.null or isinstance(f, (models.CharField, models.TextField, models.JSONField, models.BinaryField))


def _target(model, path):
    """The model a lookup path from `model` ends on ("pk" is the model itself), or None."""
    for part in path.split("__"):
        if part == "pk":
            continue
        try:
            f = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not f.is_relation:
            return None
        model = f.related_model
    return model


registry = Registry()
declare = registry.declare
not_about_people = registry.not_about_people


# The legal bases and retention periods the declarations share, in the words shown to people.

BASIS_PUBLIC_TASK = _("Compito di interesse pubblico dei servizi sociali del Comune (art. 6.1.e e 9.2.g GDPR)")
BASIS_SERVICE = _("Servizio chiesto dalla persona registrandosi (art. 6.1.b GDPR)")
BASIS_CONSENT = _("Consenso della persona (art. 6.1.a e 9.2.a GDPR)")
BASIS_SECURITY = _("Sicurezza del trattamento e obbligo di rendiconto (art. 5.2 e 32 GDPR)")

KEPT_WHILE_ACTIVE = _("Finché la persona partecipa al programma o fino alla richiesta di cancellazione")
KEPT_24_MONTHS = _("24 mesi dopo l'ultimo contatto")
KEPT_SIGNALS = _("12 mesi se la segnalazione non ha avuto seguito (poi resa anonima), altrimenti 24 mesi dopo l'ultimo contatto")
KEPT_AUDIT = _("5 anni")
KEPT_LEDGER = _("24 mesi con la nota; poi restano solo gli importi, per gli indicatori")

# Who may see the rows, in the words of the records of processing (each app's rules.py decides it).
SEEN_BY_STAFF = _("Il coordinamento della città e gli operatori dei quartieri assegnati")
SEEN_BY_STAFF_AND_PERSON = _("Il coordinamento della città, gli operatori dei quartieri assegnati e la persona stessa")
SEEN_BY_ACCOUNT = _("La persona stessa dal suo profilo; il coordinamento della città")
SEEN_BY_COORDINATORS = _("Il coordinamento della città")
