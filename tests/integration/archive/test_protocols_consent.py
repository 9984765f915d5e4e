"""Cultural protocols, consent and access requests: the rules behind the gate, one by one.
(Every door is checked against them in tests/integration/access/test_access_matrix.py.)"""

from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from archive.access import VIETNAM, access_epoch, access_signature, can_view
from archive.models import (
    AccessRequest,
    ConsentRecord,
    Person,
    Protocol,
    RecordContributor,
    RecordingPage,
    RecordProtocol,
)
from archive.services import access_requests, consent
from tests.factories import make_auth_group, make_record, make_user

pytestmark = pytest.mark.django_db

# 2026-03-10 in Vietnam is day 22 of lunar month 1; 2026-08-20 is day 8 of lunar month 7.
OUTSIDE = datetime(2026, 3, 10, 12, tzinfo=VIETNAM)
INSIDE = datetime(2026, 8, 20, 12, tzinfo=VIETNAM)


def protocol(kind, **fields):
    return Protocol.objects.create(name_vi=kind, name_en=kind, kind=kind, **fields)


def with_protocols(*protocols, mode="all", **fields):
    record = make_record(protocol_mode=mode, **fields)
    for p in protocols:
        RecordProtocol.objects.create(record=record, protocol=p)
    return record


@pytest.fixture
def groups():
    return {
        "community": make_auth_group("Community: Cơ Tu"),
        "men": make_auth_group("Community: Cơ Tu men"),
        "women": make_auth_group("Community: Cơ Tu women"),
    }


def test_men_only_and_women_only_follow_the_named_group(groups):
    men_only = with_protocols(protocol("men", group=groups["men"]))
    women_only = with_protocols(protocol("women", group=groups["women"]))
    man = make_user(groups=[groups["community"], groups["men"]])
    woman = make_user(groups=[groups["community"], groups["women"]])
    assert can_view(men_only, man) and not can_view(men_only, woman)
    assert can_view(women_only, woman) and not can_view(women_only, man)
    assert not can_view(men_only, AnonymousUser())


def test_all_mode_needs_every_protocol_any_mode_one(groups):
    men = protocol("men", group=groups["men"])
    women = protocol("women", group=groups["women"])
    both = with_protocols(men, women, mode="all")
    either = with_protocols(men, women, mode="any")
    man = make_user(groups=[groups["men"]])
    assert not can_view(both, man)
    assert can_view(either, man)
    assert can_view(both, make_user(groups=[groups["men"], groups["women"]]))


def test_registered_and_closed_protocols():
    registered = with_protocols(protocol("registered"))
    closed = with_protocols(protocol("closed"))
    user = make_user()
    assert can_view(registered, user) and not can_view(registered, AnonymousUser())
    assert not can_view(closed, user)
    assert can_view(closed, make_user(perms=["archive.view_closed_records"]))


def test_seasonal_lunar_window_opens_and_closes_without_an_edit():
    season = protocol(
        "seasonal", calendar="lunar", start_month=7, start_day=1, end_month=7, end_day=30
    )
    song = with_protocols(season)
    anonymous = AnonymousUser()
    assert not can_view(song, anonymous, at=OUTSIDE)
    assert can_view(song, anonymous, at=INSIDE)
    assert not can_view(song, anonymous, at=INSIDE + timedelta(days=40))
    # The caches' keys change with the window: the epoch, and so every access signature.
    assert access_epoch(OUTSIDE) != access_epoch(INSIDE)
    assert access_signature(anonymous, OUTSIDE) != access_signature(anonymous, INSIDE)
    assert access_epoch(OUTSIDE) == access_epoch(OUTSIDE + timedelta(days=1))


def test_solar_window_runs_over_the_new_year():
    dry = protocol(
        "seasonal", calendar="solar", start_month=12, start_day=20, end_month=1, end_day=10
    )
    record = with_protocols(dry)
    assert can_view(record, None, at=datetime(2026, 1, 5, tzinfo=VIETNAM))
    assert can_view(record, None, at=datetime(2026, 12, 25, tzinfo=VIETNAM))
    assert not can_view(record, None, at=datetime(2026, 2, 1, tzinfo=VIETNAM))


def test_vietnam_time_decides_the_day():
    solar = protocol(
        "seasonal", calendar="solar", start_month=3, start_day=10, end_month=3, end_day=10
    )
    record = with_protocols(solar)
    # 17:30 UTC on 9 March is already 00:30 on 10 March in Vietnam.
    from datetime import UTC

    assert can_view(record, None, at=datetime(2026, 3, 9, 17, 30, tzinfo=UTC))


