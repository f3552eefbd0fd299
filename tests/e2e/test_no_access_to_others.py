"""Outsiders stay out: a citizen, an antenna, a partner and a worker of another neighbourhood sign in
through the login form and try to open someone else's records, as pages in the browser and through
the API with the same session. Each gets 403 or 404 (DESIGN.md §2).

Cases that leak today are the walk's KNOWN_LEAKS (tests/test_permissions.py): they run as strict
xfails of their own, so the fix is noticed.
"""

import pytest
from django.urls import reverse

from tests.test_permissions import KNOWN_LEAKS
from trama.people.models import Role
from trama.testing import WALK_PASSWORD, build_world

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

# Someone else's records, per outsider: (what, page URL name, API URL name or None, object key, the walk's case).
# The walk's case is the same URL, object and role in tests/test_permissions.py. The worker is assigned to
# `neighbourhood`: the records of `other_neighbourhood` are outside their scope.
OTHERS = {
    Role.CITIZEN: [
        ("need", "market:need", "api-market-need", "other_need", "market:need#of-another"),
        ("match", "market:match", "api-market-match", "match_of_another_person_offer", "market:match#of-another-person-offer"),
        ("match with an organisation's offer", "market:match", "api-market-match", "match_of_another_org_offer", "market:match#of-another-org-offer"),
        ("signal", "attention:signal", "api-attention-signal", "signal", "attention:signal"),
        ("encounter", "attention:encounter", "api-attention-encounter", "encounter", "attention:encounter"),
        ("person", "people:person", None, "other_person", "people:person#of-another"),
        ("group", "collective:group", "api-collective-group", "other_group", "collective:group#of-others"),
        ("initiative", "initiatives:detail", "api-initiative", "other_initiative", "initiatives:detail#of-others"),
    ],
    Role.ANTENNA: [
        ("need", "market:need", "api-market-need", "other_need", "market:need#of-another"),
        ("match", "market:match", "api-market-match", "match", "market:match"),
        (
            "another antenna's signal",
            "attention:my_signal",
            "api-attention-signal",
            "signal_of_another_antenna",
            "attention:my_signal#of-another-antenna",
        ),
        ("signal", "attention:signal", "api-attention-signal", "signal_of_another_antenna", "attention:signal#of-another-antenna"),
        ("encounter", "attention:encounter", "api-attention-encounter", "encounter", "attention:encounter"),
        ("person", "people:person", None, "other_person", "people:person#of-another"),
        ("group", "collective:group", "api-collective-group", "other_group", "collective:group#of-others"),
        ("initiative", "initiatives:detail", "api-initiative", "other_initiative", "initiatives:detail#of-others"),
    ],
    Role.PARTNER: [
        ("need", "market:need", "api-market-need", "other_need", "market:need#of-another"),
        ("match of another organisation", "market:match", "api-market-match", "match_of_another_org_offer", "market:match#of-another-org-offer"),
        ("signal", "attention:signal", "api-attention-signal", "signal", "attention:signal"),
        ("encounter", "attention:encounter", "api-attention-encounter", "encounter", "attention:encounter"),
        ("person", "people:person", None, "other_person", "people:person#of-another"),
        ("group", "collective:group", "api-collective-group", "other_group", "collective:group#of-others"),
        ("initiative", "initiatives:detail", "api-initiative", "other_initiative", "initiatives:detail#of-others"),
    ],
    Role.WORKER: [
        ("need", "market:need", "api-market-need", "need_elsewhere", "market:need#elsewhere"),
        ("match", "market:match", "api-market-match", "match_elsewhere", "market:match#elsewhere"),
        ("signal", "attention:signal", "api-attention-signal", "signal_elsewhere", "attention:signal#elsewhere"),
        ("encounter", "attention:encounter", "api-attention-encounter", "encounter_elsewhere", "attention:encounter#elsewhere"),
        ("person", "people:person", None, "person_elsewhere", "people:person#elsewhere"),
        ("group", "collective:group", "api-collective-group", "group_elsewhere", "collective:group#elsewhere"),
        ("initiative", "initiatives:detail", "api-initiative", "initiative_elsewhere", "initiatives:detail#elsewhere"),
    ],
}


def _leak(walk_case, api_name, role):
    """The KNOWN_LEAKS reason of the page (or API) case, if any."""
    key = walk_case if api_name is None else walk_case.replace(walk_case.split("#")[0], api_name, 1)
    return KNOWN_LEAKS.get((key, "GET", role))


def _cases(role):
    """(what, URL name, object key, via, known leak) of each record `role` tries to open."""
    for what, page, api, key, walk_case in OTHERS[role]:
        for name, via in ((page, "browser"), (api, "api")):
            if name is not None:
                yield what, name, key, via, _leak(walk_case, None if via == "browser" else api, role)


def _sign_in(page, world, role):
    log_in(page, world["users"][role].username, WALK_PASSWORD)
    page.wait_for_url(lambda url: "/account/accedi/" not in url)


@pytest.mark.parametrize("role", list(OTHERS))
def test_outsider_cannot_open_someone_elses_record(page, role):
    """One world and one sign-in per outsider; every record tried, as a page and through the API.

    A case listed in KNOWN_LEAKS must still leak: when it is fixed, the test says to remove it.
    """
    world = build_world()
    _sign_in(page, world, role)
    wrong, tried = [], 0
    for what, name, key, via, leak in _cases(role):
        path = reverse(name, args=[world[key].pk])
        if via == "browser":
            response = page.goto(path)
        else:
            response = page.request.get(path, headers={"Accept": "application/json"})
        tried += 1
        refused = response.status in (403, 404)
        if leak and refused:
            wrong.append(f"{via} {what} at {path}: the known leak is fixed, remove it from KNOWN_LEAKS ({leak})")
        elif not leak and not refused:
            wrong.append(f"{role} opened {what} ({via}) at {path}: {response.status}")
    assert tried == sum(2 if api else 1 for _w, _p, api, _k, _c in OTHERS[role])
    assert not wrong, "\n".join(wrong)
