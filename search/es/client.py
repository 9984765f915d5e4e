"""The Elasticsearch client and index name, from settings (read at call time)."""

from __future__ import annotations

from functools import cache

INDEX = "dss-records"


@cache
def _client(url: str):
    from elasticsearch import Elasticsearch

    return Elasticsearch(url, request_timeout=10)


def client():
    from search.backend import elasticsearch_url

    return _client(elasticsearch_url())
