"""Suite-wide fixtures."""

from pathlib import Path

import pytest

BROWSER_SUITE = Path(__file__).parent / "browser"


# Fixtures that make a test transactional (its rows committed, the tables flushed after it).
TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def pytest_collection_modifyitems(items):
    """Everything under tests/browser is the browser pass, whatever its module says; and no
    transactional test of the database passes may flush without serialized_rollback."""
    for item in items:
        if BROWSER_SUITE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
    # The browser pass is live-server tests only, run on their own: nothing there restores.
    unsafe = [
        item.nodeid
        for item in items
        if _flushes_without_restoring(item) and not item.get_closest_marker("browser")
    ]
    if unsafe:
        # Its flush re-creates the content types under new ids, and the next transactional
        # test that restores the migrations' rows then collides with them: a dozen unrelated
        # tests fail, far from the cause (seen in CI).
        raise pytest.UsageError(
            "Transactional tests without serialized_rollback=True (mark them "
            "@pytest.mark.django_db(transaction=True, serialized_rollback=True)): "
            + ", ".join(unsafe)
        )


def _flushes_without_restoring(item) -> bool:
    marker = item.get_closest_marker("django_db")
    kwargs = marker.kwargs if marker else {}
    transactional = kwargs.get("transaction") or TRANSACTIONAL_FIXTURES & set(
        getattr(item, "fixturenames", ())
    )
    return bool(transactional) and not kwargs.get("serialized_rollback")


@pytest.fixture(autouse=True)
def _fresh_search_memory():
    """Each test starts without a process copy of the search index: the previous test's
    database was rolled back, and SQLite then hands out the same ids again, which the copy
    (kept in step by timestamps, for a database that never rewinds) must not mistake."""
    from search.memory.index import forget_all

    forget_all()
    yield


@pytest.fixture
def ingest(django_capture_on_commit_callbacks):
    """Ingest a file and run what ingest queues on commit (tasks run inline in tests)."""
    from media_pipeline.services.ingest import ingest_file

    def run(path, **kwargs):
        with django_capture_on_commit_callbacks(execute=True), open(path, "rb") as handle:
            return ingest_file(handle, path.name, **kwargs)

    return run
