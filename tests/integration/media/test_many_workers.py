"""Four task workers, 50 mixed media jobs, 20 `kill -9`: every asset ends with exactly one set
of derivatives, no job is lost and none is committed twice.

Real parts throughout: 4 `manage.py db_worker` processes on PostgreSQL (the database a
province runs; SQLite with four writers is not), real ffmpeg and Pillow, SIGKILL to the
worker's whole process group, a replacement started after each kill. Dead workers' jobs come
back through the periodic lease sweep (the scheduled loop, every second here) — nothing in
the test calls it. It belongs to the PostgreSQL pass; in the SQLite pass it fails when
PostgreSQL is required (REQUIRE_POSTGRES=1) and absent, and otherwise says where it runs.
"""

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult
from PIL import Image

from media_pipeline.models import DerivativeFile, MediaAsset, ProcessingJob
from media_pipeline.services.sweep import LOST_WORKER
from tests.support.postgres import require_postgres, shared_database_url

from .live_site import ROOT, site_env, start_worker

WORKERS, JOBS, KILLS = 4, 50, 20
FFMPEG = ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y"]


def _make_media(folder: Path) -> list[Path]:
    """Tiny, all different (identical files would be one asset): a third each of audio,
    video and images."""
    files = []
    for i in range(JOBS):
        kind = ("audio", "video", "image")[i % 3]
        seconds = f"{1 + i / 100:.2f}"
        if kind == "audio":
            out = folder / f"bài hát {i:02d}.wav"
            tone = f"sine=f={200 + 10 * i}:sample_rate=22050:d={seconds}"
            subprocess.run([*FFMPEG, "-f", "lavfi", "-i", tone, str(out)], check=True)
        elif kind == "video":
            out = folder / f"lễ hội {i:02d}.mp4"
            picture = f"testsrc2=s=160x120:r=10:d={seconds}"
            tone = f"sine=f={300 + 10 * i}:sample_rate=22050:d={seconds}"
            subprocess.run(
                [
                    *FFMPEG,
                    "-f",
                    "lavfi",
                    "-i",
                    picture,
                    "-f",
                    "lavfi",
                    "-i",
                    tone,
                    "-c:v",
                    "libx264",
                    "-preset",
                    "ultrafast",
                    "-pix_fmt",
                    "yuv420p",
                    "-c:a",
                    "aac",
                    "-shortest",
                    str(out),
                ],
                check=True,
            )
        else:
            out = folder / f"ảnh {i:02d}.png"
            Image.new("RGB", (96, 64), (i * 5 % 256, 120, 200 - i)).save(out, "PNG")
        files.append(out)
    return files


class Pool:
    """The worker processes. The media tools run in sessions of their own, so a killed
    worker's ffmpeg may finish on its own, as after a real crash."""

    def __init__(self, env: dict, logs: Path):
        self.env, self.logs, self.started = env, logs, 0
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self) -> str:
        self.started += 1
        worker_id = f"w{self.started:02d}"
        with open(self.logs / f"{worker_id}.log", "wb") as log:  # the child keeps its copy
            self.procs[worker_id] = self._popen(worker_id, log)
        return worker_id

    def _popen(self, worker_id: str, log) -> subprocess.Popen:
        return start_worker(self.env, "--worker-id", worker_id, stdout=log)

    def kill(self, worker_id: str) -> None:
        proc = self.procs.pop(worker_id)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def stop_all(self) -> None:
        for worker_id in list(self.procs):
            self.kill(worker_id)

    def freeze_until_taken_over(self) -> tuple[str, int, int]:
        """Stop (SIGSTOP) a worker that holds a job's lease until another worker has claimed
        that job, then let it go on (SIGCONT): a zombie. It leaves the pool (no kill takes
        it) and a replacement starts. Returns the frozen task run, its asset and the
        zombie's token."""
        deadline = time.monotonic() + 60
        while not (holder := self._lease_holder()):
            if time.monotonic() > deadline:
                pytest.fail("no worker held a job's lease for a minute: nothing to freeze")
            time.sleep(0.1)
        worker_id, task_id, job = holder
        # Registered under its zombie name at once, so that stop_all kills it whatever
        # fails below: a frozen worker left behind holds its database connection, and the
        # test database's flush would wait on it for ever.
        proc = self.procs.pop(worker_id)
        self.procs[f"zombie-{worker_id}"] = proc
        os.killpg(proc.pid, signal.SIGSTOP)
        self.start()
        # The swept job goes back to the queue behind the others: on slow cores the other
        # workers may need minutes to reach it.
        deadline = time.monotonic() + 300
        while ProcessingJob.objects.get(pk=job.pk).attempts == job.attempts:
            if time.monotonic() > deadline:
                pytest.fail(f"the frozen worker's job ({job}) was never taken over")
            time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGCONT)
        return task_id, job.asset_id, job.attempts

    def _lease_holder(self):
        for worker_id, asset_id, task_id in _running_tasks():
            job = ProcessingJob.objects.filter(asset_id=asset_id, state="running").first()
            if worker_id in self.procs and job is not None:
                return worker_id, task_id, job
        return None


