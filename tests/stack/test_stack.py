"""The production stack, started for real on loopback by ``scripts/stack.sh``.

nginx (the shipped deploy/nginx.conf), gunicorn with 2 workers, 2 task workers
(``manage.py db_worker``), Redis and PostgreSQL, in a temporary run folder and on ports of
their own (so a trial stack on 8080 is left alone). One module-scoped start (about a minute,
most of it ``load_demo``), then:

- static files: hashed name, gzip, a year's Cache-Control;
- media through X-Accel-Redirect: gunicorn answers with an empty body and the internal path,
  nginx sends the bytes, a Range gives 206 and exactly those bytes, the internal location
  cannot be asked for from outside; an image rendition (``/media/images/``) the same way;
- a record closed by another process (``manage.py shell -c``) is refused at once by every
  gunicorn worker (seen in gunicorn's access log by process id) and by nginx once its
  micro-cache entry has lapsed (``DSS_PROXY_CACHE_SECONDS``, 1 s here);
- sign-in through the proxy under ``X-Forwarded-Proto: https``: Secure, HttpOnly cookies,
  and a signed-in visitor is never served from the micro-cache;
- /healthz through nginx: every check passes with both task workers reporting.

Run: ``.venv/bin/python -m pytest -m stack`` (needs nginx and redis-server:
``bash scripts/system_deps.sh stack``).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import shlex
import socket
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.stack

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PORTS = {
    "DSS_STACK_PORT": 18080,
    "DSS_STACK_APP_PORT": 18001,
    "DSS_STACK_REDIS_PORT": 16380,
    "DSS_STACK_PG_PORT": 15433,
}
HTTPS = {"X-Forwarded-Proto": "https"}
MEDIA_BYTES = 2 * 1024 * 1024

FIXTURE = r"""
import hashlib, json, os
from pathlib import Path
from django.conf import settings
from archive.models import RecordPage
from media_pipeline.models import AssetState, DerivativeFile, MediaAsset, RecordMedia

