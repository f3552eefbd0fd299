"""Validation of neighbourhood boundaries given as GeoJSON (RFC 7946).

Only what a boundary can be is accepted: a Polygon or a MultiPolygon whose rings
are closed, have at least four positions and lie in WGS84 longitude/latitude.
Errors are raised as ValueError with a message in Italian, fit for a person.
"""

from django.utils.translation import gettext as _

MAX_POSITIONS = 200_000
MAX_POPULATION = 2_147_483_647  # the largest value an integer column holds on every database


def _check_position(position, where):
    if not isinstance(position, (list, tuple)) or len(position) < 2:
        raise ValueError(_("%(where)s: ogni punto deve essere una coppia [longitudine, latitudine].") % {"where": where})
    lon, lat = position[0], position[1]
    for value in (lon, lat):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise ValueError(_("%(where)s: le coordinate devono essere numeri.") % {"where": where})
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        raise ValueError(
            _("%(where)s: la coordinata [%(lon)s, %(lat)s] è fuori dai limiti di longitudine e latitudine.")
            % {"where": where, "lon": lon, "lat": lat}
        )


def _check_ring(ring, where):
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValueError(_("%(where)s: un anello deve avere almeno quattro punti.") % {"where": where})
    for position in ring:
        _check_position(position, where)
    if list(ring[0][:2]) != list(ring[-1][:2]):
        raise ValueError(_("%(where)s: l'anello non è chiuso (il primo e l'ultimo punto devono coincidere).") % {"where": where})
    return len(ring)


def _check_polygon(rings, where):
    if not isinstance(rings, list) or not rings:
        raise ValueError(_("%(where)s: un poligono deve avere almeno un anello.") % {"where": where})
    return sum(_check_ring(ring, where) for ring in rings)


def validate_geometry(geometry, where=None):
    """Raise ValueError unless `geometry` is a valid Polygon or MultiPolygon."""
    where = where or _("Geometria")
    if not isinstance(geometry, dict):
        raise ValueError(_("%(where)s: manca la geometria.") % {"where": where})
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        count = _check_polygon(coordinates, where)
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise ValueError(_("%(where)s: un multipoligono deve contenere almeno un poligono.") % {"where": where})
        count = sum(_check_polygon(polygon, where) for polygon in coordinates)
    else:
        raise ValueError(
            _("%(where)s: il tipo di geometria «%(kind)s» non è ammesso (servono Polygon o MultiPolygon).") % {"where": where, "kind": str(kind)[:40]}
        )
    if count > MAX_POSITIONS:
        raise ValueError(_("%(where)s: troppi punti (massimo %(max)s).") % {"where": where, "max": MAX_POSITIONS})


def parse_neighbourhood_features(data):
    """Check a FeatureCollection of neighbourhoods and return clean dicts.

    Each feature needs a geometry and a name in its properties (`name`,
    `nome` or `quartiere`); `population`/`residenti`, `code`/`codice` and
    `is_pilot` are optional and None when missing. Raises ValueError naming
    the first bad feature.
    """
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError(_("Il file deve essere una FeatureCollection GeoJSON."))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise ValueError(_("La FeatureCollection non contiene quartieri."))
    parsed, seen = [], set()
    for index, feature in enumerate(features, start=1):
        where = _("Quartiere n. %(n)s") % {"n": index}
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise ValueError(_("%(where)s: non è una Feature GeoJSON.") % {"where": where})
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise ValueError(_("%(where)s: le proprietà devono essere un oggetto.") % {"where": where})
        name = props.get("name") or props.get("nome") or props.get("quartiere")
        if not isinstance(name, str) or not name.strip() or len(name) > 120:
            raise ValueError(_("%(where)s: serve un nome (proprietà «name») di al massimo 120 caratteri.") % {"where": where})
        name = name.strip()
        where = _("Quartiere «%(name)s»") % {"name": name}
        if name.lower() in seen:
            raise ValueError(_("%(where)s: il nome compare due volte.") % {"where": where})
        seen.add(name.lower())
        validate_geometry(feature.get("geometry"), where)
        population = props.get("population", props.get("residenti"))
        if population is not None:
            if isinstance(population, bool) or not isinstance(population, int) or not 0 <= population <= MAX_POPULATION:
                raise ValueError(_("%(where)s: i residenti devono essere un numero intero non negativo.") % {"where": where})
        code = props.get("code", props.get("codice"))
        is_pilot = props.get("is_pilot")
        if is_pilot is not None and not isinstance(is_pilot, bool):
            raise ValueError(_("%(where)s: «is_pilot» deve essere true o false.") % {"where": where})
        # None means "not in the file": an import then keeps what is already known.
        parsed.append(
            {
                "name": name,
                "code": str(code)[:20] if code is not None else None,
                "population": population,
                "is_pilot": is_pilot,
                "boundary": feature["geometry"],
            }
        )
    return parsed


def _in_ring(lon, lat, ring):
    """Ray casting: does the horizontal ray from the point cross the ring an odd number of times?"""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry, lat, lon):
    """Is the point (lat, lon) inside a valid Polygon or MultiPolygon (and outside its holes)?"""
    if not geometry:
        return False
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for rings in polygons:
        if rings and _in_ring(lon, lat, rings[0]) and not any(_in_ring(lon, lat, hole) for hole in rings[1:]):
            return True
    return False
