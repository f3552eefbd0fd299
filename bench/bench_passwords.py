"""What one sign-in's password hash costs: Trama's Argon2id parameters against Django's defaults.

Run: .venv/bin/python bench/bench_passwords.py [--hashes 20]
Hashes the same password `--hashes` times with each hasher, through Django's own `make_password`
(so the figure is what a sign-in or a password change pays), and prints the median per hash and
the ratio. Writes var/bench/passwords.json.
"""

import argparse
import statistics
import time

import common  # noqa: E402

common.scratch_django()

from django.contrib.auth.hashers import Argon2PasswordHasher, make_password  # noqa: E402

from trama.people.hashers import Argon2Hasher  # noqa: E402

HASHERS = {
    "trama (argon2id m=19 MiB t=2 p=1)": "trama.people.hashers.Argon2Hasher",
    "django default (argon2id m=100 MiB t=2 p=8)": "django.contrib.auth.hashers.Argon2PasswordHasher",
}


def median_ms(hasher, n):
    timings = []
    for _ in range(n):
        t0 = time.perf_counter()
        make_password("Una-password-lunga-2026", hasher=hasher)
        timings.append((time.perf_counter() - t0) * 1000)
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hashes", type=int, default=20)
    args = parser.parse_args()
    # The two are told apart by their parameters, not their name (both are "argon2").
    assert (Argon2Hasher.memory_cost, Argon2Hasher.parallelism) != (Argon2PasswordHasher.memory_cost, Argon2PasswordHasher.parallelism)
    figures = {}
    for label, path in HASHERS.items():
        from django.utils.module_loading import import_string

        hasher = import_string(path)()
        median_ms(hasher, 2)  # warm-up
        figures[label] = round(median_ms(hasher, args.hashes), 1)
    trama_ms, django_ms = figures.values()
    report = {**common.header("passwords"), "hashes": args.hashes, "median_ms": figures, "ratio_django_to_trama": round(django_ms / trama_ms, 2)}
    common.write_report("passwords", report)
    for label, ms in figures.items():
        print(f"{label:48} {ms:8.1f} ms per hash (median of {args.hashes})")
    print(f"Django's defaults cost x{report['ratio_django_to_trama']} of Trama's parameters")


if __name__ == "__main__":
    main()
