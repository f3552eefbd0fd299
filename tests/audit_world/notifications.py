"""Who may GET each notification page (none loads a personal record: a notification holds only a kind and a path).

The delivery log names the account told of each kind: it records its pages (test_delivery_log.py) though
no model of PERSONAL_MODELS is loaded."""

from django.urls import reverse

from trama.people.models import Role
from trama.testing import ANON, COORDINATOR_ONLY, PUBLIC, SIGNED_IN, everyone

EXPECTED = {
    "notifications:list": (lambda o: reverse("notifications:list"), SIGNED_IN),
    "notifications:open": (
        lambda o: reverse("notifications:open", args=[o["notification"].pk]),
        {**everyone(404), ANON: "denied", Role.CITIZEN: "ok"},
    ),
    "notifications:mark_read": (lambda o: reverse("notifications:mark_read"), everyone(405)),
    "notifications:preferences": (lambda o: reverse("notifications:preferences"), SIGNED_IN),
    "notifications:delivery_log": (lambda o: reverse("notifications:delivery_log"), COORDINATOR_ONLY),
    "notifications:unsubscribe": (lambda o: _unsubscribe_link(o), PUBLIC),
    "notifications:confirm_address": (lambda o: reverse("notifications:confirm_address"), everyone(405)),
    "notifications:bounce": (lambda o: reverse("notifications:bounce"), everyone(405)),
    "notifications:push_subscribe": (lambda o: reverse("notifications:push_subscribe"), everyone(405)),
    "notifications:push_unsubscribe": (lambda o: reverse("notifications:push_unsubscribe", args=[1]), everyone(405)),
}


def _unsubscribe_link(o):
    from trama.notifications.unsubscribe import token_for

    return reverse("notifications:unsubscribe", args=[token_for(o["notification"].recipient, o["notification"].kind)])


def make_objects(request, objects):
    """The citizen's own notification: the other accounts find nothing there."""
    from trama.notifications.models import Kind, Notification

    objects["notification"] = Notification.objects.create(
        recipient=request.getfixturevalue("users")[Role.CITIZEN], kind=Kind.MATCH_PROPOSED, url="/", key="audit:1"
    )
