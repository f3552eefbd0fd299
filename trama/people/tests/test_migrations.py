"""Leaving DRF's authtoken: its clear-text tokens go, on an old database as on a fresh one."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db

migration = importlib.import_module("trama.people.migrations.0004_api_tokens_replace_authtoken")


def forget_authtoken():
    def execute(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    migration.forget_authtoken(apps, SimpleNamespace(execute=execute))


def test_the_authtoken_table_of_an_older_database_is_dropped_with_its_records():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id bigint)")
        cursor.execute("INSERT INTO authtoken_token VALUES ('a-clear-text-key', '2026-01-01', 1)")
    MigrationRecorder.Migration.objects.create(app="authtoken", name="0001_initial")
    ContentType.objects.create(app_label="authtoken", model="token")
    forget_authtoken()
    assert "authtoken_token" not in connection.introspection.table_names()
    assert not MigrationRecorder.Migration.objects.filter(app="authtoken").exists()
    assert not ContentType.objects.filter(app_label="authtoken").exists()


def test_on_a_fresh_database_there_is_nothing_to_drop():
    assert "authtoken_token" not in connection.introspection.table_names()
    forget_authtoken()
    assert "people_apitoken" in connection.introspection.table_names()
