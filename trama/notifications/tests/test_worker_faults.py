"""A sending run whose worker is killed while the mail server answers sends each message exactly once: the message
being sent was never accepted, is left to its worker for the lease, then sent by the next run; the others are
neither lost nor sent again. Real worker processes (background/tests/workers.py) and a mail server of the test's
own on loopback, which holds its answer to one message until the test has killed the worker."""

import email
import signal
import socket
import socketserver
import threading

import pytest
from django_tasks_db.models import DBTaskResult

from trama.notifications.models import Delivery, Kind
from trama.notifications.services import notify
from trama.notifications.tasks import send_pending_emails
from trama.people.models import Role
from trama.testing import wait_for

MESSAGES = 5
HELD = 3  # the mail server keeps the third message waiting for its answer


class MailServer(socketserver.ThreadingTCPServer):
    """Just enough SMTP for Django's backend: what it accepted (250 after the data) in `received`."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, hold):
        super().__init__(("127.0.0.1", 0), Session)
        self.hold, self.received, self.seen = hold, [], 0
        self.holding, self.released = threading.Event(), threading.Event()
        self.lock = threading.Lock()


class Session(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        server = self.server
        self.reply("220 127.0.0.1 prova")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 127.0.0.1")
            elif command == "DATA":
                self.reply("354 avanti")
                data = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                with server.lock:
                    server.seen += 1
                    held = server.seen == server.hold
                if held:  # the worker waits for the answer; it is killed meanwhile, and the message never accepted
                    server.holding.set()
                    server.released.wait(30)
                    return
                server.received.append(email.message_from_bytes(data))
                self.reply("250 accettato")
            elif command == "QUIT":
                self.reply("221 ciao")
                return
            else:  # MAIL FROM, RCPT TO, RSET, NOOP
                self.reply("250 ok")


@pytest.fixture
def mail_server():
    server = MailServer(hold=HELD)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.released.set()
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
def test_a_sending_run_whose_worker_is_killed_sends_each_message_exactly_once(workers, mail_server, users):
    for n in range(MESSAGES):
        notify(Kind.MATCH_PROPOSED, [users[Role.CITIZEN]], url=f"/mercato/abbinamenti/{n}/", key=f"match_proposed:{n}")
    deliveries = Delivery.objects.filter(channel=Delivery.Channel.EMAIL)
    assert deliveries.count() == MESSAGES
    mail = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail_server.server_address[1]),
        "TRAMA_QUIET_HOURS": "00:00-00:00",
        "TRAMA_NOTIFICATION_LEASE_SECONDS": "3",
    }

    first = workers("first", **mail)
    assert mail_server.holding.wait(120), "the first worker reaches the held message"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=5)
    assert len(mail_server.received) == HELD - 1
    mail_server.released.set()

    workers("second", **mail)
    wait_for(lambda: not deliveries.exclude(status=Delivery.Status.SENT).exists(), "every message sent")

    links = sorted(message.get_payload(decode=True).decode().split("/mercato/abbinamenti/")[1].split("/")[0] for message in mail_server.received)
    assert links == [str(n) for n in range(MESSAGES)]  # each once: none lost, none twice
    assert sorted(deliveries.values_list("attempts", flat=True)) == [1] * (MESSAGES - 1) + [2]  # the held one, again after its lease
    runs = DBTaskResult.objects.filter(task_path=send_pending_emails.module_path)
    # The killed run is taken back too (the others may have sent everything before it is): it finds nothing left.
    wait_for(lambda: [run.worker_ids for run in runs.all() if "first" in run.worker_ids] == [["first", "second"]], "the killed run taken back")
    assert deliveries.filter(status=Delivery.Status.SENT).count() == len(mail_server.received) == MESSAGES
    with socket.create_connection(mail_server.server_address, timeout=5):
        pass  # the mail server outlived the worker that hung up on it
