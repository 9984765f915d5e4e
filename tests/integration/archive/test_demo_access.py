"""The demo archive shows every access rule at work for a newcomer."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from archive.access import can_view
from archive.models import AccessRequest, Protocol, RecordPage, RecordProtocol
from demo.loader import load_demo

pytestmark = pytest.mark.django_db


def test_demo_has_each_protocol_a_withdrawal_and_a_pending_request(client):
    _report, accounts = load_demo()
    assert {"liaison", "man", "woman", "visitor"} <= {name for name, _pw, _role in accounts}
    kinds = set(RecordProtocol.objects.values_list("protocol__kind", flat=True))
    assert kinds >= {"registered", "group", "men", "women", "seasonal", "closed"}
    assert RecordPage.objects.filter(protocol_mode="any").exists()
    User = get_user_model()
    man, woman = User.objects.get(username="man"), User.objects.get(username="woman")
    men_only = RecordPage.objects.get(protocol_links__protocol__kind="men", protocol_mode="all")
    assert can_view(men_only, man) and not can_view(men_only, woman)
    assert not can_view(men_only, AnonymousUser())
    withdrawn = RecordPage.objects.get(consent_public_web_ok=False)
    assert not can_view(withdrawn, AnonymousUser())
    assert client.get(withdrawn.url).status_code == 404
    pending = AccessRequest.objects.get(status="pending")
    client.force_login(User.objects.get(username="liaison"))
    assert pending.record.title in client.get("/vi/access/queue/").content.decode()
    assert Protocol.objects.filter(kind="seasonal").exists()