@pytest.mark.parametrize("memory", [True, False], ids=["memory-copy", "sql"])
def test_search_answers_follow_the_season(
    client, django_capture_on_commit_callbacks, settings, memory
):
    """The in-memory copy's access masks are keyed by the gate's signature, which carries
    the seasonal epoch: a window opening or closing changes the answer with no edit."""
    settings.SEARCH_MEMORY_INDEX = memory
    season = protocol(
        "seasonal", calendar="lunar", start_month=7, start_day=1, end_month=7, end_day=30
    )
    with django_capture_on_commit_callbacks(execute=True):
        with_protocols(season, title_vi="Bài hát mùa zqseason")
    for moment, shown in ((OUTSIDE, False), (INSIDE, True), (OUTSIDE, False)):
        with mock.patch("archive.access.now", return_value=moment):
            body = client.get("/api/v1/search?q=zqseason&lang=vi").content.decode()
            assert ("zqseason" in body) == shown, moment


# -- consent ---------------------------------------------------------------------------------


def recording_with_speaker(**fields):
    record = make_record(RecordingPage, **fields)
    person = Person.objects.create(name="Người nói thử")
    RecordContributor.objects.create(record=record, person=person, role="speaker")
    return record, person


def test_no_consent_no_public_web():
    record, person = recording_with_speaker()
    officer = make_user(perms=["archive.view_restricted_records"])
    assert not can_view(record, AnonymousUser())
    assert not can_view(record, make_user())
    assert can_view(record, officer)
    consent.consent(person, scopes=["archive", "public_web"], on=date(2024, 1, 1))
    assert can_view(record, AnonymousUser())


def test_withdrawal_hides_at_once_logs_and_invalidates(client, django_capture_on_commit_callbacks):
    from wagtail.models import PageLogEntry

    from heritage import page_cache

    with django_capture_on_commit_callbacks(execute=True):
        record, person = recording_with_speaker(title_vi="Lời kể zqwithdraw")
        consent.consent(person, scopes=["archive", "public_web"], on=date(2024, 1, 1))
    assert client.get(record.url).status_code == 200
    assert "zqwithdraw" in client.get("/api/v1/search?q=zqwithdraw&lang=vi").content.decode()
    generation = page_cache.generation()
    officer = make_user(perms=["archive.view_restricted_records"])

    with django_capture_on_commit_callbacks(execute=True):
        consent.withdraw(
            person, scopes=["public_web"], on=date(2025, 5, 2), record=record, by=officer
        )

    assert client.get(record.url).status_code == 404
    assert "zqwithdraw" not in client.get("/api/v1/search?q=zqwithdraw&lang=vi").content.decode()
    assert page_cache.generation() != generation
    assert can_view(record, officer)
    entry = PageLogEntry.objects.get(page=record, action=consent.WITHDRAWAL_ACTION)
    assert entry.user == officer and entry.data["scopes"] == ["public_web"]
    # Only a new consent reverses it.
    consent.consent(person, scopes=["public_web"], on=date(2025, 6, 1), record=record)
    assert client.get(record.url).status_code == 200


def test_withdrawn_archive_consent_hides_from_restricted_officers_too():
    record, person = recording_with_speaker()
    consent.consent(person, scopes=["archive", "public_web"], on=date(2024, 1, 1))
    consent.withdraw(person, scopes=["archive", "public_web"], on=date(2025, 1, 1))
    assert not can_view(record, make_user(perms=["archive.view_restricted_records"]))
    assert can_view(record, make_user(perms=["archive.view_closed_records"]))


def test_a_consent_row_is_never_edited():
    _record, person = recording_with_speaker()
    row = consent.consent(person, scopes=["public_web"], on=date(2024, 1, 1))
    row.kind = "withdrawal"
    with pytest.raises(ValidationError):
        row.full_clean()
    with pytest.raises(ValueError):
        row.save()
    assert ConsentRecord.objects.get(pk=row.pk).kind == "consent"


# -- access requests -------------------------------------------------------------------------


@pytest.fixture
def liaison_setup(groups):
    liaisons = make_auth_group(access_requests.LIAISON_GROUP)
    record = with_protocols(protocol("group", group=groups["community"]))
    return {
        "record": record,
        "liaison": make_user(groups=[liaisons, groups["community"]]),
        "other_liaison": make_user(groups=[liaisons, make_auth_group("Community: elsewhere")]),
        "visitor": make_user(),
    }


