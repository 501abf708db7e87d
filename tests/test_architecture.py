"""The floors of the code: each app imports only the floors below it, and no module imports itself back.

Every import counts, those inside functions included. The floors, bottom up:

- ``zcpark`` (settings, Celery, root URLs, ``zcpark.core``): what every app shares; it imports no app.
- ``parks``: places, people, roles and the park scope.
- ``indicators``: the accounting engine, factors, schemes, results.
- ``applications``: calls, dossiers, review, construction lists.
- ``evaluation``: construction projects, orders, annual reports, acceptance.
- ``portal``: the pages that gather every app (home, navigation, notifications) and the demo seed.

A lower floor that needs a higher one to act (a published list opens projects) sends a signal.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ["zcpark", "parks", "indicators", "applications", "evaluation", "portal"]


def _modules() -> dict[str, Path]:
    found = {}
    for package in FLOORS:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The project module an import names (a name imported from a module resolves to the module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> set[str]:
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            source = ".".join([*base, *([node.module] if node.module else [])])
            names = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
                for alias in node.names
            ]
        else:
            continue
        targets |= {target for name in names if (target := _resolve(name)) and target != module}
    return targets


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _floor(module: str) -> int:
    return FLOORS.index(module.split(".")[0])


def test_the_graph_sees_the_project():
    assert {"zcpark.core.models", "parks.permissions", "portal.navigation"} <= set(GRAPH)
    assert "parks.models" in GRAPH["parks.permissions"]


def test_each_app_imports_only_the_floors_below_it():
    upward = sorted(
        f"{module} → {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if _floor(target) > _floor(module)
    )
    assert upward == []


def test_no_module_imports_itself_back():
    """No import cycle, however long (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in GRAPH[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    assert cycles == []
