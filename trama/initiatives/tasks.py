from django.utils.translation import gettext_lazy as _
from django_tasks import task

from trama.background.registry import describe
from trama.market.tasks import embed_record

from .models import Initiative


@task()
def embed_initiative(initiative_id):
    """Compute what an activity's name and description mean, for proposing it to needs (market.meaning)."""
    return embed_record(Initiative, initiative_id)


describe(embed_initiative, _("Calcolo del significato di un'attività"))
