"""Access-matrix doors of the exchange between instances (issue 14): harvest feeds, bundles,
reports.

Role sets and helpers can be imported from ``test_access_matrix`` inside ``doors``: by the
time it is called, that module has defined them.
"""


def _changes_url(world, key):
    """The whole changes feed in one page, once the current second (held back by the feed)
    is over: the world was built moments ago."""
    from tests.support.changes_feed import settle

    _public_changes_only.world = world
    if not getattr(world, "changes_settled", False):
        settle()
        world.changes_settled = True
    return "/api/v1/changes?page_size=500"


def _public_changes_only(response, text, role, scenario):
    """Whoever asks, the changes feed describes exactly the records the anonymous gate
    shows; the others it may only name as deleted (records published, then restricted)."""
    from .test_access_matrix import SCENARIOS

    world = _public_changes_only.world
    body = response.json()
    described = {e["accession"] for e in body["results"] if e["record"] is not None}
    expected = {world.records[s.key].accession_number for s in SCENARIOS if "anonymous" in s.sees}
    problems = [] if described == expected else [f"described {sorted(described ^ expected)}"]
    if body["next"] is not None:
        problems.append("more than one page")
    return problems


def _reference_data_url(name):
    """The reference-data package as the national role publishes it (a key of its own, in a
    folder of the test's), then the URL of one of its files."""

    def url(world, key):
        if not getattr(world, "reference_data_published", False):
            import tempfile
            from pathlib import Path

            from django.conf import settings
            from django.test import override_settings

            from archive.exchange.bundles import generate_key_pair
            from archive.exchange.reference_sync import publish

            key_file = Path(tempfile.mkdtemp(prefix="dss-matrix-key-")) / "ed25519.pem"
            generate_key_pair(key_file)
            with override_settings(DSS_SIGNING_KEY_FILE=key_file):
                publish(Path(settings.DSS_REFERENCE_DATA_DIR))
            world.reference_data_published = True
        return f"/reference-data/{name}"

    return url


def _is_the_package(response, text, role, scenario):
    """Every visitor gets the package itself, not an empty answer that passes by accident."""
    if response["Content-Type"] == "application/json":
        return [] if response.json().get("signature") else ["no signature"]
    header = response.content.decode().partition("\n")[0]
    return [] if header == "code,name,unit_type,merged_into" else ["not the provinces table"]


def doors(Door):
    return [
        # The JSON API's changes feed (search/api/changes.py), which the JSON harvest
        # walks: the anonymous view whoever asks, like OAI-PMH.
        Door(
            "api-changes",
            _changes_url,
            lists=True,
            lists_roles=frozenset({"anonymous"}),
            check=_public_changes_only,
        ),
        # The national role's coverage page (archive/exchange/admin.py) counts what each
        # peer shared: administrators only; signed-out visitors go to sign in, others are
        # refused. Harvested records themselves are ordinary record pages behind the gate.
        Door("exchange-coverage", lambda w, k: "/admin/exchange/coverage/", status=(302, 403)),
        # Reports received from provinces (archive/exchange/reports_admin.py) and their CSV:
        # administrators only, like the coverage page.
        Door("exchange-reports", lambda w, k: "/admin/exchange/reports/", status=(302, 403)),
        Door("exchange-reports-csv", lambda w, k: "/admin/exchange/reports.csv", status=(302, 403)),
        # The reference-data versions applied here (archive/exchange/admin.py): a read-only
        # admin list for administrators, which holds no record either.
        Door(
            "reference-data-applied",
            lambda w, k: "/admin/snippets/archive/appliedreferencedata/",
            status=(302, 403),
        ),
        # The signed reference-data package (archive/views_reference.py): public lists of
        # groups and units, the same bytes for everyone, and never a record.
        Door("reference-data", _reference_data_url(""), check=_is_the_package),
        Door("reference-data-csv", _reference_data_url("provinces.csv"), check=_is_the_package),
    ]
