"""Server time of the main pages of each role, in a synthetic city.

Run: .venv/bin/python bench/bench_pages.py [--residents 50000] [--years 3] [--requests 50]
Generates the city with `manage.py generate_city` into a fresh SQLite file under a
scratch TRAMA_VAR_DIR (or into BENCH_DATABASE_URL if set: use a scratch database,
it is filled), then requests each page in-process with django.test.Client, logged
in with force_login: no network, no browser, only the Django stack and the
database. The floor is a view that returns "ok" through the same middleware, for
the same logged-in user, and the layout alone (base.html with no content) is the
fixed cost every signed-in page pays. Each figure is printed against its budget
(BUDGETS, the table of docs/benchmarks.md) and the pages over budget are listed at
the end, with the median and p95 CPU time of this process per request beside the wall
time; a page is over budget when its median CPU time is (on a shared machine the CPU
time is the steadier figure: compare revisions with it, in interleaved runs). Writes
var/bench/pages.json (--report names another). --reuse measures the synthetic city
already in BENCH_DATABASE_URL instead of generating it again (a city of 200,000
residents takes long to generate).
"""

import argparse
import io
import statistics
import time

import common  # noqa: E402

common.scratch_django(ALLOWED_HOSTS="testserver")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, include, path, reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from trama.attention.models import Antenna, Encounter, OutreachTask, Signal  # noqa: E402
from trama.collective.models import Group, Meeting, Suggestion  # noqa: E402
from trama.initiatives.models import Initiative  # noqa: E402
from trama.insights import figures, periods  # noqa: E402
from trama.market.models import Contribution, Match, Need, Offer  # noqa: E402
from trama.people.models import Consent, Organisation, Person, Role, User  # noqa: E402
from trama.privacy.models import AuditEntry  # noqa: E402
from trama.privacy.views import AUDIT_PAGE_SIZE  # noqa: E402
from trama.shortcuts import keyset_cursor  # noqa: E402
from trama.synthetic import synthetic_users  # noqa: E402
from trama.themes.models import Tag, TextItem, Theme  # noqa: E402
from trama.themes.queries import themes_of  # noqa: E402


def floor(request):
    return HttpResponse("ok")


def layout(request):
    return render(request, "base.html")


# This module is the URLconf while measuring: the project's URLs plus the floor and the bare layout.
urlpatterns = [path("bench-floor/", floor, name="bench_floor"), path("bench-layout/", layout, name="bench_layout"), path("", include("trama.urls"))]

COUNTED = [
    User,
    Organisation,
    Antenna,
    Person,
    Consent,
    Offer,
    Need,
    Match,
    Contribution,
    Signal,
    OutreachTask,
    Encounter,
    TextItem,
    Theme,
    Tag,
    Group,
    Meeting,
    Suggestion,
    Initiative,
]
# The dashboard's figures are stored (trama.insights.figures): measured with them forgotten before every
# request (cold, the first look at a period and set of areas) and as they come (stored).
CLOSED_YEAR = periods.current("year").previous().param
THIS_YEAR = periods.current("year").param

