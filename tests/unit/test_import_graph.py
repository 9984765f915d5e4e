"""The house rules of the app layer, read from the source with the standard library's ``ast``.

The apps form a straight line, each using only those below it::

    demo -> heritage (site shell) -> search -> archive (catalogue) -> media_pipeline -> core

(the demo may use them all; nothing uses the demo; the shell may also use the catalogue
directly, and search may use media). Where a lower app needs a decision from a higher one
it defines a small policy hook that the higher app fills in its ``AppConfig.ready()``
(``media_pipeline/policy.py``, ``archive/shell.py``; see docs/architecture.md).

Every ``.py`` file of the apps is parsed, imports inside functions included, relative
imports resolved. The checks fail on any cycle between apps, on the media core importing
Django or any app, on ``archive`` importing ``heritage``, on ``media_pipeline`` importing
``search``, on any import up the line and on any use of the demo; the message lists the
import chain at fault, file and line.
"""

from __future__ import annotations

import ast
import itertools
import os
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("archive", "media_pipeline", "search", "heritage", "demo")
CORE = "media_pipeline.core"
# The line, top to bottom: an app may import only apps after it in this list.
LINE = ("demo", "heritage", "search", "archive", "media_pipeline")
# Third-party packages that bring Django with them (the core must use none of them).
FRAMEWORK_ROOTS = {
    "django",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "modeltranslation",
    "wagtail_modeltranslation",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "dj_database_url",
}


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module (the longest known module name when internal)
    path: str  # file of the importing module, relative to the repository
    line: int

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}  ({self.path}:{self.line})"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_of(module: str) -> str:
    return module.split(".", 1)[0]


def imported_names(module: str, source: str, *, is_package: bool) -> list[tuple[str, int]]:
    """Every name an import statement in ``source`` may load, at any depth of the file.

    ``from x import y`` yields both ``x`` and ``x.y`` (``y`` may be a submodule); relative
    imports are resolved against ``module``.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            found.append((base, node.lineno))
            found.extend((f"{base}.{alias.name}", node.lineno) for alias in node.names)
    return found


def collect(sources: dict[str, tuple[str, str, bool]]) -> list[Import]:
    """``sources``: module -> (path, text, is_package). Returns the imports, de-duplicated."""
    imports: dict[tuple[str, str], Import] = {}
    for module, (path, text, is_package) in sources.items():
        for name, line in imported_names(module, text, is_package=is_package):
            target = name
            while target not in sources and "." in target:
                target = target.rsplit(".", 1)[0]
            if target not in sources:
                target = name  # outside the apps: keep the full name
            if target != module and (module, target) not in imports:
                imports[(module, target)] = Import(module, target, path, line)
    return sorted(imports.values(), key=lambda i: (i.path, i.line, i.target))


def project_sources(root: Path = ROOT) -> dict[str, tuple[str, str, bool]]:
    sources = {}
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            rel = str(path.relative_to(root))
            sources[module_name(path, root)] = (
                rel,
                path.read_text(encoding="utf-8"),
                path.name == "__init__.py",
            )
    return sources


def app_cycles(imports: list[Import]) -> list[str]:
    """One message per cycle between apps, naming each hop's imports."""
    edges: dict[str, dict[str, list[Import]]] = defaultdict(lambda: defaultdict(list))
    for imp in imports:
        a, b = app_of(imp.source), app_of(imp.target)
        if a != b and a in APPS and b in APPS:
            edges[a][b].append(imp)
    messages, seen = [], set()

    def walk(start: str, node: str, chain: list[str]) -> None:
        for nxt in sorted(edges[node]):
            if nxt == start:
                cycle = [*chain, start]
                key = frozenset(itertools.pairwise(cycle))
                if key not in seen:
                    seen.add(key)
                    hops = []
                    for a, b in itertools.pairwise(cycle):
                        hops.extend(f"    {imp}" for imp in edges[a][b][:3])
                        if len(edges[a][b]) > 3:
                            hops.append(f"    ... and {len(edges[a][b]) - 3} more {a} -> {b}")
                    messages.append(" -> ".join(cycle) + "\n" + "\n".join(hops))
            elif nxt not in chain:
                walk(start, nxt, [*chain, nxt])

    for app in APPS:
        walk(app, app, [app])
    return messages


def forbidden(imports: list[Import], source_prefix: str, target_roots: set[str]) -> list[Import]:
    return [
        imp
        for imp in imports
        if (imp.source == source_prefix or imp.source.startswith(source_prefix + "."))
        and app_of(imp.target) in target_roots
    ]


def core_impurities(imports: list[Import]) -> list[Import]:
    bad = []
    for imp in forbidden(imports, CORE, FRAMEWORK_ROOTS | set(APPS)):
        if imp.target != CORE and not imp.target.startswith(CORE + "."):
            bad.append(imp)
    return bad


