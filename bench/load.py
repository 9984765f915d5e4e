"""Load benchmark of the production stack with wrk. Results go in docs/benchmarks.md
"## Production stack under load".

    .venv/bin/python bench/load.py                      # 64 connections, 60 s per scenario
    .venv/bin/python bench/load.py --duration 10        # shorter, while developing
    .venv/bin/python bench/load.py --keep               # leave the stack running afterwards

Starts the stack with scripts/stack.sh in its own run folder and on its own ports (nginx
28080, gunicorn 28001, Redis 26380, PostgreSQL 25433): nginx with deploy/nginx.conf, gunicorn
(``--web-workers``, default 3), two task workers, Redis and PostgreSQL, with the demo
archive. Adds one processed 2 MiB audio file to a public record (no ffmpeg run), then runs
``wrk --latency`` (Debian's wrk, installed by scripts/system_deps.sh stack) on loopback
against nginx, one scenario after the other:

- a cached record page (nginx's 1 s micro-cache in front of the page cache in Redis);
- an uncached search with facets: rotating queries and facet filters (a Lua script), with
  the per-process answer cache off (DSS_SEARCH_CACHE_SECONDS=0);
- a JSON suggestion (rotating prefixes);
- a 1 MiB byte range of the audio file at a random offset (a Lua script sets Range), through
  the access gate and X-Accel-Redirect;
- a static file (hashed stylesheet, gzip) served by the same nginx: the machine's ceiling.

The visitor rate limits are off (DSS_SEARCH_RATE_PER_MINUTE=0, DSS_SUGGEST_RATE_PER_MINUTE=0):
every request comes from one address here, which the limits would otherwise answer with 429.
wrk runs on the same two cores as the site, so every figure is a lower bound.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PORT = 28080
PORTS = {
    "DSS_STACK_PORT": str(PORT),
    "DSS_STACK_APP_PORT": "28001",
    "DSS_STACK_REDIS_PORT": "26380",
    "DSS_STACK_PG_PORT": "25433",
}
BASE = f"http://127.0.0.1:{PORT}"
MEDIA_BYTES = 2 * 1024 * 1024
RANGE_BYTES = 1024 * 1024

FIXTURE = r"""
import json, os
from pathlib import Path
from django.conf import settings
from archive.models import RecordPage
from media_pipeline.models import AssetState, DerivativeFile, MediaAsset, RecordMedia

record = RecordPage.objects.live().filter(access_level="public").order_by("pk").first().specific
folder = Path(settings.DSS_DERIVATIVES_ROOT) / "bench"
folder.mkdir(parents=True, exist_ok=True)
(folder / "audio.m4a").write_bytes(os.urandom(%(size)d))
asset = MediaAsset.objects.create(
    title="Bench audio", type="audio", state=AssetState.DONE, mime="audio/mp4",
    file="bench/none.bin", sha256="0" * 64,
)
DerivativeFile.objects.create(
    asset=asset, name="audio_aac", path="bench/audio.m4a", mime="audio/mp4",
    preset_key="bench", size=%(size)d,
)
RecordMedia.objects.create(record=record, asset=asset, caption="Bench audio")
print("FIXTURE " + json.dumps({"url": record.url, "asset": asset.pk}))
"""

ROTATE = """-- Each request takes the next path of the list.
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""

RANGE = """-- A %(length)d-byte range at a random offset of a %(size)d-byte file.
math.randomseed(os.time())
request = function()
  local start = math.random(0, %(size)d - %(length)d)
  local headers = {["Range"] = "bytes=" .. start .. "-" .. (start + %(length)d - 1)}
  return wrk.format("GET", "%(path)s", headers)
end
"""


