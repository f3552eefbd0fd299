"""insights composes the figures the other apps give through their queries.py: it never reads their tables.

Each app counts its own rows (its `queries.py`, with `trama.aggregates` for counts per area) and
insights turns those numbers into indicators and open data; a model of another app imported here
would be a table read behind its owner's back.
"""

import ast
from pathlib import Path

import pytest

INSIGHTS = Path(__file__).resolve().parent.parent
COMPOSING = sorted((INSIGHTS / "indicators").glob("*.py")) + [INSIGHTS / "queries.py"]


def other_apps_reads(path):
    """[(line, what)] of the imports of another app's models, and of models looked up by name, in `path`."""
    found = []
    tree = ast.parse(path.read_text(), str(path))
    # Names imported only for the type checker read no table.
    typing_only = {
        id(inner)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
        for inner in ast.walk(block)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.Attribute) and node.attr == "get_model":
            found.append((node.lineno, "get_model"))
            continue
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] == "trama" and len(parts) > 2 and parts[2] == "models" and parts[1] != "insights":
                found.append((node.lineno, module))
                break
    return found


@pytest.mark.parametrize("path", COMPOSING, ids=lambda p: str(p.relative_to(INSIGHTS)))
def test_insights_reads_other_apps_only_through_their_queries(path):
    assert other_apps_reads(path) == []


def test_the_scan_sees_a_model_import(tmp_path):
    """The check above can fail: both spellings of an import of a model, and a lookup by name; an import
    for the type checker alone is not a read."""
    source = tmp_path / "g9.py"
    source.write_text(
        "from trama.market.models import Need\n"
        "from trama.people import models\n"
        "import trama.themes.models\n"
        "from trama.insights.models import Report\n"
        "from trama.market.queries import has_contributions\n"
        "apps.get_model('market', 'Offer')\n"
        "if TYPE_CHECKING:\n"
        "    from trama.territory.models import City\n"  # a name for the type checker reads no table
    )
    assert [line for line, _what in other_apps_reads(source)] == [1, 2, 3, 6]
