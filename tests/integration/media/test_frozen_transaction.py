"""A worker frozen inside a transaction (a paused virtual machine, a process stopped while it
commits its results) keeps its job's row locked. Seen in CI: the lease sweep then waited on
that lock for ever, so from that moment no job of a dead worker was taken back, and the
frozen worker's own job never was.

The sweep and the claim now pass over a locked row, and PostgreSQL ends a transaction left
idle for ``DSS_DB_IDLE_TRANSACTION_SECONDS``, which releases the lock: the job is then taken
over like any other. The frozen worker is a real process of the project with its own
connection, stopped with SIGSTOP. PostgreSQL only: SQLite locks the whole file, not rows.
"""

import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from media_pipeline.models import AssetState, MediaAsset, ProcessingJob
from media_pipeline.services.sweep import requeue_abandoned
from tests.support import media_samples
from tests.support.postgres import require_postgres, shared_database_url

from .live_site import ROOT, site_env

# The flush after a transactional test must keep the migrations' rows (see test_oai_harvest).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

IDLE_SECONDS = 2

# Locks the job's row the way a worker committing its results does, says so, and stays in
# the transaction; once resumed, it tries to go on with it.
LOCKER = """
import time
from django.db import transaction
from media_pipeline.models import ProcessingJob
with transaction.atomic():
    ProcessingJob.objects.select_for_update().get(pk={pk})
    print("locked", flush=True)
    time.sleep({hold})
    ProcessingJob.objects.filter(pk={pk}).update(progress=0.5)
print("committed", flush=True)
"""


@pytest.fixture
def frozen_worker(tmp_path):
    """Start a process that locks a job's row, then freeze it; yields a function that does
    so for a job and returns the process (killed at the end, whatever happened)."""
    procs = []

    def freeze(job: ProcessingJob, hold: float = 0) -> subprocess.Popen:
        env = site_env(
            tmp_path / "locker",
            DATABASE_URL=shared_database_url(),
            DSS_DB_IDLE_TRANSACTION_SECONDS=str(IDLE_SECONDS),
            DSS_SEARCH_MEMORY_INDEX="0",
        )
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", LOCKER.format(pk=job.pk, hold=hold)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        procs.append(proc)
        _wait_for_line(proc, "locked", timeout=120)
        os.killpg(proc.pid, signal.SIGSTOP)
        return proc

    yield freeze
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def _wait_for_line(proc: subprocess.Popen, wanted: str, timeout: float) -> None:
    """Read the process's output up to ``wanted`` (the shell may print other lines first)."""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=1):
                continue
            line = proc.stdout.readline()
            if not line:
                pytest.fail(f"the locker ended before it locked: {proc.stderr.read()}")
            if line.strip() == wanted:
                return
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail(f"the locker did not say {wanted!r} within {timeout} s")


@pytest.fixture
def two_abandoned_jobs(samples, ingest):
    """Two processed recordings whose jobs say a worker is on them, with leases run out."""
    require_postgres()
    assets = [
        ingest(media_samples.wav(samples, "khóa một.wav", channels=1, duration=2)).asset,
        ingest(media_samples.wav(samples, "khóa hai.wav", channels=1, duration=3)).asset,
    ]
    ProcessingJob.objects.filter(asset__in=assets).update(
        state=ProcessingJob.State.RUNNING, lease_until=timezone.now() - timedelta(seconds=1)
    )
    MediaAsset.objects.filter(pk__in=[a.pk for a in assets]).update(state=AssetState.RUNNING)
    return [ProcessingJob.objects.get(asset=a) for a in assets]


def _sweep_within(seconds: float) -> list[int]:
    """One sweep, on a thread of its own, which must end in time (it used to wait for ever)."""
    outcome = {}

    def sweep():
        try:
            outcome["taken_back"] = requeue_abandoned()
        except Exception as exc:  # reported below, not lost on the thread
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=sweep, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"the sweep still waits after {seconds} s (a row lock)"
    assert "error" not in outcome, outcome.get("error")
    return outcome["taken_back"]


def test_the_sweep_goes_on_past_the_job_a_frozen_worker_has_locked(
    two_abandoned_jobs, frozen_worker
):
    locked, free = two_abandoned_jobs
    frozen_worker(locked, hold=600)
    # The free job is taken back and done again (tasks run inline here); the locked one is
    # left for a later sweep, and the claim that sweep queued for it did not wait either.
    assert _sweep_within(120) == [free.asset_id]
    free.refresh_from_db()
    assert (free.state, free.attempts) == (ProcessingJob.State.DONE, 2)
    locked.refresh_from_db()
    assert (locked.state, locked.attempts) == (ProcessingJob.State.RUNNING, 1)


def test_the_database_ends_a_frozen_transaction_and_its_job_is_taken_over(
    two_abandoned_jobs, frozen_worker
):
    locked, _ = two_abandoned_jobs
    zombie = frozen_worker(locked, hold=IDLE_SECONDS * 3)
    deadline = time.monotonic() + 60
    while _sweep_within(120).count(locked.asset_id) == 0:
        assert time.monotonic() < deadline, "the frozen worker's lock was never released"
        time.sleep(0.5)
    locked.refresh_from_db()
    assert (locked.state, locked.attempts) == (ProcessingJob.State.DONE, 2)
    # Resumed, the zombie finds its transaction gone: it commits nothing.
    os.killpg(zombie.pid, signal.SIGCONT)
    out, err = zombie.communicate(timeout=60)
    assert zombie.returncode != 0 and "committed" not in out, (out, err)
    # The server's own words, or (if the process reads the closed socket first) libpq's.
    assert "idle-in-transaction" in err or "closed" in err, err
    locked.refresh_from_db()
    assert (locked.state, locked.attempts, locked.progress) == (ProcessingJob.State.DONE, 2, 1)


def test_every_connection_asks_the_database_to_end_idle_transactions(db):
    require_postgres()
    with connection.cursor() as cursor:
        cursor.execute("SHOW idle_in_transaction_session_timeout")
        assert cursor.fetchone()[0] == "10min"  # DSS_DB_IDLE_TRANSACTION_SECONDS's default
