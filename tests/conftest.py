"""Suite-wide fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_search_memory():
    """Each test starts without a process copy of the search index: the previous test's
    database was rolled back, and SQLite then hands out the same ids again, which the copy
    (kept in step by timestamps, for a database that never rewinds) must not mistake."""
    from search.memory.index import forget_all

    forget_all()
    yield
