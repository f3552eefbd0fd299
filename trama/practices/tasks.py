from django.utils.translation import gettext_lazy as _
from django_tasks import task

from trama.background.registry import describe


@task()
def embed_practice(practice_id):
    """Compute what a practice sheet means, to propose it to needs and themes (market.meaning)."""
    from trama.market.tasks import embed_record

    from .models import Practice

    return embed_record(Practice, practice_id)


describe(embed_practice, _("Calcolo del significato di una scheda di pratica"))