def test_request_approval_with_expiry_is_a_clause(liaison_setup):
    record, visitor = liaison_setup["record"], liaison_setup["visitor"]
    request = access_requests.ask(visitor, record.accession_number, "Luận văn về nghi lễ")
    assert request.status == "pending" and not can_view(record, visitor)
    with pytest.raises(PermissionError):
        access_requests.decide(request, liaison_setup["other_liaison"], approve=True)
    access_requests.decide(
        request, liaison_setup["liaison"], approve=True, expires_on=date(2026, 3, 31)
    )
    assert can_view(record, visitor, at=datetime(2026, 3, 31, 23, tzinfo=VIETNAM))
    assert not can_view(record, visitor, at=datetime(2026, 4, 1, 0, 30, tzinfo=VIETNAM))
    # The search signature changes when the grant ends, so cached answers cannot outlive it.
    assert access_signature(visitor, datetime(2026, 3, 1, tzinfo=VIETNAM)) != access_signature(
        visitor, datetime(2026, 4, 2, tzinfo=VIETNAM)
    )


def test_refused_request_opens_nothing(liaison_setup):
    record, visitor = liaison_setup["record"], liaison_setup["visitor"]
    request = access_requests.ask(visitor, record.accession_number, "Tò mò")
    access_requests.decide(request, liaison_setup["liaison"], approve=False, note="Không")
    assert not can_view(record, visitor)


def test_closed_records_cannot_be_requested():
    closed = make_record(access_level="closed")
    with pytest.raises(access_requests.NotRequestable):
        access_requests.ask(make_user(), closed.accession_number, "x")


def test_request_pages_for_visitor_and_liaison(client, liaison_setup):
    record, visitor = liaison_setup["record"], liaison_setup["visitor"]
    assert client.get("/vi/access/").status_code == 302  # sign in first
    client.force_login(visitor)
    response = client.post(
        "/vi/access/", {"accession": record.accession_number, "reason": "Nghiên cứu"}
    )
    assert response.status_code == 302
    request = AccessRequest.objects.get(user=visitor, record=record)
    closed = make_record(access_level="closed", title_vi="Bí mật zqclosed")
    response = client.post("/vi/access/", {"accession": closed.accession_number, "reason": "x"})
    assert response.status_code == 200 and "zqclosed" not in response.content.decode()
    assert client.get("/vi/access/queue/").status_code == 404

    client.force_login(liaison_setup["other_liaison"])
    assert record.title not in client.get("/vi/access/queue/").content.decode()
    client.force_login(liaison_setup["liaison"])
    assert record.title in client.get("/vi/access/queue/").content.decode()
    client.post(
        f"/vi/access/queue/{request.pk}/",
        {f"r{request.pk}-decision": "approve", f"r{request.pk}-expires_on": ""},
    )
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == liaison_setup["liaison"]

    client.force_login(visitor)
    assert client.get(record.url).status_code == 200
    page = client.get("/vi/access/").content.decode()
    assert record.title in page


# -- admin -----------------------------------------------------------------------------------


def test_admin_edits_protocols_on_records_and_assets(client):
    from django.urls import reverse

    record = with_protocols(protocol("registered"))
    client.force_login(make_user(is_superuser=True, is_staff=True))
    html = client.get(f"/admin/pages/{record.pk}/edit/").content.decode()
    assert "protocol_links" in html and "protocol_mode" in html
    for model in ("protocol", "assetprotocols", "consentrecord", "accessrequest"):
        url = reverse(f"wagtailsnippets_archive_{model}:list")
        assert client.get(url).status_code == 200, model
    add = client.get(reverse("wagtailsnippets_archive_assetprotocols:add"))
    assert add.status_code == 200


def test_restricted_media_notice_offers_a_request(client):
    from archive.models import AssetProtocols
    from media_pipeline.models import AssetState, MediaAsset, RecordMedia

    record = make_record(title_vi="Bản ghi có phương tiện")
    asset = MediaAsset.objects.create(title="Bài hát nữ", type="audio", state=AssetState.DONE)
    RecordMedia.objects.create(record=record, asset=asset)
    MediaAsset.objects.filter(pk=asset.pk).update(state=AssetState.DONE)
    women = protocol("women", group=make_auth_group("Community: women"))
    rules = AssetProtocols.objects.create(asset=asset)
    rules.protocols.set([women])
    client.force_login(make_user())
    html = client.get(record.url).content.decode()
    assert "restricted-media" in html and "/vi/access/new/?accession=" in html


