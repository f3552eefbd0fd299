from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerBeat(models.Model):
    """The last sign of life of one task worker (`manage.py db_worker`), written every few seconds.

    django-tasks-db records which worker took a task (`DBTaskResult.worker_ids`) but not whether that
    worker is still alive, nor whether it still runs the task: a task whose worker stopped beating, or
    beats while running something else, is taken back (see recovery.py).
    """

    worker_id = models.CharField(_("processo di lavoro"), max_length=64, unique=True)
    task_id = models.CharField(_("lavoro in corso"), max_length=64, blank=True)
    pid = models.PositiveIntegerField(_("processo"))
    started_at = models.DateTimeField(_("avviato il"))
    beat_at = models.DateTimeField(_("ultimo segnale il"), db_index=True)

    class Meta:
        verbose_name = _("segnale di vita di un processo di lavoro")
        verbose_name_plural = _("segnali di vita dei processi di lavoro")

    def __str__(self):
        return self.worker_id
