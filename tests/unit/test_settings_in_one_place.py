"""Settings live in heritage/settings/: modules read ``settings.X``, never a scattered
``getattr(settings, "X", default)`` or the environment, and every environment variable the
settings read is in the README's settings table."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("archive", "media_pipeline", "search", "heritage", "demo")
SETTINGS_DIR = ROOT / "heritage" / "settings"
# Setting the settings module's default is the standard Django start-up, nothing more.
STARTUP = {ROOT / "manage.py", ROOT / "heritage" / "wsgi.py"}
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list"}


def _app_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if SETTINGS_DIR not in path.parents:
                yield path
    yield ROOT / "manage.py"


def _scattered(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr")
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == "settings"
        ):
            yield node.lineno, ast.unparse(node)
        if path in STARTUP:
            continue
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                yield node.lineno, ast.unparse(node)


def test_modules_read_named_settings_only():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in _app_files()
        for line, text in _scattered(path)
    ]
    assert not found, "Make these named settings in heritage/settings/base.py:\n" + "\n".join(found)


def _env_vars() -> set[str]:
    names = set()
    for path in SETTINGS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ENV_READERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    return names


def test_every_environment_variable_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = " ".join(line for line in section.splitlines() if line.startswith("|"))
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", rows))
    missing = sorted(_env_vars() - documented)
    assert not missing, f"Add to the README settings table: {', '.join(missing)}"
