"""The shared in-memory copy of the search index against the per-process build, same run.

    .venv/bin/python bench/search_shared.py                 # SQLite bench database (100k)
    .venv/bin/python bench/search_shared.py --db postgres

Uses the database bench/search.py loads and indexes (``/tmp/dss_bench.sqlite3`` or
PostgreSQL ``dss_bench``; run that first). Every figure comes from a process of its own:

- **baseline**: one process builds its own copy as before (``DSS_SEARCH_MEMORY_DIR=""``):
  build time, arrays, peak RSS of the build, PSS afterwards;
- **shared build**: ``search.memory.index.share()`` (what ``update_index`` runs) writes the
  copy into files: build time, arrays, peak RSS of the build;
- **4 web processes** started after it: time from process start to the first answer
  (anonymous, "lễ hội" + group), then the PSS of the mapped copy's files summed over the 4,
  and their private growth (access masks and the like);
- **first search after a publish**, in one web process, 5 times each: a record's document is
  touched and the token replaced (what a record save does, ``search.cache.bump``), then the
  next search; "before" = the same with the access masks dropped, i.e. the gate's whole id
  list re-read, as every process did after every publish before this change.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SQLITE_PATH = Path("/tmp/dss_bench.sqlite3")
PG_URL = "postgres://postgres@127.0.0.1:5432/dss_bench"

CHILD_SETUP = """
import json, os, sys, time
sys.path[:] = [{root!r}] + [p for p in sys.path if not p.endswith("/bench")]
import django
django.setup()
from pathlib import Path
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
# The answer cache stays on (its default lifetime is also how long an access mask is
# trusted); every edit below replaces the index token, so no answer timed comes from it.
settings.SEARCH_MEMORY_DIR = {shared_dir!r}  # the test settings' own folder is per process
settings.SEARCH_MEMORY_INLINE_BUILD_LIMIT = 10**9  # build in the request, as warm() does

def status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
def say(**values):
    print("RESULT " + json.dumps(values), flush=True)
"""

BUILD = """
from search.memory import index as memory_index
import gc
gc.collect()
before = status("VmRSS")
Path("/proc/self/clear_refs").write_text("5")
started = time.perf_counter()
if {shared}:
    memory_index.share()
    snap = memory_index.index_for_connection().snapshot
else:
    snap = memory_index.warm()
seconds = time.perf_counter() - started
gc.collect()
say(seconds=seconds, arrays_mb=snap.nbytes / 2**20, rss_before=before,
    rss_peak=status("VmHWM"), rss_after=status("VmRSS"), generation=snap.generation)
"""

WEB = """
from search.service import search
from search.memory import index as memory_index
say(ready_s=time.time() - {started})
answer = search("lễ hội", {{"group": ["tay"]}}, AnonymousUser())
snap = memory_index.snapshot()
say(first_answer_s=time.time() - {started}, count=answer.count, generation=snap.generation)
for line in sys.stdin:
    command = line.strip()
    if command == "edit" or command == "edit-old":
        from django.utils import timezone
        from search.cache import bump
        from search.models import SearchDocument
        pk = SearchDocument.objects.order_by("?").values_list("pk", flat=True).first()
        bump([pk])
        if command == "edit-old":
            memory_index.forget_masks()  # the gate's whole id list, as before
        started_ms = time.perf_counter()
        search("lễ hội", {{"group": ["tay"]}}, AnonymousUser())
        say(ms=(time.perf_counter() - started_ms) * 1000)
    else:
        say(pid=os.getpid())
