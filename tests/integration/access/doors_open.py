"""Access-matrix doors of the open standard doors (issue 13): identifiers, JSON API, OAI-PMH,
IIIF, open data.

Role sets and helpers can be imported from ``test_access_matrix`` inside ``doors``: by the
time it is called, that module has defined them.

OAI-PMH is anonymous whoever asks (harvesters do not sign in): for every role, it shows
exactly what the anonymous gate shows. A record the public never saw is not mentioned; one
that was public and is not any more (in the matrix: records published first and given their
protocols, privacy or expiry afterwards) may appear only as a deleted header, without
metadata."""

import re

from lxml import etree

OAI = "http://www.openarchives.org/OAI/2.0/"
NS = {"oai": OAI}
REPOSITORY = "disanso.example"


def _oai_identifier(world, key):
    return f"oai:{REPOSITORY}:{world.records[key].accession_number}"


def _tree(response):
    return etree.fromstring(response.content)


def _listed(response) -> tuple[set, set]:
    """(identifiers with metadata or live headers, identifiers reported deleted)."""
    tree = _tree(response)
    shown, deleted = set(), set()
    for header in tree.iterfind(".//oai:header", NS):
        identifier = header.findtext("oai:identifier", namespaces=NS)
        (deleted if header.get("status") == "deleted" else shown).add(identifier)
    return shown, deleted


def _iiif_public_only(response, text, role, scenario):
    """A manifest is the anonymous view whoever asks: 200 exactly for public records."""
    public = "anonymous" in scenario.sees
    if public != (response.status_code == 200):
        return [f"manifest status {response.status_code}, public: {public}"]
    if public and scenario.marker not in text:
        return ["manifest without its record's label"]
    return []


def _iiif_collection(world, public):
    """The collection lists exactly the manifests of the public records, for every role."""

    def check(response, text, role, scenario):
        listed = {item["id"].split("/iiif/")[1] for item in response.json()["items"]}
        expected = {f"{world[0].records[s.key].accession_number}/manifest.json" for s in public}
        return [] if listed == expected else [f"listed {sorted(listed ^ expected)} wrongly"]

    return check


def doors(Door):
    from .test_access_matrix import EVERYONE, SCENARIOS

    public = [s for s in SCENARIOS if "anonymous" in s.sees]

    def anonymous_only(response, text, role, scenario):
        """Whoever asks, OAI-PMH shows what the anonymous gate shows, and nothing else."""
        problems = [
            f"{s.key} leaks" for s in SCENARIOS if "anonymous" not in s.sees and s.marker in text
        ]
        shown, _deleted = _listed(response)
        world = anonymous_only.world
        expected = {_oai_identifier(world, s.key) for s in public}
        if shown != expected:
            problems.append(f"listed {sorted(shown ^ expected)} wrongly")
        # Media links (dc:relation, issue 14): exactly the assets the anonymous gate lets
        # through, when records are described at all.
        linked = set(re.findall(r"/files/(\d+)/", text))
        heard = {str(world.assets[s.key].pk) for s in SCENARIOS if "anonymous" in s.media_sees}
        if linked - heard or (linked != heard and "<metadata>" in text):
            problems.append(f"media links {sorted(linked ^ heard)} wrongly")
        return problems

    def one_record(response, text, role, scenario):
        world = anonymous_only.world
        tree = _tree(response)
        has_metadata = bool(tree.findall(".//oai:metadata", NS))
        if "anonymous" in scenario.sees:
            if not has_metadata or scenario.marker not in text:
                return ["public record without its metadata"]
            return []
        problems = []
        if has_metadata or scenario.marker in text:
            problems.append("hidden record described")
        code = tree.find("oai:error", NS)
        _shown, deleted = _listed(response)
        if code is None and deleted != {_oai_identifier(world, scenario.key)}:
            problems.append("neither unknown nor deleted")
        return problems

    def _remember(build):
        """The check functions need the world; the URL builders are handed it first."""

        def url(world, key):
            anonymous_only.world = world
            return build(world, key)

        return url

    list_records = "/oai?verb=ListRecords&metadataPrefix=oai_dc"
    list_identifiers = "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc"
    iiif_world = []  # the collection check needs the world; its URL builder is handed it

    def iiif_collection_url(world, key):
        iiif_world[:] = [world]
        return f"/iiif/collection/{world.collection_url.rstrip('/').rsplit('/', 1)[1]}.json"

    return _api_doors(Door) + _open_data_doors(Door) + [
        Door("permalink", lambda w, k: f"/id/{w.records[k].accession_number}", per="record",
             shown=(302,)),
        Door("permalink-slash", lambda w, k: f"/id/{w.records[k].accession_number.lower()}/",
             per="record", shown=(302,)),
        Door("oai-list-records", _remember(lambda w, k: list_records), lists=True,
             lists_roles=frozenset({"anonymous"}), check=anonymous_only),
        Door("oai-list-identifiers", _remember(lambda w, k: list_identifiers),
             check=anonymous_only),
        Door("oai-list-records-set", _remember(lambda w, k: f"{list_records}&set=group"),
             check=anonymous_only),
        Door(
            "oai-get-record",
            _remember(lambda w, k: "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier="
                      + _oai_identifier(w, k)),
            per="record", shown=(200,), hidden=(200,), roles=EVERYONE, check=one_record,
        ),
        # IIIF (search/iiif/): manifests and collections are public-only whoever asks; the
        # image service is a media door (its photos are tested in test_iiif.py: the matrix's
        # media are recordings, which have none, so it answers 404 to everyone here).
        Door("iiif-manifest", lambda w, k: f"/iiif/{w.records[k].accession_number}/manifest.json",
             per="record", shown=(200, 404), check=_iiif_public_only),
        Door("iiif-collection", iiif_collection_url, lists=True,
             lists_roles=frozenset({"anonymous"}), check=_iiif_collection(iiif_world, public)),
        Door("iiif-image-info", lambda w, k: f"/iiif/image/{w.assets[k].pk}/info.json",
             per="asset", shown=(404,)),
        Door("iiif-image", lambda w, k: f"/iiif/image/{w.assets[k].pk}/full/max/0/default.jpg",
             per="asset", shown=(404,)),
    ]  # fmt: skip


