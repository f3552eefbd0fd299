"""Actions on accounts that do more than one write."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib import import_module
from typing import TYPE_CHECKING, Any, overload

from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field, Model, UniqueConstraint
from django.forms import ModelForm
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from trama.access import COORDINATOR, WORKER, require, role_of, works_in
from trama.privacy import audit
from trama.shortcuts import announce_created

from .models import ApiToken, Consent, DigitalIdentity, Membership, Organisation, Person, Service
from .tasks import send_email

if TYPE_CHECKING:
    from datetime import date

    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    from trama.access import AccountRequest, Viewer
    from trama.territory.models import City, Neighbourhood

    from .forms import ColleagueInvitationForm
    from .models import User


def invitation_link(request: HttpRequest, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(reverse("people:invitation", args=[uid, token]))


def invite(request: AccountRequest, form: ModelForm[User]) -> User:
    """Create the invited account (no usable password yet) and e-mail the link to choose one."""
    user = form.save(commit=False)
    user.invited_by = request.user
    user.save()
    form.save_m2m()
    send_invitation(request, user)
    audit.record_change(request, user, audit.Action.CREATE, reason="invito")
    return user


def send_invitation(request: AccountRequest, user: User) -> None:
    """E-mail `user` the one-time link to choose a password (again, if the first was lost)."""
    link = invitation_link(request, user)
    # Written in the programme's language: the invited person's own is not known yet.
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(_("Il tuo invito a Trama"))
        body = render_to_string("people/email/invitation.txt", {"user": user, "link": link, "inviter": request.user})
    send_email.enqueue(subject, body, [user.email])


def end_sessions(account: User, keep: str | None = None) -> None:
    """Delete every live session signed in as `account`, except the one whose key is `keep`.

    Sessions are stored in the database (the default engine, also behind
    cached_db); their payload is signed, not indexed, so each live one is read.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(account.pk):
            store(session.session_key).delete()


def log_out_everywhere(request: AccountRequest) -> int:
    """End every other session of the signed-in account and revoke all its API tokens; this session stays."""
    account = request.user
    end_sessions(account, keep=request.session.session_key)
    revoked = account.api_tokens.revoke()
    audit.record_change(request, account, reason="uscita da tutti i dispositivi")
    return revoked


def create_api_token(request: AccountRequest, name: str) -> tuple[ApiToken, str]:
    """A new API token for the signed-in account; returns (token, key), the key to be shown once."""
    token, key = ApiToken.issue(request.user, name)
    audit.record_change(request, token, audit.Action.CREATE, reason="token API")
    return token, key


def revoke_api_token(request: AccountRequest, token: ApiToken) -> None:
    token.revoke()
    audit.record_change(request, token, reason="token API revocato")


def set_active(request: AccountRequest, account: User, active: bool) -> None:
    """Enable or disable an account; a disabled account's sessions end and its API tokens are revoked at once.

    Re-enabling brings none of them back: the person signs in again.
    """
    account.is_active = active
    account.save(update_fields=["is_active"])
    audit.record_change(request, account, reason="riattivato" if active else "disattivato")
    if not active:
        end_sessions(account)  # the tokens are revoked by User.save()


def register_person(
    *,
    by: Viewer | None,
    neighbourhood: Neighbourhood,
    display_name: str,
    channel: str,
    known_to_services: bool | None = None,
    consents: Iterable[str] = (),
    **details: str,
) -> Person:
    """Register someone pseudonymously (a chosen name is enough) with the consents they gave.

    Identifying details (first_name, last_name, phone, email) are kept only with the
    IDENTIFYING consent; without it they are dropped, not stored. Staff register people only in
    their neighbourhoods (their city for coordinators); anyone else registers only themself.
    """
    if role_of(by) in (COORDINATOR, WORKER):
        if not works_in(by, neighbourhood):
            raise PermissionDenied(_("Puoi registrare persone solo nei quartieri che ti sono assegnati."))
    elif channel != Person.Channel.SELF:
        raise PermissionDenied(_("Solo gli operatori registrano altre persone."))
    consents = set(consents)
    if Consent.Purpose.REGISTRATION not in consents:
        raise ValueError("A person is registered only with their consent.")
    if Consent.Purpose.IDENTIFYING not in consents:
        details = {}
    person = Person.objects.create(
        city=neighbourhood.city,
        neighbourhood=neighbourhood,
        display_name=display_name,
        first_contact_channel=channel,
        known_to_services=known_to_services,
        created_by=by if by is not None and by.is_authenticated else None,
        **{k: v for k, v in details.items() if k in {"first_name", "last_name", "phone", "email"} and v},
    )
    Consent.objects.bulk_create(Consent(person=person, purpose=purpose, recorded_by=person.created_by) for purpose in sorted(consents))
    audit.record(by, audit.Action.CREATE, person, reason="registrazione")
    return person


