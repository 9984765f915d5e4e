"""The in-memory copy of the index is built once into files every process maps (issue 11).

Two web processes (real subprocesses, a real SQLite database file) answer from one built
copy; a publish and a withdrawal made by a third process after the build show in the next
search of each; a corrupt or half-written copy is refused and rebuilt, never served.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from archive.access import AccessLevel
from archive.models import CustomPage
from search.memory import index as memory_index
from search.memory import store
from search.service import search
from tests.factories import make_record

ROOT = Path(__file__).resolve().parents[3]
ANON = AnonymousUser()

SEED = textwrap.dedent(
    """
    import django
    django.setup()
    from archive.models import CustomPage
    from tests.factories import make_record
    for n in range(30):
        make_record(CustomPage, f"Lễ hội làng số {n}", slug=f"le-hoi-{n}")
    make_record(CustomPage, "Then cầu mùa", slug="then-cau-mua")
    """
)

# A web process: answers "search <query>" lines with the count, and says where its copy's
# arrays come from (the shared generation it maps, or a build of its own).
WEB = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    import numpy as np
    from django.contrib.auth.models import AnonymousUser
    from search.memory import index as memory_index
    from search.service import search

    for line in sys.stdin:
        query = line.strip()
        answer = search(query, {}, AnonymousUser())
        snap = memory_index.snapshot()
        maps = open("/proc/self/maps").read()
        print(json.dumps({
            "count": answer.count,
            "titles": sorted(r.title for r in answer.results),
            "generation": snap.generation,
            "mapped": isinstance(snap.main.positions, np.memmap)
                and "positions.npy" in maps,
            "built_seconds": snap.built_seconds,
        }), flush=True)
    """
)

CHANGE = textwrap.dedent(
    """
    import django
    django.setup()
    from archive.models import CustomPage, RecordPage
    from search.indexing import reindex
    from tests.factories import make_record

    # Published by an editor; the task worker then writes its document.
    new = make_record(CustomPage, "Múa xoè Thái", slug="mua-xoe")
    reindex([new.pk])
    # Closed (withdrawn from view); the worker has NOT run yet: the save alone must hide it.
    closed = RecordPage.objects.get(slug="then-cau-mua").specific
    closed.access_level = "closed"
    closed.save_revision().publish()
    """
)


def _env(data_dir: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DSS_", "DJANGO_", "DATABASE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="heritage.settings.dev",
        DSS_DATA_DIR=str(data_dir),
        DSS_SEARCH_CACHE_SECONDS="0",
        DSS_SEARCH_MEMORY_INLINE_BUILD_LIMIT="0",  # a web process never builds inline
        PYTHONPATH=str(ROOT),
    )
    return env


def _run(argv, env):
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done.stdout


