import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from trama.territory.models import City, Neighbourhood

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[10.30, 44.80], [10.31, 44.80], [10.31, 44.81], [10.30, 44.81], [10.30, 44.80]]]}


def feature(name, geometry=SQUARE, **properties):
    return {"type": "Feature", "properties": {"name": name, **properties}, "geometry": geometry}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def write(tmp_path):
    def write(content, name="quartieri.geojson"):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        return str(path)

    return write


def dump():
    return list(Neighbourhood.objects.order_by("pk").values())


def test_valid_file_creates_neighbourhoods_with_real_boundaries(city, write, capsys):
    call_command("import_neighbourhoods", write(collection(feature("Borgo Alto", population=1200, is_pilot=True), feature("Borgo Basso"))))
    alto = Neighbourhood.objects.get(city=city, slug="borgo-alto")
    assert alto.population == 1200 and alto.is_pilot and alto.boundary == SQUARE
    assert not alto.boundary_is_approximate
    assert Neighbourhood.objects.get(slug="borgo-basso").population is None
    assert "2 creati, 0 aggiornati" in capsys.readouterr().out


def test_existing_neighbourhood_is_updated_by_name_and_keeps_what_the_file_does_not_say(city, write, capsys):
    existing = Neighbourhood.objects.create(city=city, name="Borgo Alto", slug="borgo-alto", population=900, is_pilot=True)
    call_command("import_neighbourhoods", write(collection(feature("Borgo Alto"))))
    existing.refresh_from_db()
    assert existing.boundary == SQUARE and not existing.boundary_is_approximate
    assert existing.population == 900 and existing.is_pilot
    assert "0 creati, 1 aggiornati" in capsys.readouterr().out
    assert Neighbourhood.objects.count() == 1


def test_importing_the_same_file_twice_changes_nothing(city, write, capsys):
    path = write(collection(feature("Borgo Alto", population=1200)))
    call_command("import_neighbourhoods", path)
    before = dump()
    call_command("import_neighbourhoods", path)
    assert dump() == before
    assert "0 creati, 0 aggiornati, 1 invariati" in capsys.readouterr().out


def test_city_option_picks_the_city(city, write):
    other = City.objects.create(name="Altra città", slug="altra", centre_lat=45, centre_lon=9)
    call_command("import_neighbourhoods", write(collection(feature("Borgo Alto"))), "--city", "altra")
    assert Neighbourhood.objects.get().city == other


def test_unknown_city_is_refused(city, write):
    with pytest.raises(CommandError, match="non esiste"):
        call_command("import_neighbourhoods", write(collection(feature("Borgo Alto"))), "--city", "nessuna")


RING_OPEN = {"type": "Polygon", "coordinates": [[[10.30, 44.80], [10.31, 44.80], [10.31, 44.81], [10.30, 44.81]]]}
OUT_OF_RANGE = {"type": "Polygon", "coordinates": [[[10.30, 44.80], [190.0, 44.80], [10.31, 44.81], [10.30, 44.80]]]}


@pytest.mark.parametrize(
    "content,message",
    [
        ('{"type": "FeatureCollection", "features": [', "JSON valido"),
        (b'{"name": "Borgo \xe0"}', "UTF-8"),
        ({"type": "Feature", "properties": {"name": "Borgo"}, "geometry": SQUARE}, "FeatureCollection"),
        ({"type": "FeatureCollection", "features": []}, "non contiene"),
        (collection(feature("Borgo Alto", RING_OPEN)), "non è chiuso"),
        (collection(feature("Borgo Alto", OUT_OF_RANGE)), "fuori dai limiti"),
        (collection(feature("Borgo Alto"), feature("borgo alto")), "compare due volte"),
        (collection(feature("Borgo Alto"), feature("Borgo-Alto")), "si confonde"),
        (collection({"type": "Feature", "properties": {}, "geometry": SQUARE}), "serve un nome"),
        (
            collection(feature("Borgo Alto"), feature("Borgo Basso"), feature("Borgo Rotto", {"type": "Point", "coordinates": [10, 44]})),
            "Borgo Rotto",
        ),
        (collection(feature("Borgo Alto", population=-3)), "residenti"),
        (collection(feature("Borgo Alto", population=10**12)), "residenti"),
    ],
    ids=[
        "malformed-json",
        "not-utf8",
        "not-a-collection",
        "empty",
        "unclosed-ring",
        "out-of-range",
        "duplicate-names",
        "names-with-the-same-slug",
        "missing-name",
        "bad-feature-after-good-ones",
        "negative-population",
        "huge-population",
    ],
)
def test_bad_file_is_refused_and_nothing_is_stored(city, make_neighbourhood, write, content, message):
    make_neighbourhood("Borgo Alto", population=500)
    before = dump()
    with pytest.raises(CommandError, match=message):
        call_command("import_neighbourhoods", write(content))
    assert dump() == before


def test_row_refused_while_saving_rolls_back_the_rows_saved_before_it(city, write, monkeypatch):
    def refuse_borgo_grande(neighbourhood, *args, **kwargs):
        if neighbourhood.name == "Borgo Grande":
            raise ValidationError({"name": "rifiutato"})

    monkeypatch.setattr(Neighbourhood, "full_clean", refuse_borgo_grande)
    rows = collection(feature("Borgo Alto"), feature("Borgo Basso"), feature("Borgo Grande"))
    with pytest.raises(CommandError, match="Borgo Grande"):
        call_command("import_neighbourhoods", write(rows))
    assert Neighbourhood.objects.count() == 0


def test_file_over_20_mb_is_refused_before_reading(city, write, monkeypatch):
    from trama.territory.management.commands import import_neighbourhoods

    monkeypatch.setattr(import_neighbourhoods, "MAX_BYTES", 100)
    with pytest.raises(CommandError, match="20 MB"):
        call_command("import_neighbourhoods", write(collection(feature("Borgo Alto"))))
    assert Neighbourhood.objects.count() == 0


def test_missing_file_is_a_clear_error(city, tmp_path):
    with pytest.raises(CommandError, match="Impossibile leggere"):
        call_command("import_neighbourhoods", str(tmp_path / "assente.geojson"))
