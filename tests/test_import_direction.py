"""Dependencies between apps point one way, the way docs/architecture.md draws them.

The chain is read from the document itself, so the drawing and the code cannot part: an app
may import only apps to its left (the ones it builds on); apps in one pair of parentheses are
siblings and do not import one another; notifications, used by all of them, imports only privacy
and background; privacy, used by all, imports only background, which imports none. Every import in
an app's code counts, at the top of a module or inside a function; tests and migrations do not.
A crossing that is known and not yet mended is listed in KNOWN_CROSSINGS with its reason, and
the test fails when it is mended and still listed, so the list only shrinks.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"

# (importing app, imported app): why it is still there. Issue "the house keeps its shape" mends them.
KNOWN_CROSSINGS = {}


def layers():
    """{app: layer} from the chain of docs/architecture.md; notifications below it, privacy below
    notifications, background below privacy (the line after the chain says so)."""
    lines = [line.strip() for line in ARCHITECTURE.read_text().splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("territory ←"))
    chain, below = lines[at], lines[at + 1]
    assert below.startswith("notifications is used by all of them; privacy by all, notifications included; background")
    assert below.endswith("privacy included")
    found = {"background": -2, "privacy": -1, "notifications": 0}
    for depth, step in enumerate(chain.split("←"), start=1):
        for app in re.findall(r"[a-z_]+", step):
            found[app] = depth
    return found


def imports_between_apps(apps):
    """[(importing app, imported app, where)] for every import of one app by another in the apps' code."""
    out = []
    for app in apps:
        for path in sorted((ROOT / "trama" / app).rglob("*.py")):
            if {"tests", "migrations"} & set(path.relative_to(ROOT / "trama" / app).parts):
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                else:
                    continue
                for name in names:
                    parts = name.split(".")
                    if parts[0] == "trama" and len(parts) > 1 and parts[1] in apps and parts[1] != app:
                        out.append((app, parts[1], f"{path.relative_to(ROOT)}:{node.lineno}"))
    return out


def test_the_chain_names_every_app():
    apps = {p.parent.name for p in (ROOT / "trama").glob("*/apps.py")}
    assert set(layers()) == apps


def test_no_app_imports_one_above_it_or_a_sibling():
    layer = layers()
    crossings = [(a, b, where) for a, b, where in imports_between_apps(layer) if layer[b] >= layer[a]]
    unexplained = [c for c in crossings if (c[0], c[1]) not in KNOWN_CROSSINGS]
    assert unexplained == [], "an app imports one above it or beside it: " + "; ".join(f"{a} → {b} at {w}" for a, b, w in unexplained)
    mended = set(KNOWN_CROSSINGS) - {(a, b) for a, b, _where in crossings}
    assert not mended, f"mended, take them off KNOWN_CROSSINGS: {sorted(mended)}"


def template_links_between_apps(apps):
    """[(app, app it draws from, where)] for every template of an app that includes or extends another app's
    template or loads another app's template tags."""
    library_of = {path.stem: path.parent.parent.name for app in apps for path in (ROOT / "trama" / app / "templatetags").glob("*.py")}
    out = []
    for app in apps:
        for path in sorted((ROOT / "trama" / app / "templates").rglob("*.html")):
            text = path.read_text()
            for match in re.finditer(r"{%\s*(?:include|extends)\s+[\"']([a-z_]+)/", text):
                out.append((app, match.group(1), f"{path.relative_to(ROOT)}: {match.group(0)}"))
            for match in re.finditer(r"{%\s*load\s+([^%]+?)\s*%}", text):
                out += [
                    (app, library_of[name], f"{path.relative_to(ROOT)}: {{% load {name} %}}") for name in match.group(1).split() if name in library_of
                ]
    return [(a, b, where) for a, b, where in out if b in apps and b != a]


def test_no_app_template_draws_on_one_above_it_or_a_sibling():
    """A page of a lower app shows what higher apps give through trama.extensions' panels, never by naming
    their templates or template tags."""
    layer = layers()
    crossings = [f"{a} → {b} at {where}" for a, b, where in template_links_between_apps(layer) if layer[b] >= layer[a]]
    assert crossings == []


# Modules of the project below every app, which any app may import: they import no app.
BELOW_EVERY_APP = ("access.py", "aggregates.py", "extensions.py", "formats/__init__.py", "pdf.py", "text.py")


def test_the_modules_below_every_app_import_none():
    apps = set(layers())
    found = []
    for name in BELOW_EVERY_APP:
        path = ROOT / "trama" / name
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for imported in names:
                parts = imported.split(".")
                if parts[0] == "trama" and len(parts) > 1 and parts[1] in apps:
                    found.append(f"trama/{name}:{node.lineno} imports {imported}")
    assert found == [], "; ".join(found)
