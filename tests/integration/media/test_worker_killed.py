"""Killing the worker mid-transcode (kill -9) and restarting it ends with exactly one
complete set of derivatives. Runs the real commands in subprocesses on a SQLite file."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import media_samples

from .live_site import ROOT, manage, site_env


def job_state(db: Path):
    with sqlite3.connect(db, timeout=30) as conn:
        row = conn.execute("SELECT state, progress FROM media_pipeline_processingjob").fetchone()
    return row or (None, 0.0)


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs once, on SQLite"
)
def test_kill_9_mid_transcode_then_restart(tmp_path):
    data = tmp_path / "data"
    env = site_env(data, DSS_MEDIA_LEASE_SECONDS="3")
    manage(env, "migrate", "--noinput")
    video = media_samples.video(tmp_path, "long.mp4", size="1920x1080", duration=20)
    [row] = [
        json.loads(line) for line in manage(env, "ingest", str(video), "--json").stdout.splitlines()
    ]
    assert row["status"] == "queued"

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
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

    time.sleep(3.5)  # let the dead worker's lease expire
    assert "Re-queued 1" in manage(env, "media_recover").stdout
    manage(env, "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay")

    assert job_state(db)[0] == "done"
    files = sorted(p.name for p in out_dirs[0].iterdir())
    assert not [f for f in files if f.startswith(".tmp-")]
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM media_pipeline_derivativefile")]
    assert len(names) == len(set(names))
    assert {"video_360p", "video_720p", "poster"} <= set(names)
    assert {Path(n).stem for n in files} >= {"video_360p", "video_720p", "poster"}
