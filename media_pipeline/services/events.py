from ..core.runner import RunRecord
from ..models import PreservationEvent


def record_event(asset, event_type, outcome, detail="", run: RunRecord | None = None, tool=""):
    """Append a preservation event; tool runs keep their exact argv and tool version."""
    return PreservationEvent.objects.create(
        asset=asset,
        event_type=event_type,
        outcome=outcome,
        detail=detail,
        tool=(run.version if run else tool)[:200],
        arguments=run.as_dict() if run else None,
    )
