"""Baselines and targets of the indicators: who sets them, how they are checked, how progress is shown."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from trama.insights import reports, targets
from trama.insights.models import Target
from trama.people.models import Role

pytestmark = pytest.mark.django_db
CREATE = reverse("insights:target_create")
LIST = reverse("insights:targets")


@pytest.fixture
def coordinator(client, users, neighbourhood, other_neighbourhood):
    client.force_login(users[Role.COORDINATOR])
    return users[Role.COORDINATOR]


def _form(**changes):
    data = {"indicator": "g1_hours", "neighbourhood": "", "year": "2025", "target": "100", "baseline": "", "baseline_source": ""}
    return {**data, **changes}


def test_a_coordinator_sets_a_target_with_its_baseline_and_source(client, coordinator, neighbourhood):
    response = client.post(CREATE, _form(neighbourhood=neighbourhood.pk, baseline="2", baseline_source="Registro del volontariato 2024"))
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.neighbourhood, target.year, target.target, target.baseline) == (neighbourhood, 2025, Decimal(100), Decimal(2))
    assert target.baseline_source == "Registro del volontariato 2024" and target.set_by == coordinator


def test_a_share_is_entered_as_a_percentage_and_kept_as_a_fraction(client, coordinator):
    assert client.post(CREATE, _form(indicator="g3_share_reached", target="45,5")).status_code == 302
    target = Target.objects.get()
    assert target.target == Decimal("0.455")
    page = client.get(reverse("insights:target_edit", args=[target.pk])).content.decode()
    assert 'value="45,5"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"indicator": "g3_share_reached", "target": "150"}, "deve essere tra 0 e 100"),
        ({"target": "-1"}, "deve essere tra 0 e"),
        ({"indicator": "g4_groups", "target": "2,5"}, "deve essere un numero intero"),
        ({"target": "cento"}, "Inserisci un numero"),
        ({"target": "9" * 3000}, "cifre"),
        ({"target": ""}, "obbligatorio"),
        ({"indicator": "non_esiste"}, "Scegli"),
        ({"indicator": "<script>alert(1)</script>"}, "Scegli"),
        ({"year": "1999"}, "Scegli un anno"),
        ({"year": "duemila"}, "numero intero"),
        ({"neighbourhood": "999999"}, "Scegli un quartiere"),
        ({"baseline": "5"}, "Scrivi da dove viene"),
        ({"baseline_source": "x" * 301, "baseline": "5"}, "troppo lungo"),
    ],
)
def test_bad_input_is_a_400_with_an_italian_message_and_nothing_stored(client, coordinator, changes, message):
    response = client.post(CREATE, _form(**changes))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page, page[:2000]
    assert "<script>alert(1)</script>" not in page
    assert not Target.objects.exists()


def test_one_target_per_indicator_area_and_year(client, coordinator, city, neighbourhood):
    Target.objects.create(city=city, indicator="g1_hours", year=2025, target=Decimal(5))
    response = client.post(CREATE, _form(target="7"))
    assert response.status_code == 400 and "c&#x27;è già un obiettivo" in response.content.decode()
    assert client.post(CREATE, _form(target="7", neighbourhood=neighbourhood.pk)).status_code == 302  # another area
    assert Target.objects.count() == 2


def test_a_target_of_another_city_cannot_be_changed_or_removed(client, coordinator, make_user):
    from trama.territory.models import City

    far = City.objects.create(name="Lontana", slug="lontana-t", centre_lat=45, centre_lon=9)
    target = Target.objects.create(city=far, indicator="g1_hours", year=2025, target=Decimal(5))
    assert client.post(reverse("insights:target_edit", args=[target.pk]), _form(target="9")).status_code in (403, 404)
    assert client.post(reverse("insights:target_delete", args=[target.pk]), {"conferma": "1"}).status_code in (403, 404)
    target.refresh_from_db()
    assert target.target == Decimal(5)


def test_removing_asks_for_confirmation(client, coordinator, city):
    target = Target.objects.create(city=city, indicator="g1_hours", year=2025, target=Decimal(5))
    url = reverse("insights:target_delete", args=[target.pk])
    assert "Vuoi davvero togliere" in client.get(url).content.decode()
    assert client.post(url).status_code == 400 and Target.objects.exists()
    assert client.post(url, {"conferma": "1"}).status_code == 302 and not Target.objects.exists()


@pytest.mark.parametrize("role", [Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_only_coordinators_set_targets(client, users, role, neighbourhood):
    client.force_login(users[role])
    assert client.post(CREATE, _form()).status_code in (403, 404)
    assert not Target.objects.exists()


def test_share_of_the_way():
    assert targets.share_of_the_way(2, 12, 102) == 10
    assert targets.share_of_the_way(10, 5, 20) == -50  # moving away
    assert targets.share_of_the_way(10, 30, 20) == 200
    assert targets.share_of_the_way(None, 5, 20) is None
    assert targets.share_of_the_way(10, 5, 10) is None  # the target is where it started


def test_the_dashboard_shows_progress_in_words(client, coordinator, city, neighbourhood, make_organisation, give):
    give("hours", 12, on=date(2025, 2, 15), organisation=make_organisation())
    Target.objects.create(city=city, neighbourhood=neighbourhood, indicator="g1_hours", year=2025, baseline=2, baseline_source="Indagine", target=102)
    page = client.get(reverse("insights:dashboard"), {"periodo": "2025-T1"}).content.decode()
    assert 'data-testid="targets-g1_hours"' in page
    assert "da 2,0 a 12,0, obiettivo 102,0: 10 %" in page
    assert "in cammino" in page and 'aria-label="Avanzamento verso l\'obiettivo: Ore di tempo donate, Borgo Alto"' in page
    # A target changed: the cached cards are drawn again.
    Target.objects.update(target=52)
    Target.objects.get().save()
    assert "obiettivo 52,0: 20 %" in client.get(reverse("insights:dashboard"), {"periodo": "2025-T1"}).content.decode()


def test_without_a_baseline_the_first_year_with_data_is_used(client, coordinator, city, make_organisation, give):
    ponte = make_organisation()
    give("hours", 4, on=date(2024, 3, 1), organisation=ponte)
    give("hours", 10, on=date(2025, 3, 1), organisation=ponte)
    target = Target.objects.create(city=city, indicator="g1_hours", year=2025, target=Decimal(16))
    (found,) = targets.progress([target], city, reports.areas_of(city))
    assert found.baseline == 4 and "2024" in found.baseline_source and found.share == 50


def test_a_worker_reads_targets_of_their_neighbourhoods_and_the_city_with_small_counts_hidden(
    client, users, city, neighbourhood, other_neighbourhood, make_person
):
    for _i in range(3):
        make_person(where=neighbourhood)
    year = timezone.localdate().year
    Target.objects.create(city=city, indicator="g3_self_referred", year=year, baseline=1, baseline_source="Stima", target=20)
    Target.objects.create(
        city=city, neighbourhood=neighbourhood, indicator="g3_self_referred", year=year, baseline=1, baseline_source="Stima", target=21
    )
    Target.objects.create(city=city, neighbourhood=other_neighbourhood, indicator="g3_self_referred", year=year, target=99)
    client.force_login(users[Role.WORKER])
    page = client.get(LIST).content.decode()
    assert "obiettivo 21" in page and "da 1 a 3, obiettivo 21" in page  # their own neighbourhood, in full
    assert "da riservato a riservato, obiettivo 20" in page  # the whole city: outside their scope, 1 and 3 are small counts
    assert "obiettivo 99" not in page  # another neighbourhood's
    assert "Nuovo obiettivo" not in page
    client.force_login(users[Role.COORDINATOR])
    page = client.get(LIST).content.decode()
    assert "da 1 a 3, obiettivo 20" in page and "obiettivo 99" in page and "Nuovo obiettivo" in page


@pytest.mark.parametrize("value", ["duemila", "1999", "<script>", "9" * 3000])
def test_a_bad_year_or_indicator_on_the_list_is_a_400(client, coordinator, value):
    assert client.get(LIST, {"anno": value}).status_code == 400
    assert client.get(LIST, {"indicatore": value}).status_code == 400


def test_the_list_says_when_there_is_no_target(client, coordinator):
    assert "Nessun obiettivo per il" in client.get(LIST, {"anno": "2025"}).content.decode()
