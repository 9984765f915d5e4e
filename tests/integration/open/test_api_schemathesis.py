"""schemathesis against the live API: a real HTTP server (pytest-django's ``live_server``)
on a small archive with public and restricted records, a bounded number of generated
requests per operation; no answer may be a 5xx or stray from the OpenAPI document."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from archive.models import LessonItem, LessonPack
from tests.factories import make_group, make_record

# serialized_rollback, like every transactional test here (see test_oai_harvest.py).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def api_schema(live_server):
    from archive.models import CustomPage, FestivalPage

    group = make_group("Tày", slug="tay")
    festival = make_record(FestivalPage, "Lễ hội Lồng Tồng", groups=[group])
    make_record(CustomPage, "Bài khấn kín", groups=[group], access_level="closed")
    pack = LessonPack.objects.create(title="Lễ hội", grade=5, subject="history")
    LessonItem.objects.create(pack=pack, record=festival, sort_order=0)
    with pytest.MonkeyPatch.context() as patch:
        from django.conf import settings as django_settings

        patch.setattr(django_settings, "DSS_API_RATE_PER_MINUTE", 0)
        yield schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")


# Run by hand rather than through schemathesis' pytest plugin, which does not load under
# pytest 9: one hypothesis run per operation of the live document.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_api_answers_as_documented(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    paths = {operation.path for operation in operations}
    assert {"/api/v1/records", "/api/v1/records/{accession}", "/api/v1/calendar"} <= paths
    statuses = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def answers_as_documented(case):
            statuses.append(case.call_and_validate(checks=CHECKS).status_code)

        answers_as_documented()
    # every operation was really exercised, and both good and refused requests were made
    assert len(statuses) >= 5 * len(operations)
    assert {200, 404} <= set(statuses)
