import pytest
from django.urls import reverse

from trama.people.models import Role, User

pytestmark = pytest.mark.django_db

PASSWORD = "Una-password-lunga-2026"


def register(client, **data):
    form = {
        "first_name": "Marta",
        "email": "marta@example.org",
        "username": "marta",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy": "on",
        **data,
    }
    return client.post(reverse("people:register"), {k: v for k, v in form.items() if v is not None})


def test_registration_creates_a_signed_in_citizen(client, city):
    response = register(client)
    user = User.objects.get(username="marta")
    assert response.status_code == 302
    assert user.role == Role.CITIZEN
    assert user.city == city
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.WORKER, "superuser"])
def test_registration_ignores_a_posted_role(client, city, role):
    register(client, role=role, is_staff="on", is_superuser="on")
    user = User.objects.get(username="marta")
    assert user.role == Role.CITIZEN
    assert not user.is_staff and not user.is_superuser


@pytest.mark.parametrize(
    "password,message",
    [
        ("Corta-1", "Questa password è troppo corta: deve contenere almeno 10 caratteri."),
        ("password123", "Questa password è troppo comune."),
        ("4815162342", "Questa password è interamente numerica."),
        ("marta@example.org", "La password è troppo simile a e-mail"),
    ],
)
def test_weak_passwords_are_refused_in_italian(client, city, password, message):
    response = register(client, password1=password, password2=password)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(username="marta").exists()


def test_mismatched_passwords_are_refused(client, city):
    response = register(client, password2=PASSWORD + "x")
    assert response.status_code == 400
    assert "Le due password non coincidono." in response.content.decode()
    assert not User.objects.exists()


def test_ten_kilobyte_password_is_refused_with_a_message(client, city):
    response = register(client, password1="x" * 10_000, password2="x" * 10_000)
    assert response.status_code == 400
    assert "al massimo 256 caratteri" in response.content.decode()


def test_duplicate_email_is_refused_whatever_its_case(client, make_user):
    make_user(email="marta@example.org")
    response = register(client, email="MARTA@example.org")
    assert response.status_code == 400
    assert "Esiste già un account con questa e-mail" in response.content.decode()
    assert not User.objects.filter(username="marta").exists()


def test_privacy_checkbox_is_required(client, city):
    response = register(client, privacy=None)
    assert response.status_code == 400
    assert not User.objects.exists()


def test_markup_in_the_name_is_refused(client, city):
    response = register(client, first_name="<script>alert(1)</script>")
    assert response.status_code == 400
    assert "non può contenere i caratteri" in response.content.decode()
    assert not User.objects.exists()


def test_signed_in_user_is_sent_home(client, users):
    client.force_login(users[Role.CITIZEN])
    response = client.get(reverse("people:register"))
    assert response.status_code == 302
    assert response.url == reverse("home")
    before = User.objects.count()
    register(client)
    assert User.objects.count() == before


def test_username_taken_in_another_case_is_refused(client, make_user):
    make_user(username="Marta")
    response = register(client)
    assert response.status_code == 400
    assert "Questo nome per accedere è già in uso" in response.content.decode()


def test_username_may_not_look_like_an_email(client, city):
    response = register(client, username="lucia@example.org")
    assert response.status_code == 400
    assert "non può contenere @" in response.content.decode()
    assert not User.objects.exists()


def test_a_name_longer_than_a_person_can_hold_is_refused_with_a_clear_message(client, city):
    response = register(client, first_name="M" * 81)
    assert response.status_code == 400
    assert "non contenga più di 80 caratteri" in response.content.decode()
    assert not User.objects.exists()
    assert register(client, first_name="M" * 80).status_code == 302
