"""The engine code and the results module never reach the search service, not even through
imports inside functions: the service depends on them, never the other way round."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _file(module: str) -> tuple[Path | None, bool]:
    path = ROOT / (module.replace(".", "/") + ".py")
    if path.exists():
        return path, False
    path = ROOT / module.replace(".", "/") / "__init__.py"
    return (path, True) if path.exists() else (None, False)


def _imports(module: str) -> set[str]:
    path, package = _file(module)
    if path is None:
        return set()
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                parts = module.split(".")
                base = parts[: len(parts) - node.level + (1 if package else 0)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            candidates = [target] + [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found |= {c for c in candidates if c.startswith("search") and _file(c)[0]}
    return found


def _reachable(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo += _imports(module)
    return seen


@pytest.mark.parametrize(
    "start", ["search.es.service", "search.es.sync", "search.es.client", "search.results"]
)
def test_never_reaches_the_service_or_the_backend_switch(start):
    reached = _reachable(start)
    assert "search.service" not in reached
    assert "search.backends" not in reached