def record_consent(person: Person, purpose: str, *, by: User) -> Consent:
    """Record that the person gave their consent for `purpose` (a `Consent.Purpose`), collected by `by`.

    One consent in force per purpose: when the person has one not withdrawn, it is kept as it is.
    Returns the consent in force. The caller audits the action it is part of.
    """
    consent, _created = Consent.objects.get_or_create(person=person, purpose=purpose, withdrawn_at=None, defaults={"recorded_by": by})
    return consent


@overload
def person_for_account(user: User, neighbourhood: Neighbourhood) -> Person: ...
@overload
def person_for_account(user: User, neighbourhood: None = None) -> Person | None: ...
def person_for_account(user: User, neighbourhood: Neighbourhood | None = None) -> Person | None:
    """The Person behind a citizen's account, created on first need (self-registered: channel SELF)."""
    person = Person.objects.filter(account=user).first()
    if person is not None or neighbourhood is None:
        return person
    person = register_person(
        by=user,
        neighbourhood=neighbourhood,
        # An account's name may be longer than a person's chosen name: the first 80 characters are enough.
        display_name=(user.first_name or user.username)[: Person._meta.get_field("display_name").max_length].strip(),
        channel=Person.Channel.SELF,
        consents=[Consent.Purpose.REGISTRATION, Consent.Purpose.CONTACT],
    )
    person.account = user
    person.save(update_fields=["account"])
    return person


# -- erasure (called by the privacy app through the registry: people/personal_data.py) ----------


def erase_people(people: Iterable[Person], person: Person) -> None:
    """Empty the names and contacts of `people` (a person's own record); keep the pseudonymous id.

    `anonymised_at` says when, so the record can say "dati cancellati il …"; the rows that point at
    the person stay pointed at an empty record, and the aggregates do not change. Whether the
    person was known to the services stays too, without a name: the reach beyond the mandate (G6)
    of closed periods counts it.
    """
    now = timezone.now()
    for row in people:
        row.display_name = f"cancellata-{row.pk}"
        row.first_name = row.last_name = row.phone = row.email = ""
        row.anonymised_at = row.anonymised_at or now
        row.save(update_fields=["display_name", "first_name", "last_name", "phone", "email", "anonymised_at"])


def erase_accounts(accounts: Iterable[User], person: Person) -> None:
    """Disable `accounts` for good: names and e-mail replaced by the pseudonymous id, no usable password,
    every session ended and every API token revoked (User.save revokes them when an account is disabled)."""
    for account in accounts:
        account.username = f"cancellato-{account.pk}"
        account.email = f"cancellato-{account.pk}@invalid.invalid"
        account.first_name = account.last_name = ""
        account.is_active = False
        account.set_unusable_password()
        account.save()
        end_sessions(account)


# -- organisations ---------------------------------------------------------------------------------


def save_organisation(request: AccountRequest, form: ModelForm[Organisation]) -> Organisation:
    """Create or update the organisation of a valid OrganisationForm, with its neighbourhoods; audited."""
    creating = form.instance.pk is None
    with transaction.atomic():
        organisation = form.save()
    audit.record_change(request, organisation, audit.Action.CREATE if creating else audit.Action.UPDATE, reason="organizzazione")
    return organisation


def save_imported_organisation(organisation: Organisation, neighbourhood_ids: Iterable[int], *, by: User, created: bool) -> Organisation:
    """Save an organisation read from an imported list (validated by the import), with its neighbourhoods; audited."""
    organisation.save(force_insert=created)
    if created:
        organisation.neighbourhoods.add(*neighbourhood_ids)
    else:
        organisation.neighbourhoods.set(neighbourhood_ids)
    audit.record(by, audit.Action.CREATE if created else audit.Action.UPDATE, organisation, reason="importazione")
    return organisation


