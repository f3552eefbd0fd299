"""Meetings of groups, neighbourhood tables and assemblies: attendance, minutes, decisions, calendars."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trama.collective import ical, services
from trama.collective.models import Decision, Meeting
from trama.market.models import Need
from trama.people.models import Role
from trama.testing import STIGMA, assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def meeting(make_group, users, place):
    group = make_group(status="active")
    return services.save_meeting(
        Meeting(group=group, title="Primo incontro", starts_at=timezone.now() + timedelta(days=2), place=place), by=users[Role.WORKER]
    )


@pytest.fixture
def table(neighbourhood, users, place):
    return services.save_meeting(
        Meeting(
            city=neighbourhood.city,
            neighbourhood=neighbourhood,
            kind=Meeting.Kind.TABLE,
            title="Tavolo di quartiere di maggio",
            starts_at=timezone.now() + timedelta(days=5),
            place=place,
            is_public=True,
            agenda="Feste d'estate; orti, e cortili",
        ),
        by=users[Role.WORKER],
    )


def test_a_worker_fixes_a_group_meeting_then_records_attendance_minutes_and_a_decision(client, users, make_group, make_person, place):
    group = make_group(status="active")
    gina, piero = make_person(name="Gina"), make_person(name="Piero")
    for person in (gina, piero):
        services.add_member(group, person, by=users[Role.WORKER], consent=True)
    client.force_login(users[Role.WORKER])
    when = timezone.now() + timedelta(days=3)
    response = client.post(
        reverse("collective:meeting_create") + f"?gruppo={group.pk}",
        {
            "title": "Primo incontro",
            "starts_at": local(when),
            "place": place.pk,
            "agenda": "Conoscersi",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.group == group and meeting.kind == Meeting.Kind.GROUP
    assert meeting.neighbourhood == group.neighbourhood and meeting.city == group.city
    client.post(reverse("collective:meeting_record", args=[meeting.pk]), {"attendees": [gina.pk], "minutes": "Ci siamo presentati."})
    meeting.refresh_from_db()
    assert list(meeting.attendees.all()) == [gina] and meeting.minutes == "Ci siamo presentati."
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(
        reverse("collective:decision_add", args=[meeting.pk]), {"text": "Chiedere la sala", "owner": users[Role.WORKER].pk, "due_date": due}
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    page = client.get(reverse("collective:meeting", args=[meeting.pk])).content.decode()
    assert "Chiedere la sala" in page and "Ci siamo presentati." in page and "Gina" in page
    client.post(reverse("collective:decision_done", args=[decision.pk]), {"done": "1"})
    decision.refresh_from_db()
    assert decision.done_at is not None
    assert "Primo incontro" in client.get(reverse("collective:group", args=[group.pk])).content.decode()


def test_a_decision_opens_a_need_in_the_market(client, users, meeting, make_person):
    member = make_person(name="Gina")
    services.add_member(meeting.group, member, by=users[Role.WORKER], consent=True)
    decision = services.add_decision(meeting, by=users[Role.WORKER], text="Cerchiamo un furgone per la spesa", owner_name="Gina")
    client.force_login(users[Role.WORKER])
    url = reverse("collective:decision_market", args=[decision.pk])
    response = client.post(url, {"side": "need", "person": member.pk, "kind": "goods", "text": "Un furgone per portare la spesa"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.need.person == member and decision.need.neighbourhood == meeting.neighbourhood
    assert Need.objects.count() == 1
    assert client.get(url).status_code == 302  # already opened: back to the meeting


def test_a_decision_cannot_open_a_need_for_someone_outside_the_group(client, users, meeting, make_person):
    decision = services.add_decision(meeting, by=users[Role.WORKER], text="Una cosa", owner_name="Gina")
    client.force_login(users[Role.WORKER])
    response = client.post(
        reverse("collective:decision_market", args=[decision.pk]), {"side": "need", "person": make_person().pk, "kind": "goods", "text": "Un furgone"}
    )
    assert response.status_code == 400 and not Need.objects.exists()


def test_an_open_table_counts_attendance_without_names(client, users, table):
    client.force_login(users[Role.WORKER])
    form = client.get(reverse("collective:meeting_record", args=[table.pk])).content.decode()
    assert 'name="attendees"' not in form
    client.post(reverse("collective:meeting_record", args=[table.pk]), {"attendance_count": "34", "minutes": "Buona partecipazione"})
    table.refresh_from_db()
    assert table.attendance_count == 34


@pytest.mark.parametrize(
    "payload",
    [
        {"title": "Ok", "starts_at": "2026-02-30T10:00"},
        {"title": "Ok", "starts_at": "domani"},
        {"title": "Ok", "starts_at": "9999-01-01T10:00"},
        {"title": "x" * 300, "starts_at": "2030-01-01T10:00"},
        {"title": "Ok", "starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T09:00"},
        {"title": "Ok", "starts_at": "2030-01-01T10:00", "agenda": "a" * 9000},
        {"title": "Ok", "starts_at": "2030-01-01T10:00", "place": "abc"},
        {"title": "Ok", "starts_at": "2030-01-01T10:00", "kind": "group"},
    ],
)
def test_hostile_meeting_input_is_refused(client, users, neighbourhood, payload):
    client.force_login(users[Role.WORKER])
    data = {"kind": "table", "neighbourhood": neighbourhood.pk, **payload}
    response = client.post(reverse("collective:meeting_create"), data)
    assert response.status_code == 400 and not Meeting.objects.exists()


def test_a_worker_cannot_place_a_meeting_in_another_neighbourhood_or_city(client, users, other_neighbourhood, make_neighbourhood):
    from trama.territory.models import City, Place

    far_city = City.objects.create(name="Altrove", slug="altrove", centre_lat=45.0, centre_lon=9.0)
    far_place = Place.objects.create(neighbourhood=make_neighbourhood("Lontano", city=far_city), name="Sala lontana")
    client.force_login(users[Role.WORKER])
    url = reverse("collective:meeting_create")
    assert (
        client.post(url, {"kind": "table", "neighbourhood": other_neighbourhood.pk, "title": "X", "starts_at": "2030-01-01T10:00"}).status_code == 400
    )
    assert (
        client.post(
            url,
            {
                "kind": "table",
                "neighbourhood": users[Role.WORKER].neighbourhoods.first().pk,
                "title": "X",
                "starts_at": "2030-01-01T10:00",
                "place": far_place.pk,
            },
        ).status_code
        == 400
    )
    assert not Meeting.objects.exists()


def test_hostile_decision_input_is_refused(client, users, meeting):
    client.force_login(users[Role.WORKER])
    url = reverse("collective:decision_add", args=[meeting.pk])
    for payload in (
        {"text": "x" * 600, "owner_name": "Gina"},
        {"text": "Ok"},
        {"text": "Ok", "owner_name": "G", "due_date": "31/02/2026"},
        {"text": "Ok", "owner": "abc"},
    ):
        assert client.post(url, payload).status_code == 400
    assert not Decision.objects.exists()


def test_the_staff_calendar_groups_a_month_by_day_and_navigates(client, users, meeting, table):
    client.force_login(users[Role.WORKER])
    month = timezone.localtime(table.starts_at).strftime("%Y-%m")
    page = client.get(reverse("collective:calendar") + f"?mese={month}").content.decode()
    assert "Tavolo di quartiere di maggio" in page and "Mese successivo" in page
    assert client.get(reverse("collective:calendar") + "?mese=9999-99&quartiere=abc").status_code == 200


def test_the_public_calendar_shows_only_public_meetings_with_no_personal_data(client, users, meeting, table, make_person):
    gina = make_person(name="Gina Riservata")
    services.add_member(meeting.group, gina, by=users[Role.WORKER], consent=True)
    services.record_attendance(meeting, by=users[Role.WORKER], attendees=[gina], minutes="Gina racconta della sua fatica")
    month = timezone.localtime(table.starts_at).strftime("%Y-%m")
    for url in (reverse("collective:public_calendar") + f"?mese={month}", reverse("collective:public_meeting", args=[table.pk]), reverse("home")):
        page = client.get(url).content.decode()
        assert "Tavolo di quartiere di maggio" in page
        assert "Primo incontro" not in page and "Gina" not in page
        assert not STIGMA.search(page)
    assert client.get(reverse("collective:public_meeting", args=[meeting.pk])).status_code == 404


def test_the_public_calendar_does_not_reveal_a_hidden_place(client, table):
    from trama.territory.models import Place

    table.place = Place.objects.create(neighbourhood=table.neighbourhood, name="Sede riservata", is_public=False)
    table.save()
    assert "Sede riservata" not in client.get(reverse("collective:public_meeting", args=[table.pk])).content.decode()
    assert "Sede riservata" not in client.get(reverse("collective:public_ical")).content.decode()


def test_the_ical_feed_follows_rfc_5545(client, table):
    response = client.get(reverse("collective:public_ical"))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    for line in response.content.split(b"\r\n"):
        assert len(line) <= 75
    unfolded = body.replace("\r\n ", "")
    assert f"UID:meeting-{table.pk}@prova.trama" in unfolded
    assert "SUMMARY:Tavolo di quartiere di maggio" in unfolded
    assert "DESCRIPTION:Feste d'estate\\; orti\\, e cortili" in unfolded
    start = table.starts_at.astimezone(timezone.get_fixed_timezone(0)).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in unfolded and "DTEND:" in unfolded and "DTSTAMP:" in unfolded
    assert client.get(reverse("collective:public_ical")).content.decode().count("UID:") == 1


def test_ical_escapes_and_folds_without_breaking_characters():
    assert ical.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "è" * 100
    folded = ical.fold(line)
    parts = folded.encode().split(b"\r\n")
    assert all(len(p) <= 75 for p in parts) and all(p.startswith(b" ") for p in parts[1:])
    assert folded.replace("\r\n ", "") == line


@pytest.mark.parametrize("calendar", ["collective:calendar", "collective:public_calendar"])
def test_calendar_query_count_does_not_grow_with_rows(client, users, make_group, place, calendar):
    client.force_login(users[Role.WORKER])
    group = make_group()
    start = timezone.localtime().replace(day=1, hour=10, minute=0) + timedelta(days=31)

    def add(n):
        for i in range(n):
            services.save_meeting(
                Meeting(group=group, title=f"Incontro {i}", starts_at=start + timedelta(hours=i), place=place), by=users[Role.WORKER]
            )

    assert_queries_do_not_grow(client, reverse(calendar) + f"?mese={start:%Y-%m}", add)


def test_a_meeting_of_another_neighbourhood_is_refused(client, users, make_group, other_neighbourhood):
    group = make_group(where=other_neighbourhood)
    meeting = services.save_meeting(Meeting(group=group, title="Altrove", starts_at=timezone.now()), by=users[Role.COORDINATOR])
    client.force_login(users[Role.WORKER])
    assert client.get(reverse("collective:meeting", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("collective:decision_add", args=[meeting.pk]), {"text": "X", "owner_name": "Y"}).status_code == 403
    assert client.get(reverse("collective:meeting_create") + f"?gruppo={group.pk}").status_code == 404


def test_a_meeting_is_moved_and_stays_with_its_group(client, users, meeting):
    client.force_login(users[Role.WORKER])
    later = meeting.starts_at + timedelta(days=7)
    response = client.post(reverse("collective:meeting_edit", args=[meeting.pk]), {"title": "Secondo tentativo", "starts_at": local(later)})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Secondo tentativo" and meeting.group_id and meeting.kind == Meeting.Kind.GROUP
    assert local(meeting.starts_at) == local(later)
