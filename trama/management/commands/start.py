import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

# A worker that stops is started again after a wait that doubles from the first to the last; a worker
# that ran this long before stopping starts again after the first wait.
FIRST_WAIT, LONGEST_WAIT, HEALTHY_SECONDS = 1.0, 60.0, 60.0


class Command(BaseCommand):
    help = (
        "Avvia insieme il server web e il worker delle attività in background; se il worker si ferma lo "
        "riavvia, il server web resta su; Ctrl-C li ferma entrambi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="indirizzo:porta del server web")

    def handle(self, *args, addr, **options):
        manage = [sys.executable, sys.argv[0]]
        # Whatever the server and the worker create (the SQLite database and its WAL, files under var/)
        # holds personal data: readable by this user only.
        os.umask(0o077)

        def start_worker():
            return subprocess.Popen(manage + ["db_worker", "--no-reload"])

        worker = start_worker()
        server = subprocess.Popen(manage + ["runserver", "--noreload", addr])
        self.stdout.write(f"Trama: http://{addr}/  (Ctrl-C per fermare)")

        def stop(*_):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        wait, started, restart_at = FIRST_WAIT, time.monotonic(), None
        try:
            # The web server is what people use: when it stops, everything stops. The worker is restarted.
            while server.poll() is None:
                if worker is None and time.monotonic() >= restart_at:
                    worker, started = start_worker(), time.monotonic()
                elif worker is not None and worker.poll() is not None:
                    if time.monotonic() - started >= HEALTHY_SECONDS:
                        wait = FIRST_WAIT
                    self.stderr.write(f"Il worker delle attività si è fermato (codice {worker.returncode}): riparte tra {wait:.0f} s.")
                    worker, restart_at, wait = None, time.monotonic() + wait, min(wait * 2, LONGEST_WAIT)
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            processes = [p for p in (server, worker) if p is not None]
            for p in processes:
                if p.poll() is None:
                    p.terminate()
            for p in processes:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        if server.returncode not in (0, -signal.SIGTERM, -signal.SIGINT):
            sys.exit(server.returncode)