def _explain(title: str, found) -> str:
    return title + ":\n" + "\n".join(f"  {item}" for item in found)


# ---------------------------------------------------------------------------
# The project's own tree

IMPORTS = collect(project_sources())


def test_the_parser_sees_the_whole_tree():
    # A sanity check that the walk found the apps and their imports inside functions.
    sources = {app_of(i.source) for i in IMPORTS}
    assert set(APPS) <= sources
    assert any(
        i.target == "media_pipeline.signals" and i.source == "search.signal_handlers"
        for i in IMPORTS
    )


def test_no_cycle_between_apps():
    cycles = app_cycles(IMPORTS)
    assert not cycles, _explain("Apps import each other in a circle", cycles)


def test_media_core_imports_neither_django_nor_any_app():
    bad = core_impurities(IMPORTS)
    assert not bad, _explain("media_pipeline/core must stay plain Python", bad)


def test_archive_does_not_import_heritage():
    bad = forbidden(IMPORTS, "archive", {"heritage"})
    assert not bad, _explain(
        "The catalogue must not import the site shell (register a hook in heritage's ready())",
        bad,
    )


def test_media_pipeline_does_not_import_search():
    bad = forbidden(IMPORTS, "media_pipeline", {"search"})
    assert not bad, _explain(
        "media_pipeline must not import search (search listens to media_pipeline.signals)", bad
    )


def upward(imports: list[Import]) -> list[Import]:
    """Imports from an app to one above it on the line (the hooks exist for those)."""
    rank = {app: i for i, app in enumerate(LINE)}
    return [
        imp
        for imp in imports
        if app_of(imp.source) in rank
        and app_of(imp.target) in rank
        and rank[app_of(imp.target)] < rank[app_of(imp.source)]
    ]


def test_each_app_uses_only_apps_below_it_on_the_line():
    bad = upward(IMPORTS)
    assert not bad, _explain(
        "Imports up the line " + " -> ".join(LINE) + " (use a hook filled in ready())", bad
    )


def test_nothing_uses_the_demo():
    bad = [i for i in IMPORTS if app_of(i.target) == "demo" and app_of(i.source) != "demo"]
    assert not bad, _explain("No app may import the demo", bad)


def test_media_core_loads_no_django_at_run_time():
    """The same promise, checked by importing the core in a fresh interpreter."""
    code = (
        "import sys, media_pipeline.core, media_pipeline.core.process;"
        "import media_pipeline.core.captions, media_pipeline.core.images;"
        "import media_pipeline.core.filenames;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'wagtail')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---------------------------------------------------------------------------
# The checker itself, on small made-up trees


def _tree(files: dict[str, str]) -> list[Import]:
    sources = {}
    for rel, text in files.items():
        path = Path(rel)
        sources[module_name(path, Path("."))] = (rel, text, path.name == "__init__.py")
    return collect(sources)


def test_checker_finds_a_cycle_through_an_import_inside_a_function():
    imports = _tree(
        {
            "archive/__init__.py": "",
            "archive/models.py": "def f():\n    from media_pipeline.views import x\n",
            "media_pipeline/__init__.py": "",
            "media_pipeline/views.py": "from .access import y\n",
            "media_pipeline/access.py": "import archive.models\n",
        }
    )
    cycles = app_cycles(imports)
    assert len(cycles) == 1
    assert cycles[0].startswith("archive -> media_pipeline -> archive")
    assert "archive.models -> media_pipeline.views  (archive/models.py:2)" in cycles[0]
    assert "media_pipeline.access -> archive.models  (media_pipeline/access.py:1)" in cycles[0]


def test_checker_resolves_relative_imports_and_flags_an_impure_core():
    imports = _tree(
        {
            "media_pipeline/__init__.py": "",
            "media_pipeline/models.py": "",
            "media_pipeline/core/__init__.py": "from . import sniff\n",
            "media_pipeline/core/sniff.py": (
                "from .errors import E\nfrom ..models import M\nimport django.conf\n"
            ),
            "media_pipeline/core/errors.py": "E = 1\n",
        }
    )
    bad = {(i.source, i.target) for i in core_impurities(imports)}
    assert bad == {
        ("media_pipeline.core.sniff", "media_pipeline.models"),
        ("media_pipeline.core.sniff", "django.conf"),
    }


def test_checker_flags_a_forbidden_direction():
    imports = _tree(
        {
            "archive/__init__.py": "",
            "archive/views.py": "def v():\n    from heritage.page_cache import cache\n",
            "heritage/__init__.py": "",
            "heritage/page_cache.py": "",
        }
    )
    assert [str(i) for i in forbidden(imports, "archive", {"heritage"})] == [
        "archive.views -> heritage.page_cache  (archive/views.py:2)"
    ]
