"""Signing in with a username and password, without Django's per-model permissions.

Who may do what is decided by the rules of each app (`rules.py`, through `trama.access`), never
by rows of `auth_permission`: no account or group is ever given one. Django's `ModelBackend`
would still read the user's and the groups' permissions (two queries) on the first permission
check of every request, for the menu; this backend answers "none" without reading.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def _get_permissions(self, user_obj, obj, from_name):
        return set()

    def get_user(self, user_id):
        """The signed-in account with its city, which every page's header shows (one query, not two)."""
        model = get_user_model()
        try:
            user = model._default_manager.select_related("city").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
