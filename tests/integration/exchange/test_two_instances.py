"""Two (three) instances of the project as real processes, each with its own SQLite
database and data folder: a province (served by runserver), the national aggregator and
a second province (commands). The aggregator harvests the province over HTTP, then its
edit, deletion, restriction and consent withdrawal, and its search, pages, sitemap and OAI
show them (its task worker runs a batch after each harvest, as in production); a second
province harvests the first over the JSON API (full, then the same four changes); the
province pushes a signed
bundle and a report, a tampered copy is refused; the aggregator publishes a unit rename
that the province sees, then applies."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.exchange

ROOT = Path(__file__).resolve().parents[3]
SEED = """
from archive.models import EthnicGroup
from archive.services.reference_data import load_reference_data
from tests.factories import make_record
load_reference_data()
tay = EthnicGroup.objects.get(code="02")
for title in {titles!r}:
    make_record(title_vi=title, groups=[tay])
"""
# The singer of "Hát ví" consented to the public web; she withdraws it after the first harvest.
SINGER = """
from datetime import date
from archive.models import Person, RecordContributor, RecordPage
from archive.services import consent
song = RecordPage.objects.get(title="Hát ví")
singer = Person.objects.create(name="Bà Lý Thị Ví")
RecordContributor.objects.create(record=song, person=singer, role="singer")
consent.consent(singer, scopes=["archive", "public_web"], on=date(2024, 1, 1), record=song)
"""
CHANGES = """
from datetime import date
from archive.models import Person, RecordPage as R
from archive.services import consent
p = R.objects.get(title="Hát then").specific
p.title = p.title_vi = "Hát then Tày"
p.save_revision().publish()
R.objects.get(title="Khèn Mông").specific.delete()
closed = R.objects.get(title="Múa xòe").specific
closed.access_level = "closed"
closed.save_revision().publish()
singer = Person.objects.get(name="Bà Lý Thị Ví")
song = R.objects.get(title="Hát ví")
consent.withdraw(singer, scopes=["public_web"], on=date(2025, 1, 1), record=song)
"""
GONE = ["Khèn Mông", "Múa xòe", "Hát ví"]


class Instance:
    def __init__(self, name: str, folder: Path, template: Path):
        self.name = name
        self.folder = folder
        folder.mkdir()
        shutil.copy(template, folder / "db.sqlite3")
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "heritage.settings.dev",
            "DSS_DATA_DIR": str(folder),
            "DSS_OAI_REPOSITORY_ID": f"{name}.example",
            "DSS_SIGNING_KEY_FILE": str(folder / "ed25519.pem"),
            "DSS_SEARCH_MEMORY_INDEX": "0",
        }
        self.server = None

    def manage(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if ok:
            assert done.returncode == 0, done.stderr[-2000:]
        return done

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code).stdout

    def run_worker(self) -> None:
        """What the instance's task worker would do next: every queued task (the search
        index and page-cache updates a harvest enqueues), then exit."""
        self.manage("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay")

    def serve(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.env["WAGTAILADMIN_BASE_URL"] = self.base
        self.server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/oai?verb=Identify", timeout=5).read()
                return self.base
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"{self.name} did not answer /oai within 60 s at {self.base}")

    def stop(self):
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=20)


@pytest.fixture(scope="module")
def instances(tmp_path_factory):
    root = tmp_path_factory.mktemp("instances")
    template = root / "migrated"
    template.mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "heritage.settings.dev"}
    env["DSS_DATA_DIR"] = str(template)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    province = Instance("lao-cai", root / "province", template / "db.sqlite3")
    national = Instance("trung-uong", root / "national", template / "db.sqlite3")
    neighbour = Instance("ha-giang", root / "neighbour", template / "db.sqlite3")
    titles = ["Lễ hội Lồng Tồng", "Hát then", "Khèn Mông", "Múa xòe", "Hát ví"]
    province.shell(SEED.format(titles=titles) + SINGER)
    national.shell(SEED.format(titles=[]))
    neighbour.shell(SEED.format(titles=[]))
    province.serve()
    public = province.manage("generate_signing_key").stdout.strip().splitlines()[-1]
    peer = (
        "from archive.models import Peer; Peer.objects.create(label='lao-cai', "
        f"name='Lào Cai', base_url='{province.base}/oai', public_key='{public}')"
    )
    national.shell(peer)
    # The neighbouring province reads the same province over its JSON API's changes feed.
    json_peer = peer.replace(f"'{province.base}/oai'", f"'{province.base}/api/v1', protocol='json'")
    neighbour.shell(json_peer)
    yield province, national, neighbour, root
    province.stop()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read().decode("utf-8")


def _held(instance) -> list[str]:
    out = instance.shell(
        "import json; from archive.models import HarvestedRecord as H; "
        "print(json.dumps(sorted(H.objects.values_list('record__title', flat=True))))"
    )
    return json.loads(out.strip().splitlines()[-1])


def _harvest(instance) -> dict:
    done = instance.manage("harvest", "lao-cai", "--json")
    instance.run_worker()
    return json.loads(done.stdout.strip().splitlines()[-1])


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def _search(base: str, words: str) -> list[str]:
    query = urllib.parse.urlencode({"q": words, "lang": "vi"})
    return [r["title"] for r in json.loads(_get(f"{base}/api/v1/search?{query}"))["results"]]


def test_harvest_then_changes_then_neighbour(instances):
    province, national, neighbour, _root = instances
    first = _harvest(national)
    assert first["created"] == 5
    everything = ["Lễ hội Lồng Tồng", "Hát then", "Khèn Mông", "Múa xòe", "Hát ví"]
    assert _held(national) == sorted(everything)
    before = json.loads(
        national.shell(
            "import json; from archive.models import HarvestedRecord as H; print(json.dumps("
            "{h.record.title: h.record.url for h in H.objects.select_related('record')}))"
        ).splitlines()[-1]
    )
    # Province to province over the JSON API: the neighbour's full harvest.
    over_json = _harvest(neighbour)
    assert over_json["complete"] and over_json["created"] == 5, over_json
    assert _held(neighbour) == sorted(everything)
    national.serve()
    try:  # so that "gone from search" below means removed, not never indexed
        for title in GONE:
            assert title in _search(national.base, title), f"{title} not found after harvest"
    finally:
        national.stop()
    time.sleep(1.1)  # OAI datestamps are whole seconds
    province.shell(CHANGES)
    # At the province itself, the restricted and the withdrawn records are now reported
    # as deleted by its OAI (with the deleted one), so harvesters remove them too.
    listed = _get(f"{province.base}/oai?verb=ListIdentifiers&metadataPrefix=oai_dc")
    assert listed.count('status="deleted"') == 3, listed

    again = _harvest(national)
    assert again["complete"] and again["deleted"] == 3 and again["updated"] >= 1, again
    kept = ["Lễ hội Lồng Tồng", "Hát then Tày"]
    assert _held(national) == sorted(kept)

    # The aggregator, served with what its worker left: search, pages, sitemap, OAI.
    national.serve()
    try:
        found = _search(national.base, "Hát then Tày")
        assert "Hát then Tày" in found, f"the edited copy is not found by search: {found}"
        for title in GONE:
            assert title not in _search(national.base, title), f"{title} still found"
        page = _get(national.base + before["Hát then"])
        assert "Hát then Tày" in page and "lao-cai" in page.lower()
        for title in GONE:
            code = _status(national.base + before[title])
            assert code in (404, 410), f"the page of {title} answers {code}"
        sitemap = _get(f"{national.base}/vi/sitemap.xml")
        assert before["Hát then"] in sitemap and before["Lễ hội Lồng Tồng"] in sitemap
        for title in GONE:
            assert before[title] not in sitemap, f"{title} still in the sitemap"
        own = _get(f"{national.base}/oai?verb=ListRecords&metadataPrefix=oai_dc")
        assert "Hát then Tày" in own
        for title in GONE:
            assert title not in own, f"{title} still in the aggregator's OAI"
    finally:
        national.stop()
    # Province to province over JSON, incrementally: exactly the four changes (the feed's
    # "since" is exclusive, so nothing already held comes again).
    again = _harvest(neighbour)
    assert again["complete"], again
    assert (again["created"], again["updated"], again["deleted"]) == (0, 1, 3), again
    assert _held(neighbour) == sorted(kept)


def test_signed_bundle_and_report_and_a_tampered_copy(instances):
    province, national, _neighbour, root = instances
    bundle = root / "bundle.json"
    province.manage("export_bundle", str(bundle))
    applied = national.manage("import_bundle", str(bundle), "--from", "lao-cai")
    # The same records the harvest brought (commands speak the site's language, vi).
    assert "lao-cai" in applied.stdout and len(_held(national)) == 2
    tampered = root / "tampered.json"
    tampered.write_text(bundle.read_text(encoding="utf-8").replace("Hát then Tày", "Giả"))
    refused = national.manage("import_bundle", str(tampered), "--from", "lao-cai", ok=False)
    assert refused.returncode != 0 and "lao-cai" in refused.stderr
    assert "Giả" not in _held(national)
    report = root / "report.json"
    period = time.strftime("%Y-%m", time.gmtime())
    province.manage("send_report", str(report), "--period", period)
    national.manage("import_bundle", str(report), "--from", "lao-cai")
    kept = national.shell(
        "from archive.models import ReceivedReport as R; r = R.objects.get(); "
        "print(r.peer.label, r.period, r.totals['records'])"
    )
    assert kept.strip().splitlines()[-1] == f"lao-cai {period} 2"


def test_a_unit_rename_goes_down_after_the_diff(instances):
    province, national, _neighbour, _root = instances
    national.shell(
        "from archive.models import Province as P; "
        "P.objects.filter(name='Lào Cai').update(name='Lào Cai (tỉnh mới)')"
    )
    # Signed with the aggregator's key, which the province registered as the peer
    # "national"; published to the folder the aggregator's site serves at /reference-data/,
    # and pulled from there over HTTP.
    key = national.manage("generate_signing_key").stdout.strip().splitlines()[-1]
    province.shell(
        "from archive.models import Peer; Peer.objects.create(label='national', "
        f"name='Trung ương', base_url='http://national.example/oai', public_key='{key}')"
    )
    national.manage("publish_reference_data")
    url = f"{national.serve()}/reference-data/"
    try:
        shown = province.manage("pull_reference_data", url, "--peer", "national").stdout
        assert "“Lào Cai”" in shown and "“Lào Cai (tỉnh mới)”" in shown
        province.manage("pull_reference_data", url, "--peer", "national", "--apply")
    finally:
        national.stop()
    name = province.shell(
        "from archive.models import Province as P; print(P.objects.filter(name__startswith="
        "'Lào Cai').values_list('name', flat=True).get())"
    )
    assert name.strip().splitlines()[-1] == "Lào Cai (tỉnh mới)"
