import io
import re
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from trama.insights import figures, periods, reports
from trama.insights.models import Report
from trama.insights.periods import Period, parse
from trama.insights.tasks import build_report
from trama.people.models import Role
from trama.territory.models import City
from trama.testing import choice_codes_in

pytestmark = pytest.mark.django_db
REQUEST = reverse("insights:report_request")


@pytest.fixture
def coordinator(client, users, neighbourhood, other_neighbourhood):
    client.force_login(users[Role.COORDINATOR])
    return users[Role.COORDINATOR]


@pytest.fixture
def ledger(make_organisation, give, neighbourhood, other_neighbourhood):
    organisation = make_organisation()
    give("hours", 12, on=date(2025, 2, 15), organisation=organisation)
    give("hours", 5, on=date(2025, 3, 3), organisation=organisation, where=other_neighbourhood)
    give("hours", 40, on=date(2025, 4, 1), organisation=organisation)  # after the period: never counted


def _requested(client, kind, period="2025-T1"):
    response = client.post(REQUEST, {"periodo": period, "tipo": kind})
    assert response.status_code == 302
    report = Report.objects.latest("pk")
    assert response["Location"] == reverse("insights:report", args=[report.pk])
    return report


def _values(content):
    """{sheet: [row values]} of a workbook."""
    workbook = load_workbook(io.BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


def _find(rows, key, area, period):
    """The row of `key` for `area` and `period` (written "2025-T1", read as people read it in the workbook)."""
    period = parse(period).label
    matches = [row for row in rows if row[0] == key and row[2] == area and row[3] == period]
    assert len(matches) == 1, (key, area, period)
    return matches[0]


def test_the_task_builds_a_workbook_with_every_goal_by_neighbourhood_and_month(client, coordinator, ledger):
    report = _requested(client, "xlsx")
    report.refresh_from_db()
    assert (report.status, report.progress, report.requested_by) == (Report.Status.DONE, 100, coordinator)

    response = client.get(reverse("insights:report_download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="indicatori-2025-T1.xlsx"'
    sheets = _values(b"".join(response.streaming_content) if response.streaming else response.content)
    assert list(sheets) == ["G1", "G2", "G3", "G4", "G5", "G6", "Andamento", "Note"]

    g1 = sheets["G1"]
    assert g1[1][:5] == ["Codice", "Indicatore", "Area", "Periodo", "Valore"]
    assert _find(g1, "g1_hours", "Borgo Alto", "2025-01")[4] == 0
    assert _find(g1, "g1_hours", "Borgo Alto", "2025-02")[4] == 12
    assert _find(g1, "g1_hours", "Borgo Basso", "2025-03")[4] == 5
    assert _find(g1, "g1_hours", "Tutta la città", "2025-T1")[4] == 17
    assert _find(g1, "g1_hours", "Tutta la città", "2025-T1")[6] == round(17 * 1000 / 21000, 4)
    assert _find(sheets["G2"], "g2_collaborators", "Tutta la città", "2025-T1")[4] == 1
    # An indicator without a source says why, with an empty cell rather than a zero.
    groups = _find(sheets["G4"], "g4_groups", "Borgo Alto", "2025-02")
    assert groups[4] is None and "Nessun gruppo ancora" in groups[7]
    # Borgo Basso is not a pilot neighbourhood, yet the coordinator's report shows it in full.
    assert {row[2] for row in g1[2:]} == {"Borgo Alto", "Borgo Basso", "Tutta la città"}

    notes = sheets["Note"]
    assert any(row[0] == "Soppressione" and "conteggi da 1 a" in row[1] for row in notes)
    assert any(row[0] == "g1_hours" and row[3].startswith("Ore di tempo registrate") for row in notes)


@pytest.fixture
def collective(ledger, neighbourhood, other_neighbourhood, make_person, make_group, make_meeting, make_initiative):
    """A group of Borgo Alto that met in February and March 2025 and an initiative of both neighbourhoods."""
    person = make_person(name="Ada")
    group = make_group(neighbourhood, date(2025, 1, 15), members=[person])
    make_meeting(neighbourhood, date(2025, 2, 3), group, attendees=[person], count=6)
    make_meeting(neighbourhood, date(2025, 3, 3), group, attendees=[person])
    make_initiative([neighbourhood, other_neighbourhood], date(2025, 2, 1))


def _members(content):
    """{name: bytes} of the parts of a workbook (the zip's own timestamps aside)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _twice(client, kind):
    """Two builds of the same report, the second computing everything again (not from the cache)."""
    first = _requested(client, kind)
    figures.forget()
    second = _requested(client, kind)
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


def test_a_closed_period_gives_the_same_numbers_every_time(client, coordinator, collective):
    first, second = _twice(client, "xlsx")
    assert first.pk != second.pk
    assert _values(bytes(first.content)) == _values(bytes(second.content))
    assert _members(bytes(first.content)) == _members(bytes(second.content))  # the charts too


def test_a_closed_period_gives_the_same_pdf_every_time(client, coordinator, collective):
    first, second = _twice(client, "pdf")
    assert bytes(first.content) == bytes(second.content)


def test_the_workbook_has_the_new_indicators_and_their_trends(client, coordinator, collective):
    report = _requested(client, "xlsx")
    report.refresh_from_db()
    content = bytes(report.content)
    sheets = _values(content)
    assert _find(sheets["G4"], "g4_groups", "Borgo Alto", "2025-T1")[4] == 1
    assert _find(sheets["G4"], "g4_meetings", "Borgo Alto", "2025-02")[4] == 1
    assert _find(sheets["G4"], "g4_attendance", "Tutta la città", "2025-T1")[4] == 7  # 6 counted, then 1 named
    # One initiative in both neighbourhoods: once in each, and once in the city.
    initiatives = [_find(sheets["G1"], "g1_initiatives", area, "2025-T1")[4] for area in ("Borgo Alto", "Borgo Basso", "Tutta la città")]
    assert initiatives == [1, 1, 1]

    trend = sheets["Andamento"]
    start = next(i for i, row in enumerate(trend) if row[0] and row[0].startswith("g4_attendance"))
    assert trend[start + 1][:4] == ["Mese", "Borgo Alto", "Borgo Basso", "Tutta la città"]
    # Per 1,000 residents: 6 of Borgo Alto's 12,000 in February, 1 in March.
    assert [row[0] for row in trend[start + 2 : start + 5]] == ["gennaio 2025", "febbraio 2025", "marzo 2025"]
    assert [row[1] for row in trend[start + 2 : start + 5]] == [0, 0.5, round(1000 / 12000, 4)]
    assert any(name.startswith("xl/charts/chart") for name in _members(content))


def test_the_task_builds_a_pdf_with_a_page_per_goal(client, coordinator, ledger):
    report = _requested(client, "pdf")
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.progress == 100
    response = client.get(reverse("insights:report_download", args=[report.pk]))
    content = response.content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="indicatori-2025-T1.pdf"'
    assert content.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", content))
    assert pages > 9  # cover, summary, six goals, notes
    images = len(re.findall(rb"/Subtype\s*/Image", content))
    assert images >= 6 + 2  # a bar chart per goal, and the trends of the indicators with data (hours, value...)


def test_the_task_can_be_run_directly_and_counts_only_the_months_of_the_period(city, coordinator, ledger):
    report = Report.objects.create(city=city, period="2025-02", kind=Report.Kind.XLSX, requested_by=coordinator)
    build_report.enqueue(report.pk)
    report.refresh_from_db()
    g1 = _values(bytes(report.content))["G1"]
    assert {row[3] for row in g1[2:]} == {"febbraio 2025"}
    assert _find(g1, "g1_hours", "Tutta la città", "2025-02")[4] == 12


def test_a_failing_build_is_marked_failed(city, coordinator, monkeypatch):
    monkeypatch.setattr(reports, "build_xlsx", lambda data: 1 / 0)
    report = Report.objects.create(city=city, period="2025-02", kind=Report.Kind.XLSX, requested_by=coordinator)
    build_report.enqueue(report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and report.content is None


def test_the_months_of_a_period():
    assert [m.param for m in reports.months_of(Period("quarter", 2025, 4))] == ["2025-10", "2025-11", "2025-12"]
    assert len(reports.months_of(Period("year", 2025))) == 12
    assert [m.param for m in reports.months_of(Period("month", 2025, 12))] == ["2025-12"]


def test_the_report_page_polls_its_progress_until_done(client, coordinator, city):
    report = Report.objects.create(
        city=city, period="2025-T1", kind=Report.Kind.PDF, requested_by=coordinator, status=Report.Status.RUNNING, progress=40
    )
    page = client.get(reverse("insights:report", args=[report.pk])).content.decode()
    partial = reverse("insights:report_progress", args=[report.pk])
    assert f'hx-get="{partial}"' in page and 'hx-trigger="every 2s"' in page
    assert "Preparazione del rapporto: in corso, 40 %." in page and 'value="40"' in page and "Preparazione del rapporto: fatto." not in page
    assert "<script>" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    assert client.get(reverse("insights:report_download", args=[report.pk])).status_code == 404

    Report.objects.filter(pk=report.pk).update(status=Report.Status.DONE, progress=100, content=b"%PDF-1.4")
    fragment = client.get(partial).content.decode()
    assert "hx-get" not in fragment and "Preparazione del rapporto: fatto." in fragment
    assert reverse("insights:report_download", args=[report.pk]) in fragment


def test_the_reports_page_offers_the_form(client, coordinator):
    page = client.get(reverse("insights:reports")).content.decode()
    assert f'action="{REQUEST}"' in page and 'name="tipo"' in page and 'name="periodo"' in page


def test_the_report_form_proposes_the_period_the_dashboard_shows(client, coordinator):
    """What was recorded today is on the dashboard: the report a coordinator downloads first has it too."""
    shown = client.get(reverse("insights:dashboard")).context["period"]
    page = client.get(reverse("insights:reports")).content.decode()
    assert shown == periods.current("quarter")
    assert f'<option value="{shown.param}" selected>{shown.label}</option>' in page
    # One period chosen (the language menu of the page holds the other "selected" option).
    assert len(re.findall(r'<option value="[^"]*" selected>', page)) == 1


def test_the_recent_reports_name_their_period_in_words(client, coordinator, city):
    Report.objects.create(city=city, period="2025-T1", kind=Report.Kind.PDF, requested_by=coordinator)
    page = client.get(reverse("insights:reports")).content.decode()
    assert "1° trimestre 2025</a>" in page and ">2025-T1<" not in page


@pytest.mark.parametrize(
    "data",
    [
        {"periodo": "2025-T9", "tipo": "pdf"},
        {"periodo": "domani", "tipo": "xlsx"},
        {"tipo": "pdf"},
        {"periodo": "2025-T1", "tipo": "docx"},
        {"periodo": "2025-T1"},
    ],
)
def test_a_bad_request_is_a_400_and_queues_nothing(client, coordinator, data):
    assert client.post(REQUEST, data).status_code == 400
    assert not Report.objects.exists()


@pytest.mark.parametrize("role", [Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_only_coordinators_may_ask_for_a_report(client, users, role):
    client.force_login(users[role])
    assert client.post(REQUEST, {"periodo": "2025-T1", "tipo": "pdf"}).status_code == 403
    assert not Report.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, city, users):
    response = client.post(REQUEST, {"periodo": "2025-T1", "tipo": "pdf"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    report = Report.objects.create(city=city, period="2025-T1", kind="pdf", status="done", content=b"%PDF")
    response = client.get(reverse("insights:report_download", args=[report.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_report_of_another_city_is_refused(client, coordinator, make_user):
    elsewhere = City.objects.create(name="Altra città", slug="altra", centre_lat=45.0, centre_lon=9.0)
    other = make_user(Role.COORDINATOR, city=elsewhere)
    report = Report.objects.create(city=elsewhere, period="2025-T1", kind="xlsx", requested_by=other, status="done", progress=100, content=b"PK")
    for name in ("report", "report_progress", "report_download"):
        assert client.get(reverse(f"insights:{name}", args=[report.pk])).status_code == 403, name
    assert reverse("insights:report", args=[report.pk]) not in client.get(reverse("insights:reports")).content.decode()


def test_a_workbook_holds_no_formula_even_when_a_name_looks_like_one(client, coordinator, neighbourhood, ledger):
    neighbourhood.name = '=HYPERLINK("http://x.example","Borgo")'
    neighbourhood.save()
    report = _requested(client, "xlsx")
    response = client.get(reverse("insights:report_download", args=[report.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert "'" + neighbourhood.name in {cell.value for cell in cells}
    assert 12 in {cell.value for cell in cells}  # numbers stay numbers


def test_the_workbook_and_the_pdf_name_things_by_their_labels(city, coordinator, ledger, monkeypatch):
    """No stored code of any choice in a report (the workbook's "Codice" column holds indicator codes, on purpose)."""
    from fpdf import FPDF

    written = []
    for method in ("cell", "multi_cell"):
        original = getattr(FPDF, method)

        def spy(self, *args, _original=original, **kwargs):
            text = kwargs.get("text", args[2] if len(args) > 2 else "")
            written.append(str(text or ""))
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(FPDF, method, spy)
    texts = []
    for kind in (Report.Kind.XLSX, Report.Kind.PDF):
        report = Report.objects.create(city=city, period="2025-T1", kind=kind, requested_by=coordinator)
        build_report.enqueue(report.pk)
        report.refresh_from_db()
        if kind == Report.Kind.XLSX:
            texts += [str(cell) for rows in _values(bytes(report.content)).values() for row in rows for cell in row[1:] if cell]
    texts += written
    assert "Tutta la città" in texts and any("trimestre 2025" in text for text in written)
    assert not [code for text in texts for code in choice_codes_in(text)]


def test_the_workbook_keeps_numbers_as_numbers_and_says_how_to_show_them(city, coordinator, ledger):
    """Money as money, shares as percentages: the reader's spreadsheet writes them in its own language."""
    report = Report.objects.create(city=city, period="2025-T1", kind=Report.Kind.XLSX, requested_by=coordinator)
    build_report.enqueue(report.pk)
    report.refresh_from_db()
    g1 = load_workbook(io.BytesIO(bytes(report.content)))["G1"]
    formats = {row[0].value: row[4].number_format for row in g1.iter_rows(min_row=3) if row[2].value == "Tutta la città"}
    assert formats["g1_value"] == '"€" #,##0.00' and formats["g1_non_public"] == "0.0%" and formats["g1_hours"] == "#,##0.0"
    value = next(
        row[4].value
        for row in g1.iter_rows(min_row=3)
        if row[0].value == "g1_value" and row[2].value == "Tutta la città" and row[3].value == "1° trimestre 2025"
    )
    assert isinstance(value, (int, float)) and value == 272  # 17 hours at € 16, a number, not the text "€ 272,00"


@pytest.mark.django_db
def test_a_report_built_twice_is_the_same_file_and_a_finished_one_is_left_alone(city, users):
    report = Report.objects.create(city=city, period="2025", kind=Report.Kind.PDF, requested_by=users[Role.COORDINATOR])
    build_report.call(report.pk)
    first = bytes(Report.objects.get(pk=report.pk).content)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING)  # its worker stopped before it was marked done
    build_report.call(report.pk)
    assert bytes(Report.objects.get(pk=report.pk).content) == first

    Report.objects.filter(pk=report.pk).update(content=b"kept")
    build_report.call(report.pk)  # done: taken again, nothing happens
    assert bytes(Report.objects.get(pk=report.pk).content) == b"kept"


def test_the_report_page_says_done_only_after_the_worker_has_built_it(client, coordinator, settings):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page_url = client.post(reverse("insights:report_request"), {"periodo": "2025-T1", "tipo": "xlsx"})["Location"]
    page = client.get(page_url).content.decode()
    assert "Preparazione del rapporto: in coda." in page and "Preparazione del rapporto: fatto." not in page and "report-download" not in page
    for result in list(default_task_backend.results):
        result.task.call(*result.args, **result.kwargs)
    report = Report.objects.get()
    fragment = client.get(reverse("insights:report_progress", args=[report.pk])).content.decode()
    assert "Preparazione del rapporto: fatto." in fragment and "report-download" in fragment
