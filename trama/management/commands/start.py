import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Avvia insieme il server web e il worker delle attività in background; Ctrl-C li ferma entrambi."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="indirizzo:porta del server web")

    def handle(self, *args, addr, **options):
        manage = [sys.executable, sys.argv[0]]
        # Whatever the server and the worker create (the SQLite database and its WAL, files under var/)
        # holds personal data: readable by this user only.
        os.umask(0o077)
        processes = [
            subprocess.Popen(manage + ["db_worker", "--no-reload"]),
            subprocess.Popen(manage + ["runserver", "--noreload", addr]),
        ]
        self.stdout.write(f"Trama: http://{addr}/  (Ctrl-C per fermare)")

        def stop(*_):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for p in processes:
                if p.poll() is None:
                    p.terminate()
            for p in processes:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        failed = [p.returncode for p in processes if p.returncode not in (0, -signal.SIGTERM, -signal.SIGINT)]
        if failed:
            sys.exit(failed[0])
