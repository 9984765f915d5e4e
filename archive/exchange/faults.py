"""What can go wrong with a peer, each said in one sentence (vi/en through gettext)."""

from django.utils.translation import gettext_lazy as _


class HarvestFault(Exception):
    """A harvest stopped: ``str()`` is the one sentence for the officer."""

    def __init__(self, message, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status  # the peer's HTTP status, when it answered with an error

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
MALFORMED_JSON = _("The peer sent JSON that cannot be read ({detail}).")
NOT_A_FEED = _("The peer's answer is not a changes feed of the JSON API ({detail}).")
BAD_CURSOR_TWICE = _("The peer refused its own cursor twice; the harvest stopped.")
CURSOR_LOOP = _("The peer sent a cursor it had already sent (a loop); the harvest stopped.")
