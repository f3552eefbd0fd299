"""A worker is made to enrol an authenticator app, keeps the recovery codes, and signs in
again with the password and a code from the app, then with a recovery code."""

import base64
import re

import pytest
from django_otp.oath import hotp, totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.people.models import Role

from .conftest import log_in_through_form

pytestmark = pytest.mark.django_db(transaction=True)


def app_code(secret):
    """What the phone app shows now, from the secret as the page displays it."""
    return f"{totp(base64.b32decode(secret.replace(' ', ''))):06d}"


def next_app_code(secret, account):
    """What the app shows in the next 30 seconds: a code is good once, so after enrolling
    the same minute a person waits for a new one. The server's last accepted step (which
    also absorbs the clock skew it allowed) says which step comes next."""
    last_step = TOTPDevice.objects.get(user=account).last_t
    return f"{hotp(base64.b32decode(secret.replace(' ', '')), last_step + 1):06d}"


def sign_out(page):
    page.get_by_role("button", name="Esci").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Accedi")).to_be_visible()


def test_worker_enrols_then_signs_in_with_a_code_and_once_with_a_recovery_code(phone, users, settings):
    settings.TRAMA_REQUIRE_SECOND_FACTOR = True
    worker = users[Role.WORKER]

    log_in_through_form(phone, worker.username, PASSWORD)
    expect(phone).to_have_url(re.compile(r"/account/profilo/verifica-in-due-passaggi/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Attiva la verifica in due passaggi")
    expect(phone.locator("svg.qr-code")).to_be_visible()
    phone.goto("/account/persone/")  # nothing else opens before enrolling
    expect(phone).to_have_url(re.compile(r"/account/profilo/verifica-in-due-passaggi/$"))
    secret = phone.get_by_test_id("secret").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{1,4}", secret)
    phone.get_by_label("Codice di verifica").fill(app_code(secret))
    phone.get_by_role("button", name="Conferma e attiva").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("I tuoi codici di recupero")
    codes = phone.get_by_test_id("recovery-codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", code.strip()) for code in codes)
    phone.get_by_role("link", name="Li ho conservati: continua").click()
    phone.goto("/account/persone/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Persone")
    sign_out(phone)

    log_in_through_form(phone, worker.username, PASSWORD)
    expect(phone).to_have_url(re.compile(r"/account/accedi/codice/"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Codice di verifica")
    phone.get_by_label("Codice di verifica").fill(next_app_code(secret, worker))
    phone.get_by_role("button", name="Verifica", exact=True).click()
    phone.goto("/account/persone/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Persone")
    sign_out(phone)

    log_in_through_form(phone, worker.username, PASSWORD)
    phone.get_by_text("Non hai il telefono con te? Usa un codice di recupero").click()
    phone.get_by_label("Codice di recupero").fill(codes[0].strip())
    phone.get_by_role("button", name="Usa il codice di recupero").click()
    phone.goto("/account/persone/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Persone")
    sign_out(phone)

    log_in_through_form(phone, worker.username, PASSWORD)  # a recovery code works once
    phone.get_by_text("Non hai il telefono con te? Usa un codice di recupero").click()
    phone.get_by_label("Codice di recupero").fill(codes[0].strip())
    phone.get_by_role("button", name="Usa il codice di recupero").click()
    expect(phone.get_by_text("Codice di recupero non corretto o già usato.")).to_be_visible()
