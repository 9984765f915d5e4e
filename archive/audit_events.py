"""The audit trail's one signal, sent by whatever changes or reveals a record.

The archive and the media app sit below the app that stores audit entries, so they never
import it: they send ``audit_event`` through :func:`record_event`, and the storing app
connects its receiver in its own ``AppConfig.ready()``.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``user`` (or None), ``action`` (a short verb such as "import" or
# "view-restricted"), ``obj`` (the model instance concerned, or None) and ``detail`` (a
# JSON-serialisable dict).
audit_event = Signal()


def record_event(action: str, *, user=None, obj=None, **detail) -> None:
    """Tell the audit trail that ``user`` did ``action`` to ``obj``."""
    audit_event.send(sender=record_event, user=user, action=action, obj=obj, detail=detail)
