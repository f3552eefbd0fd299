"""Every read of a personal record leaves its audit entry: HTML pages and API operations, records and lists.

A record read leaves one entry naming the record; a page of a list leaves one entry naming the
ids it shows (`privacy.audit.record_page`). Refused reads are audited by the privacy middleware.

How these tests cannot pass vacuously:

1. READS declares every personal-data URL (the names, with their "#variant", of
   tests/test_permissions.py), the role that reads it and the entries the request must leave.
   `test_each_personal_read_leaves_exactly_its_entries` opens each one over fixtures where it
   shows at least one record (an empty expectation is refused) and compares the entries written
   by that request with the declared ones: actor, action, object type, id or page ids, path.

2. Which URLs are personal is not left to memory. `test_every_url_that_loads_personal_records_is_audited`
   walks every URL of the project (tests/test_permissions.py's EXPECTED: a new URL is in it as
   soon as its permissions are declared, which that file enforces) as every role allowed to open
   it, and watches which personal records the request loads from the database (a `post_init`
   receiver on PERSONAL_MODELS). Any URL that loads one must be in READS, or in NOT_READS with
   the reason it is not a read of a record (a form naming the person to pick, a count); each
   role that loads one from a READS URL must leave a read entry. Declarations that load nothing
   (stale or vacuous) fail as well.

What the watch cannot see: personal data read without building model instances (`.values()`,
raw SQL). Such reads are few (aggregates, counts) and the review of a new one has to catch them.
"""

from datetime import date

import pytest
from django.apps import apps
from django.db.models.signals import post_init
from django.utils import timezone

from tests.audit_world import EXPECTED, objects  # noqa: F401  (objects: the audit world's fixtures)
from tests.test_permissions import DECLARED
from trama.collective import services as collective_services
from trama.collective.models import Membership
from trama.initiatives.models import Participation
from trama.market import services as market_services
from trama.people.models import Role
from trama.privacy import audit
from trama.privacy.models import AuditEntry
from trama.testing import ANON, ROLES

pytestmark = pytest.mark.django_db

# Personal records (DESIGN.md §5), with the condition that makes a row personal where not every row is.
PERSONAL_MODELS = {
    "people.Person": None,
    "market.Need": None,
    "market.Offer": lambda offer: offer.person_id is not None,  # an organisation's offer is not personal
    "market.Match": None,
    "market.Contribution": lambda contribution: contribution.person_id is not None,
    "attention.Signal": None,
    "attention.OutreachTask": None,
    "attention.Encounter": None,
    "collective.Membership": None,
    "initiatives.Participation": None,
    "themes.TextItem": None,
    "insights.Story": None,
}

W, C, A = Role.WORKER, Role.COORDINATOR, Role.ANTENNA


def one(object_type, key):
    return lambda o: [(object_type, {o[key].pk})]


def page(object_type, *keys):
    return lambda o: [(object_type, {o[key].pk for key in keys})]


def person_page(key, need, offer=None):
    def expected(o):
        person = o[key]
        entries = [("people.person", {person.pk}), ("market.need", {o[need].pk})]
        if offer:
            entries.append(("market.offer", {o[offer].pk}))
        memberships = set(Membership.objects.filter(person=person).values_list("pk", flat=True))
        participations = set(Participation.objects.filter(person=person, left_at__isnull=True).values_list("pk", flat=True))
        return entries + [(t, ids) for t, ids in (("collective.membership", memberships), ("initiatives.participation", participations)) if ids]

    return expected


