"""Killing the worker mid-transcode (kill -9) and starting another ends with exactly one
complete set of derivatives: the periodic lease sweep of the scheduled loop (not a command
run by hand) gives the dead worker's job to the new worker, once. Runs the real commands in
subprocesses on a SQLite file."""

import json
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from media_pipeline.services.sweep import LOST_WORKER
from tests.support import media_samples

from .live_site import manage, site_env, start_worker


def job_state(db: Path):
    with sqlite3.connect(db, timeout=30) as conn:
        row = conn.execute("SELECT state, progress FROM media_pipeline_processingjob").fetchone()
    return row or (None, 0.0)


# Its site is a SQLite file of its own whatever the pass: once is enough.
@pytest.mark.sqlite_only
def test_kill_9_mid_transcode_then_restart(tmp_path):
    data = tmp_path / "data"
    env = site_env(data, DSS_MEDIA_LEASE_SECONDS="3", DSS_PUBLISHING_INTERVAL_SECONDS="1")
    manage(env, "migrate", "--noinput")
    video = media_samples.video(tmp_path, "long.mp4", size="1280x720", duration=12)
    [row] = [
        json.loads(line) for line in manage(env, "ingest", str(video), "--json").stdout.splitlines()
    ]
    assert row["status"] == "queued"

    worker = start_worker(env)
    db = data / "db.sqlite3"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            state, progress = job_state(db)
            if state == "running" and progress > 0.05:
                break
            time.sleep(0.3)
        else:
            pytest.fail("the transcode never started")
        assert state == "running"
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)

    out_dirs = list((data / "derivatives").glob("*/*/*"))
    assert len(out_dirs) == 1
    # The killed run worked in a folder of its own claim (.tmp-claim-1), never under final names.
    assert not [p for p in out_dirs[0].iterdir() if not p.name.startswith(".tmp-")], (
        "a killed run must not leave a final-looking file"
    )

    # Another worker starts at once; the dead one's lease runs out 3 s after its last renewal,
    # and the loop that runs every second sweeps it.
    worker = start_worker(env)
    try:
        deadline = time.monotonic() + 240
        while job_state(db)[0] != "done" and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)

    assert job_state(db)[0] == "done", "the dead worker's job was not taken over"
    with sqlite3.connect(db) as conn:
        [(attempts, completions)] = conn.execute(
            "SELECT attempts, completions FROM media_pipeline_processingjob"
        ).fetchall()
        tasks = conn.execute(
            "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'media_pipeline.tasks.process_asset_task'"
        ).fetchall()
    # Taken over once: one claim after the dead one, one commit, the dead worker's task row
    # closed and exactly one task queued again.
    assert (attempts, completions) == (2, 1)
    assert sorted(tasks) == [("FAILED", LOST_WORKER), ("SUCCESSFUL", "")], tasks
    files = sorted(p.name for p in out_dirs[0].iterdir())
    assert not [f for f in files if f.startswith(".tmp-")]
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM media_pipeline_derivativefile")]
    assert len(names) == len(set(names))
    assert {"video_360p", "video_720p", "poster"} <= set(names)
    assert {Path(n).stem for n in files} >= {"video_360p", "video_720p", "poster"}
