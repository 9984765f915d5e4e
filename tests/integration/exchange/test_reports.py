"""Reports upward: a province signs its period's figures (public records only); the
national archive checks the signature, keeps the report and lists it with totals."""

import csv
import io
import json

import pytest
from django.core.management.base import CommandError
from django.utils import timezone

from archive.models import Peer, ReceivedReport
from tests.factories import make_group, make_record, make_user
from tests.support.commands import command_output as _run

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(settings, tmp_path):
    settings.DSS_SIGNING_KEY_FILE = tmp_path / "ed25519.pem"
    public = _run("generate_signing_key").strip().splitlines()[-1]
    tay = make_group("Tày", code="02")
    make_record(title_vi="Lễ hội Lồng Tồng", title_en="Field festival", groups=[tay])
    make_record(title_vi="Hát then", groups=[tay])
    gone = make_record(title_vi="Bản ghi bị xoá", groups=[tay])
    gone.delete()
    period = timezone.now().strftime("%Y-%m")
    bundle = tmp_path / "report.json"
    assert period in _run("send_report", str(bundle), "--period", period)
    Peer.objects.create(
        label="lao-cai", name="Lào Cai", base_url="http://lc.example/oai", public_key=public
    )
    return bundle, period


def test_the_report_counts_public_work_and_is_signed(sent):
    bundle, period = sent
    data = json.loads(bundle.read_text())
    assert data["kind"] == "report" and data["signature"]
    totals = data["report"]
    assert totals["period"] == period
    assert totals["records"] == 2 and totals["new"] == 2
    assert totals["withdrawn"] == 1 and totals["withdrawn_detail"]["deleted"] == 1
    assert totals["translation"] == {"translated": 0, "partly": 1, "vietnamese_only": 1}
    table = list(csv.DictReader(io.StringIO(bundle.with_suffix(".csv").read_text())))
    assert {"kind": "group", "code": "02", "label": "Tày", "records": "2"}.items() <= table[
        0
    ].items()


def test_the_national_side_keeps_and_lists_the_report(sent, client):
    bundle, period = sent
    assert "received" in _run("import_bundle", str(bundle), "--from", "lao-cai")
    _run("import_bundle", str(bundle), "--from", "lao-cai")  # a resend replaces it
    report = ReceivedReport.objects.get()
    assert (report.peer.label, report.period, report.totals["records"]) == ("lao-cai", period, 2)
    client.force_login(make_user(is_superuser=True, is_staff=True))
    page = client.get("/admin/exchange/reports/").content.decode()
    assert "Lào Cai" in page and period in page
    rows = client.get("/admin/exchange/reports.csv").content.decode()
    assert f"lao-cai,{period},group,02,Tày,2," in rows


def test_reports_are_for_administrators_only(sent, client):
    client.force_login(make_user(is_staff=True))
    assert client.get("/admin/exchange/reports.csv").status_code in (302, 403)


def test_a_tampered_report_is_refused_and_nothing_kept(sent):
    bundle, _period = sent
    data = json.loads(bundle.read_text())
    data["report"]["records"] = 999
    bundle.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(CommandError, match="signature does not match"):
        _run("import_bundle", str(bundle), "--from", "lao-cai")
    assert not ReceivedReport.objects.exists()


def test_a_bad_period_is_said_plainly(sent, tmp_path):
    with pytest.raises(CommandError, match="2026-Q4"):
        _run("send_report", str(tmp_path / "r.json"), "--period", "2026-13")