def create_imported_organisations(items: Iterable[tuple[Organisation, Iterable[int]]], *, by: User) -> list[Organisation]:
    """Create the organisations of a chunk of an imported list at once (validated by the import), with their
    neighbourhoods; each audited and announced (post_save) as a single save would be."""
    items = list(items)
    organisations = Organisation.objects.bulk_create([organisation for organisation, _ids in items])
    link = Organisation.neighbourhoods.through
    link.objects.bulk_create([link(organisation_id=o.pk, neighbourhood_id=n) for o, ids in items for n in ids])
    audit.record_many(by, audit.Action.CREATE, organisations, reason="importazione")
    announce_created(Organisation, organisations)
    return organisations


def delete_imported_organisation(organisation: Organisation, *, by: User) -> None:
    """Delete an organisation an import created, when that import is undone; audited.

    Raises ProtectedError when records of other apps now depend on it: the caller says so.
    """
    with transaction.atomic():
        audit.record(by, audit.Action.DELETE, organisation, reason="importazione annullata")
        organisation.delete()


def save_imported_service(service: Service, *, by: User, created: bool) -> Service:
    """Save a service of an organisation read from an imported directory (validated by the import); audited."""
    service.save(force_insert=created)
    audit.record(by, audit.Action.CREATE if created else audit.Action.UPDATE, service, reason="importazione")
    return service


def delete_imported_service(service: Service, *, by: User) -> None:
    """Delete a service an import created, when that import is undone; audited."""
    with transaction.atomic():
        audit.record(by, audit.Action.DELETE, service, reason="importazione annullata")
        service.delete()


def link_member(request: AccountRequest, organisation: Organisation, account: User, role: str) -> Membership:
    """Make `account` a member of `organisation` with `role` (changing the role when already linked); audited."""
    require(request.user, "people.manage_members", organisation)
    membership, created = Membership.objects.update_or_create(organisation=organisation, account=account, defaults={"role": role})
    audit.record_change(request, membership, audit.Action.CREATE if created else audit.Action.UPDATE, reason="collegamento all'organizzazione")
    return membership


def invite_colleague(request: AccountRequest, organisation: Organisation, form: ColleagueInvitationForm) -> Membership:
    """Create a partner account for someone new, link it to `organisation` and e-mail the invitation; audited.

    A referent invites into her own organisation, as member only; staff who keep it choose the role.
    """
    require(request.user, "people.invite_colleague", organisation)
    role = form.membership_role
    if role != Membership.Role.MEMBER:
        require(request.user, "people.manage_members", organisation, "Solo il coordinamento e gli operatori nominano un referente.")
    with transaction.atomic():
        user = form.save(commit=False)
        user.invited_by = request.user
        user.save()
        membership = Membership.objects.create(organisation=organisation, account=user, role=role)
        audit.record_change(request, user, audit.Action.CREATE, reason="invito nell'organizzazione")
        audit.record_change(request, membership, audit.Action.CREATE, reason="collegamento all'organizzazione")
    send_invitation(request, user)
    return membership


def unlink_member(request: AccountRequest, membership: Membership) -> None:
    """Remove `account` from the organisation; audited (the entry names the membership that went)."""
    require(request.user, "people.unlink_member", membership)
    audit.record_change(request, membership, audit.Action.DELETE, reason="scollegamento dall'organizzazione")
    membership.delete()


def _links_to_organisations() -> Iterator[tuple[type[Model], Field[Any, Any]]]:
    """Every foreign key of any installed model to Organisation but the memberships' (merged by account) and the
    neighbourhoods' link table (merged as a set): found through Django's registry, so the app that adds one is
    covered without people naming it."""
    for model in apps.get_models(include_auto_created=True):
        if model is Membership or model is Organisation.neighbourhoods.through:
            continue
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model is Organisation:
                yield model, field


def _unique_sets(model: type[Model], field: Field[Any, Any]) -> list[list[str]]:
    """The sets of fields besides `field` that are unique together with it on `model`."""
    sets = [c.fields for c in model._meta.constraints if isinstance(c, UniqueConstraint) and field.name in c.fields]
    sets += [fields for fields in model._meta.unique_together if field.name in fields]
    return [[name for name in fields if name != field.name] for fields in sets]


