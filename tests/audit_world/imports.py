"""Who may GET each import page: the staff who may import (a worker sees her own imports, coordinators all)."""

from django.urls import reverse

from trama.people.models import Role
from trama.testing import ROLES, STAFF

# POST-only: staff are told the method is wrong, everyone else is refused first.
STAFF_POST = {role: (405 if role in (Role.COORDINATOR, Role.WORKER) else "denied") for role in ROLES}

EXPECTED = {
    "imports:index": (lambda o: reverse("imports:index"), STAFF),
    "imports:upload": (lambda o: reverse("imports:upload"), STAFF_POST),
    "imports:detail": (lambda o: reverse("imports:detail", args=[o["import"].pk]), STAFF),
    "imports:progress": (lambda o: reverse("imports:progress", args=[o["import"].pk]), STAFF),
    "imports:confirm": (lambda o: reverse("imports:confirm", args=[o["import"].pk]), STAFF_POST),
    "imports:undo": (lambda o: reverse("imports:undo", args=[o["import"].pk]), STAFF_POST),
}


def make_objects(request, objects):
    """A list of places previewed by the worker, in her neighbourhood."""
    from trama.imports import services
    from trama.imports.models import Import

    users = request.getfixturevalue("users")
    neighbourhood = request.getfixturevalue("neighbourhood")
    data = f"id_esterno;nome;quartiere\nA1;Punto del mercato;{neighbourhood.name}\n"
    objects["import"] = services.preview(
        kind=Import.Kind.PLACES, name="luoghi.csv", data=data.encode(), city=neighbourhood.city, by=users[Role.WORKER]
    )