# URL name (as in tests/test_permissions.py) -> (the role reading it, the entries it must leave: (object type, ids)).
READS = {
    # A citizen's own side: her person record, read by herself (audited like any read).
    "my_activity": (Role.CITIZEN, one("people.person", "person")),
    "people:people": (W, page("people.person", "person")),
    "people:person": (W, person_page("person", "need", "own_offer")),
    "people:person#elsewhere": (C, person_page("person_elsewhere", "need_elsewhere")),
    "market:offers": (W, page("market.offer", "own_offer")),
    "market:offer#of-a-person": (W, one("market.offer", "own_offer")),
    "market:needs": (W, page("market.need", "need")),
    "market:need": (W, one("market.need", "need")),
    "market:need#elsewhere": (C, one("market.need", "need_elsewhere")),
    "practices:similar_to_need": (W, one("market.need", "need")),
    "market:matches": (W, page("market.match", "match")),
    "market:match": (W, one("market.match", "match")),
    "market:ledger": (W, page("market.contribution", "contribution")),
    "api-market-offers": (W, page("market.offer", "own_offer")),
    "api-market-offer#of-a-person": (W, one("market.offer", "own_offer")),
    "api-market-needs": (W, page("market.need", "need")),
    "api-market-need": (W, one("market.need", "need")),
    "api-market-need#elsewhere": (C, one("market.need", "need_elsewhere")),
    "api-market-need-candidates": (W, one("market.need", "need")),
    "api-market-matches": (W, page("market.match", "match")),
    "api-market-match": (W, one("market.match", "match")),
    "api-market-contributions": (W, page("market.contribution", "contribution")),
    "attention:my_signals": (A, page("attention.signal", "signal")),
    "attention:my_signal": (A, one("attention.signal", "signal")),
    "attention:queue": (W, page("attention.signal", "signal")),
    "attention:signal": (W, one("attention.signal", "signal")),
    "attention:signal#elsewhere": (C, one("attention.signal", "signal_elsewhere")),
    "attention:outreach_list": (W, page("attention.outreachtask", "outreach")),
    "attention:outreach": (W, one("attention.outreachtask", "outreach")),
    "attention:encounters": (W, page("attention.encounter", "encounter")),
    "attention:encounter": (W, one("attention.encounter", "encounter")),
    "api-attention-signals": (W, page("attention.signal", "signal")),
    "api-attention-my-signals": (A, page("attention.signal", "signal")),
    "api-attention-signal": (W, one("attention.signal", "signal")),
    "api-attention-signal#elsewhere": (C, one("attention.signal", "signal_elsewhere")),
    "api-attention-outreach-list": (W, page("attention.outreachtask", "outreach")),
    "api-attention-outreach": (W, one("attention.outreachtask", "outreach")),
    "api-attention-encounters": (W, page("attention.encounter", "encounter")),
    "api-attention-encounter": (W, one("attention.encounter", "encounter")),
    "themes:theme": (W, page("themes.textitem", "item")),
    "themes:theme_items": (W, page("themes.textitem", "item")),
    "themes:item": (W, one("themes.textitem", "item")),
    "themes:item#elsewhere": (C, one("themes.textitem", "item_elsewhere")),
    "api-themes-item-tags": (W, one("themes.textitem", "item")),
    "api-themes-item-tags#elsewhere": (C, one("themes.textitem", "item_elsewhere")),
    "api-themes-item-tag": (W, one("themes.textitem", "item")),
    "collective:group": (W, one("collective.group", "group")),
    "collective:suggestion": (W, one("collective.suggestion", "suggestion")),
    "collective:suggestion_convene": (W, one("collective.suggestion", "suggestion")),
    "collective:meeting": (W, one("collective.meeting", "meeting")),
    "insights:stories": (W, page("insights.story", "story")),
    "insights:story": (W, one("insights.story", "story")),
    "insights:story_withdraw": (W, one("insights.story", "story")),
    "insights:review": (W, page("insights.story", "story")),
    "collective:meeting_record": (W, one("collective.meeting", "meeting")),
    "api-collective-group": (W, one("collective.group", "group")),
    "api-collective-meeting#not-public": (W, one("collective.meeting", "meeting")),
    "api-collective-suggestions": (W, page("collective.suggestion", "suggestion")),
    # The open needs the activity could answer, to who may broker them (the coordinator: the need is of the other neighbourhood).
    "initiatives:detail": (C, page("market.need", "need_for_activity")),
    "initiatives:participants": (W, one("initiatives.initiative", "initiative")),
    "initiatives:participants#elsewhere": (C, one("initiatives.initiative", "initiative_elsewhere")),
    # The form shows the values it lets the reader correct: the person's record, needs and offers.
    "privacy:rectify_person": (
        W,
        lambda o: [("people.person", {o["person"].pk}), ("market.need", {o["need"].pk}), ("market.offer", {o["own_offer"].pk})],
    ),
    "privacy:rectify_mine": (
        Role.CITIZEN,
        lambda o: [("people.person", {o["person"].pk}), ("market.need", {o["need"].pk}), ("market.offer", {o["own_offer"].pk})],
    ),
}

# URLs that load personal records without showing one, and why that is not a read to audit.
FORM = "a form: it names the person (or the record's number) to act on, or lists the people to pick from"
NOT_READS = {
    "home": "an antenna's home counts the news on her signals; it shows none of them",
    "market:offer": "an organisation's offer: its matches are listed by status and date only",
    "market:offer_create": FORM,
    "insights:story_create": FORM,
    "insights:review_create": "the table's form lists the titles of the stories it may select; the review's page audits their read",
    "market:need_create": FORM,
    "market:match_contribution": FORM,
    "attention:signal_triage": FORM,
    "attention:signal_triage#elsewhere": FORM,
    "attention:signal_outreach": FORM,
    "attention:encounter_create": FORM,
    "attention:encounter_create#from-signal": FORM,
    "attention:encounter_create#from-signal-elsewhere": FORM,
    "collective:member_add": FORM,
    "collective:member_remove": FORM,
    "collective:decision_market": FORM,
    "privacy:erasure_person": FORM,
    "privacy:erasure_mine": "the citizen's own record, found to ask for its erasure: the form shows none of it",
    "privacy:erasure": "a request names the person by id only; the person is loaded to know who may decide",
}


