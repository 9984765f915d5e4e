"""S3 tests run against a real S3-compatible server (S3Proxy, ``scripts/s3.sh``), never a
mock. They run when selected with ``-m s3``: at ``DSS_S3_TEST_ENDPOINT`` when that is set
(the server must answer there), otherwise the set-up starts ``scripts/s3.sh`` itself."""

import os
import subprocess
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from archive.models import RecordingPage
from tests.factories import make_record
from tests.support import media_samples
from tests.support.selection import skip_unless_selected

ROOT = Path(__file__).resolve().parents[2]
ACCESS_KEY = os.environ.get("DSS_S3_TEST_ACCESS_KEY", "dss-test")
SECRET_KEY = os.environ.get("DSS_S3_TEST_SECRET_KEY", "dss-test-secret")


def pytest_collection_modifyitems(config, items):
    skip_unless_selected(config, items, "s3", "needs an S3-compatible server: run with -m s3")


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=3)
    except urllib.error.HTTPError:
        return True  # an S3 server says 403 to an anonymous request: it is up
    except OSError:
        return False
    return True


@pytest.fixture(scope="session")
def s3_endpoint():
    url = os.environ.get("DSS_S3_TEST_ENDPOINT")
    if url:
        assert _answers(url), f"no S3 server answers at DSS_S3_TEST_ENDPOINT={url}"
        return url
    port = os.environ.get("DSS_S3_PORT", "9000")
    subprocess.run(["bash", str(ROOT / "scripts" / "s3.sh"), "start"], check=True, timeout=600)
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def on_s3(settings, s3_endpoint):
    """This test's originals and derivatives live in a fresh bucket of the real server."""
    from media_pipeline import objectstore

    settings.DSS_STORAGE = "s3"
    settings.DSS_S3_ENDPOINT_URL = s3_endpoint
    settings.DSS_S3_BUCKET = f"dss-test-{uuid.uuid4().hex[:12]}"
    settings.DSS_S3_ACCESS_KEY = ACCESS_KEY
    settings.DSS_S3_SECRET_KEY = SECRET_KEY
    objectstore.reset()
    objectstore.ensure_bucket()
    yield objectstore
    objectstore.reset()


@pytest.fixture
def tone(tmp_path):
    return media_samples.wav(tmp_path, "tiếng hát.wav", channels=1, duration=3)


@pytest.fixture
def public_recording(db):
    return make_record(RecordingPage, title_vi="Hát ru trên S3", slug="hat-ru-tren-s3")


@pytest.fixture
def nginx_in_front(live_server, on_s3, settings):
    """Debian's nginx with deploy/nginx.conf (rendered by ``scripts/stack.sh nginx-up``) in
    front of this test's live server, its S3 location pointing at the test server; Django
    answers /files/ with X-Accel-Redirect. Yields nginx's address."""
    import shutil
    import socket
    import tempfile

    assert shutil.which("nginx"), "nginx is needed: apt-get install nginx (make test does)"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Not under pytest's 0700 folders: nginx's workers run as www-data when started as root.
    folder = Path(tempfile.mkdtemp(prefix="dss-s3-nginx-"))
    folder.chmod(0o755)
    env = {
        **os.environ,
        "DSS_BIND": live_server.url.removeprefix("http://"),
        "DSS_S3_ENDPOINT_URL": settings.DSS_S3_ENDPOINT_URL,
        "DSS_DATA_DIR": str(folder / "data"),
    }
    stack = ["bash", str(ROOT / "scripts" / "stack.sh")]
    subprocess.run([*stack, "nginx-up", str(folder), f"127.0.0.1:{port}"], check=True, env=env)
    settings.DSS_ACCEL_REDIRECT = True
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        subprocess.run([*stack, "nginx-down", str(folder)], check=False, env=env)
        shutil.rmtree(folder, ignore_errors=True)
