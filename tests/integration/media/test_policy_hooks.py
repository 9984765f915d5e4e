"""The hooks a lower app asks and a higher app fills in its ready() (docs/architecture.md)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from archive import shell
from archive.media_access import RecordMediaAccess
from media_pipeline import policy
from media_pipeline.signals import record_media_changed


def test_archive_registers_the_media_access_policy():
    assert isinstance(policy.access_policy(), RecordMediaAccess)


def test_media_serving_fails_closed_without_a_policy(monkeypatch):
    monkeypatch.setattr(policy, "_policy", None)
    with pytest.raises(ImproperlyConfigured):
        policy.access_policy()


def test_the_shell_registers_its_page_cache_for_the_catalogue():
    from heritage.page_cache import serve_cached

    assert shell._serve_cached is serve_cached


def test_without_a_page_cache_a_catalogue_view_simply_renders(monkeypatch):
    monkeypatch.setattr(shell, "_serve_cached", None)
    view = shell.cache_anonymous(lambda request, n: ("rendered", n))
    assert view(object(), 3) == ("rendered", 3)


def test_search_listens_to_media_changes(monkeypatch):
    from search import signal_handlers

    seen = []
    monkeypatch.setattr(signal_handlers, "schedule_reindex", lambda ids: seen.append(list(ids)))
    record_media_changed.send(sender=None, record_ids=[7, 9])
    assert seen == [[7, 9]]
