"""Run every test pass of `make test` and say, in the last lines, what ran and what did not.

Passes, in order (each one runs even when an earlier one failed, so one red pass never
hides the others):

1. **sqlite**: everything except the browser and OpenSearch suites, on SQLite;
2. **browser**: headless Chromium against a live server (opt out with DSS_SKIP_BROWSER=1);
3. **postgres**: the database-backed integration tests again, when PostgreSQL answers at
   PG_TEST_URL (required when REQUIRE_POSTGRES=1, as in CI), except the few marked
   ``sqlite_only``: scale tests of plain Python whose database work the faster tests
   already cover on PostgreSQL;
4. **opensearch**: the search behaviour suite against a live node at OPENSEARCH_URL
   (required when REQUIRE_OPENSEARCH=1, as in CI; `make opensearch-start` starts one);
5. **s3**: media storage and backup against a real S3-compatible server (S3Proxy, started
   by the tests themselves with Java and Maven; opt out with DSS_SKIP_S3=1);
6. **stack**: the production stack (nginx, gunicorn, task workers, Redis, PostgreSQL)
   started by scripts/stack.sh on loopback (opt out with DSS_SKIP_STACK=1).
7. **exchange**: three instances of the project as real processes (runserver, own SQLite
   databases) harvesting, pushing bundles and reports, pulling reference data (opt out
   with DSS_SKIP_EXCHANGE=1).

The last line is "Total: N passed, N failed, N skipped" over all passes that ran. Extra
arguments are handed to every pass (for example `-x` or `-k lunar`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_URL = os.environ.get("PG_TEST_URL", "postgres://postgres@127.0.0.1:5432/dss")
OS_URL = os.environ.get("OPENSEARCH_URL", "http://127.0.0.1:9200")
CHROMIUM = os.environ.get("DSS_CHROMIUM", "/usr/bin/chromium")
# The suites with a pass of their own are left out of the database passes.
UNIT_AND_INTEGRATION = "not browser and not opensearch and not s3 and not stack and not exchange"


@dataclass
class Pass:
    name: str
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    exit_code: int = 0


def flag(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0")


def postgres_answers() -> bool:
    probe = [PYTHON, str(ROOT / "scripts" / "pg_ready.py"), PG_URL]
    return subprocess.run(probe, check=False).returncode == 0


def opensearch_answers() -> bool:
    try:
        with urllib.request.urlopen(f"{OS_URL}/_cluster/health", timeout=5) as answer:
            return answer.status == 200
    except OSError:
        return False


def chromium_starts() -> str | None:
    """Start Chromium for real and render a page; returns why it failed, or None."""
    if not os.path.exists(CHROMIUM):
        return f"Chromium not found at {CHROMIUM}"
    argv = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={tempfile.mkdtemp(prefix='dss-chromium-')}",
        "--dump-dom",
        "data:text/html,<p id=ok>chromium-started</p>",
    ]
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"Chromium did not start: {exc}"
    if "chromium-started" not in out.stdout:
        return f"Chromium did not render a page: {out.stderr.strip()[-300:]}"
    return None


def count(report: Path, run: Pass) -> None:
    if not report.exists():
        return
    root = ET.parse(report).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    for suite in suites:
        tests, skipped = int(suite.get("tests", 0)), int(suite.get("skipped", 0))
        failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        run.failed += failed
        run.skipped += skipped
        run.passed += tests - failed - skipped


def execute(run: Pass, reports: Path) -> None:
    report = reports / f"{run.name}.xml"
    print(f"\n=== {run.name} pass: pytest {' '.join(run.args)}", flush=True)
    started = time.monotonic()
    argv = [PYTHON, "-m", "pytest", f"--junitxml={report}", *run.args, *sys.argv[1:]]
    code = subprocess.run(argv, cwd=ROOT, env={**os.environ, **run.env}, check=False).returncode
    run.seconds = time.monotonic() - started
    # pytest exits 5 when nothing was collected: a pass that ran no test is a failure here.
    run.exit_code = code
    count(report, run)
    if code == 5 or (code == 0 and run.passed == 0):
        run.exit_code = 1
        run.failed += 1
        print(f"{run.name} pass collected no test", flush=True)


def plan() -> tuple[list[Pass], list[str], list[str]]:
    """The passes to run, what is not run (and why), and what is required but missing."""
    passes = [Pass("sqlite", ["-m", UNIT_AND_INTEGRATION])]
    not_run: list[str] = []
    broken: list[str] = []

    if flag("DSS_SKIP_BROWSER"):
        not_run.append("browser: skipped because DSS_SKIP_BROWSER=1")
    elif reason := chromium_starts():
        broken.append(f"browser: {reason} (set DSS_SKIP_BROWSER=1 to run without it)")
    else:
        passes.append(Pass("browser", ["-m", "browser"]))

    if postgres_answers():
        postgres = Pass(
            "postgres",
            ["-m", f"{UNIT_AND_INTEGRATION} and not sqlite_only", "tests/integration"],
            {"DATABASE_URL": PG_URL},
        )
        passes.append(postgres)
    elif flag("REQUIRE_POSTGRES"):
        broken.append(f"postgres: required (REQUIRE_POSTGRES=1) but nothing answers at {PG_URL}")
    else:
        not_run.append(
            f"postgres: no server at {PG_URL} "
            "(sudo apt-get install postgresql, then createdb -h 127.0.0.1 -U postgres dss)"
        )

    if opensearch_answers():
        passes.append(Pass("opensearch", ["-m", "opensearch"], {"OPENSEARCH_URL": OS_URL}))
    elif flag("REQUIRE_OPENSEARCH"):
        broken.append(f"opensearch: required (REQUIRE_OPENSEARCH=1) but no node at {OS_URL}")
    else:
        not_run.append(f"opensearch: no node at {OS_URL} (make opensearch-start starts one)")

    if flag("DSS_SKIP_S3"):
        not_run.append("s3: skipped because DSS_SKIP_S3=1")
    elif shutil.which("java") and shutil.which("mvn"):
        passes.append(Pass("s3", ["-m", "s3", "tests/s3"]))
    else:
        broken.append("s3: Java and Maven are needed to fetch S3Proxy (set DSS_SKIP_S3=1)")

    if flag("DSS_SKIP_STACK"):
        not_run.append("stack: skipped because DSS_SKIP_STACK=1")
    else:
        passes.append(Pass("stack", ["-m", "stack", "tests/stack"]))

    if flag("DSS_SKIP_EXCHANGE"):
        not_run.append("exchange: skipped because DSS_SKIP_EXCHANGE=1")
    else:
        passes.append(Pass("exchange", ["-m", "exchange", "tests/integration/exchange"]))
    return passes, not_run, broken


def main() -> int:
    passes, not_run, broken = plan()
    for line in broken:
        print(f"NOT AVAILABLE {line}", flush=True)
    with tempfile.TemporaryDirectory(prefix="dss-test-reports-") as folder:
        for run in passes:
            execute(run, Path(folder))

    print("\n=== make test summary")
    for run in passes:
        verdict = "ok" if run.exit_code == 0 else f"FAILED (exit {run.exit_code})"
        print(
            f"{run.name:<11} {run.passed:>5} passed {run.failed:>4} failed "
            f"{run.skipped:>4} skipped {run.seconds:>7.0f} s  {verdict}"
        )
    for line in broken:
        print(f"not run, and required: {line}")
    for line in not_run:
        print(f"not run: {line}")
    totals = [sum(getattr(run, key) for run in passes) for key in ("passed", "failed", "skipped")]
    failed = totals[1] + len(broken)
    print(f"Total: {totals[0]} passed, {failed} failed, {totals[2]} skipped")
    return 0 if failed == 0 and all(run.exit_code == 0 for run in passes) else 1


if __name__ == "__main__":
    sys.exit(main())
