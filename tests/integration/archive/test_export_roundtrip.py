"""Export → import of the whole demo archive changes nothing (CSV and XLSX)."""

import pytest
from wagtail.models import Revision

from archive.exporting import export_bytes, record_row
from archive.importing.service import run_import
from archive.models import ConsentRecord, Person, RecordPage
from demo.loader import load_demo

# Minutes of page creation; the import's PostgreSQL behaviour (batches, refusals) is
# covered by the quicker import tests in that pass.
pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_only]


def state():
    return {
        "rows": {r.pk: record_row(r) for r in RecordPage.objects.all()},
        "revisions": Revision.objects.count(),
        "people": Person.objects.count(),
        "consents": ConsentRecord.objects.count(),
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_demo_archive_round_trip_is_lossless(fmt):
    load_demo()
    before = state()
    sheet = export_bytes(RecordPage.objects.all(), fmt, "vi" if fmt == "xlsx" else "en")

    dry = run_import(sheet, f"demo.{fmt}", dry_run=True)
    assert [p.message("en") for p in dry.all_problems] == []
    assert dry.counts == {"create": 0, "update": 0, "unchanged": len(before["rows"]), "error": 0}

    done = run_import(sheet, f"demo.{fmt}", dry_run=False)
    assert done.counts["unchanged"] == len(before["rows"])
    assert state() == before
