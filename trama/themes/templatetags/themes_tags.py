"""The panel the themes app puts on other apps' pages."""

from django import template

from trama.access import is_staff_role

from ..models import SUGGEST_CONFIDENCE, SURE_CONFIDENCE, confidence_words
from ..queries import themes_of_person

register = template.Library()


@register.simple_tag
def person_themes(user, person):
    """Staff allowed to see the person get the themes of their texts; anyone else gets None."""
    if person is None or not is_staff_role(user):
        return None
    if not user.has_perm("people.view_person", person):
        return None
    return list(themes_of_person(user, person)[:50])


@register.filter
def confidence_in_words(value):
    """A tag's confidence as the pages say it: "alta", "media" or "bassa"."""
    return confidence_words(value)


@register.simple_tag
def confidence_thresholds():
    """The confidences from which a tag is "media" (and suggested to a new text) and "alta"."""
    return {"suggest": SUGGEST_CONFIDENCE, "sure": SURE_CONFIDENCE}