# (figure, role, URL name, query string)
PAGES = [
    ("worker: signal queue", Role.WORKER, "attention:queue", ""),
    ("worker: outreach agenda", Role.WORKER, "attention:outreach_list", ""),
    ("worker: encounters", Role.WORKER, "attention:encounters", ""),
    ("worker: people list", Role.WORKER, "people:people", ""),
    ("worker: people search", Role.WORKER, "people:people", "?q=sintetica+12"),
    ("worker: offers list", Role.WORKER, "market:offers", ""),
    ("worker: offers search", Role.WORKER, "market:offers", "?q=spesa"),
    ("worker: needs list", Role.WORKER, "market:needs", ""),
    ("worker: matches", Role.WORKER, "market:matches", ""),
    ("coordinator: signal queue (city)", Role.COORDINATOR, "attention:queue", ""),
    ("coordinator: people list (city)", Role.COORDINATOR, "people:people", ""),
    ("coordinator: ledger", Role.COORDINATOR, "market:ledger", ""),
    ("coordinator: dashboard, this quarter (cold)", Role.COORDINATOR, "insights:dashboard", ""),
    ("coordinator: dashboard, this quarter (stored)", Role.COORDINATOR, "insights:dashboard", ""),
    (f"coordinator: dashboard, year {THIS_YEAR} so far (stored)", Role.COORDINATOR, "insights:dashboard", f"?periodo={THIS_YEAR}"),
    (f"coordinator: dashboard, year {CLOSED_YEAR} (cold)", Role.COORDINATOR, "insights:dashboard", f"?periodo={CLOSED_YEAR}"),
    (f"coordinator: dashboard, year {CLOSED_YEAR} (stored)", Role.COORDINATOR, "insights:dashboard", f"?periodo={CLOSED_YEAR}"),
    ("worker: dashboard, this quarter (stored)", Role.WORKER, "insights:dashboard", ""),
    # The pages of the load test's day of use (bench/load/locustfile.py) not listed above.
    ("worker: one signal", Role.WORKER, "attention:signal", ""),
    ("worker: need with ranked offers", Role.WORKER, "market:need", ""),
    ("antenna: signal form", Role.ANTENNA, "attention:signal_create", ""),
    ("coordinator: antennas coverage", Role.COORDINATOR, "attention:coverage", ""),
    ("worker: themes list", Role.WORKER, "themes:themes", ""),
    ("worker: biggest named theme", Role.WORKER, "themes:theme", ""),
    ("coordinator: biggest named theme", Role.COORDINATOR, "themes:theme", ""),
    ("worker: groups list", Role.WORKER, "collective:groups", ""),
    ("worker: group suggestions", Role.WORKER, "collective:suggestions", ""),
    ("worker: calendar", Role.WORKER, "collective:calendar", ""),
    ("worker: initiatives list", Role.WORKER, "initiatives:list", ""),
    ("antenna: own signals", Role.ANTENNA, "attention:my_signals", ""),
    ("partner: offers list", Role.PARTNER, "market:offers", ""),
    ("citizen: map", Role.CITIZEN, "territory:map", ""),
    ("anonymous: offers list", None, "market:offers", ""),
    ("anonymous: home", None, "home", ""),
    ("anonymous: initiatives catalogue", None, "initiatives:catalogue", ""),
    ("anonymous: public calendar", None, "collective:public_calendar", ""),
    ("anonymous: open data", None, "insights:open_data", ""),
]
COLD = {figure for figure, *_rest in PAGES if figure.endswith("(cold)")}

# The budget of each kind of page (median server time in ms, queries or None): issue "a speed budget for
# every page", written in docs/benchmarks.md. The floor and the health check have none.
BUDGETS = {
    "layout": (2.0, 3),
    "dashboard cold": (50.0, None),
    "dashboard stored": (10.0, None),
    "public": (10.0, None),
    "page": (15.0, None),
}


def budget_of(figure):
    if figure.startswith(("floor", "health")):
        return None
    if figure.startswith("layout"):
        return BUDGETS["layout"]
    if "dashboard" in figure:
        return BUDGETS["dashboard cold" if figure.endswith("(cold)") else "dashboard stored"]
    if figure.startswith("anonymous"):
        return BUDGETS["public"]
    return BUDGETS["page"]


def over_budget(figure, median_ms, queries):
    """Whether a page's median (the script passes the median CPU time of a request, the figure a shared
    machine does not blur) or its queries exceed its budget."""
    budget = budget_of(figure)
    if budget is None:
        return False
    ms, most_queries = budget
    return median_ms > ms or (most_queries is not None and queries > most_queries)


def url_args(worker=None):
    """The arguments of the pages about one record: the named theme with the most texts; the worker's
    first open signal and open need (the load test opens those from the lists)."""
    city = synthetic_users().filter(role=Role.COORDINATOR).order_by("pk").first().city
    biggest = themes_of(city, [Theme.Status.NAMED]).first()
    out = {"themes:theme": [biggest.pk]} if biggest else {}
    if worker is not None:
        mine = worker.neighbourhood_ids()
        signal = Signal.objects.filter(neighbourhood__in=mine, status__in=Signal.OPEN).order_by("-pk").first()
        need = Need.objects.filter(neighbourhood__in=mine, status=Need.Status.OPEN).order_by("-pk").first()
        out.update({"attention:signal": [signal.pk]} if signal else {})
        out.update({"market:need": [need.pk]} if need else {})
    return out