def stack(env, command):
    done = subprocess.run(
        ["bash", "scripts/stack.sh", command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"stack.sh {command} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def app_env(env):
    result = dict(env)
    for line in stack(env, "env").splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        result[name] = shlex.split(value)[0] if value else ""
    return result


def fetch(path, headers=None) -> tuple[int, bytes]:
    request = urllib.request.Request(BASE + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def search_paths() -> list[str]:
    """Queries of the demo archive, alone and with each facet link their result page offers."""
    paths = []
    for query in ("lễ hội", "cồng chiêng", "dân ca", "nhà", "lúa mới", "then", "dệt", "múa"):
        path = "/vi/search/?" + urllib.parse.urlencode({"q": query})
        paths.append(path)
        status, body = fetch(path)
        if status != 200:
            sys.exit(f"search {path} answered {status}")
        links = []
        for href in re.findall(rb'href="(?:/vi/search/)?(\?[^"]+)"', body):
            link = "/vi/search/" + href.decode().replace("&amp;", "&")
            facet = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
            if "q" in facet and set(facet) - {"q", "page", "sort"}:
                links.append(link)
        paths.extend(list(dict.fromkeys(links))[:7])  # a few facet filters per query
    return list(dict.fromkeys(paths))


def lua_list(paths) -> str:
    return ", ".join(json.dumps(p, ensure_ascii=False) for p in paths)


def wrk(name, url, args, script=None, headers=()) -> dict:
    argv = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s"]
    argv += ["--latency", "--timeout", "10s"]
    for header in headers:
        argv += ["-H", header]
    if script:
        argv += ["-s", script]
    argv.append(url)
    print(f"  {name}: {' '.join(shlex.quote(a) for a in argv)}", flush=True)
    if args.warmup:  # first requests build each process's search copy: not measured
        warm = [a if not a.startswith("-d") else f"-d{args.warmup}s" for a in argv]
        subprocess.run(warm, capture_output=True, check=True)
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(percent):
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = 0
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(found.group(1))
    if found := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    ):
        errors += sum(int(n) for n in found.groups())
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "name": name,
        "rps": rps,
        "p50": latency(50),
        "p99": latency(99),
        "errors": errors,
        "requests": total,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured seconds before each")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--keep", action="store_true", help="leave the stack running")
    parser.add_argument("--only", help="comma-separated scenario names (page,search,...)")
    args = parser.parse_args()

    run_dir = Path(os.environ.get("DSS_BENCH_STACK_DIR") or tempfile.mkdtemp(prefix="dss-load-"))
    os.chmod(run_dir, 0o755)  # nginx's workers (www-data) read the data folder
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DSS_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        PORTS,
        DSS_STACK_DIR=str(run_dir),
        DSS_STACK_DEMO="records",
        DSS_WEB_WORKERS=str(args.web_workers),
        DSS_SEARCH_RATE_PER_MINUTE="0",
        DSS_SUGGEST_RATE_PER_MINUTE="0",
        DSS_SEARCH_CACHE_SECONDS="0",
        DJANGO_LOG_LEVEL="WARNING",
        DSS_WEB_ACCESS_LOG="",  # nginx keeps the access log
    )
    started = time.monotonic()
    print(f"Starting the stack in {run_dir} ...", flush=True)
    stack(env, "start")
    try:
        done = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", FIXTURE % {"size": MEDIA_BYTES}],
            cwd=ROOT,
            env=app_env(env),
            capture_output=True,
            text=True,
            check=True,
        )
        fixture = json.loads(done.stdout.split("FIXTURE ", 1)[1].splitlines()[0])
        print(f"Stack ready after {time.monotonic() - started:.0f} s", flush=True)
        results = run(args, fixture, run_dir)
    finally:
        if not args.keep:
            stack(env, "stop")
            subprocess.run(["rm", "-rf", str(run_dir)], check=False)
    report(args, results)


def run(args, fixture, run_dir) -> list[dict]:
    _, home = fetch("/vi/")
    css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home).group(1).decode()
    page = fixture["url"]
    media = f"/files/{fixture['asset']}/audio_aac"
    for path, headers, expected in (
        (page, {}, 200),
        (media, {"Range": "bytes=0-1048575"}, 206),
        (css, {"Accept-Encoding": "gzip"}, 200),
    ):
        status, _ = fetch(path, headers)
        assert status == expected, (path, status)
    searches = search_paths()
    suggestions = [
        "/api/v1/suggest?" + urllib.parse.urlencode({"q": q, "lang": "vi"})
        for q in ("lễ", "cồng", "dân", "nh", "lúa", "th", "dệ", "mú", "ê đ", "h'm")
    ]
    scripts = {}
    for name, text in (
        ("search", ROTATE % lua_list(searches)),
        ("suggest", ROTATE % lua_list(suggestions)),
        ("range", RANGE % {"length": RANGE_BYTES, "size": MEDIA_BYTES, "path": media}),
    ):
        scripts[name] = run_dir / f"{name}.lua"
        scripts[name].write_text(text, encoding="utf-8")
    plan = [
        ("page", "cached record page", BASE + page, None, ()),
        (
            "search",
            f"uncached search with facets ({len(searches)} URLs)",
            BASE + "/",
            scripts["search"],
            (),
        ),
        ("suggest", "JSON suggestion", BASE + "/", scripts["suggest"], ()),
        ("range", "1 MiB media range (X-Accel-Redirect)", BASE + "/", scripts["range"], ()),
        ("static", "static file (nginx, gzip)", BASE + css, None, ("Accept-Encoding: gzip",)),
    ]
    only = set(args.only.split(",")) if args.only else None
    results = []
    print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency:", flush=True)
    for key, name, url, script, headers in plan:
        if only and key not in only:
            continue
        results.append(wrk(name, url, args, script and str(script), headers))
        time.sleep(2)
    return results


def report(args, results):
    print()
    print(
        f"64-connection scenario: wrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
        f"{args.web_workers} gunicorn workers, 2 task workers, loopback"
    )
    print("| scenario | requests/s | p50 ms | p99 ms | requests | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['name']} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['requests']:,} | {r['errors']} |"
        )


if __name__ == "__main__":
    main()
