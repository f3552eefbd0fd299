"""A person's copy of their data (art. 15 and 20): who may ask, what it holds, and that it is handed over once."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trama.market.models import Need
from trama.people.models import Role
from trama.privacy import audit, exports
from trama.privacy.models import AuditEntry, DataExport
from trama.privacy.registry import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(users):
    return users[Role.CITIZEN]


@pytest.fixture
def gino(make_person, citizen, city, neighbourhood):
    """A citizen's own record, with a need in her words."""
    person = make_person(name="Gino", account=citizen)
    Need.objects.create(city=city, person=person, neighbourhood=neighbourhood, text="Cerco compagnia per la spesa")
    return person


def _unzip(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    return json.loads(archive.read("dati.json")), archive.read("dati.pdf")


def _exports_audited():
    return list(AuditEntry.objects.filter(action=audit.Action.EXPORT).order_by("pk").values_list("actor_id", "object_id", "reason"))


def test_a_citizen_downloads_her_own_record_once(client, citizen, gino):
    client.force_login(citizen)
    response = client.post(reverse("privacy:export_mine"))
    export = DataExport.objects.get()
    assert response.status_code == 302 and response.url == reverse("privacy:export", args=[export.token])
    assert export.person == gino and export.requested_by == citizen and export.status == DataExport.Status.DONE

    page = client.get(response.url)
    assert reverse("privacy:export_download", args=[export.token]) in page.content.decode()

    download = client.get(reverse("privacy:export_download", args=[export.token]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert download["Cache-Control"].startswith("max-age=0") or "no-store" in download["Cache-Control"]
    record, pdf = _unzip(download.content)
    assert pdf.startswith(b"%PDF")
    needs = next(s for s in record["sections"] if s["model"] == "market.Need")
    assert [row["text"] for row in needs["rows"]] == ["Cerco compagnia per la spesa"]

    assert client.get(reverse("privacy:export_download", args=[export.token])).status_code == 404
    export.refresh_from_db()
    assert export.status == DataExport.Status.DELIVERED and export.content is None
    assert _exports_audited() == [(citizen.pk, str(gino.pk), exports.REQUEST_REASON), (citizen.pk, str(gino.pk), exports.DELIVERY_REASON)]


def test_the_json_holds_every_declared_field_of_every_row(citizen, gino):
    record = exports.record_of(gino)
    assert [s["model"] for s in record["sections"]] == [d.label for d in registry]
    for section in record["sections"]:
        fields = {f.name for f in registry.declarations[section["model"]].exported_fields()}
        for row in section["rows"]:
            assert set(row) == fields, section["model"]
    held = {s["model"]: len(s["rows"]) for s in record["sections"] if s["rows"]}
    # The themes' copy of the need's text is hers too.
    assert held == {"people.Person": 1, "people.User": 1, "people.Consent": 1, "market.Need": 1, "themes.TextItem": 1}
    user = next(s for s in record["sections"] if s["model"] == "people.User")["rows"][0]
    assert "password" not in user and user["username"] == citizen.username
    json.loads(exports.to_json(record))  # dates, decimals and files all serialise


def test_the_record_says_who_saw_it_and_why_it_is_held(client, worker, citizen, gino):
    client.force_login(worker)
    client.get(reverse("people:person", args=[gino.pk]))
    record = exports.record_of(gino)
    reads = [a for a in record["accesses"] if a["action"] == audit.Action.READ and a["what"] == "people.person"]
    assert reads and reads[0]["by_role"] == "Operatore di comunità"
    person = next(s for s in record["sections"] if s["model"] == "people.Person")
    assert person["purpose"] and person["legal_basis"] and person["retention"] and person["since"] == gino.first_contact_at


def test_a_worker_asks_for_a_person_in_her_neighbourhood(client, worker, gino):
    client.force_login(worker)
    response = client.post(reverse("privacy:export_person", args=[gino.pk]))
    export = DataExport.objects.get()
    assert response.url == reverse("privacy:export", args=[export.token]) and export.requested_by == worker
    assert client.get(reverse("privacy:export_download", args=[export.token])).status_code == 200


@pytest.mark.parametrize("role", [Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_nobody_else_gets_a_persons_record(client, users, make_person, other_neighbourhood, role):
    elsewhere = make_person(where=other_neighbourhood, name="Ada")
    client.force_login(users[role])
    for method in ("post", "get", "put", "patch", "delete"):
        assert getattr(client, method)(reverse("privacy:export_person", args=[elsewhere.pk])).status_code in (403, 404, 405)
    assert not DataExport.objects.exists() and _exports_audited() == []


def test_a_coordinator_of_another_city_gets_nothing(client, make_user, gino):
    from trama.territory.models import City

    far = City.objects.create(name="Lontana", slug="lontana", centre_lat=45, centre_lon=9)
    client.force_login(make_user(Role.COORDINATOR, city=far))
    assert client.post(reverse("privacy:export_person", args=[gino.pk])).status_code == 403
    assert not DataExport.objects.exists()


def test_an_account_without_a_record_has_nothing_to_export(client, users):
    client.force_login(users[Role.PARTNER])
    assert client.post(reverse("privacy:export_mine")).status_code == 404
    assert not DataExport.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, gino):
    assert client.post(reverse("privacy:export_person", args=[gino.pk])).status_code == 302
    assert client.post(reverse("privacy:export_mine")).status_code == 302
    assert not DataExport.objects.exists()


@pytest.fixture
def ready(coordinator, gino):
    return exports.request_export(coordinator, gino)


@pytest.mark.parametrize("token", ["guessed", "a" * 5000, "..%2F..%2Fetc", "'; DROP TABLE x;--", "%00", "🙂"])
def test_a_guessed_link_is_not_found(client, coordinator, ready, token):
    client.force_login(coordinator)
    for name in ("privacy:export", "privacy:export_download"):
        assert client.get(reverse(name, args=[token])).status_code == 404
    ready.refresh_from_db()
    assert ready.status == DataExport.Status.DONE


def test_a_link_is_only_for_the_account_that_asked(client, users, worker, ready):
    for account in (worker, users[Role.CITIZEN]):
        client.force_login(account)
        for name in ("privacy:export", "privacy:export_download"):
            assert client.get(reverse(name, args=[ready.token])).status_code == 404
    ready.refresh_from_db()
    assert ready.status == DataExport.Status.DONE and ready.content is not None


def test_an_expired_copy_is_gone(client, coordinator, ready):
    DataExport.objects.filter(pk=ready.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(coordinator)
    assert client.get(reverse("privacy:export_download", args=[ready.token])).status_code == 404
    exports.expire_old()
    ready.refresh_from_db()
    assert ready.status == DataExport.Status.EXPIRED and ready.content is None
    assert "non è stata scaricata in tempo" in client.get(reverse("privacy:export", args=[ready.token])).content.decode()


def test_the_copy_expires_after_the_configured_hours(settings, ready):
    ready.refresh_from_db()
    assert ready.expires_at - ready.finished_at == timedelta(hours=settings.TRAMA_PRIVACY_EXPORT_HOURS)


def test_a_failed_build_says_so(client, monkeypatch, coordinator, gino):
    def broken(*args, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(exports, "build_pdf", broken)
    export = exports.request_export(coordinator, gino)
    export.refresh_from_db()
    assert export.status == DataExport.Status.FAILED and export.content is None
    client.force_login(coordinator)
    assert "Preparazione della copia dei dati: non riuscito" in client.get(reverse("privacy:export", args=[export.token])).content.decode()
    assert client.get(reverse("privacy:export_download", args=[export.token])).status_code == 404


def test_the_progress_fragment_polls_until_done(client, coordinator, gino):
    export = DataExport.objects.create(person=gino, requested_by=coordinator, token="in-corso")
    client.force_login(coordinator)
    fragment = client.get(reverse("privacy:export", args=[export.token]), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" in fragment and "<html" not in fragment


def test_the_profile_offers_the_copy_only_to_someone_with_a_record(client, users, citizen, gino):
    client.force_login(citizen)
    assert reverse("privacy:export_mine") in client.get(reverse("people:profile")).content.decode()
    client.force_login(users[Role.PARTNER])
    assert reverse("privacy:export_mine") not in client.get(reverse("people:profile")).content.decode()


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999", "1" * 300])
def test_a_person_that_does_not_exist_is_not_found(client, coordinator, pk):
    client.force_login(coordinator)
    assert client.post(f"/privacy/persone/{pk}/copia-dei-dati/").status_code == 404
    assert not DataExport.objects.exists()


def test_a_request_while_one_is_being_built_returns_that_one(coordinator, gino):
    building = DataExport.objects.create(person=gino, requested_by=coordinator, token="in-corso", status=DataExport.Status.RUNNING)
    assert exports.request_export(coordinator, gino) == building
    assert DataExport.objects.count() == 1


def test_a_copy_already_downloaded_is_not_built_again_when_its_task_runs_twice(client, citizen, gino):
    from trama.privacy.tasks import build_export

    client.force_login(citizen)
    export = DataExport.objects.get(token=client.post(reverse("privacy:export_mine")).url.rstrip("/").split("/")[-1])
    client.get(reverse("privacy:export_download", args=[export.token]))

    build_export.call(export.pk)  # its worker stopped after the copy was ready: the task is run again

    export.refresh_from_db()
    assert export.status == DataExport.Status.DELIVERED and export.content is None
