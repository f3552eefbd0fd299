"""How passwords are hashed: Argon2id with parameters chosen for a small server.

Django's defaults (100 MiB of memory, 2 passes, 8 lanes) cost about four times these parameters
per sign-in (bench/bench_passwords.py) and 100 MiB each: a hundred people signing in at the start of a morning saturate the
machine, and every other page waits. OWASP's Password Storage Cheat Sheet (2025) gives as
equivalent minimums for Argon2id m=19 MiB t=2 p=1, m=12 MiB t=3 p=1 or m=46 MiB t=1 p=1; we
take the first. An attacker with the database pays the same 19 MiB per guess, which is what
makes Argon2 costly on GPUs. Hashes made with other parameters still verify, and are
rewritten with these at the account's next sign-in (Django's `must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2Hasher(Argon2PasswordHasher):
    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
