"""Helpers shared by the tests of several apps.

The vocabulary of the permission walk (tests/test_permissions.py): each app may declare the expectations of its own URLs in
`trama/<app>/tests/url_permissions.py`: a dict `EXPECTED` (URL name ->
(function building the URL from the objects, expectations per role)) and,
optionally, `make_objects(request, objects)` adding the objects its URLs need
(`request` is pytest's, for `request.getfixturevalue`).
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from trama.people.models import Role

ANON = "anonymous"
ROLES = [ANON, Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN]


def everyone(expected):
    return {role: expected for role in ROLES}


def only(*roles):
    """Allowed to the given roles, denied to everyone else."""
    return {role: ("ok" if role in roles else "denied") for role in ROLES}


PUBLIC = everyone("ok")
SIGNED_IN = {**PUBLIC, ANON: "denied"}
COORDINATOR_ONLY = only(Role.COORDINATOR)
STAFF = only(Role.COORDINATOR, Role.WORKER)


# Words that label people by their hardship: never on a public page (DESIGN.md, G5).
STIGMA = re.compile(
    r"\b(fragil[ei]|disagi\w*|utent[ei]|bisognos[oaie]|indigent[ei]|pover[oaie]|emarginat[oaie]|svantaggiat[oaie]"
    r"|vulnerabil[ei]|disabil[ei]|handicappat[oaie]|tossicodipendent[ei]|anzian[oaie]|immigrat[oaie]|extracomunitar[oaie])\b",
    re.IGNORECASE,
)


def queries_of(client, url):
    """How many queries a GET of `url` makes, asserting it answers 200; a first GET warms up the session and caches."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def assert_queries_do_not_grow(client, url, grow, few=2, more=18):
    """`url` reads as many queries once `grow(more)` has added rows as it did after `grow(few)`."""
    grow(few)
    before = queries_of(client, url)
    grow(more)
    assert queries_of(client, url) == before
