"""The API with all its operations registered, for ``heritage.urls`` to include."""

from . import endpoints  # noqa: F401  (registers the operations on ``api``)
from .site import api

__all__ = ["api"]
