"""The one configured Runner every Django-side media operation uses."""

from functools import cache

from django.conf import settings

from ..core.runner import RunLimits, Runner


@cache
def default_runner() -> Runner:
    return Runner(limits=RunLimits(timeout_s=float(settings.DSS_MEDIA_TIMEOUT_SECONDS)))
