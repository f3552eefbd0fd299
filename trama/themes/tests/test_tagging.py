"""Workers add and remove themes on items in their neighbourhoods; removing keeps the tag, rejected."""

import pytest
from django.urls import reverse

from trama.privacy.models import AuditEntry
from trama.themes.models import Tag, Theme

pytestmark = pytest.mark.django_db


def test_the_item_page_shows_suggested_tags_with_their_confidence(client, worker, make_item, make_theme):
    item = make_item("Bollette troppo alte")
    theme = make_theme(suggested_name="bollette, gas")
    Tag.objects.create(item=item, theme=theme, origin=Tag.Origin.SUGGESTED, confidence=0.734)
    client.force_login(worker)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "bollette, gas" in page and "suggerito" in page and "0,73" in page
    assert AuditEntry.objects.filter(object_type="themes.textitem", object_id=str(item.pk)).exists()


def test_a_worker_adds_a_theme_to_an_item(client, worker, make_item, make_theme):
    item, theme = make_item(), make_theme()
    client.force_login(worker)
    response = client.post(reverse("themes:item_tag", args=[item.pk]), {"theme": theme.pk})
    assert response.status_code == 302
    tag = Tag.objects.get(item=item, theme=theme)
    assert (tag.origin, tag.set_by, tag.rejected) == (Tag.Origin.PERSON, worker, False)


def test_removing_a_tag_rejects_it_without_deleting_it(client, worker, make_item, make_theme):
    item = make_item()
    theme = make_theme([item])
    client.force_login(worker)
    response = client.post(reverse("themes:item_untag", args=[item.pk, theme.pk]), {"next": reverse("themes:theme_items", args=[theme.pk])})
    assert response.status_code == 302 and response["Location"] == reverse("themes:theme_items", args=[theme.pk])
    assert Tag.objects.get(item=item, theme=theme).rejected


def test_removing_redirects_only_inside_the_site(client, worker, make_item, make_theme):
    item = make_item()
    theme = make_theme([item])
    client.force_login(worker)
    response = client.post(reverse("themes:item_untag", args=[item.pk, theme.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == item.get_absolute_url()


def test_a_worker_cannot_tag_an_item_outside_their_neighbourhoods(client, worker, make_item, make_theme, other_neighbourhood):
    item, theme = make_item(where=other_neighbourhood), make_theme()
    client.force_login(worker)
    assert client.post(reverse("themes:item_tag", args=[item.pk]), {"theme": theme.pk}).status_code == 403
    assert not Tag.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999999999999999", "other-city", "retired"])
def test_tagging_with_a_bad_theme_is_refused(client, worker, make_item, make_theme, make_neighbourhood, value):
    from trama.territory.models import City

    item = make_item()
    elsewhere = make_theme(city=City.objects.create(name="Altrove", slug="altrove", centre_lat=45, centre_lon=9))
    retired = make_theme(status=Theme.Status.RETIRED)
    value = {"other-city": elsewhere.pk, "retired": retired.pk}.get(value, value)
    client.force_login(worker)
    response = client.post(reverse("themes:item_tag", args=[item.pk]), {"theme": value})
    assert response.status_code == 400 and "Scegli un tema" in response.content.decode() or "obbligatorio" in response.content.decode()
    assert not Tag.objects.exists()


def test_the_list_of_a_themes_items_shows_only_the_workers_neighbourhoods(client, worker, make_item, make_theme, other_neighbourhood):
    mine, theirs = make_item("Il mio quartiere"), make_item("Un altro quartiere", where=other_neighbourhood)
    theme = make_theme([mine, theirs])
    client.force_login(worker)
    page = client.get(reverse("themes:theme_items", args=[theme.pk])).content.decode()
    assert "Il mio quartiere" in page and "Un altro quartiere" not in page


# -- a new text's suggested theme: only from a confidence shown in words (issue 16, step 3) -------------------


def _unit(*values):
    import numpy as np

    v = np.asarray(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def _themes_at(make_theme, *centres):
    from trama.themes.services import to_bytes

    return [make_theme(suggested_name=f"tema {n}", centroid=to_bytes(_unit(*c))) for n, c in enumerate(centres)]


def _embedded_item(make_item, *vector):
    from trama.themes.services import to_bytes

    return make_item("Un testo nuovo", embedding=to_bytes(_unit(*vector)))


def test_a_new_text_near_one_theme_gets_it_suggested_with_its_confidence(make_item, make_theme):
    from trama.themes import services
    from trama.themes.models import SUGGEST_CONFIDENCE, confidence_words

    first, _second = _themes_at(make_theme, (1, 0, 0), (0, 1, 0))
    tag = services.suggest_tags(_embedded_item(make_item, 0.99, 0.05, 0))
    assert tag.theme == first and tag.origin == Tag.Origin.SUGGESTED
    assert tag.confidence >= SUGGEST_CONFIDENCE and confidence_words(tag.confidence) == "alta"


def test_a_new_text_between_themes_gets_no_suggestion(make_item, make_theme):
    """Three themes equally near: the best confidence is a third, below "media", so nothing is suggested."""
    from trama.themes import services

    _themes_at(make_theme, (1, 0.1, 0.1), (0.1, 1, 0.1), (0.1, 0.1, 1))
    assert services.suggest_tags(_embedded_item(make_item, 1, 1, 1)) is None
    assert not Tag.objects.exists()


def test_a_new_text_far_from_every_theme_gets_no_suggestion(make_item, make_theme):
    from trama.themes import services

    _themes_at(make_theme, (1, 0, 0))
    assert services.suggest_tags(_embedded_item(make_item, 0.5, 0.86, 0)) is None  # alone, but not near


@pytest.mark.parametrize("value, words", [(0.95, "alta"), (0.8, "alta"), (0.79, "media"), (0.5, "media"), (0.49, "bassa"), (None, "")])
def test_confidence_in_words(value, words):
    from trama.themes.models import confidence_words

    assert confidence_words(value) == words


def test_the_item_page_says_the_confidence_in_words_and_from_when_a_theme_is_suggested(client, worker, make_item, make_theme):
    item = make_item("Bollette troppo alte")
    Tag.objects.create(item=item, theme=make_theme(suggested_name="bollette, gas"), origin=Tag.Origin.SUGGESTED, confidence=0.62)
    client.force_login(worker)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "confidenza media (0,62)" in page
    assert "confidenza almeno media (0,50)" in page and "alta da 0,80" in page