def accounts():
    """One synthetic account per role: the busiest worker and antenna, so their pages show the most rows."""
    users = synthetic_users()
    worker = (
        users.filter(role=Role.WORKER)
        .annotate(n=Count("neighbourhoods__signals", filter=Q(neighbourhoods__signals__status__in=Signal.OPEN)))
        .order_by("-n", "pk")
        .first()
    )
    antenna = users.filter(role=Role.ANTENNA).annotate(n=Count("signals_sent")).order_by("-n", "pk").first()
    return {
        Role.WORKER: worker,
        Role.ANTENNA: antenna,
        Role.COORDINATOR: users.filter(role=Role.COORDINATOR).order_by("pk").first(),
        Role.PARTNER: users.filter(role=Role.PARTNER).order_by("pk").first(),
        Role.CITIZEN: users.filter(role=Role.CITIZEN).order_by("pk").first(),
        None: None,
    }


def client_for(user):
    """A signed-in client; coordinators and workers with a verified second factor, as they work."""
    client = Client()
    if user is not None:
        client.force_login(user)
        if user.requires_second_factor:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="bench", confirmed=True
            )
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
    return client


def measure(client, url, n, before=lambda: None):
    """Median and p95 in milliseconds of `n` requests after two warm-up ones, and the queries of one.
    `before` runs ahead of every request, outside the time measured."""
    for _ in range(2):
        before()
        response = client.get(url)
    if response.status_code != 200:
        return None, response.status_code
    before()
    with CaptureQueriesContext(connection) as queries:
        size = len(client.get(url).content)
    n_queries = len(queries)  # now: the log is reset by the next request
    timings, cpu = [], []
    for _ in range(n):
        before()
        t0, c0 = time.perf_counter(), time.process_time()
        client.get(url)
        cpu.append((time.process_time() - c0) * 1000)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    return {
        "median": statistics.median(timings),
        "p95": timings[int(0.95 * (len(timings) - 1))],
        "cpu": statistics.median(cpu),
        "cpu_p95": sorted(cpu)[int(0.95 * (len(cpu) - 1))],
        "queries": n_queries,
        "bytes": size,
    }, 200


DEEP_PAGE = 1500


