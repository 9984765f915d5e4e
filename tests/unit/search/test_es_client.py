"""The two engine adapters send the same index settings, mappings and alias actions, each
through its own client's API (opensearch-py takes ``body``, elasticsearch-py keywords)."""

from types import SimpleNamespace

from search.es.client import ElasticsearchEngine, OpenSearchEngine


class Recorder:
    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda **kwargs: self.calls.append((name, kwargs))


def _client():
    return SimpleNamespace(indices=Recorder())


def test_both_engines_create_the_same_index_and_swap_aliases_the_same_way():
    settings, mappings = {"number_of_shards": 1}, {"dynamic": "strict"}
    actions = [{"add": {"index": "new", "alias": "a"}}, {"remove": {"index": "old", "alias": "a"}}]
    os_client, es_client = _client(), _client()
    for engine in (OpenSearchEngine(os_client), ElasticsearchEngine(es_client)):
        engine.create_index("new", settings, mappings)
        engine.update_aliases(actions)
    assert os_client.indices.calls == [
        ("create", {"index": "new", "body": {"settings": settings, "mappings": mappings}}),
        ("update_aliases", {"body": {"actions": actions}}),
    ]
    assert es_client.indices.calls == [
        ("create", {"index": "new", "settings": settings, "mappings": mappings}),
        ("update_aliases", {"actions": actions}),
    ]
