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
    ]
