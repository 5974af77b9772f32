"""The domain, store and export code load without the terminal UI, and the light parts
of the store load without the database layer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WALK = """
import importlib, json, pkgutil, sys

found, missing = [], []
for name in ("facilitator.domain", "facilitator.store", "facilitator.export"):
    try:
        package = importlib.import_module(name)
    except ModuleNotFoundError:
        missing.append(name)
        continue
    found.append(name)
    for info in pkgutil.walk_packages(package.__path__, prefix=name + "."):
        importlib.import_module(info.name)
        found.append(info.name)
print(json.dumps({"found": found, "missing": missing, "modules": sorted(sys.modules)}))
"""


def run(code: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def top_level(modules: list[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_domain_store_and_export_do_not_load_the_terminal_ui() -> None:
    result = run(WALK)
    assert "facilitator.domain" in result["found"]
    assert "facilitator.store" in result["found"]
    assert {"facilitator.domain", "facilitator.store"}.isdisjoint(result["missing"])
    for expected in (
        "facilitator.domain.model",
        "facilitator.domain.events",
        "facilitator.domain.commands",
        "facilitator.store.sessionfile",
        "facilitator.store.catalog",
        "facilitator.store.upgrade",
    ):
        assert expected in result["found"]
    loaded = top_level(result["modules"])
    assert "textual" not in loaded
    assert "facilitator.tui" not in result["modules"]


def test_the_catalog_and_errors_do_not_load_the_database_layer() -> None:
    code = (
        "import json, sys\n"
        "import facilitator.store.catalog, facilitator.store.errors\n"
        "print(json.dumps({'modules': sorted(sys.modules)}))\n"
    )
    loaded = top_level(run(code)["modules"])
    assert "sqlalchemy" not in loaded
    assert "sqlmodel" not in loaded
    assert "textual" not in loaded
    assert "pydantic" not in loaded  # loaded only when a vocabulary or question bank is read


def test_the_walk_would_notice_a_heavy_import() -> None:
    """The checks above can fail: the same walk does see what the session file loads."""
    code = "import json, sys\nimport facilitator.store.sessionfile\n" + (
        "print(json.dumps({'modules': sorted(sys.modules)}))\n"
    )
    loaded = top_level(run(code)["modules"])
    assert {"sqlalchemy", "sqlmodel"} <= loaded


def test_history_is_pure_apart_from_its_one_file_module() -> None:
    """Comparing and carrying forward work on session states: no terminal UI, and only
    ``facilitator.history.files`` reaches the session files."""
    code = (
        "import json, sys, importlib, pkgutil\n"
        "import facilitator.history as h\n"
        "prefix = 'facilitator.history.'\n"
        "names = [i.name for i in pkgutil.walk_packages(h.__path__, prefix=prefix)]\n"
        "for name in names:\n"
        "    if name != 'facilitator.history.files':\n"
        "        importlib.import_module(name)\n"
        "print(json.dumps({'found': names, 'modules': sorted(sys.modules)}))\n"
    )
    result = run(code)
    assert "facilitator.history.compare" in result["found"]
    assert "facilitator.history.carry" in result["found"]
    loaded = top_level(result["modules"])
    assert "textual" not in loaded and "sqlalchemy" not in loaded
    assert not any(m.startswith("facilitator.store") for m in result["modules"])


def _imported_names(path: Path) -> set[str]:
    """Every module a source file imports, at the top, in a function or for type checks."""
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_export_never_imports_the_store() -> None:
    """Exports are pure functions of a session: not even a function-level or type-only
    import of the store (the JSON import's writing half lives in the store)."""
    offenders = {
        path.name: sorted(n for n in _imported_names(path) if n.startswith("facilitator.store"))
        for path in sorted((ROOT / "facilitator" / "export").glob("*.py"))
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_domain_loads_without_the_database_layer() -> None:
    code = (
        "import json, sys, importlib, pkgutil\n"
        "import facilitator.domain as d\n"
        "for i in pkgutil.walk_packages(d.__path__, prefix='facilitator.domain.'):\n"
        "    importlib.import_module(i.name)\n"
        "print(json.dumps({'modules': sorted(sys.modules)}))\n"
    )
    loaded = top_level(run(code)["modules"])
    assert not {"sqlalchemy", "sqlmodel", "textual"} & loaded
