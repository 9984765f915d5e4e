"""What can go wrong with a peer, each said in one sentence (vi/en through gettext)."""

from django.utils.translation import gettext_lazy as _


class HarvestFault(Exception):
    """A harvest stopped: ``str()`` is the one sentence for the officer."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


UNREACHABLE = _("The peer could not be reached or closed the connection ({detail}).")
TIMEOUT = _("The peer did not answer within {seconds} seconds.")
TOO_BIG = _("The peer sent more than {limit} bytes in one answer; the harvest stopped.")
REDIRECTS = _("The peer redirected too many times (a redirect loop).")
HTTP_STATUS = _("The peer answered with HTTP status {status}.")
MALFORMED = _("The peer sent XML that cannot be read ({detail}).")
OAI_ERROR = _("The peer refused the request: {code} ({detail}).")
BAD_TOKEN_TWICE = _("The peer refused its own resumption token twice; the harvest stopped.")
JSON_NOT_SUPPORTED = _("Harvesting through the JSON API is not supported yet; use OAI-PMH.")
