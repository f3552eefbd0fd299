"""A door for new antennas: a pharmacist applies from her phone on "Diventa antenna", a worker of her neighbourhood
accepts, and the new antenna finds the introductory training first and completes a lesson with its question."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.attention.models import AntennaApplication, LessonDone
from trama.attention.training import introductory_module
from trama.people.models import Role, User

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pharmacist_applies_is_accepted_and_starts_with_the_introduction(phone, page, make_user, make_neighbourhood):
    where = make_neighbourhood("San Leonardo", is_pilot=True)
    make_neighbourhood("Oltretorrente")
    worker = make_user(Role.WORKER, [where], username="operatrice")

    # On her phone, with no account: from the public home to "Diventa antenna".
    phone.goto("/")
    phone.get_by_role("link", name="Diventa antenna").first.click()
    phone.get_by_label("Come ti chiami").fill("Franca Bianchi")
    phone.get_by_label("Chi sei").select_option(label="Farmacia")
    phone.get_by_label("In quale quartiere vivi o lavori?").select_option(label="San Leonardo")
    phone.get_by_label("E-mail").fill("franca@example.org")
    phone.locator("label[for=id_consent]").click()  # Bootstrap Italia's label covers the box
    phone.get_by_role("button", name="Invia la candidatura").click()
    expect(phone.get_by_test_id("application-sent")).to_be_visible()

    # The worker of San Leonardo accepts: the invitation is the one every antenna gets.
    log_in(page, worker.username, PASSWORD)
    page.goto("/attenzione/candidature/")
    page.get_by_role("link", name="Franca Bianchi").click()
    page.get_by_role("link", name="Accogli e invita").click()
    expect(page.locator("#id_email")).to_have_value("franca@example.org")
    page.get_by_role("button", name="Invia l'invito").click()
    expect(page.get_by_text("Candidatura accolta")).to_be_visible()
    account = User.objects.get(email="franca@example.org", role=Role.ANTENNA)
    assert AntennaApplication.objects.get().account == account

    # She has chosen her password from the invitation (tested with the invitations); she signs in on her phone.
    account.set_password(PASSWORD)
    account.save()
    log_in(phone, account.username, PASSWORD)
    introduction = phone.get_by_test_id("introduction")
    expect(introduction).to_be_visible()
    introduction.get_by_role("link", name="Comincia").click()
    module = introductory_module()
    first = module.lesson(1)
    phone.get_by_role("link", name=first.title).click()
    expect(phone.get_by_test_id("lesson")).to_contain_text(first.body[0][:40])
    wrong = next(a for a in first.question.answers if not a.correct)
    right = next(a for a in first.question.answers if a.correct)
    phone.locator("label", has_text=wrong.text).click()
    phone.get_by_role("button", name="Rispondi").click()
    expect(phone.get_by_test_id("feedback")).to_contain_text(wrong.feedback)
    phone.locator("label", has_text=right.text).click()
    phone.get_by_role("button", name="Rispondi").click()
    expect(phone.get_by_text(right.feedback)).to_be_visible()
    expect(phone.get_by_role("heading", name=module.lesson(2).title)).to_be_visible()
    assert list(LessonDone.objects.values_list("account", "lesson")) == [(account.pk, first.slug)]
