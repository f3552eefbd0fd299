"""Who may open the notification pages (walked by tests/test_permissions.py): each signed-in account its own."""

from trama.notifications.models import Kind, PushSubscription
from trama.notifications.services import notify
from trama.notifications.unsubscribe import token_for
from trama.people.models import Role
from trama.testing import ANON, COORDINATOR_ONLY, PUBLIC, ROLES, SIGNED_IN, only, url

# Another account's notification, or one that does not exist, answers 404 alike.
NOT_FOUND = {role: ("denied" if role == ANON else 404) for role in SIGNED_IN}

BAD_LINK = {role: 400 for role in ROLES}

EXPECTED = {
    "notifications:list": (url("notifications:list"), {"GET": SIGNED_IN}),
    "notifications:open": (url("notifications:open", "notification"), {"GET": only(Role.CITIZEN)}),
    "notifications:open#missing": (lambda o: "/notifiche/999999/", {"GET": NOT_FOUND}),
    "notifications:mark_read": (url("notifications:mark_read"), {"POST": SIGNED_IN}),
    "notifications:preferences": (url("notifications:preferences"), {"GET": SIGNED_IN, "POST": SIGNED_IN}),
    # Coordinators only: counts, states and errors of the sending, never the content.
    "notifications:delivery_log": (url("notifications:delivery_log"), {"GET": COORDINATOR_ONLY}),
    "notifications:delivery_log#bad-filter": (
        url("notifications:delivery_log", query="?stato=boh"),
        {"GET": {**COORDINATOR_ONLY, Role.COORDINATOR: 400}},
    ),
    # Web push: each signed-in account subscribes its own browser (the walk's empty body: 400 with the reason) and
    # removes only its own (another's: 404); the service worker is public, personal to nobody.
    "notifications:push_subscribe": (url("notifications:push_subscribe"), {"POST": SIGNED_IN}),
    "notifications:push_unsubscribe": (url("notifications:push_unsubscribe", "phone"), {"POST": only(Role.CITIZEN)}),
    "service_worker": (url("service_worker"), {"GET": PUBLIC}),
    # The signed link is the authority, whoever opens it (signed in as anyone, or not at all).
    "notifications:unsubscribe": (
        lambda o: f"/notifiche/disiscriviti/{token_for(o['users'][Role.CITIZEN], Kind.MATCH_DONE)}/",
        {"GET": PUBLIC, "POST": PUBLIC},
        {"POST": lambda o: {"List-Unsubscribe": "One-Click"}},
    ),
    # Her own address only: nothing in the form names an account.
    "notifications:confirm_address": (url("notifications:confirm_address"), {"POST": SIGNED_IN}, {"POST": lambda o: {"canale": "email"}}),
    # The provider's servers, with the shared secret (whoever sends it: no session is involved; an empty notice is a 400
    # with its message); without it, nobody, signed in or not, gets through.
    "notifications:bounce": (url("notifications:bounce"), {"POST": PUBLIC}, None, {"POST": lambda o: _bounce_secret()}),
    "notifications:bounce#no-secret": (url("notifications:bounce"), {"POST": {role: 403 for role in ROLES}}),
    "notifications:unsubscribe#forged": (
        lambda o: "/notifiche/disiscriviti/WzEsIm1hdGNoX2RvbmUiXQ:1abcde:forged/",
        {"GET": BAD_LINK, "POST": BAD_LINK},
    ),
}


def _bounce_secret():
    from django.conf import settings

    return {"HTTP_AUTHORIZATION": f"Bearer {settings.TRAMA_BOUNCE_WEBHOOK_SECRET}"}


def make_objects(o):
    # The citizen's own: the others must not open it.
    o["phone"] = PushSubscription.objects.create(
        account=o["users"][Role.CITIZEN], endpoint="https://push.example.org/send/walk", p256dh="B" + "A" * 86, auth="A" * 22
    )
    o["notification"] = notify(Kind.MATCH_PROPOSED, [o["users"][Role.CITIZEN]], url="/", key="walk:1")[0]
