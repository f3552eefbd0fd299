from django.utils.cache import add_never_cache_headers

from . import audit


class PrivacyMiddleware:
    """Audits every refused access and keeps pages with personal data out of caches.

    A view marks its response as personal with `response.personal_data = True`
    (as `people.views.account_detail` does); any page of a signed-in user is treated
    the same way, since the header and menus name the account.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code == 403:
            audit.record(user, audit.Action.DENIED, reason="403", path=request.path)
        if getattr(response, "personal_data", False) or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, private"
        return response
