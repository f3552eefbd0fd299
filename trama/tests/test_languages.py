"""The language menu on every page, the choice remembered, and <html lang dir> right for it."""

import pytest
from django.conf import settings

NAMES_IN_THEMSELVES = {
    "it": "Italiano",
    "en": "English",
    "ro": "Română",
    "ar": "العربية",
    "sq": "Shqip",
    "uk": "Українська",
    "fr": "Français",
}


def choose(client, code, next_url="/"):
    return client.post("/i18n/setlang/", {"language": code, "next": next_url})


def test_the_menu_names_every_language_in_itself(client, db):
    page = client.get("/").content.decode()
    assert '<label for="lingua" class="visually-hidden">Lingua</label>' in page
    for code, name in NAMES_IN_THEMSELVES.items():
        assert f'<option value="{code}" lang="{code}"' in page
        assert f">{name}</option>" in page
    assert [code for code, _name in settings.LANGUAGES] == list(NAMES_IN_THEMSELVES)


@pytest.mark.parametrize("code", ["ro", "sq", "uk", "fr", "en"])
def test_a_left_to_right_language_is_remembered_across_the_public_doors(client, db, code):
    response = choose(client, code, "/mercato/cerco-una-mano/")
    assert response.status_code == 302 and response["Location"] == "/mercato/cerco-una-mano/"
    for path in ("/", "/mercato/cerco-una-mano/", "/mercato/offro-una-mano/", "/account/registrati/", "/iniziative/catalogo/"):
        response = client.get(path)
        page = response.content.decode()
        assert response["Content-Language"] == code, path
        assert f'<html lang="{code}" dir="ltr">' in page, path
        assert "rtl.css" not in page
        assert f'<option value="{code}" lang="{code}" selected>' in page


def test_arabic_pages_are_right_to_left_with_their_stylesheet(client, db):
    italian = client.get("/").content.decode()
    choose(client, "ar")
    for path in ("/", "/mercato/cerco-una-mano/", "/gruppi/calendario-pubblico/"):
        page = client.get(path).content.decode()
        assert '<html lang="ar" dir="rtl">' in page, path
        assert "trama/rtl.css" in page
    # The public home is kept in a cache for visitors: never the Italian copy for an Arabic reader.
    arabic = client.get("/").content.decode()
    assert "Cerco una mano" in italian and "Cerco una mano" not in arabic


def test_a_signed_in_citizen_keeps_the_language_chosen_before(client, db, django_user_model):
    from trama.people.models import Role

    user = django_user_model.objects.create_user("amina", password="una-password-lunga-1", role=Role.CITIZEN)
    choose(client, "ar")
    client.force_login(user)
    page = client.get("/account/profilo/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page


def test_an_unknown_language_changes_nothing(client, db):
    choose(client, "ro")
    response = choose(client, "xx")
    assert response.status_code == 302
    assert client.get("/")["Content-Language"] == "ro"
