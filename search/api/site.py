"""The NinjaAPI object, its rate limit and its errors: JSON, in the asker's ``lang``."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from archive.ratelimit import allow

from ..results import clean_lang
from .answers import allow_cors

api = NinjaAPI(
    title="Di Sản Số",
    version="1",
    description=(
        "Read-only catalogue of Vietnam's ethnic-minority heritage. Everything answered "
        "follows the archive's access rules for the asker; `lang` is vi or en."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


class RateLimited(Exception):
    pass


class Refused(Exception):
    """A 400 whose sentence (already translated) says what to do instead."""


def throttle(request) -> None:
    """One shared budget per address for the whole API (``DSS_API_RATE_PER_MINUTE``)."""
    if not allow("api", request, settings.DSS_API_RATE_PER_MINUTE):
        raise RateLimited


def _error(request, message, status: int):
    response = api.create_response(request, {"detail": str(message)}, status=status)
    response["Cache-Control"] = "private, no-store"
    allow_cors(request, response)
    return response


def _lang(request) -> str:
    return clean_lang(request.GET.get("lang"))


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    with translation.override(_lang(request)):
        fields = sorted({str(e.get("loc", ["", "?"])[-1]) for e in exc.errors})
        message = _("Invalid value for: %(fields)s.") % {"fields": ", ".join(fields)}
        return _error(request, message, 400)


@api.exception_handler(Http404)
def _not_found(request, exc):
    with translation.override(_lang(request)):
        return _error(request, _("Not found."), 404)


@api.exception_handler(RateLimited)
def _too_many(request, exc):
    with translation.override(_lang(request)):
        response = _error(request, _("Too many requests. Please wait a minute and try again."), 429)
    response["Retry-After"] = "60"
    return response


@api.exception_handler(Refused)
def _refused(request, exc):
    return _error(request, str(exc), 400)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    with translation.override(_lang(request)):
        return _error(request, _("The request could not be answered."), exc.status_code)