def test_cached_pages_follow_the_season_with_no_edit(client):
    from django.core.cache import cache

    cache.clear()
    season = protocol(
        "seasonal", calendar="lunar", start_month=7, start_day=1, end_month=7, end_day=30
    )
    song = with_protocols(season, title_vi="Bài hát mùa zqcached")
    with mock.patch("archive.access.now", return_value=INSIDE):
        first = client.get("/vi/customs/")
        assert "zqcached" in first.content.decode()
        again = client.get("/vi/customs/")
        assert again["X-Page-Cache"] == "hit" and "zqcached" in again.content.decode()
        assert client.get(song.url).status_code == 200
    with mock.patch("archive.access.now", return_value=OUTSIDE):
        later = client.get("/vi/customs/")
        assert "zqcached" not in later.content.decode()
        assert client.get(song.url).status_code == 404


def test_withdrawal_entered_in_the_admin_names_its_officer(client):
    from django.urls import reverse
    from wagtail.models import PageLogEntry

    record, person = recording_with_speaker()
    consent.consent(person, scopes=["archive", "public_web"], on=date(2024, 1, 1))
    officer = make_user(is_superuser=True, is_staff=True)
    client.force_login(officer)
    response = client.post(
        reverse("wagtailsnippets_archive_consentrecord:add"),
        {
            "person": person.pk,
            "record": "",
            "kind": "withdrawal",
            "scope_public_web": "on",
            "given_on": "2025-05-02",
            "evidence": "Phone call",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = ConsentRecord.objects.get(kind="withdrawal")
    assert row.recorded_by == officer
    assert not can_view(record, AnonymousUser())
    entry = PageLogEntry.objects.get(page=record, action=consent.WITHDRAWAL_ACTION)
    assert entry.user == officer


def test_shared_asset_follows_a_withdrawal_on_any_of_its_records():
    from media_pipeline.access import can_view_asset
    from media_pipeline.models import AssetState, MediaAsset, RecordMedia

    public = make_record()
    record, person = recording_with_speaker()
    consent.consent(person, scopes=["archive", "public_web"], on=date(2024, 1, 1))
    asset = MediaAsset.objects.create(title="Chung", type="audio", state=AssetState.DONE)
    RecordMedia.objects.create(record=public, asset=asset)
    RecordMedia.objects.create(record=record, asset=asset)
    assert can_view_asset(asset, AnonymousUser())
    consent.withdraw(person, scopes=["public_web"], on=date(2025, 1, 1))
    assert not can_view_asset(asset, AnonymousUser())


def test_engine_access_terms_carry_protocol_sets_and_grants(groups):
    from archive.access import engine_access_terms

    men = protocol("men", group=groups["men"])
    season = protocol(
        "seasonal", calendar="lunar", start_month=7, start_day=1, end_month=7, end_day=30
    )
    man = make_user(groups=[groups["men"]])
    terms = engine_access_terms(man, at=OUTSIDE)
    assert men.pk in terms["satisfied"] and season.pk in terms["unsatisfied"]
    assert terms["levels"] == ["public", "registered"] and terms["public_web_consent"]
    assert engine_access_terms(AnonymousUser(), at=INSIDE)["satisfied"] == [season.pk]
    assert engine_access_terms(make_user(perms=["archive.view_closed_records"])) == {"all": True}


def test_record_page_names_its_protocols_to_those_who_see_it(client, groups):
    record = with_protocols(protocol("group", group=groups["community"]), title_vi="Có giao ước")
    Protocol.objects.filter(kind="group").update(name_vi="Giao ước cộng đồng zqproto")
    client.force_login(make_user(groups=[groups["community"]]))
    html = client.get(record.url).content.decode()
    assert "zqproto" in html and "protocols" in html


def test_a_grant_opens_the_media_protocols_of_its_record(groups, liaison_setup):
    from archive.models import AssetProtocols
    from media_pipeline.access import can_view_asset
    from media_pipeline.models import AssetState, MediaAsset, RecordMedia

    record = make_record(title_vi="Công khai, phương tiện có giao ước")
    asset = MediaAsset.objects.create(title="Bài hát nam", type="audio", state=AssetState.DONE)
    RecordMedia.objects.create(record=record, asset=asset)
    rules = AssetProtocols.objects.create(asset=asset)
    rules.protocols.set([protocol("men", group=groups["men"])])
    visitor = liaison_setup["visitor"]
    assert not can_view_asset(asset, visitor)
    request = access_requests.ask(visitor, record.accession_number, "Học tập")
    access_requests.decide(
        request, make_user(perms=["archive.decide_access_requests"]), approve=True
    )
    assert can_view_asset(asset, visitor)
    assert not can_view_asset(asset, make_user())
