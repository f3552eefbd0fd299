"""The collective API: the same rules as the pages, public meetings for everyone, 4xx for hostile input."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trama.collective import services
from trama.collective.models import Meeting, Suggestion
from trama.people.models import Role
from trama.privacy.models import AuditEntry
from trama.testing import queries_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(users, neighbourhood, make_group, make_person):
    group = make_group()
    gina = make_person(name="Gina")
    services.add_member(group, gina, by=users[Role.WORKER], consent=True)
    soon = timezone.now() + timedelta(days=2)
    private = services.save_meeting(
        Meeting(group=group, title="Incontro del gruppo", starts_at=soon, minutes="Verbale riservato"), by=users[Role.WORKER]
    )
    services.record_attendance(private, by=users[Role.WORKER], attendees=[gina])
    public = services.save_meeting(
        Meeting(city=neighbourhood.city, neighbourhood=neighbourhood, kind=Meeting.Kind.TABLE, title="Tavolo aperto", starts_at=soon, is_public=True),
        by=users[Role.WORKER],
    )
    return private, public


def test_anyone_reads_public_meetings_without_personal_data(client, meetings):
    private, public = meetings
    rows = client.get(reverse("api-collective-meetings")).json()["results"]
    assert [r["title"] for r in rows] == ["Tavolo aperto"]
    detail = client.get(reverse("api-collective-meeting", args=[public.pk])).json()
    assert detail["title"] == "Tavolo aperto" and "attendees" not in detail and "minutes" not in detail
    assert client.get(reverse("api-collective-meeting", args=[private.pk])).status_code == 401


def test_staff_in_scope_read_attendance_and_minutes_and_it_is_audited(client, users, meetings):
    private, _ = meetings
    client.force_login(users[Role.WORKER])
    titles = {r["title"] for r in client.get(reverse("api-collective-meetings")).json()["results"]}
    assert titles == {"Tavolo aperto", "Incontro del gruppo"}
    detail = client.get(reverse("api-collective-meeting", args=[private.pk])).json()
    assert detail["minutes"] == "Verbale riservato" and len(detail["attendees"]) == 1
    assert AuditEntry.objects.filter(object_type="collective.meeting", object_id=str(private.pk), action="read").exists()


def test_a_partner_reads_only_public_meetings(client, users, meetings):
    private, public = meetings
    client.force_login(users[Role.PARTNER])
    assert client.get(reverse("api-collective-meeting", args=[private.pk])).status_code == 403
    assert "minutes" not in client.get(reverse("api-collective-meeting", args=[public.pk])).json()
    assert client.get(reverse("api-collective-groups")).status_code == 403


@pytest.mark.parametrize("query", ["?since=ieri", "?since=2026-02-30", "?until=99999-01-01", "?since=0001-01-01"])
def test_bad_dates_are_a_400(client, query):
    response = client.get(reverse("api-collective-meetings") + query)
    assert response.status_code == 400


def test_groups_api_follows_the_scope(client, users, make_group, other_neighbourhood):
    mine, theirs = make_group("Spesa insieme"), make_group("Altrove", where=other_neighbourhood)
    client.force_login(users[Role.WORKER])
    assert [g["name"] for g in client.get(reverse("api-collective-groups")).json()["results"]] == ["Spesa insieme"]
    assert client.get(reverse("api-collective-group", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("api-collective-groups") + "?status=zzz").status_code == 400
    detail = client.get(reverse("api-collective-group", args=[mine.pk])).json()
    assert detail["members"] == []


def test_a_citizen_reads_their_group_without_its_members(client, users, make_group, make_person):
    group = make_group()
    me = make_person(account=users[Role.CITIZEN])
    services.add_member(group, me, by=users[Role.WORKER], consent=True)
    client.force_login(users[Role.CITIZEN])
    detail = client.get(reverse("api-collective-group", args=[group.pk])).json()
    assert detail["name"] == group.name and detail["members"] is None


def test_suggestion_list_query_count_does_not_grow_with_rows(client, users, city, neighbourhood, make_person):
    def add(n, start):
        for i in range(start, start + n):
            s = Suggestion.objects.create(city=city, neighbourhood=neighbourhood, signature=f"{i:064d}", size=5, purpose="Spesa")
            s.people.set([make_person(), make_person()])

    urls = [reverse("api-collective-suggestions"), reverse("collective:suggestions")]
    client.force_login(users[Role.WORKER])
    add(2, 0)
    few = [queries_of(client, url) for url in urls]
    add(18, 2)
    assert [queries_of(client, url) for url in urls] == few
    assert AuditEntry.objects.filter(object_type="collective.suggestion", action="read", actor=users[Role.WORKER]).exists()