def deep_page(client, n):
    """The audit log (keyset pages) filled past page 1,500: the timings of page 1 and of page 1,500."""
    missing = DEEP_PAGE * AUDIT_PAGE_SIZE + 1 - AuditEntry.objects.count()
    if missing > 0:
        AuditEntry.objects.bulk_create(
            (
                AuditEntry(
                    actor_label="bench", action=AuditEntry.Action.READ, object_type="people.person", object_id=str(i), reason="bench: pagina profonda"
                )
                for i in range(missing)
            ),
            batch_size=5000,
        )
    ordering = ["-at", "-pk"]
    last_of_previous = AuditEntry.objects.order_by(*ordering)[(DEEP_PAGE - 1) * AUDIT_PAGE_SIZE - 1]
    url = reverse("privacy:audit")
    first, status = measure(client, url, n)
    if first is None:
        raise SystemExit(f"the audit log answered {status}")
    deep, _ = measure(client, url + "?cursore=" + keyset_cursor(last_of_previous, ordering), n)
    return url, first, deep, AuditEntry.objects.count()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=50_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the synthetic city already in BENCH_DATABASE_URL (made by an earlier run or generate_city) instead of generating it",
    )
    parser.add_argument("--report", default="pages", help="the name of the JSON report under var/bench/")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    if not (args.reuse and synthetic_users().exists()):
        call_command("generate_city", residents=args.residents, years=args.years, seed=args.seed, stdout=io.StringIO())
    generate_s = time.perf_counter() - t0
    rows = {model._meta.label: model.objects.count() for model in COUNTED}

    settings.ROOT_URLCONF = __name__
    users = accounts()
    args_of = url_args(users[Role.WORKER])
    results, notes = [], []
    floor_ms = None
    for figure, role, name, query in [
        ("floor: bare view, logged in", Role.WORKER, "bench_floor", ""),
        ("health check /salute/", None, "health", ""),
        ("layout alone (no content, signed in)", Role.WORKER, "bench_layout", ""),
    ] + PAGES:
        try:
            url = reverse(name, args=args_of.get(name)) + query
        except NoReverseMatch:
            notes.append(f"{figure}: skipped, no URL named {name} (or no record to show)")
            continue
        timing, status = measure(client_for(users[role]), url, args.requests, before=figures.forget if figure in COLD else lambda: None)
        if timing is None:
            notes.append(f"{figure}: skipped, {url} answered {status}")
            continue
        if floor_ms is None:
            floor_ms = timing["median"]
        results.append(
            {
                "figure": figure,
                "url": url,
                "median_ms": round(timing["median"], 2),
                "p95_ms": round(timing["p95"], 2),
                "cpu_ms": round(timing["cpu"], 2),
                "cpu_p95_ms": round(timing["cpu_p95"], 2),
                "queries": timing["queries"],
                "bytes": timing["bytes"],
                "ratio_to_floor": round(timing["median"] / floor_ms, 1),
                "budget_ms": (budget_of(figure) or (None,))[0],
                "over_budget": over_budget(figure, timing["cpu"], timing["queries"]),
            }
        )

    audit_url, first, deep, audit_rows = deep_page(client_for(users[Role.COORDINATOR]), args.requests)
    for figure, timing in (
        (f"coordinator: audit log page 1 of {audit_rows} entries", first),
        (f"coordinator: audit log page {DEEP_PAGE:,} (keyset)", deep),
    ):
        results.append(
            {
                "figure": figure,
                "url": audit_url,
                "median_ms": round(timing["median"], 2),
                "p95_ms": round(timing["p95"], 2),
                "cpu_ms": round(timing["cpu"], 2),
                "cpu_p95_ms": round(timing["cpu_p95"], 2),
                "queries": timing["queries"],
                "bytes": timing["bytes"],
                "ratio_to_floor": round(timing["median"] / floor_ms, 1),
                "budget_ms": BUDGETS["page"][0],
                "over_budget": over_budget(figure, timing["cpu"], timing["queries"]),
            }
        )
    deep_ratio = round(deep["median"] / first["median"], 2)

    report = {
        **common.header("pages", connection.vendor),
        "dataset": {"residents": args.residents, "years": args.years, "seed": args.seed, "rows": rows},
        "generate_city_s": round(generate_s, 1),
        "requests_per_page": args.requests,
        "figures": [
            {
                "figure": f"{r['figure']} {stat}",
                "value": r[f"{stat}_ms"],
                "unit": "ms",
                "ratio_to_floor": round(r[f"{stat}_ms"] / floor_ms, 1),
                "url": r["url"],
                "queries": r["queries"],
            }
            for r in results
            for stat in ("median", "p95")
        ],
        "deep_page": {
            "list": "privacy:audit",
            "page": DEEP_PAGE,
            "page_size": AUDIT_PAGE_SIZE,
            "rows": audit_rows,
            "first_median_ms": round(first["median"], 2),
            "deep_median_ms": round(deep["median"], 2),
            "ratio_deep_to_first": deep_ratio,
        },
        "pages": results,
        "over_budget": [r["figure"] for r in results if r["over_budget"]],
        "notes": notes,
    }
    common.write_report(args.report, report)

    print(
        f"dataset: {args.residents} residents, {args.years} years, {sum(rows.values())} rows, {connection.vendor}, "
        f"generated in {generate_s:.1f} s, rev {report['git_revision']}"
    )
    print(f"{'page':60} {'median':>8} {'p95':>8} {'cpu':>8} {'cpu p95':>8} {'budget':>7} {'queries':>7} {'bytes':>8}")
    for r in results:
        budget = "-" if r["budget_ms"] is None else f"{r['budget_ms']:g}"
        flag = "  OVER" if r["over_budget"] else ""
        times = f"{r['median_ms']:8.2f} {r['p95_ms']:8.2f} {r['cpu_ms']:8.2f} {r['cpu_p95_ms']:8.2f}"
        print(f"{r['figure']:60} {times} {budget:>7} {r['queries']:7} {r['bytes']:8}{flag}")
    print(f"deep page: audit log page {DEEP_PAGE:,} costs x{deep_ratio} of page 1 ({audit_rows} entries, keyset pagination)")
    for note in notes:
        print("note:", note)
    print(f"pages over budget: {len(report['over_budget'])} of {sum(r['budget_ms'] is not None for r in results)}")
    for figure in report["over_budget"]:
        print("  over budget:", figure)


if __name__ == "__main__":
    main()
