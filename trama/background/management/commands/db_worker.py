"""django-tasks-db's `db_worker`, with a heartbeat and the patience to wait for the database.

Listed before django_tasks_db in INSTALLED_APPS, so `manage.py db_worker` is this command. Its options
are the library's.
"""

import logging
import threading
import time

from django.db import InterfaceError, OperationalError, connection, connections
from django.utils import timezone
from django_tasks_db.management.commands import db_worker as library

from trama.background import recovery
from trama.unavailable import is_unavailable

log = logging.getLogger("trama.background")

# How long the worker waits, doubling from the first to the last, when the database is locked or gone.
FIRST_WAIT, LONGEST_WAIT = 1.0, 30.0


class Heartbeat(threading.Thread):
    """Beats for the worker and recovers the tasks of workers that stopped, every few seconds.

    A thread of its own, so that a long task keeps its worker alive; it has its own database connection.
    """

    def __init__(self, worker):
        super().__init__(name=f"heartbeat-{worker.worker_id}", daemon=True)
        self.worker = worker
        self.worker_id = worker.worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.is_set():
                try:
                    recovery.beat(self.worker_id, self.worker.current_task_id, self.started_at)
                    recovery.recover_stalled()
                except Exception as error:
                    # Locked for longer than the busy timeout, or the server is gone: beat again later. The
                    # thread never stops on an error: a worker without beats would see its task run twice.
                    if is_unavailable(error):
                        log.warning("Worker %s could not beat: %s", self.worker_id, error)
                    else:
                        log.exception("Worker %s could not beat", self.worker_id)
                    connection.close()
                self.stopped.wait(recovery.heartbeat_seconds())
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        self.join(timeout=recovery.heartbeat_seconds() + 5)
        try:
            recovery.forget(self.worker_id)
        except (OperationalError, InterfaceError):
            pass  # its beats simply grow old, with the same outcome


class Worker(library.Worker):
    current_task_id = ""

    def run_task(self, db_task_result):
        self.current_task_id = str(db_task_result.pk)
        try:
            return super().run_task(db_task_result)
        finally:
            self.current_task_id = ""

    def run(self):
        heartbeat = Heartbeat(self)
        heartbeat.start()
        wait, last_failure = FIRST_WAIT, 0.0
        try:
            while True:
                try:
                    return super().run()
                except (OperationalError, InterfaceError) as error:
                    if time.monotonic() - last_failure > 2 * LONGEST_WAIT:
                        wait = FIRST_WAIT
                    last_failure = time.monotonic()
                    # The library rides out a locked database while it picks a task, but not at its own
                    # BEGIN, nor a PostgreSQL that restarts: wait, reconnect, go on. (A missing table is
                    # not something waiting mends: that one stops the worker.)
                    if not self.running or not is_unavailable(error):
                        raise
                    log.warning("Worker %s: database unavailable (%s); trying again in %.0f s", self.worker_id, error, wait)
                    connections.close_all()
                    time.sleep(wait)
                    wait = min(wait * 2, LONGEST_WAIT)
        finally:
            heartbeat.stop()


class Command(library.Command):
    help = library.Command.help + " (with a heartbeat: a task whose worker stops is taken again)"

    def handle(self, *args, **options):
        # The library's handle() builds its module's `Worker`: this command runs ours instead.
        library.Worker = Worker
        return super().handle(*args, **options)
