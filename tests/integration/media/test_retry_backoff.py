"""A media job that fails for a passing reason (here: ffmpeg stopped by the time limit) is
retried by the real task worker after a backoff, not before, and not for ever.

Runs `manage.py db_worker --batch` in subprocesses on the database queue (a SQLite file):
a batch worker runs every task that is due and exits, so a retry it leaves behind was
really deferred. Between batches the test waits until the time the queue was given.
"""

import json
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import translation

from media_pipeline.messages import sentence_for
from tests.support import media_samples

from .live_site import manage, site_env

BACKOFF_S = 4


def query(db: Path, sql: str, *params):
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql, params).fetchall()


def job(db: Path, asset_id: int) -> dict:
    [row] = query(
        db,
        "SELECT state, attempts, error_code, error_detail, completions "
        "FROM media_pipeline_processingjob WHERE asset_id = ?",
        asset_id,
    )
    return dict(zip(("state", "attempts", "code", "detail", "completions"), row, strict=True))


TASKS = "django_tasks_database_dbtaskresult"


def moment(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)  # stored in UTC, without zone


def waiting_tasks(db: Path, asset_id: int) -> list[tuple[str, datetime]]:
    """This asset's processing tasks waiting in the queue, and when they may run."""
    rows = query(
        db,
        f"SELECT id, run_after, args_kwargs FROM {TASKS} "
        "WHERE status = 'READY' AND task_path = 'media_pipeline.tasks.process_asset_task'",
    )
    return [
        (pk, moment(after)) for pk, after, args in rows if json.loads(args)["args"] == [asset_id]
    ]


def backoff(db: Path, asset_id: int, due: datetime) -> float:
    """Seconds between the end of the asset's last attempt and its retry's time."""
    rows = query(
        db,
        f"SELECT finished_at, args_kwargs FROM {TASKS} WHERE status = 'SUCCESSFUL' "
        "AND task_path = 'media_pipeline.tasks.process_asset_task' ORDER BY finished_at",
    )
    [*_, last] = [moment(end) for end, args in rows if json.loads(args)["args"] == [asset_id]]
    return (due - last).total_seconds()


def started_at(db: Path, task_id: str) -> datetime:
    [(started,)] = query(db, f"SELECT started_at FROM {TASKS} WHERE id = ?", task_id)
    return moment(started)


def work(env: dict, timeout_s: int) -> None:
    """One batch worker run with this ffmpeg time limit."""
    manage(
        {**env, "DSS_MEDIA_TIMEOUT_SECONDS": str(timeout_s)},
        "db_worker",
        "--batch",
        "--queue-name",
        "media",
        "--no-startup-delay",
        "--no-reload",
    )


def wait_until(moment: datetime) -> None:
    time.sleep(max(0.0, moment.timestamp() - time.time()) + 0.5)


def ingest(env, path) -> int:
    [row] = [
        json.loads(line) for line in manage(env, "ingest", str(path), "--json").stdout.splitlines()
    ]
    assert row["status"] == "queued", row
    return row["asset_id"]


# Its site is a SQLite file of its own whatever the pass: once is enough.
@pytest.mark.sqlite_only
def test_retry_waits_its_backoff_then_fails_for_good_or_succeeds(tmp_path):
    data = tmp_path / "data"
    env = site_env(data, DSS_MEDIA_RETRY_SECONDS=str(BACKOFF_S), DSS_MEDIA_MAX_ATTEMPTS="3")
    manage(env, "migrate", "--noinput")
    db = data / "db.sqlite3"
    # 12 s of 720p cannot be made into two rungs within 1 s: every attempt at 1 s times out.
    hard = ingest(
        env, media_samples.video(tmp_path, "lễ hội dài.mp4", size="1280x720", duration=12)
    )

    # Attempt 1 times out; the retry is booked BACKOFF_S later and the batch worker, which
    # runs everything that is due, leaves it waiting.
    work(env, timeout_s=1)
    assert job(db, hard) | {"detail": ""} == {
        "state": "queued",
        "attempts": 1,
        "code": "timeout",
        "detail": "",
        "completions": 0,
    }
    [(retry, due)] = waiting_tasks(db, hard)
    assert BACKOFF_S - 1 < backoff(db, hard, due) <= BACKOFF_S, "the retry was not deferred"

    # Attempt 2 runs at its time, not before, and the wait after it doubles.
    wait_until(due)
    work(env, timeout_s=1)
    assert started_at(db, retry) >= due
    assert job(db, hard)["attempts"] == 2 and job(db, hard)["state"] == "queued"
    [(retry, due)] = waiting_tasks(db, hard)
    assert 2 * BACKOFF_S - 1 < backoff(db, hard, due) <= 2 * BACKOFF_S, "no doubled backoff"

    # Attempt 3 is the last: the job fails for good, saying why, and nothing is queued.
    wait_until(due)
    work(env, timeout_s=1)
    assert started_at(db, retry) >= due
    final = job(db, hard)
    assert (final["state"], final["attempts"], final["code"]) == ("failed", 3, "gave_up")
    assert final["detail"].startswith("timeout after 3 attempts")
    assert waiting_tasks(db, hard) == []
    [(state, code)] = query(
        db, "SELECT state, error_code FROM media_pipeline_mediaasset WHERE id = ?", hard
    )
    assert (state, code) == ("failed", "gave_up")
    with translation.override("en"):
        assert "every attempt" in sentence_for(code)
    with translation.override("vi"):  # officers read it in Vietnamese first
        assert "every attempt" not in sentence_for(code)

    # A passing failure that passes: the retry, at its time, makes the derivatives once.
    easy = ingest(env, media_samples.video(tmp_path, "lễ hội.mp4", size="1280x720", duration=10))
    work(env, timeout_s=1)
    assert job(db, easy)["state"] == "queued"
    [(retry, due)] = waiting_tasks(db, easy)
    wait_until(due)
    work(env, timeout_s=600)
    assert started_at(db, retry) >= due
    assert job(db, easy) | {"detail": ""} == {
        "state": "done",
        "attempts": 2,
        "code": "",
        "detail": "",
        "completions": 1,
    }
    names = {
        n
        for (n,) in query(
            db, "SELECT name FROM media_pipeline_derivativefile WHERE asset_id = ?", easy
        )
    }
    assert {"video_360p", "video_720p", "poster"} <= names
