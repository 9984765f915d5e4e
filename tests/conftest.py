"""Suite-wide fixtures."""

from pathlib import Path

import pytest

BROWSER_SUITE = Path(__file__).parent / "browser"


def pytest_collection_modifyitems(items):
    """Everything under tests/browser is the browser pass, whatever its module says."""
    for item in items:
        if BROWSER_SUITE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


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
