"""Issue 19, step 1: on her phone an antenna completes the introductory module, lesson by lesson, enrols in the
next in-person session, and, once a worker has marked her present, downloads her certificate."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.attention.models import Antenna, Enrolment, ModuleCompleted, TrainingModule, TrainingSession
from trama.attention.training import introductory_module
from trama.people.models import Role

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_antenna_completes_the_introduction_enrols_and_gets_her_certificate(phone, page, users, city, neighbourhood):
    antenna = users[Role.ANTENNA]
    Antenna.objects.create(account=antenna, kind=Antenna.Kind.PHARMACY)
    training = TrainingModule.objects.create(city=city, title="Ascoltare al banco", content="Come si ascolta", duration_minutes=90)
    session = TrainingSession.objects.create(module=training, starts_at=timezone.now() + timedelta(days=5), location="Sala civica", capacity=12)

    log_in(phone, antenna.username, PASSWORD)
    module = introductory_module()
    phone.goto(f"/attenzione/formazione/online/{module.slug}/")
    for number in range(1, len(module.lessons) + 1):
        lesson = module.lesson(number)
        phone.get_by_role("link", name=lesson.title).click()
        expect(phone.get_by_test_id("lesson")).to_contain_text(lesson.body[0][:40])
        right = next(a for a in lesson.question.answers if a.correct)
        phone.locator("label", has_text=right.text).click()
        button = phone.get_by_role("button", name="Rispondi")
        assert button.bounding_box()["y"] >= 0
        button.click()
        if number < len(module.lessons):
            expect(phone.get_by_role("heading", name=module.lesson(number + 1).title)).to_be_visible()
            phone.goto(f"/attenzione/formazione/online/{module.slug}/")
    expect(phone.get_by_text(f"Hai completato il modulo «{module.title}»")).to_be_visible()
    assert ModuleCompleted.objects.filter(account=antenna, module=module.slug).count() == 1

    # The training page: the online certificate, and the next session in person with its places.
    phone.goto("/attenzione/formazione/")
    expect(phone.get_by_role("link", name=f"attestato di «{module.title}» (PDF)")).to_be_visible()
    upcoming = phone.get_by_test_id("upcoming-sessions")
    expect(upcoming).to_contain_text("Ascoltare al banco")
    expect(upcoming).to_contain_text("12 posti liberi")
    upcoming.get_by_role("button", name="Mi iscrivo").click()
    expect(phone.get_by_text("Iscrizione fatta per l'incontro")).to_be_visible()
    assert Enrolment.objects.filter(session=session, antenna__account=antenna).exists()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The day of the session: the worker of her neighbourhood sees her enrolled and marks her present.
    session.starts_at = timezone.now() - timedelta(hours=1)
    session.save()
    log_in(page, users[Role.WORKER].username, PASSWORD)
    page.goto(f"/attenzione/formazione/incontri/{session.pk}/presenze/")
    expect(page.get_by_test_id("enrolled")).to_contain_text(str(antenna))
    page.locator("label", has_text=str(antenna)).click()  # Bootstrap Italia's label covers the box
    page.get_by_role("button", name="Registra le presenze").click()
    expect(page.get_by_text("Presenze registrate.")).to_be_visible()

    # Back on her phone, the certificate of the session is hers to download.
    phone.goto("/attenzione/formazione/")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="attestato di «Ascoltare al banco» (PDF)").click()
    assert download.value.suggested_filename.startswith("attestato-formazione-")