def merge_preview(keep: Organisation, duplicate: Organisation) -> tuple[list[tuple[StrOrPromise | None, int]], list[str]]:
    """What merging `duplicate` into `keep` moves, and what stops it.

    Returns (moves, conflicts): moves is [(what, how many)] for every kind of record that points to the duplicate;
    conflicts names the records that would become twice the same fact for `keep` (both partners of one initiative
    in the same role, say): someone has to choose which one stays before the merge.
    """
    moves, conflicts = [], []
    memberships = duplicate.memberships.count()
    if memberships:
        moves.append((Membership._meta.verbose_name_plural, memberships))
    for model, field in _links_to_organisations():
        rows = model._default_manager.filter(**{field.name: duplicate})
        count = rows.count()
        if not count:
            continue
        label = model._meta.verbose_name_plural
        moves.append((f"{label} ({field.verbose_name})" if field.name != "organisation" else label, count))
        for others in _unique_sets(model, field):
            for values in rows.values(*others):
                if model._default_manager.filter(**{field.name: keep}, **values).exists():
                    conflicts.append(f"{model._meta.verbose_name}: {model._default_manager.filter(**{field.name: duplicate}, **values).first()}")
    return moves, conflicts


MERGED_FIELDS = ("legal_form", "tax_code", "vat_number", "description", "email", "phone", "address", "website")


def merge_organisations(request: AccountRequest, keep: Organisation, duplicate: Organisation) -> list[tuple[StrOrPromise | None, int]]:
    """Merge `duplicate` into `keep` in one transaction, then delete it; coordinators only, audited.

    Every record pointing to the duplicate points to `keep` (offers, contributions, antennas, initiatives'
    partners and agreements' parties, services); its members join (a referent of either stays referent),
    its neighbourhoods are added, and `keep`'s empty details are filled from it. Refused, with nothing
    changed, when `merge_preview` finds conflicts.
    """
    require(request.user, "people.merge_organisations", keep)
    require(request.user, "people.merge_organisations", duplicate)
    if keep.pk == duplicate.pk or keep.city_id != duplicate.city_id:
        raise ValidationError(_("Scegli un'altra organizzazione della stessa città."))
    with transaction.atomic():
        keep = Organisation.objects.select_for_update().get(pk=keep.pk)
        duplicate = Organisation.objects.select_for_update().get(pk=duplicate.pk)
        moves, conflicts = merge_preview(keep, duplicate)
        if conflicts:
            raise ValidationError(_("Prima di unire, scegli quale tenere di questi doppi: %(list)s.") % {"list": "; ".join(conflicts)})
        for membership in duplicate.memberships.all():
            kept = keep.memberships.filter(account=membership.account_id).first()
            if kept is None:
                membership.organisation = keep
                membership.save(update_fields=["organisation"])
            else:
                if membership.role == Membership.Role.REFERENT and kept.role != Membership.Role.REFERENT:
                    kept.role = Membership.Role.REFERENT
                    kept.save(update_fields=["role"])
                membership.delete()
        keep.neighbourhoods.add(*duplicate.neighbourhoods.all())
        for model, field in _links_to_organisations():
            model._default_manager.filter(**{field.name: duplicate}).update(**{field.name: keep})
        filled = {name: getattr(duplicate, name) for name in MERGED_FIELDS if not getattr(keep, name) and getattr(duplicate, name)}
        keep.public_page_agreed = keep.public_page_agreed or duplicate.public_page_agreed
        audit.record_change(request, duplicate, audit.Action.DELETE, reason=f"unita all'organizzazione {keep.pk}")
        absorbed = duplicate.pk
        duplicate.delete()
        for name, value in filled.items():
            setattr(keep, name, value)
        keep.save()
        audit.record_change(request, keep, reason=f"unione: assorbita l'organizzazione {absorbed}")
    return moves


# -- digital identity (SPID, CIE) -------------------------------------------------------------------


