"""Shared fixtures: one runner and samples generated once per session."""

import shutil

import pytest

from media_pipeline.core import Runner

if not shutil.which("ffmpeg") or not shutil.which("ffprobe"):
    pytest.skip("ffmpeg/ffprobe are not installed", allow_module_level=True)


@pytest.fixture(scope="session")
def runner():
    return Runner()


@pytest.fixture(scope="session")
def samples(tmp_path_factory):
    """Directory for session-wide generated samples."""
    return tmp_path_factory.mktemp("samples")