def _running_tasks() -> list[tuple[str, int, str]]:
    """(worker, asset, task row) of each media task running now, as the queue's rows say."""
    rows = DBTaskResult.objects.filter(
        task_path="media_pipeline.tasks.process_asset_task", status="RUNNING"
    ).values_list("worker_ids", "args_kwargs", "pk")
    return sorted((ids[-1], args["args"][0], str(pk)) for ids, args, pk in rows if ids)


def _busy_workers() -> list[str]:
    return sorted({worker_id for worker_id, _, _ in _running_tasks()})


def _end_of(task_id: str) -> tuple[str, object]:
    """How a task run ended: its status and returned value."""
    row = DBTaskResult.objects.get(pk=task_id)
    return row.status, row.return_value


def _finished() -> int:
    return MediaAsset.objects.filter(state__in=["done", "failed", "quarantined"]).count()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # see test_oai_harvest.py
def test_20_kills_among_4_workers_leave_one_set_of_derivatives_per_asset(tmp_path):
    require_postgres()
    data, logs = tmp_path / "data", tmp_path / "logs"
    logs.mkdir()
    env = site_env(
        data,
        # The test database pytest made (migrated), shared with the worker processes.
        DATABASE_URL=shared_database_url(),
        DSS_MEDIA_LEASE_SECONDS="4",
        DSS_PUBLISHING_INTERVAL_SECONDS="1",  # the loop that sweeps leases
        DSS_HEARTBEAT_SECONDS="1",
        # A worker frozen mid-commit holds its job's row lock until the server ends its
        # transaction (test_frozen_transaction.py).
        DSS_DB_IDLE_TRANSACTION_SECONDS="10",
        DSS_MEDIA_MAX_ATTEMPTS="50",  # kills count as attempts; none may give up here
        DSS_SEARCH_MEMORY_INDEX="0",
    )
    files = _make_media(tmp_path)
    # The workers share the database cache, a table the test settings (a local cache) skip.
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    ingest = subprocess.run(
        [sys.executable, "manage.py", "ingest", *map(str, files), "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    rows = [json.loads(line) for line in ingest.stdout.splitlines() if line.startswith("{")]
    assert [r["status"] for r in rows] == ["queued"] * JOBS, ingest.stdout + ingest.stderr

    rng = random.Random(11)
    pool = Pool(env, logs)
    kills_mid_job = 0
    started = time.monotonic()
    try:
        for _ in range(WORKERS):
            pool.start()
        deadline = time.monotonic() + 90
        while not _busy_workers() and time.monotonic() < deadline:
            time.sleep(0.2)  # the workers start (a few seconds each on busy cores)
        for kill in range(KILLS):
            if kill == 0:  # first, while there is surely work, however fast the machine
                zombie_task, zombie_asset, zombie_token = pool.freeze_until_taken_over()
            time.sleep(rng.uniform(0.5, 1.5))
            # Prefer a worker caught mid-job (the interesting case); wait a little for one.
            deadline = time.monotonic() + 4
            while not (busy := [w for w in _busy_workers() if w in pool.procs]):
                if time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            victim = rng.choice(busy or sorted(w for w in pool.procs if w.startswith("w")))
            kills_mid_job += bool(busy)
            pool.kill(victim)
            pool.start()
        kills_done_at = time.monotonic() - started
        finished_at_last_kill = _finished()
        deadline = time.monotonic() + 150
        while _finished() < JOBS and time.monotonic() < deadline:
            time.sleep(0.5)
        while _end_of(zombie_task)[0] == "RUNNING" and time.monotonic() < deadline:
            time.sleep(0.5)  # what the zombie does once resumed
    finally:
        pool.stop_all()
    elapsed = time.monotonic() - started

    assets = list(MediaAsset.objects.order_by("pk"))
    not_done = {
        a.pk: (a.original_filename, a.state, a.error_detail) for a in assets if a.state != "done"
    }
    assert not not_done, (
        f"jobs lost or failed after {elapsed:.0f} s (kills over {kills_done_at:.0f} s): "
        f"{not_done}; worker logs in {logs}"
    )
    # Kills that found nothing running would prove little.
    assert kills_mid_job >= KILLS // 2, f"only {kills_mid_job} of {KILLS} kills hit a running job"

    # One job per asset, committed exactly once.
    jobs = Counter(ProcessingJob.objects.values_list("asset_id", flat=True))
    assert all(jobs[a.pk] == 1 for a in assets), {pk: n for pk, n in jobs.items() if n != 1}
    commits = dict(ProcessingJob.objects.values_list("asset_id", "completions"))
    twice = {pk: n for pk, n in commits.items() if n != 1}
    assert not twice, f"assets whose results were committed other than once: {twice}"
    # The zombie, resumed after its job was taken over, committed nothing in that run (it
    # may run later tasks well).
    zombie_end = _end_of(zombie_task)
    assert zombie_end != ("SUCCESSFUL", "done"), zombie_end
    assert ProcessingJob.objects.get(asset_id=zombie_asset).attempts > zombie_token
    # The dead workers' jobs were really taken back: claimed again, task rows closed.
    reclaimed = ProcessingJob.objects.filter(attempts__gt=1).count()
    lost_rows = DBTaskResult.objects.filter(exception_class_path=LOST_WORKER).count()
    assert reclaimed >= 1 and lost_rows >= 1, (reclaimed, lost_rows)

    # Exactly one set per asset: the same names for every asset of a kind, in the database
    # and on disk, with nothing else on disk (no duplicates, no half-written files).
    root = data / "derivatives"
    names_by_kind: dict[str, set[frozenset]] = {}
    wrong = {}
    for asset in assets:
        rows = list(DerivativeFile.objects.filter(asset=asset))
        names_by_kind.setdefault(asset.type, set()).add(frozenset(r.name for r in rows))
        on_disk = {
            str(p.relative_to(root))
            for p in (root / asset.sha256[:2] / asset.sha256).rglob("*")
            if p.is_file() or p.name.startswith(".")
        }
        registered = {r.path for r in rows}
        if not rows or on_disk != registered:
            wrong[asset.original_filename] = {
                "derivatives in db": len(rows),
                "on disk, not in db": sorted(on_disk - registered),
                "in db, not on disk": sorted(registered - on_disk),
            }
    assert not wrong, f"assets without exactly one set of derivatives: {wrong}"
    assert {kind: len(sets) for kind, sets in names_by_kind.items()} == {
        "audio": 1,
        "video": 1,
        "image": 1,
    }, names_by_kind
    assert {p.name for p in root.glob("*/*")} == {a.sha256 for a in assets}, "orphan folders"
    strays = [str(p) for p in root.rglob(".tmp-*")]
    assert not strays, f"temporary files left: {strays}"
    print(
        f"\n{JOBS} jobs, {WORKERS} workers, {KILLS} kills ({kills_mid_job} mid-job), "
        f"{reclaimed} jobs taken back, zombie's run ended {zombie_end}, {elapsed:.0f} s "
        f"({finished_at_last_kill} done when the kills ended at {kills_done_at:.0f} s)"
    )