class Web:
    def __init__(self, env):
        self.process = subprocess.Popen(
            [sys.executable, "-c", WEB],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def ask(self, query: str) -> dict:
        self.process.stdin.write(query + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, self.process.stderr.read()[-3000:]
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def test_two_processes_share_one_built_copy_and_see_changes_made_after_it(tmp_path):
    env = _env(tmp_path)
    python = [sys.executable, "manage.py"]
    _run([*python, "migrate", "--noinput"], env)
    _run([sys.executable, "-c", SEED], env)
    out = _run([*python, "update_index"], env)
    folder = next((tmp_path / "search-copy").iterdir())
    built = store.generations(folder)[0]
    assert f"shared in-memory copy, generation {built}" in out

    webs = [Web(env), Web(env)]
    try:
        for web in webs:
            first = web.ask("lễ hội")
            assert first["count"] == 30
            # Answered from the shared generation, mapped, not from a build of its own.
            assert first["generation"] == built and first["mapped"], first
            assert first["built_seconds"] == 0
            assert web.ask("then")["count"] == 1
            assert web.ask("xoè")["count"] == 0

        _run([sys.executable, "-c", CHANGE], env)

        for web in webs:
            published = web.ask("xoè")
            assert published["titles"] == ["Múa xoè Thái"], published
            withdrawn = web.ask("then")
            assert withdrawn["count"] == 0 and withdrawn["titles"] == [], withdrawn
            assert web.ask("")["count"] == 31  # 30 + the new one, without the withdrawn one
            assert web.ask("lễ hội")["generation"] == built  # patched, not rebuilt
        assert store.generations(folder)[0] == built, "nobody built another copy"
    finally:
        for web in webs:
            web.close()


@pytest.fixture
def no_cache(settings):
    settings.SEARCH_CACHE_SECONDS = 0
    return settings


@pytest.fixture
def records(db, committed):
    pages = [committed(make_record, CustomPage, f"Hát then số {n}") for n in range(5)]
    committed(make_record, CustomPage, "Bài khấn kín", access_level=AccessLevel.CLOSED)
    return pages


def _new_process():
    """As if this were a freshly started process: no copy in memory, files on disk kept."""
    memory_index._indexes.clear()


def _folder() -> Path:
    return memory_index.shared_folder()


def test_a_corrupt_copy_is_refused_and_rebuilt(records, no_cache):
    assert search("hát then", {}, ANON).count == 5
    folder = _folder()
    assert store.generations(folder) == [1]
    positions = store.generation_path(folder, 1) / "positions.npy"
    data = bytearray(positions.read_bytes())
    data[-1] ^= 0xFF  # one flipped bit-pattern at the end of the token positions
    positions.write_bytes(bytes(data))

    _new_process()
    answer = search("hát then", {}, ANON)
    assert answer.count == 5 and len(answer.results) == 5
    snap = memory_index.snapshot()
    assert snap.generation == 2, "the corrupt generation was not served"
    assert store.generations(folder) == [2]


def test_a_half_written_copy_is_never_served(records, no_cache):
    search("hát then", {}, ANON)
    folder = _folder()
    # A build that died while writing: its temporary folder, and a generation folder
    # whose manifest never got written.
    (folder / ".tmp-crashed").mkdir()
    (folder / ".tmp-crashed" / "positions.npy").write_bytes(b"\x93NUMPY")
    half = store.generation_path(folder, 2)
    half.mkdir()
    for name in ("pks.npy", "positions.npy"):
        (half / name).write_bytes((store.generation_path(folder, 1) / name).read_bytes()[:50])

    _new_process()
    assert search("hát then", {}, ANON).count == 5
    snap = memory_index.snapshot()
    assert snap.generation in (1, 3), snap.generation  # the whole one, or a new build
    assert not half.exists(), "the half-written generation was moved aside"


def test_a_deleted_record_leaves_the_mapped_copy_counts_at_once(records, no_cache, committed):
    assert search("hát then", {}, ANON).count == 5
    generation = memory_index.snapshot().generation
    committed(lambda: records[0].delete())
    answer = search("hát then", {}, ANON)
    assert answer.count == 5 - 1
    assert records[0].title not in [r.title for r in answer.results]
    assert memory_index.snapshot().generation == generation  # patched, not rebuilt


def test_a_withdrawn_record_never_counts_through_the_mask_of_before(records, no_cache):
    """Closed by a save whose reindex has not run yet (the task is still queued)."""
    assert search("hát then", {}, ANON).count == 5
    page = records[1]
    page.access_level = AccessLevel.CLOSED
    page.save_revision().publish()  # on-commit callbacks (the reindex) never run here
    answer = search("hát then", {}, ANON)
    assert answer.count == 4
    assert sum(v.count for v in answer.facets.get("type", [])) <= 4
    assert page.title not in [r.title for r in answer.results]


def test_a_folder_that_cannot_be_written_leaves_a_private_copy(records, no_cache, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    no_cache.SEARCH_MEMORY_DIR = str(blocked / "search-copy")  # mkdir fails here
    answer = search("hát then", {}, ANON)
    assert answer.count == 5
    snap = memory_index.snapshot()
    assert snap is not None and snap.generation == 0  # built in this process, not shared
