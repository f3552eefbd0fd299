from django import template
from django.utils.module_loading import import_string

from trama.background.queries import attempt_of

register = template.Library()


@register.simple_tag
def task_attempt(task_path, *args):
    """The latest run of the task at `task_path` with these arguments ({% task_attempt "…build_report" report.pk as attempt %})."""
    return attempt_of(import_string(task_path), *args)
