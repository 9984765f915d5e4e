"""The page cache is shared by every process (issue 10, leak 1).

A web process caches a record page, the home page and the sitemap; another process (a shell,
as an officer's script or the task worker would be) closes the record. The web process's
next anonymous request must not be answered from its cache. This runs on a real database
file in a throwaway data folder, with the settings a fresh clone gets (``heritage.settings.dev``:
no ``DSS_CACHE_URL``, so the database cache), because the test database is in memory.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from heritage import page_cache

ROOT = Path(__file__).resolve().parents[3]

WEB = textwrap.dedent(
    """
    import subprocess, sys
    import django
    django.setup()
    from django.test import Client
    from tests.factories import make_record
    from archive.models import CustomPage

    record = make_record(CustomPage, "Bài khấn chung tiến", slug="bai-khan")
    client = Client()
    assert client.get(record.url).status_code == 200
    hit = client.get(record.url)
    assert hit["X-Page-Cache"] == "hit", hit.headers
    assert "Bài khấn chung tiến" in client.get("/vi/").content.decode()
    assert "bai-khan" in client.get("/vi/sitemap.xml").content.decode()
    assert client.get("/vi/sitemap.xml")["X-Page-Cache"] == "hit"

    closing = (
        "from archive.models import RecordPage;"
        f"r = RecordPage.objects.get(pk={record.pk}).specific;"
        "r.access_level = 'closed';"
        "r.save_revision().publish()"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", closing], check=True)

    after = client.get(record.url)
    print("PAGE", after.status_code, after.get("X-Page-Cache"))
    print("HOME", "Bài khấn chung tiến" in client.get("/vi/").content.decode())
    print("SITEMAP", "bai-khan" in client.get("/vi/sitemap.xml").content.decode())

    # The task worker finishing media (a save of the asset in its own process) reaches
    # this process's cached pages too.
    client.get("/vi/teachers/")
    print("TEACHERS-BEFORE", client.get("/vi/teachers/")["X-Page-Cache"])
    worker = (
        "from django.conf import settings;"
        "settings.DSS_ORIGINALS_ROOT.mkdir(parents=True, exist_ok=True);"
        "(settings.DSS_ORIGINALS_ROOT / 'x.wav').write_bytes(b'RIFF');"
        "from media_pipeline.models import MediaAsset;"
        "MediaAsset.objects.create(title='x', type='audio', state='done', file='x.wav')"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", worker], check=True)
    print("TEACHERS-AFTER", client.get("/vi/teachers/")["X-Page-Cache"])
    """
)


def test_a_record_closed_by_another_process_is_not_served_from_the_cache(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DSS_", "DJANGO_", "DATABASE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="heritage.settings.dev",
        DSS_DATA_DIR=str(tmp_path),
        DSS_SEARCH_MEMORY_INDEX="0",
    )
    run = dict(cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], **run)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    web = subprocess.run([sys.executable, "-c", WEB], **run)
    assert web.returncode == 0, web.stderr[-3000:]
    lines = web.stdout.splitlines()
    assert "PAGE 404 None" in lines, web.stdout
    assert "HOME False" in lines, web.stdout
    assert "SITEMAP False" in lines, web.stdout
    assert "TEACHERS-BEFORE hit" in lines and "TEACHERS-AFTER miss" in lines, web.stdout


@pytest.mark.django_db
def test_a_page_rendered_across_an_access_change_is_not_kept():
    """The generation is read when rendering starts; a page rendered while a change landed
    is filed under the old generation and never served again."""
    factory = RequestFactory()

    def render_while_closing():
        page_cache.invalidate_all()  # another process closes the record meanwhile
        return HttpResponse("old page, rendered before the change")

    first = factory.get("/vi/ghi/x/")
    first.user = None
    page_cache.serve_cached(first, render_while_closing)
    second = factory.get("/vi/ghi/x/")
    second.user = None
    response = page_cache.serve_cached(second, lambda: HttpResponse("page after the change"))
    assert response.content == b"page after the change"
