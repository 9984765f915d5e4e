"""Settings are split by purpose: base (shared), dev, production, testing.

``DJANGO_SETTINGS_MODULE`` picks one; every value that differs between
machines is read from an environment variable in ``base``.
"""
