"""Who may use each imports URL (walked by tests/test_permissions.py): coordinators and workers; an import
is seen, confirmed and undone by its city's coordinators and by the worker who made it."""

from django.core.files.uploadedfile import SimpleUploadedFile

from trama.testing import COORDINATOR_ONLY, STAFF, everyone, url

PLACES = "id_esterno;nome;quartiere\nW1;Punto del mercato;Borgo Alto\n"


def _upload(o):
    return {"kind": "places", "file": SimpleUploadedFile("luoghi.csv", PLACES.encode())}


EXPECTED = {
    "imports:index": (url("imports:index"), {"GET": STAFF}),
    "imports:upload": (url("imports:upload"), {"POST": STAFF}, {"POST": _upload}),
    "imports:detail": (url("imports:detail", "import"), {"GET": STAFF}),
    "imports:progress": (url("imports:progress", "import"), {"GET": STAFF}),
    "imports:confirm": (url("imports:confirm", "import"), {"POST": STAFF}),
    "imports:undo": (url("imports:undo", "import_done"), {"POST": STAFF}),
    # Another worker's import: only the coordinators of the city.
    "imports:detail#other-worker": (url("imports:detail", "import_other_worker"), {"GET": COORDINATOR_ONLY}),
    "imports:confirm#other-worker": (url("imports:confirm", "import_other_worker"), {"POST": COORDINATOR_ONLY}),
    "imports:undo#other-worker": (url("imports:undo", "import_other_worker_done"), {"POST": COORDINATOR_ONLY}),
    # Another city's import: nobody of this city.
    "imports:detail#other-city": (url("imports:detail", "import_far"), {"GET": everyone("denied")}),
    "imports:progress#other-city": (url("imports:progress", "import_far"), {"GET": everyone("denied")}),
    "imports:confirm#other-city": (url("imports:confirm", "import_far"), {"POST": everyone("denied")}),
    "imports:undo#other-city": (url("imports:undo", "import_far"), {"POST": everyone("denied")}),
}


def make_objects(o):
    """Imports previewed and done by the worker, the same by another worker, and one of the other city."""
    from trama.imports import services
    from trama.imports.models import Import
    from trama.people.models import Role

    worker = o["users"][Role.WORKER]

    def previewed(by, city, data, name):
        return services.preview(kind=Import.Kind.PLACES, name=name, data=data.encode(), city=city, by=by)

    o["import"] = previewed(worker, o["city"], PLACES, "luoghi.csv")
    done = o["import_done"] = previewed(worker, o["city"], PLACES.replace("W1;Punto del mercato", "W2;Orto"), "orti.csv")
    services.execute(done)
    Import.objects.filter(pk=done.pk).update(status=Import.Status.DONE)
    o["import_other_worker"] = previewed(o["other_worker"], o["city"], "id_esterno;nome;quartiere\nX1;Piazza;Borgo Basso\n", "altro.csv")
    other_done = o["import_other_worker_done"] = previewed(
        o["other_worker"], o["city"], "id_esterno;nome;quartiere\nX2;Orto;Borgo Basso\n", "orto.csv"
    )
    services.execute(other_done)
    Import.objects.filter(pk=other_done.pk).update(status=Import.Status.DONE)
    o["import_far"] = previewed(o["far_coordinator"], o["other_city"], "id_esterno;nome;quartiere\nF1;Lontano;Oltre\n", "lontano.csv")
