"""Demo accounts, one per role, for `manage.py load_demo` and `make run`.

Passwords are generated once, kept in var/demo-accounts.json (never in the
repository) and reused, so loading the demo twice changes nothing.
"""

import json
import secrets

from django.conf import settings

from .models import Role, User

DEMO_ACCOUNTS = [
    # username, role, first name, last name
    ("coordinatrice", Role.COORDINATOR, "Carla", "Coordinatrice (demo)"),
    ("operatore", Role.WORKER, "Omar", "Operatore (demo)"),
    ("partner", Role.PARTNER, "Paola", "Partner (demo)"),
    ("antenna", Role.ANTENNA, "Anna", "Farmacista (demo)"),
    ("cittadino", Role.CITIZEN, "Carlo", "Cittadino (demo)"),
]
SCOPED_DEMO_NEIGHBOURHOODS = ["san-leonardo", "pablo"]


def _passwords():
    path = settings.VAR_DIR / "demo-accounts.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    changed = False
    for username, *_ in DEMO_ACCOUNTS:
        if username not in stored:
            stored[username] = "demo-" + secrets.token_urlsafe(9)
            changed = True
    if changed:
        path.write_text(json.dumps(stored, indent=2))
        path.chmod(0o600)
    return stored


def create_demo_accounts(city):
    """Create the missing demo accounts of `city`; return [(username, role label, password)]."""
    passwords = _passwords()
    scope = list(city.neighbourhoods.filter(slug__in=SCOPED_DEMO_NEIGHBOURHOODS))
    if not scope:
        scope = list(city.neighbourhoods.filter(is_pilot=True)[:1])
    rows = []
    for username, role, first_name, last_name in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                email=f"{username}@demo.trama.invalid",
                password=passwords[username],
                role=role,
                first_name=first_name,
                last_name=last_name,
                city=city,
            )
            if role in (Role.WORKER, Role.ANTENNA):
                user.neighbourhoods.set(scope)
        rows.append((username, str(Role(role).label), passwords[username]))
    return rows
