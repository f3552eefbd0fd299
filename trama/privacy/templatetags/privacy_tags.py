from django import template

from trama.privacy.exports import person_model

register = template.Library()


@register.simple_tag
def has_own_record(user):
    """Does `user`'s account have a person's record to ask a copy of? (Asked without loading the record.)"""
    return bool(user.is_authenticated and person_model().objects.filter(account=user).exists())
