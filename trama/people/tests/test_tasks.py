"""E-mails leave through the background worker."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from trama.people.models import Role

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_a_queued_invitation(client, users, settings):
    settings.TASKS = DATABASE_TASKS
    client.force_login(users[Role.COORDINATOR])
    client.post(reverse("people:invite"), {"first_name": "Lia", "email": "lia@example.org", "role": Role.PARTNER})
    assert mail.outbox == []  # queued, not sent by the request
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.to for m in mail.outbox] == [["lia@example.org"]]
    assert "/account/invito/" in mail.outbox[0].body
