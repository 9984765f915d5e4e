"""Shared fixtures: one runner and samples generated once per session."""

import shutil

import pytest

from media_pipeline.core import Runner
from tests.support.requirements import require

require(
    "media",
    bool(shutil.which("ffmpeg") and shutil.which("ffprobe")),
    "ffmpeg/ffprobe are not installed",
    module=True,
)


@pytest.fixture(scope="session")
def runner():
    return Runner()


@pytest.fixture(scope="session")
def samples(tmp_path_factory):
    """Directory for session-wide generated samples."""
    return tmp_path_factory.mktemp("samples")
