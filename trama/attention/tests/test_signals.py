import pytest
from django.urls import reverse
from django.utils import timezone

from trama.attention import services
from trama.attention.models import Antenna, Signal
from trama.people.models import Role
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

SEND = reverse("attention:signal_create")


def form(neighbourhood, **overrides):
    data = {
        "text": "Il signore del terzo piano non ritira la posta da giorni",
        "neighbourhood": neighbourhood.pk,
        "urgency": 2,
        "person_aware": "unsure",
    }
    return {**data, **overrides}


def test_an_antenna_sends_a_signal_with_no_name_and_sees_it_received(client, antenna, neighbourhood):
    client.force_login(antenna)
    page = client.get(SEND).content.decode()
    assert "Il nome non serve" in page and "112" in page
    response = client.post(SEND, form(neighbourhood, age_band="80_plus", household="alone"))
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert (signal.sent_by, signal.neighbourhood, signal.status, signal.household) == (antenna, neighbourhood, "new", "alone")
    listing = client.get(reverse("attention:my_signals")).content.decode()
    assert "ricevuta" in listing


def test_the_neighbourhood_is_prefilled_from_the_antennas_own(client, antenna, neighbourhood):
    client.force_login(antenna)
    response = client.get(SEND)
    assert response.context["form"]["neighbourhood"].value() == neighbourhood.pk


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"text": ""}, "text", "Scrivi in poche parole"),
        ({"text": "   "}, "text", "Scrivi in poche parole"),
        ({"text": "x" * 50_000}, "text", "troppo lungo"),
        ({"urgency": 9}, "urgency", "Scelta non valida"),
    ],
)
def test_bad_signals_are_refused_with_a_clear_message_and_nothing_is_stored(client, antenna, neighbourhood, overrides, field, message):
    client.force_login(antenna)
    response = client.post(SEND, form(neighbourhood, **overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Signal.objects.exists()


def test_a_signal_for_a_neighbourhood_the_antenna_does_not_cover_is_refused(client, antenna, other_neighbourhood):
    client.force_login(antenna)
    response = client.post(SEND, form(other_neighbourhood))
    assert response.status_code == 400
    assert "quartieri che ti sono assegnati" in response.content.decode()
    assert not Signal.objects.exists()


def test_an_antenna_cannot_read_another_antennas_signal_by_guessing_its_id(client, make_user, antenna, make_signal, neighbourhood):
    theirs = make_signal(by=make_user(Role.ANTENNA, [neighbourhood]))
    client.force_login(antenna)
    assert client.get(reverse("attention:my_signal", args=[theirs.pk])).status_code == 403
    # An id that does not exist answers the same: nothing is learnt by guessing.
    assert client.get(reverse("attention:my_signal", args=[theirs.pk + 1000])).status_code == 403
    assert client.get(reverse("attention:signal", args=[theirs.pk])).status_code == 403
    assert theirs.text not in client.get(reverse("attention:my_signals")).content.decode()


def test_the_antenna_sees_status_in_words_that_reveal_nothing_about_the_person(client, antenna, make_signal, worker):
    signal = make_signal()
    signal.mark_contacted()
    signal.outcome_note = "Vive con la figlia, problemi di salute"
    signal.save()
    client.force_login(antenna)
    page = client.get(reverse("attention:my_signal", args=[signal.pk])).content.decode()
    assert "contatto avvenuto" in page and "figlia" not in page
    assert AuditEntry.objects.filter(action="read", object_type="attention.signal", object_id=str(signal.pk)).exists()


def test_news_on_a_signal_is_shown_once(client, antenna, make_signal):
    signal = make_signal()
    signal.mark_contacted()
    signal.save()
    client.force_login(antenna)
    assert "novità" in client.get(reverse("attention:my_signals")).content.decode()
    assert "novità" not in client.get(reverse("attention:my_signals")).content.decode()


def test_an_inactive_antenna_can_no_longer_send_signals(client, antenna, neighbourhood):
    Antenna.objects.filter(account=antenna).update(active=False)
    client.force_login(antenna)
    assert client.post(SEND, form(neighbourhood)).status_code == 403
    assert not Signal.objects.exists()


def test_the_antennas_list_tells_her_signals_apart_by_their_first_words(client, antenna, make_signal):
    make_signal(text="La signora del terzo piano non scende più a prendere il pane da una settimana")
    make_signal(text="Un ragazzo dorme in macchina davanti alla farmacia")
    client.force_login(antenna)
    page = client.get(reverse("attention:my_signals")).content.decode()
    assert "«La signora del terzo piano non scende più…»" in page  # eight words, then an ellipsis
    assert "a prendere il pane" not in page
    assert "«Un ragazzo dorme in macchina davanti alla farmacia»" in page


def test_the_list_shows_no_other_antennas_words_and_nothing_of_what_happened_next(client, antenna, make_signal, make_user, neighbourhood, worker):
    mine = make_signal(text="Non la vedo da giorni")
    make_signal(by=make_user(Role.ANTENNA, [neighbourhood]), text="Il signore del civico 12 parla da solo")
    services.plan_outreach(by=worker, signal=mine, assigned_to=worker, method="with_antenna", due_date=timezone.localdate())
    services.record_encounter(
        by=worker,
        neighbourhood=neighbourhood,
        setting="home",
        happened_at=timezone.now(),
        signal=mine,
        notes="Vive sola, la figlia è all'estero",
        new_person={"display_name": "Signora Lina", "channel": "antenna", "consents": ["registration"]},
    )
    client.force_login(antenna)
    page = client.get(reverse("attention:my_signals")).content.decode()
    assert "«Non la vedo da giorni»" in page and "contatto avvenuto" in page
    assert "civico 12" not in page
    assert "figlia" not in page and "Lina" not in page and "Visita insieme" not in page


def test_an_anonymised_signal_says_its_words_are_no_longer_kept(client, antenna, make_signal):
    signal = make_signal(text="Non la vedo da giorni")
    signal.anonymise()
    signal.save()
    client.force_login(antenna)
    page = client.get(reverse("attention:my_signals")).content.decode()
    assert "(testo non più conservato)" in page and "Non la vedo" not in page


@pytest.mark.django_db(transaction=True)
def test_a_signal_whose_audit_entry_cannot_be_written_is_not_stored_either(client, antenna, neighbourhood, monkeypatch):
    # A fault where the last write of the request fails (the audit entry): nothing of the signal may stay
    # behind, not even what its save set off in other apps (the text copy for themes).
    from trama.privacy import audit
    from trama.themes.models import TextItem

    def audit_fails(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    client.raise_request_exception = False
    client.force_login(antenna)
    monkeypatch.setattr(audit, "record", audit_fails)

    assert client.post(SEND, form(neighbourhood)).status_code == 500
    assert not Signal.objects.exists() and not TextItem.objects.exists()
