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


def _cases():
    for role, records in OTHERS.items():
        for what, page, api, key, walk_case in records:
            for name, via in ((page, "browser"), (api, "api")):
                if name is None:
                    continue
                leak = _leak(walk_case, None if via == "browser" else api, role)
                marks = [pytest.mark.xfail(strict=True, reason=f"leak: {leak}")] if leak else []
                yield pytest.param(role, what, name, key, via, id=f"{role}-{via}-{what}", marks=marks)


def _sign_in(page, world, role):
    log_in(page, world["users"][role].username, WALK_PASSWORD)
    page.wait_for_url(lambda url: "/account/accedi/" not in url)


@pytest.mark.parametrize("role,what,name,key,via", list(_cases()))
def test_outsider_cannot_open_someone_elses_record(page, role, what, name, key, via):
    world = build_world()
    _sign_in(page, world, role)
    path = reverse(name, args=[world[key].pk])
    if via == "browser":
        response = page.goto(path)
    else:
        response = page.request.get(path, headers={"Accept": "application/json"})
    assert response.status in (403, 404), f"{role} opened {what} at {path}: {response.status}"