record = RecordPage.objects.live().filter(access_level="public").order_by("pk").first().specific
payload = os.urandom(%(size)d)
originals = Path(settings.DSS_ORIGINALS_ROOT) / "stack"
derivatives = Path(settings.DSS_DERIVATIVES_ROOT) / "stack"
originals.mkdir(parents=True, exist_ok=True)
derivatives.mkdir(parents=True, exist_ok=True)
(originals / "original.bin").write_bytes(payload)
(derivatives / "audio.m4a").write_bytes(payload)
# A processed asset without running the tools (a checksum set: no ingest is queued).
asset = MediaAsset.objects.create(
    title="Stack test audio", type="audio", state=AssetState.DONE, mime="audio/mp4",
    file="stack/original.bin", sha256=hashlib.sha256(payload).hexdigest(),
)
DerivativeFile.objects.create(
    asset=asset, name="audio_aac", path="stack/audio.m4a", mime="audio/mp4",
    preset_key="stack", size=len(payload),
)
RecordMedia.objects.create(record=record, asset=asset, caption="Stack test audio")
# An image in the record's body: its renditions leave through the gate (/media/images/).
import io
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.images import get_image_model
data = io.BytesIO()
Image.new("RGB", (64, 48), (200, 60, 20)).save(data, "PNG")
image = get_image_model().objects.create(
    title="Stack image", file=ImageFile(io.BytesIO(data.getvalue()), name="stack-image.png")
)
block = {"type": "image", "value": {"image": image.pk, "decorative": True, "alt_text": ""}}
record.body_vi = [*record.body_vi.raw_data, block]
record.save_revision().publish()
print("FIXTURE " + json.dumps({
    "record_id": record.pk, "url": record.url, "title": record.title, "asset": asset.pk,
    "sha256": hashlib.sha256(payload).hexdigest(),
}))
"""

CLOSE = r"""
from archive.models import RecordPage
record = RecordPage.objects.get(pk=%(pk)d).specific
record.access_level = "closed"
record.save_revision().publish()
print("CLOSED", record.pk)
"""


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


class Stack:
    def __init__(self, run_dir: Path):
        self.run_dir = run_dir
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DSS_", "DJANGO_"))},
            **{k: str(v) for k, v in PORTS.items()},
            "DSS_STACK_DIR": str(run_dir),
            "DSS_STACK_DEMO": "records",
        }
        self.env.pop("DATABASE_URL", None)
        self.port = PORTS["DSS_STACK_PORT"]
        self.app_port = PORTS["DSS_STACK_APP_PORT"]

    def script(self, command: str, timeout=600) -> str:
        done = subprocess.run(
            ["bash", "scripts/stack.sh", command],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"stack.sh {command}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def app_env(self) -> dict:
        env = dict(self.env)
        for line in self.script("env").splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = shlex.split(value)[0] if value else ""
        return env

    def shell(self, code: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.app_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def get(self, path, headers=None, *, direct=False, method="GET", body=None):
        """One request on a fresh connection (so the kernel spreads them over the workers)."""
        port = self.app_port if direct else self.port
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def access_log(self) -> str:
        return (self.run_dir / "logs" / "gunicorn-access.log").read_text(errors="replace")


@pytest.fixture(scope="module")
def stack():
    busy = [name for name, port in PORTS.items() if not _free(port)]
    if busy:
        pytest.fail(f"ports in use, set another with {', '.join(busy)}")
    run_dir = Path(tempfile.mkdtemp(prefix="dss-stack-test-"))
    os.chmod(run_dir, 0o755)  # nginx's workers (www-data) read the data folder
    started = Stack(run_dir)
    try:
        started.script("start")
        out = started.shell(FIXTURE % {"size": MEDIA_BYTES})
        started.fixture = json.loads(out.split("FIXTURE ", 1)[1].splitlines()[0])
        yield started
    finally:
        subprocess.run(["bash", "scripts/stack.sh", "stop"], cwd=ROOT, env=started.env, timeout=120)
        subprocess.run(["rm", "-rf", str(run_dir)], check=False)


def test_health_through_nginx_reports_every_service(stack):
    deadline = time.monotonic() + 30
    while True:
        status, headers, body = stack.get("/healthz")
        report = json.loads(body)
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert status == 200, report
    assert report["checks"]["workers"]["alive"] >= 2, report
    assert report["checks"]["search"]["backend"] == "database"
    assert headers["Cache-Control"] == "no-store"
    # Nothing about the machine: no paths, hosts or addresses.
    assert str(stack.run_dir) not in body.decode() and "127.0.0.1" not in body.decode()


def test_static_files_are_hashed_gzipped_and_kept_a_year(stack):
    status, _, body = stack.get("/vi/")
    assert status == 200
    found = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
    assert found, "the page links a hashed stylesheet"
    status, headers, body = stack.get(found.group(1).decode(), {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    # Pages are compressed by nginx too.
    status, headers, _ = stack.get("/vi/", {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"


def test_media_leaves_through_x_accel_redirect_with_byte_ranges(stack):
    fixture = stack.fixture
    path = f"/files/{fixture['asset']}/audio_aac"
    # gunicorn itself answers with no bytes, only the internal address for nginx.
    status, headers, body = stack.get(path, direct=True)
    assert status == 200 and body == b""
    assert headers["X-Accel-Redirect"] == "/_protected/derivatives/stack/audio.m4a"
    # Through nginx: the whole file, then a range, exactly those bytes.
    status, headers, whole = stack.get(path)
    assert status == 200 and len(whole) == MEDIA_BYTES
    assert hashlib.sha256(whole).hexdigest() == fixture["sha256"]
    assert headers["Content-Type"] == "audio/mp4"
    assert "X-Accel-Redirect" not in headers
    start, end = 1_000_000, 1_000_000 + 65_535
    status, headers, part = stack.get(path, {"Range": f"bytes={start}-{end}"})
    assert status == 206
    assert headers["Content-Range"] == f"bytes {start}-{end}/{MEDIA_BYTES}"
    assert part == whole[start : end + 1]
    status, headers, tail = stack.get(path, {"Range": "bytes=-100"})
    assert status == 206 and tail == whole[-100:]
    # Anyone-visible bytes: kept by the browser, never by a shared cache.
    assert headers["Cache-Control"] == "private, max-age=600"
    # The internal location and the folders themselves cannot be asked for.
    for probe in (
        "/_protected/derivatives/stack/audio.m4a",
        "/_protected/originals/stack/original.bin",
        "/derivatives/stack/audio.m4a",
        "/media/../derivatives/stack/audio.m4a",
    ):
        status, _, body = stack.get(probe)
        assert status == 404 or len(body) != MEDIA_BYTES, probe
        assert whole[:64] not in body, probe
    # Originals are for officers only, through nginx too.
    status, _, _ = stack.get(f"/files/{fixture['asset']}/original")
    assert status == 404


def _parallel(stack, url, expected, refuse=b""):
    """16 requests straight to gunicorn, 8 at a time: concurrent requests reach both workers."""

    def one(_):
        status, _, body = stack.get(url, direct=True)
        assert not refuse or refuse not in body
        return status

    with ThreadPoolExecutor(8) as pool:
        return set(pool.map(one, range(16)))


def _image_url(stack) -> str:
    status, _, body = stack.get(stack.fixture["url"])
    assert status == 200
    found = re.search(rb'src="(/media/images/[^"]+)"', body)
    assert found, "the record page shows its image"
    return found.group(1).decode()


def test_image_renditions_leave_through_the_gate_and_x_accel_redirect(stack):
    url = _image_url(stack)
    # Wagtail updates its reference index (where an image is used) in a task: until a task
    # worker has run it, the new image is "used nowhere" and refused. Wait for the workers.
    deadline = time.monotonic() + 60
    while True:
        status, headers, body = stack.get(url, direct=True)
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert status == 200 and body == b""
    assert headers["X-Accel-Redirect"] == "/_protected/media/" + url.removeprefix("/media/")
    status, headers, body = stack.get(url)
    assert status == 200 and body[:4] in (b"RIFF", b"\x89PNG")
    assert headers["Content-Type"].startswith("image/")
    assert headers["Cache-Control"] == "private, max-age=600"
    stack.image_url = url
    # The original upload (camera data kept) is for the admin only.
    status, _, _ = stack.get("/media/original_images/stack-image.png")
    assert status == 404


def _pids_for(log: str, path: str, status: int) -> set[str]:
    pattern = re.compile(rf'pid=<?(\d+)>? "GET {re.escape(path)} HTTP/1\.1" {status} ')
    return set(pattern.findall(log))


def test_a_closed_record_is_refused_by_every_worker_and_by_nginx(stack):
    fixture = stack.fixture
    url = fixture["url"]
    media = f"/files/{fixture['asset']}/audio_aac"
    title = fixture["title"].encode()
    # Warm both caches: nginx's micro-cache and the page cache in Redis, on both workers.
    for _ in range(40):
        status, _, body = stack.get(url)
        assert status == 200 and title in body
    for _ in range(10):
        assert _parallel(stack, url, 200) == {200}
        if len(_pids_for(stack.access_log(), url, 200)) >= 2:
            break
    assert len(_pids_for(stack.access_log(), url, 200)) >= 2, "both workers served the page"
    # The entry lives 1 s, so the warm-up may have outlived it: the request after a refresh
    # (EXPIRED/MISS) must be a HIT.
    verdicts = [stack.get(url)[1]["X-Micro-Cache"] for _ in range(3)]
    assert "HIT" in verdicts, verdicts

    stack.shell(CLOSE % {"pk": fixture["record_id"]})
    closed_at = time.monotonic()

    # Every gunicorn worker refuses at once (the page cache's generation lives in Redis).
    for _ in range(10):
        assert _parallel(stack, url, 404, refuse=title) == {404}
        if len(_pids_for(stack.access_log(), url, 404)) >= 2:
            break
    assert len(_pids_for(stack.access_log(), url, 404)) >= 2, "both workers refused"
    assert stack.get(media, direct=True)[0] == 404

    # nginx: its micro-cache keeps a page at most DSS_PROXY_CACHE_SECONDS (1 s here).
    time.sleep(max(0.0, closed_at + 1.5 - time.monotonic()))
    for _ in range(40):
        status, _, body = stack.get(url)
        assert status == 404 and title not in body
    assert stack.get(media, {"Range": "bytes=0-99"})[0] == 404
    image = getattr(stack, "image_url", None)
    if image:
        assert stack.get(image)[0] == 404


def _cookies(headers) -> dict[str, str]:
    return {
        line.split("=", 1)[0]: line for line in headers.get_all("Set-Cookie") or [] if "=" in line
    }


def test_sign_in_through_the_proxy_with_secure_cookies(stack):
    login = "/vi/login/"
    status, headers, body = stack.get(login, HTTPS)
    assert status == 200
    csrf_cookie = _cookies(headers)["csrftoken"]
    assert "Secure" in csrf_cookie
    csrf = csrf_cookie.split(";", 1)[0].split("=", 1)[1]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = f"csrfmiddlewaretoken={token}&username=teacher&password=demo-2026&next=/vi/"
    status, headers, _ = stack.get(
        login,
        {
            **HTTPS,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"https://127.0.0.1:{stack.port}{login}",
        },
        method="POST",
        body=form,
    )
    assert status == 302, "signed in"
    session = _cookies(headers)["sessionid"]
    assert "Secure" in session and "HttpOnly" in session
    sessionid = session.split(";", 1)[0].split("=", 1)[1]
    status, headers, body = stack.get("/vi/", {**HTTPS, "Cookie": f"sessionid={sessionid}"})
    assert status == 200
    assert headers["X-Micro-Cache"] == "BYPASS"
    assert "private" in headers["Cache-Control"]
    assert b"teacher" in body.lower() or b"logout" in body.lower()