def _api_doors(Door):
    """The JSON API (search/api/): what the role may see, and counts that follow the gate."""
    from .test_access_matrix import _count_is_visible, visible_count

    def group_count(response, text, role, scenario):
        counts = {g["slug"]: g["records"] for g in response.json()["results"]}
        counted, expected = counts.get("e-de-matrix", 0), visible_count(role)
        return [] if counted == expected else [f"group count {counted}, expected {expected}"]

    api = "/api/v1"
    return [
        Door("api-records", lambda w, k: f"{api}/records?q=zqmatrix&page_size=50", lists=True,
             check=_count_is_visible),
        Door("api-record", lambda w, k: f"{api}/records/{w.records[k].accession_number}",
             per="record"),
        Door("api-record-en",
             lambda w, k: f"{api}/records/{w.records[k].accession_number.lower()}?lang=en",
             per="record"),
        Door("api-media", lambda w, k: f"{api}/media/{w.assets[k].pk}", per="asset"),
        Door("api-groups", lambda w, k: f"{api}/groups", check=group_count),
        Door("api-units", lambda w, k: f"{api}/units"),
        Door("api-collections", lambda w, k: f"{api}/collections", lists=True),
        Door("api-lesson-packs", lambda w, k: f"{api}/lesson-packs?lang=en", lists=True),
        Door("api-calendar", lambda w, k: f"{api}/calendar"),
    ]  # fmt: skip


def _open_data(world, name=None):
    """Publish the open data package of this world (once per world), then the URL of its
    ``name`` file (the ZIP by default), or of the /open-data/ page when ``name`` is ""."""
    from search.open_data import publish

    info = getattr(world, "open_data", None)
    if info is None or publish.read_version(info["version"]) is None:
        info = world.open_data = publish.build_version()
    if name == "":
        return "/vi/open-data/"
    return f"/vi/open-data/{info['version']}/{name or info['zip']['name']}"


def _open_data_doors(Door):
    """Open data (search/open_data/): the package holds what the anonymous gate shows,
    whoever downloads it; the ZIP is opened by text_of, every file read."""
    public = frozenset({"anonymous"})
    return [
        Door("open-data-page", lambda w, k: _open_data(w, "")),
        Door("open-data-zip", lambda w, k: _open_data(w), lists=True, lists_roles=public),
        Door("open-data-records-csv", lambda w, k: _open_data(w, "records.csv"), lists=True,
             lists_roles=public),
        Door("open-data-media-json", _media_url, check=_media_of_public_records),
    ]  # fmt: skip


def _media_url(world, key):
    _media_of_public_records.world = world
    return _open_data(world, "media.json")


def _media_of_public_records(response, text, role, scenario):
    """The media summary lists the assets the anonymous gate lets through, and only them."""
    import json

    from .test_access_matrix import SCENARIOS

    world = _media_of_public_records.world
    rows = json.loads(text[text.index("[\n[") :])[1:]  # the body, after the headers
    listed = {row[0] for row in rows}
    expected = {
        world.records[s.key].accession_number.lower()
        for s in SCENARIOS
        if "anonymous" in s.media_sees
    }
    return [] if listed == expected else [f"media of {sorted(listed ^ expected)} wrongly"]
