"""Theme pages: named first, examples in scope, where and since when, beyond the mandate, suppression."""

import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from trama.privacy.models import AuditEntry
from trama.themes import queries
from trama.themes.models import Tag, Theme, TraditionalCategory

pytestmark = pytest.mark.django_db


def test_the_list_shows_named_themes_before_candidates(client, coordinator, make_theme, make_item):
    make_theme([make_item() for _ in range(3)], suggested_name="grande candidato")
    make_theme([make_item()], name="Piccolo ma con nome", status=Theme.Status.NAMED)
    make_theme(suggested_name="archiviato", status=Theme.Status.RETIRED)
    client.force_login(coordinator)
    page = client.get(reverse("themes:themes")).content.decode()
    assert page.index("Piccolo ma con nome") < page.index("grande candidato") and "archiviato" not in page
    assert "archiviato" in client.get(reverse("themes:themes") + "?archivio=1").content.decode()


def test_a_workers_list_shows_small_city_wide_sizes_as_reserved(client, worker, make_theme, make_item):
    make_theme([make_item() for _ in range(3)])
    client.force_login(worker)
    page = client.get(reverse("themes:themes")).content.decode()
    assert "riservato testi" in page and "3 testi" not in page


def test_a_workers_theme_page_shows_examples_only_from_their_neighbourhoods_and_audits_them(
    client, worker, make_theme, make_item, other_neighbourhood
):
    mine, theirs = make_item("Parole dal mio quartiere"), make_item("Parole da un altro quartiere", where=other_neighbourhood)
    theme = make_theme([mine, theirs])
    client.force_login(worker)
    response = client.get(theme.get_absolute_url())
    page = response.content.decode()
    assert "Parole dal mio quartiere" in page and "Parole da un altro quartiere" not in page
    entry = AuditEntry.objects.get(object_type="themes.textitem")
    assert str(mine.pk) in entry.reason and str(theirs.pk) not in entry.reason
    assert "no-store" in response["Cache-Control"]


def test_a_coordinator_sees_examples_city_wide(client, coordinator, make_theme, make_item, other_neighbourhood):
    theme = make_theme([make_item("Parole dal primo"), make_item("Parole dal secondo", where=other_neighbourhood)])
    client.force_login(coordinator)
    page = client.get(theme.get_absolute_url()).content.decode()
    assert "Parole dal primo" in page and "Parole dal secondo" in page


def test_a_worker_sees_exact_counts_in_their_neighbourhoods_and_small_ones_reserved_elsewhere(
    worker, coordinator, make_theme, make_item, neighbourhood, other_neighbourhood, make_neighbourhood
):
    third = make_neighbourhood("Terzo")
    theme = make_theme(
        [make_item(where=neighbourhood) for _ in range(2)]
        + [make_item(where=other_neighbourhood) for _ in range(3)]
        + [make_item(where=third) for _ in range(12)]
    )
    rows = {r["neighbourhood"].pk: r for r in queries.by_neighbourhood(worker, theme)}
    assert rows[neighbourhood.pk]["count"] == 2 and rows[neighbourhood.pk]["exact"]
    assert rows[other_neighbourhood.pk]["count"] is None and str(rows[other_neighbourhood.pk]["cell"]) == "riservato"
    assert rows[third.pk]["count"] is None  # secondary suppression: a lone hidden cell would be recoverable
    assert rows[other_neighbourhood.pk]["shares"] is None
    assert {r["neighbourhood"].pk: r["count"] for r in queries.by_neighbourhood(coordinator, theme)} == {
        neighbourhood.pk: 2,
        other_neighbourhood.pk: 3,
        third.pk: 12,
    }


def test_the_map_data_carries_the_same_suppressed_counts_as_the_table(client, worker, make_theme, make_item, other_neighbourhood, neighbourhood):
    theme = make_theme([make_item(where=neighbourhood), make_item(where=other_neighbourhood)])
    client.force_login(worker)
    counts = json.loads(client.get(theme.get_absolute_url()).context["map_counts"])
    assert counts == {str(neighbourhood.pk): 1, str(other_neighbourhood.pk): None}


def test_the_size_by_month_fills_empty_months_and_the_chart_is_a_png(client, coordinator, make_theme, make_item):
    now = timezone.now()
    old = make_item()
    old.written_at = now.replace(day=1) - timezone.timedelta(days=70)
    old.save()
    theme = make_theme([old, make_item(days_ago=0), make_item(days_ago=0)])
    months = queries.monthly_sizes(coordinator, theme)
    assert len(months) in (3, 4) and months[-1] == (date(now.year, now.month, 1), 2) and months[0][1] == 1
    assert sum(n for _m, n in months) == 3
    client.force_login(coordinator)
    response = client.get(reverse("themes:theme_chart", args=[theme.pk]))
    assert response["Content-Type"] == "image/png" and response.content[:4] == b"\x89PNG"


def test_beyond_the_mandate_counts_people_unknown_to_services_and_items_outside_categories(coordinator, make_theme, make_item, make_person):
    unknown, known, unsure = make_person(known=False), make_person(known=True), make_person(known=None)
    items = [make_item(person=unknown), make_item(person=unknown), make_item(person=known), make_item(person=unsure)]
    theme = make_theme(items)
    linked = make_theme([items[0]], name="Anziani soli", status=Theme.Status.NAMED)
    linked.categories.add(TraditionalCategory.objects.get(code="anziani"))
    figures = queries.beyond_the_mandate(queries.items_of(theme))
    assert figures["items"] == 4 and figures["unknown_share"] == 0.5  # 1 of the 2 people with a value
    assert figures["outside_share"] == 0.75  # items[0] has a live theme linked to a category
    theme.categories.add(TraditionalCategory.objects.get(code="poverta"))
    assert queries.beyond_the_mandate(queries.items_of(theme))["outside_share"] == 0.0
    theme.categories.clear()
    linked.outside_categories = True
    linked.save()
    assert queries.beyond_the_mandate(queries.items_of(theme))["outside_share"] == 1.0


def test_the_theme_page_shows_where_since_when_and_the_share_outside_categories(client, coordinator, make_theme, make_item):
    theme = make_theme([make_item() for _ in range(4)])
    client.force_login(coordinator)
    page = client.get(theme.get_absolute_url()).content.decode()
    for testid in ("where-table", "months-table", "chart", "outside-share", "history", 'id="mappa"'):
        assert testid in page
    assert "100 %" in page and "<script>" not in page


def test_a_rejected_tag_does_not_count(coordinator, make_theme, make_item):
    item = make_item()
    theme = make_theme([item, make_item()])
    Tag.objects.filter(item=item).update(rejected=True)
    assert queries.items_of(theme).count() == 1


def test_nav_and_home_cards_link_to_themes_for_staff_only(client, coordinator, users):
    from trama.people.models import Role

    client.force_login(coordinator)
    assert reverse("themes:runs") in client.get(reverse("home")).content.decode()
    client.force_login(users[Role.PARTNER])
    assert reverse("themes:themes") not in client.get(reverse("home")).content.decode()
