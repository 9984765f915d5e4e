"""Production loads the reference lists alone; the demo refuses a production configuration."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import EthnicGroup, FormerProvince, Province, RecordPage

pytestmark = pytest.mark.django_db


def test_load_reference_data_loads_the_lists_alone_and_is_idempotent():
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert EthnicGroup.objects.count() == 54
    assert Province.objects.count() == 34
    assert FormerProvince.objects.count() == 63
    assert "151 created" in out.getvalue()
    # Nothing of the demo: no records, no accounts.
    assert not RecordPage.objects.exists()
    assert not get_user_model().objects.exists()

    again = StringIO()
    call_command("load_reference_data", stdout=again)
    assert "0 created, 0 updated, 151 unchanged" in again.getvalue()
    assert EthnicGroup.objects.count() == 54


def test_load_demo_refuses_a_production_configuration_unless_forced(settings):
    settings.DSS_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", "--no-media", stdout=StringIO())
    assert not get_user_model().objects.exists()
    assert not EthnicGroup.objects.exists()


def test_production_settings_turn_the_demo_off_by_default():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DSS_", "DJANGO_"))}
    env["DJANGO_SECRET_KEY"] = "x" * 40
    code = "from heritage.settings import production as p; print(p.DSS_DEMO_ALLOWED)"
    root = Path(__file__).resolve().parents[3]
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
    )
    assert proc.stdout.strip() == "False", proc.stderr
