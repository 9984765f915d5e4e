import shutil

import pytest
from django.conf import settings

from archive.models import RecordingPage
from tests.factories import make_record
from tests.support import media_samples


@pytest.fixture(autouse=True)
def clean_media_roots():
    """Each test starts with empty stores, as the database does."""
    yield
    for root in (settings.DSS_ORIGINALS_ROOT, settings.DSS_DERIVATIVES_ROOT):
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def samples(tmp_path):
    return tmp_path


@pytest.fixture
def tone(samples):
    return media_samples.wav(samples, "tiếng hát.wav", channels=1, duration=3)


@pytest.fixture
def public_recording(db):
    return make_record(RecordingPage, title_vi="Hát ru công khai", slug="hat-ru-cong-khai")


@pytest.fixture
def closed_recording(db):
    return make_record(
        RecordingPage, title_vi="Bài khấn đóng", slug="bai-khan-dong", access_level="closed"
    )
