import pytest
from django.urls import reverse

from conftest import PASSWORD


@pytest.fixture
def log_in():
    """Sign in through the real login form (axes needs a request, so client.login() cannot)."""

    def log_in(client, username, password=PASSWORD):
        return client.post(reverse("login"), {"username": username, "password": password})

    return log_in
