"""A burst of notifications, queued and then delivered by e-mail: time and database queries per notification.

Run: .venv/bin/python bench/bench_notifications.py [--sizes 500,2000] [--quick]
For each size N: N accounts (with an address, e-mail wanted for the kind), then N events told through
`notifications.services.notify`, each in its own transaction as a page or a task would (the outbox rows are
written; the sending task is only queued: the tasks backend here is Django's dummy one), then
`send_pending_emails` run once, as the worker would, through Django's locmem e-mail backend (the console
backend's cost is the terminal's). Checks that every notification went out exactly once. Prints time and
queries per notification for both halves; the queries per notification must not grow with N.
By default 500 and 2,000 (about a minute of CPU with the migrations); the figures of docs/benchmarks.md come
from `--sizes 1000,10000`; `--quick` runs 100 and 400. Wall time on a shared machine depends on what else
runs: this process's CPU time per notification is printed beside it. On BENCH_DATABASE_URL (a scratch
PostgreSQL database) or a scratch SQLite file. Writes var/bench/notifications.json.
"""

import argparse
import time

import common  # noqa: E402

common.scratch_django(
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
    # Every e-mail due at once: quiet hours would hold the burst until morning.
    TRAMA_QUIET_HOURS="00:00-00:00",
)

from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from trama.notifications.models import Delivery, Kind, Notification  # noqa: E402
from trama.notifications.services import notify  # noqa: E402
from trama.notifications.tasks import send_pending_emails  # noqa: E402
from trama.people.models import Role, User  # noqa: E402
from trama.territory.models import City  # noqa: E402


def accounts(n, city):
    """`n` citizen accounts made in bulk (no password to hash: they never sign in here)."""
    start = User.objects.count()
    User.objects.bulk_create(
        [User(username=f"bench{start + i}", email=f"bench{start + i}@example.org", role=Role.CITIZEN, city=city, password="!") for i in range(n)],
        batch_size=1000,
    )
    return list(User.objects.filter(username__startswith="bench").order_by("-pk")[:n])


class Counted:
    """Counts the queries run inside it (Django's own query log keeps only the last 9,000)."""

    def __enter__(self):
        self.count = 0
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)

    def __len__(self):
        return self.count


def burst(n, city):
    users = accounts(n, city)
    mail.outbox = []
    first = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with Counted() as queued:
        t0, c0 = time.perf_counter(), time.process_time()
        for i, user in enumerate(users):
            with transaction.atomic():
                notify(Kind.MATCH_PROPOSED, [user], url=f"/mercato/abbinamenti/{i}/", key=f"bench:{n}:{i}")
        queue_s, queue_cpu = time.perf_counter() - t0, time.process_time() - c0
    with Counted() as delivered:
        t0, c0 = time.perf_counter(), time.process_time()
        sent = send_pending_emails.call()
        deliver_s, deliver_cpu = time.perf_counter() - t0, time.process_time() - c0
    mine = Delivery.objects.filter(notification__pk__gt=first)
    recipients = [m.to[0] for m in mail.outbox]
    # None lost, none twice.
    assert sent == n == len(mail.outbox) == len(set(recipients)) == mine.filter(status=Delivery.Status.SENT).count(), (sent, n, len(mail.outbox))
    return {
        "notifications": n,
        "queue_s": round(queue_s, 2),
        "queue_ms_per_notification": round(queue_s * 1000 / n, 3),
        "queue_cpu_ms_per_notification": round(queue_cpu * 1000 / n, 3),
        "queue_queries_per_notification": round(len(queued) / n, 2),
        "deliver_s": round(deliver_s, 2),
        "deliver_ms_per_notification": round(deliver_s * 1000 / n, 3),
        "deliver_cpu_ms_per_notification": round(deliver_cpu * 1000 / n, 3),
        "deliver_queries_per_notification": round(len(delivered) / n, 2),
        "emails_sent": len(mail.outbox),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,2000", help="comma-separated burst sizes")
    parser.add_argument("--quick", action="store_true", help="sizes 100 and 400")
    args = parser.parse_args()
    sizes = [100, 400] if args.quick else [int(s) for s in args.sizes.split(",")]
    call_command("migrate", verbosity=0)
    city = City.objects.create(name="Bench", slug="bench", centre_lat=44.8, centre_lon=10.33)
    rows = [burst(n, city) for n in sizes]
    report = {**common.header("notifications", connection.vendor), "email_backend": "locmem", "bursts": rows}
    path = common.write_report("notifications", report)
    print(f"{'':>13} {'queue':^36} | {'delivery by e-mail':^36}")
    print(f"{'notifications':>13} {'s':>8} {'ms/notif':>9} {'cpu ms':>8} {'queries':>8} | {'s':>8} {'ms/notif':>9} {'cpu ms':>8} {'queries':>8}")
    for r in rows:
        print(
            f"{r['notifications']:>13,} {r['queue_s']:>8} {r['queue_ms_per_notification']:>9} {r['queue_cpu_ms_per_notification']:>8} "
            f"{r['queue_queries_per_notification']:>8} | {r['deliver_s']:>8} {r['deliver_ms_per_notification']:>9} "
            f"{r['deliver_cpu_ms_per_notification']:>8} {r['deliver_queries_per_notification']:>8}"
        )
    print(f"written to {path.relative_to(common.ROOT)}")


if __name__ == "__main__":
    main()
