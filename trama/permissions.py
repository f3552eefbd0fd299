"""The one decorator views use to ask a `rules` permission.

Anonymous visitors are sent to the login page; signed-in accounts without the
permission get a 403 (which the privacy middleware audits).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def refuse(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def permission_required(perm, get_object=None):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            # Ask without the object first, so that someone who may never see such
            # objects cannot learn which ids exist from a 404 versus a 403.
            if not request.user.has_perm(perm):
                return refuse(request)
            obj = get_object(request, *args, **kwargs) if get_object else None
            if request.user.has_perm(perm, obj):
                if obj is not None:
                    kwargs["obj"] = obj
                return view(request, *args, **kwargs)
            return refuse(request)

        wrapped.permission_required = perm
        return wrapped

    return decorator