"""


def child_env(db: str, shared_dir: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DSS_", "DJANGO_"))}
    env["DJANGO_SETTINGS_MODULE"] = "heritage.settings.testing"
    env["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}" if db == "sqlite" else PG_URL
    env["DSS_SEARCH_MEMORY_DIR"] = shared_dir
    env["PYTHONPATH"] = str(ROOT)
    return env


def child_script(body: str, env: dict, **values) -> str:
    setup = CHILD_SETUP.format(root=str(ROOT), shared_dir=env["DSS_SEARCH_MEMORY_DIR"])
    return setup + body.format(**values)


def run_once(body: str, env: dict, **values) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", child_script(body, env, **values)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return _result(done.stdout.splitlines())


def _result(lines) -> dict:
    for line in lines:
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"no result in {lines!r}")


class Web:
    def __init__(self, env):
        self.started = time.time()
        script = child_script(WEB, env, started=self.started)
        self.process = subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.ready = self.read()

    def read(self) -> dict:
        while True:
            line = self.process.stdout.readline()
            if not line:
                sys.exit("a web process ended early")
            if line.startswith("RESULT "):
                return json.loads(line[7:])

    def ask(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.read()

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def pss_mb(pid: int, folder: str) -> tuple[float, float]:
    """(PSS of the mappings of files under ``folder``, PSS of everything), in MB."""
    copy = total = 0
    path = None
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and len(fields) >= 5 and not fields[0].endswith(":"):
            path = fields[5] if len(fields) > 5 else ""
        elif fields and fields[0] == "Pss:":
            kb = int(fields[1])
            total += kb
            if path and path.startswith(folder):
                copy += kb
    return copy / 1024, total / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args(argv)

    shared = tempfile.mkdtemp(prefix="dss-search-copy-")
    print("baseline: one process builds its own copy ...", file=sys.stderr, flush=True)
    baseline = run_once(BUILD, child_env(args.db, ""), shared=False)
    print("shared: building the copy into files ...", file=sys.stderr, flush=True)
    built = run_once(BUILD, child_env(args.db, shared), shared=True)

    print(f"starting {args.processes} web processes ...", file=sys.stderr, flush=True)
    webs = []
    try:
        for _ in range(args.processes):
            web = Web(child_env(args.db, shared))
            web.first = web.read()
            webs.append(web)
        pids = [web.ask("pid")["pid"] for web in webs]
        pss = [pss_mb(pid, shared) for pid in pids]
        edits_new = [webs[0].ask("edit")["ms"] for _ in range(args.edits)]
        edits_old = [webs[0].ask("edit-old")["ms"] for _ in range(args.edits)]
    finally:
        for web in webs:
            web.close()

    arrays = built["arrays_mb"]
    copy_pss = sum(p[0] for p in pss)
    starts = [web.first["first_answer_s"] for web in webs]
    print()
    print(f"{args.db}, {built.get('generation')} generation(s); machine load {os.getloadavg()}")
    print("| | per-process build (before) | shared copy (now) |")
    print("|---|---:|---:|")
    print(f"| build time | {baseline['seconds']:.1f} s | {built['seconds']:.1f} s |")
    print(f"| its arrays | {baseline['arrays_mb']:.0f} MB | {arrays:.0f} MB |")
    for name, key in (("RSS before the build", "rss_before"), ("peak RSS", "rss_peak")):
        print(f"| {name} | {baseline[key]:.0f} MB | {built[key]:.0f} MB |")
    growth_old = baseline["rss_peak"] - baseline["rss_before"]
    growth_new = built["rss_peak"] - built["rss_before"]
    print(
        f"| build's peak over its arrays | {growth_old / baseline['arrays_mb']:.1f}× | "
        f"{growth_new / arrays:.1f}× |"
    )
    print(
        f"| memory of the copy, {len(webs)} web processes | {len(webs)} × "
        f"{baseline['rss_after'] - baseline['rss_before']:.0f} MB private (RSS growth) | "
        f"{copy_pss:.0f} MB PSS of the mapped files ({copy_pss / arrays:.2f}× the arrays) |"
    )
    print(
        f"| new web process: start to first answer (max of {len(webs)}) | "
        f"{baseline['seconds']:.0f} s + start (builds its own) | {max(starts):.2f} s |"
    )
    print(
        f"| new web process: start to ready (Django set up), max of {len(webs)} | | "
        f"{max(web.ready['ready_s'] for web in webs):.2f} s |"
    )
    print(
        f"| first search after a publish, p50 / max of {args.edits} | "
        f"{statistics.median(edits_old):.0f} / {max(edits_old):.0f} ms | "
        f"{statistics.median(edits_new):.0f} / {max(edits_new):.0f} ms |"
    )
    print()
    print("whole PSS per web process (interpreter, Django and all):", [round(p[1]) for p in pss])
    subprocess.run(["rm", "-rf", shared], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