def link_digital_identity(account: User, fiscal_code_digest: str, kind: str) -> DigitalIdentity:
    """Link `account` to the identity whose fiscal code has this digest; the rule decides who may (citizens only).

    Refused with a ValidationError when the identity already opens another account, or the account is linked to
    another identity (a fiscal code is one person's)."""
    require(account, "people.use_digital_identity")
    with transaction.atomic():
        taken = DigitalIdentity.objects.select_for_update().filter(fiscal_code_digest=fiscal_code_digest).first()
        if taken is not None and taken.account_id != account.pk:
            raise ValidationError(_("Questa identità digitale è già collegata a un altro account."))
        own = DigitalIdentity.objects.select_for_update().filter(account=account).first()
        if own is not None and own.fiscal_code_digest != fiscal_code_digest:
            raise ValidationError(_("Il tuo account è già collegato a un'altra identità digitale."))
        if own is not None:
            own.kind = kind
            own.save(update_fields=["kind"])
            return own
        return DigitalIdentity.objects.create(account=account, fiscal_code_digest=fiscal_code_digest, kind=kind)


def register_with_digital_identity(form: ModelForm[User], fiscal_code_digest: str, kind: str, city: City | None) -> User:
    """A new citizen account from the registration form filled after a first SPID or CIE sign-in, linked to that
    identity, with no password of its own (the password reset can give it one)."""
    with transaction.atomic():
        if DigitalIdentity.objects.filter(fiscal_code_digest=fiscal_code_digest).exists():
            raise ValidationError(_("Questa identità digitale è già collegata a un altro account."))
        user = form.save(commit=False)
        user.city = city
        user.set_unusable_password()
        user.save()
        DigitalIdentity.objects.create(account=user, fiscal_code_digest=fiscal_code_digest, kind=kind, last_used_at=timezone.now())
    return user


def record_identity_use(linked: DigitalIdentity, kind: str) -> None:
    """Remember when and with which kind the identity last signed its account in (one UPDATE)."""
    DigitalIdentity.objects.filter(pk=linked.pk).update(kind=kind, last_used_at=timezone.now())


def unlink_digital_identity(account: User) -> bool:
    """Forget the account's link to its digital identity (the digest goes with it); whether there was one."""
    deleted, _rows = DigitalIdentity.objects.filter(account=account).delete()
    return bool(deleted)


# -- people read from an imported list (the imports app validates them first) -----------------------


def create_imported_people(items: Iterable[tuple[Person, Iterable[str], date]], *, by: User) -> list[Person]:
    """Create the people of a chunk of an imported list at once, each with the consents collected on paper
    (`Consent.Purpose` values) on the given date; each audited and announced (post_save) as a single save would be."""
    items = list(items)
    for person, _purposes, _on in items:
        person.created_by = by
    people = Person.objects.bulk_create([person for person, _purposes, _on in items])
    Consent.objects.bulk_create(
        Consent(person=person, purpose=purpose, recorded_by=by, collected_on_paper=on)
        for person, purposes, on in items
        for purpose in sorted(purposes)
    )
    audit.record_many(by, audit.Action.CREATE, people, reason="importazione")
    announce_created(Person, people)
    return people


def save_imported_person(person: Person, purposes: Iterable[str], on: date, *, by: User) -> Person:
    """Save the changes an imported list makes to a person it created before; the consents it names that are not in
    force are recorded as collected on paper on `on`. Audited."""
    with transaction.atomic():
        person.save()
        for purpose in purposes:
            Consent.objects.get_or_create(person=person, purpose=purpose, withdrawn_at=None, defaults={"recorded_by": by, "collected_on_paper": on})
    audit.record(by, audit.Action.UPDATE, person, reason="importazione")
    return person


def delete_imported_person(person: Person, *, by: User) -> None:
    """Delete a person an import created, when that import is undone; audited.

    Raises ProtectedError when anything but her consents now points at her (a need, a signal, an account):
    those records were made after the import, and the caller says the person was left.
    """
    from django.db.models import ProtectedError

    for relation in Person._meta.related_objects:
        if relation.related_model is Consent:
            continue
        if relation.related_model._default_manager.filter(**{relation.field.name: person}).exists():
            raise ProtectedError(_("La persona è collegata ad altri record."), set())
    if person.account_id is not None:
        raise ProtectedError(_("La persona ha un account."), set())
    with transaction.atomic():
        audit.record(by, audit.Action.DELETE, person, reason="importazione annullata")
        person.delete()
