"""An antenna's old `email_updates` flag becomes her notification preferences for the news of her signals, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from trama.notifications.models import Preference

BEFORE = ("attention", "0002_antenna_deactivated_at")
AFTER = ("attention", "0003_email_updates_become_notification_preferences")
NEWS = {"signal_taken_up", "signal_contacted", "signal_closed"}


def migrate(attention):
    """Every app at its latest migration but attention, at `attention`; the models of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "attention"] + [attention]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def every_migration_back_at_the_end():
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("every_migration_back_at_the_end")
def test_the_flag_becomes_preferences_keeping_a_choice_already_made_and_can_go_back():
    old = migrate(BEFORE)
    User, Antenna = old.get_model("people", "User"), old.get_model("attention", "Antenna")
    OldPreference = old.get_model("notifications", "Preference")
    wants, does_not, chose = (User.objects.create(username=name, email=f"{name}@example.org", role="antenna") for name in ("anna", "bea", "carla"))
    for account, flag in ((wants, True), (does_not, False), (chose, True)):
        Antenna.objects.create(account=account, kind="pharmacy", email_updates=flag)
    # Carla had already said, in her preferences, no e-mail when a signal is closed: her choice stands.
    OldPreference.objects.create(account=chose, kind="signal_closed", email=False, digest=False)

    migrate(AFTER)
    by_e_mail = set(Preference.objects.filter(email=True, digest=False).values_list("account__username", "kind"))
    assert by_e_mail == {("anna", kind) for kind in NEWS} | {("carla", "signal_taken_up"), ("carla", "signal_contacted")}
    assert not Preference.objects.filter(account__username="bea").exists()

    back = migrate(BEFORE)
    flags = dict(back.get_model("attention", "Antenna").objects.values_list("account__username", "email_updates"))
    assert flags == {"anna": True, "bea": False, "carla": True}