@pytest.fixture
def records(objects, users):  # noqa: F811
    """The walk's fixtures, plus what makes every personal list non-empty: a person's contribution,
    a meeting attended, a suggestion with a person behind it."""
    worker = users[W]
    person, need, meeting = objects["person"], objects["need"], objects["meeting"]
    objects["contribution"] = market_services.record_contribution(
        kind="hours",
        quantity=1,
        on=date.today(),
        neighbourhood=person.neighbourhood,
        by=worker,
        person=person,
    )
    collective_services.record_attendance(meeting, by=worker, attendees=[objects["member"]])
    suggestion = objects["suggestion"]
    suggestion.items = [{"source": "need", "id": need.pk}]
    suggestion.save(update_fields=["items"])
    suggestion.people.add(need.person)
    return objects


class LoadedRecords:
    """The personal records built from database rows while it is connected."""

    def __init__(self):
        self.seen = set()

    def _loaded(self, sender, instance, **kwargs):
        if instance.pk is None:
            return  # a new, unsaved record (a form's instance): nothing was read
        condition = PERSONAL_MODELS[sender._meta.label]
        if condition is None or condition(instance):
            self.seen.add((sender._meta.label_lower, instance.pk))

    def __enter__(self):
        for label in PERSONAL_MODELS:
            post_init.connect(self._loaded, sender=apps.get_model(label), weak=False, dispatch_uid=f"audit-walk-{label}")
        return self

    def __exit__(self, *exc):
        for label in PERSONAL_MODELS:
            post_init.disconnect(sender=apps.get_model(label), dispatch_uid=f"audit-walk-{label}")


def _last_entry():
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _reads_since(pk):
    return list(AuditEntry.objects.filter(pk__gt=pk, action=AuditEntry.Action.READ).order_by("pk"))


def test_every_url_of_the_walk_is_in_the_audit_world():
    """The permission walk declares every URL (tests/test_permissions.py enforces it); the audit world must follow."""
    walked = {key.split("#")[0] for key in DECLARED}
    assert not walked - {name.split("#")[0] for name in EXPECTED}


def test_every_declaration_names_a_url_of_the_walk():
    assert not (set(READS) | set(NOT_READS)) - set(EXPECTED)
    assert not set(READS) & set(NOT_READS)
    for name, (role, _expected) in READS.items():
        assert EXPECTED[name][1][role] == "ok", f"{name} is not open to {role}"


def test_each_personal_read_leaves_exactly_its_entries(client, users, records):
    wrong = {}
    for name, (role, expected) in READS.items():
        user = users[role]
        client.force_login(user)
        url = EXPECTED[name][0](records)
        declared = sorted((object_type, sorted(map(str, ids))) for object_type, ids in expected(records))
        assert declared and all(ids for _type, ids in declared), f"{name}: the fixtures show no record"
        since = _last_entry()
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        entries = _reads_since(since)
        got = sorted((e.object_type, sorted(audit.ids_named(e))) for e in entries)
        path = url.split("?")[0]
        if got != declared or any((e.actor_id, e.actor_label, e.path) != (user.pk, audit.pseudonym_of(user), path) for e in entries):
            wrong[name] = {"expected": declared, "got": [(e.object_type, audit.ids_named(e), e.actor_label, e.path) for e in entries]}
    assert not wrong, wrong


def test_every_url_that_loads_personal_records_is_audited(client, users, records):
    loads, unaudited = {}, {}
    with LoadedRecords() as loaded:
        for role in ROLES:
            if role == ANON:
                continue
            client.force_login(users[role])
            for name, (build, expectations) in EXPECTED.items():
                if expectations[role] != "ok":
                    continue
                loaded.seen.clear()
                since = _last_entry()
                client.get(build(records))
                if not loaded.seen:
                    continue
                loads.setdefault(name, set()).add(role)
                if name in READS and not _reads_since(since):
                    unaudited[name] = (role, sorted(loaded.seen))
    undeclared = {name: sorted(roles) for name, roles in loads.items() if name not in READS and name not in NOT_READS}
    assert not undeclared, f"URLs loading personal records that are neither audited (READS) nor explained (NOT_READS): {undeclared}"
    assert not unaudited, f"URLs that load personal records for a role without auditing the read: {unaudited}"
    idle = sorted(name for name in set(READS) | set(NOT_READS) if name not in loads)
    assert not idle, f"Declared URLs that load no personal record (stale, or their fixtures are missing): {idle}"


def test_a_refused_read_is_audited_as_denied(client, users, records):
    client.force_login(users[Role.CITIZEN])
    since = _last_entry()
    url = EXPECTED["attention:signal"][0](records)
    assert client.get(url).status_code == 403
    [entry] = AuditEntry.objects.filter(pk__gt=since)
    assert (entry.action, entry.actor, entry.path) == (AuditEntry.Action.DENIED, users[Role.CITIZEN], url)


def test_the_watch_sees_a_personal_record_loaded():
    """The walk's detector is not blind: building a need from a row is seen."""
    from trama.market.models import Need

    with LoadedRecords() as loaded:
        Need(pk=7, text="x", created_at=timezone.now())
    assert loaded.seen == {("market.need", 7)}
