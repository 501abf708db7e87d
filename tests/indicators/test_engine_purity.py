"""The engine is pure: no Django, no project module, importable on its own."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "indicators" / "engine"
ALLOWED_STDLIB = {"__future__", "collections", "dataclasses", "decimal", "functools", "json", "re", "typing"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_engine_modules_import_only_the_standard_library():
    offenders = {p.name: _imports(p) - ALLOWED_STDLIB for p in ENGINE.glob("*.py")}
    assert {name: bad for name, bad in offenders.items() if bad} == {}


def test_engine_imports_without_django():
    code = "import sys, indicators.engine; assert 'django' not in sys.modules, 'django imported'"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ENGINE.parents[1], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
