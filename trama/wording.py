"""Words and links written again and again: Django's gettext and reverse of one id, remembered.

A list of answers explains the ten it shows, each with a few translated phrases and a link: Django looks
each phrase up through every catalogue of the language and builds each link from the resolver again, a
millisecond of a list's CPU. Both are remembered here exactly as Django gives them: a phrase per catalogue
object of the active language (a new catalogue, after the settings change, is a new key), a link per
resolver, script prefix and view (the id written between the two halves Django gives around it).
"""

from django.conf import settings
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as django_gettext
from django.utils.translation import trans_real

# Entries kept at most (literal phrases and views: a few hundred); past it, all are forgotten at once.
SIZE = 4096
_phrases: dict = {}
_links: dict = {}
# An id no view is reversed with: where it stands in the link, any other id stands.
_MARK = 9081726354


def gettext(message):
    """django.utils.translation.gettext(message), remembered per active catalogue."""
    if type(message) is not str or not message or not settings.USE_I18N:  # lazy, safe or empty: as Django does
        return django_gettext(message)
    key = (trans_real.catalog(), message)
    found = _phrases.get(key)
    if found is None:
        if len(_phrases) >= SIZE:
            _phrases.clear()
        found = _phrases[key] = django_gettext(message)
    return found


def reverse_id(viewname, pk):
    """reverse(viewname, args=[pk]) for a view of one integer argument, its halves remembered."""
    pk = int(pk)
    urlconf = get_urlconf()
    key = (get_resolver(urlconf), get_script_prefix(), viewname)
    halves = _links.get(key)
    if halves is None:
        url = reverse(viewname, args=[_MARK], urlconf=urlconf)
        if url.count(str(_MARK)) != 1:
            return reverse(viewname, args=[pk], urlconf=urlconf)
        if len(_links) >= SIZE:
            _links.clear()
        head, _mark, tail = url.partition(str(_MARK))
        halves = _links[key] = (head, tail)
    return f"{halves[0]}{pk}{halves[1]}"
