"""Organisation members become memberships with a role: the links of an older database are kept, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from trama.people.models import Membership, Organisation, User

BEFORE = [("people", "0006_organisation_profile_and_services")]
AFTER = [("people", "0007_membership_with_roles")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def every_migration_back_at_the_end():
    """Going back to people 0006 also unapplies what depends on 0007 in other apps (territory's places): the
    database must be whole again for the tests that run after this one in the same process."""
    yield
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("every_migration_back_at_the_end")
def test_existing_links_become_memberships_and_can_go_back():
    old = migrate(BEFORE)
    City = old.get_model("territory", "City")
    OldOrganisation = old.get_model("people", "Organisation")
    OldUser = old.get_model("people", "User")
    city = City.objects.create(name="Prova", slug="prova-migrazione", centre_lat=44.8, centre_lon=10.3)
    org = OldOrganisation.objects.create(city=city, name="Bottega", sector="business")
    other = OldOrganisation.objects.create(city=city, name="Orto", sector="third_sector")
    anna = OldUser.objects.create(username="anna", email="anna@example.org", role="partner")
    bruno = OldUser.objects.create(username="bruno", email="bruno@example.org", role="partner")
    org.members.add(anna, bruno)
    other.members.add(anna)

    migrate(AFTER)
    links = set(Membership.objects.values_list("organisation__name", "account__username", "role"))
    assert links == {("Bottega", "anna", "member"), ("Bottega", "bruno", "member"), ("Orto", "anna", "member")}
    assert set(User.objects.get(username="anna").organisations.values_list("name", flat=True)) == {"Bottega", "Orto"}

    back = migrate(BEFORE)
    assert set(back.get_model("people", "Organisation").objects.get(name="Bottega").members.values_list("username", flat=True)) == {"anna", "bruno"}
    migrate(AFTER)
    assert Organisation.objects.get(name="Orto").members.get().username == "anna"
