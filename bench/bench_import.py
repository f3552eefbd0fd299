"""Importing a long list: 20,000 associations previewed, then confirmed, on a scratch database.

Run: .venv/bin/python bench/bench_import.py [--rows 20000] [--kind people]
With --kind people the list is the time bank's members of trama/imports/people_samples.py (each person created
with her consents collected on paper) and the report is var/bench/import-people.json.
Builds the sample list of trama/imports/samples.py at the given size (an XLSX, as a coordinator would
upload it), previews it (`imports.services.preview`: every row read, checked and saved in a
transaction that is rolled back), then imports it as the background task does (`services.execute`,
500 rows per transaction, each row through people's service with its audit entry and the undo log),
then previews it again (every row "invariato"). The target (issue 14): the confirmed import under 60 s
on SQLite; the CPU time is compared with it (the machine may be shared), and a miss is printed.
On BENCH_DATABASE_URL (a scratch PostgreSQL database) or a scratch SQLite file.
Writes var/bench/import.json.
"""

import argparse
import time

import common  # noqa: E402

common.scratch_django(TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from trama.imports import people_samples, samples, services  # noqa: E402
from trama.imports.models import Import  # noqa: E402
from trama.people.models import Organisation, Person, Role, User  # noqa: E402
from trama.territory.models import City, Neighbourhood  # noqa: E402

TARGET_SECONDS = 60


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--kind", choices=["organisations", "people"], default="organisations")
    args = parser.parse_args()
    people = args.kind == "people"
    kind, model, name = (Import.Kind.PEOPLE, Person, "persone.xlsx") if people else (Import.Kind.ORGANISATIONS, Organisation, "associazioni.xlsx")
    call_command("migrate", verbosity=0)
    city = City.objects.create(name="Parma", slug="parma", centre_lat=44.8, centre_lon=10.33)
    for i, name in enumerate(samples.NEIGHBOURHOODS):
        Neighbourhood.objects.create(city=city, name=name, slug=f"q-{i}")
    coordinator = User.objects.create(username="coordinamento", email="c@example.org", role=Role.COORDINATOR, city=city)
    if people:
        data = samples.xlsx(people_samples.members(args.rows), header=people_samples.PEOPLE_HEADER, title="Soci")
    else:
        data = samples.xlsx(samples.associations(args.rows))

    started = time.perf_counter()
    run = services.preview(kind=kind, name=name, data=data, city=city, by=coordinator)
    preview_s = time.perf_counter() - started
    assert run.counts["new"] == args.rows, run.counts

    started, cpu = time.perf_counter(), time.process_time()
    services.execute(run)
    import_s, import_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert model.objects.count() == args.rows

    started = time.perf_counter()
    again = services.preview(kind=kind, name=name, data=data, city=city, by=coordinator)
    again_s = time.perf_counter() - started
    assert again.counts["same"] == args.rows, again.counts

    report = {
        **common.header("import", connection.vendor),
        "kind": args.kind,
        "rows": args.rows,
        "preview_seconds": round(preview_s, 1),
        "import_seconds": round(import_s, 1),
        "import_cpu_seconds": round(import_cpu, 1),
        "reimport_preview_seconds": round(again_s, 1),
        "target_seconds": TARGET_SECONDS,
    }
    path = common.write_report("import-people" if people else "import", report)
    print(
        f"{args.rows} rows of {args.kind} on {connection.vendor}: preview {preview_s:.1f} s, "
        f"import {import_s:.1f} s ({import_cpu:.1f} s of CPU; target < {TARGET_SECONDS} s), "
        f"preview of the same file again {again_s:.1f} s → {path}"
    )
    if import_cpu >= TARGET_SECONDS:
        # Said, not failed: `make bench` runs the benchmarks after this one too (docs/benchmarks.md has the gap).
        print(f"ABOVE TARGET: the import took {import_cpu:.1f} s of CPU, the target is {TARGET_SECONDS} s")


if __name__ == "__main__":
    main()
