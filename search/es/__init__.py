"""Elasticsearch settings, mappings and query builders (pure Python)."""
