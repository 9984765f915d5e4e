"""The OAI-PMH protocol without the database: which arguments each verb takes, the error
codes, UTC datestamps at seconds granularity and resumption tokens.

A resumption token carries the original request (metadataPrefix, from, until, set), the
(datestamp, id) of the last item sent and how many were sent; it is signed, so a token a
harvester changed is refused (badResumptionToken) instead of answering something else."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta

from django.core import signing
from django.utils.translation import gettext as _

NS_OAI = "http://www.openarchives.org/OAI/2.0/"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
_TOKEN_SALT = "search.oai.resumption"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Exception):
    """An OAI-PMH error: its code (as the protocol names it) and a message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def check_arguments(params: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, or the protocol's error (badVerb, badArgument)."""
    verbs = params.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        if len(verbs) > 1:
            raise OaiError("badVerb", _("The verb argument is repeated."))
        raise OaiError("badVerb", _("The verb is missing or is not an OAI-PMH verb."))
    verb = verbs[0]
    required, optional = VERBS[verb]
    arguments = {}
    for name, values in params.items():
        if name == "verb":
            continue
        if name not in required | optional:
            raise OaiError("badArgument", _("%(verb)s does not take %(name)s.") % {
                "verb": verb, "name": name})  # fmt: skip
        if len(values) != 1:
            raise OaiError("badArgument", _("The argument %(name)s is repeated.") % {"name": name})
        arguments[name] = values[0]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OaiError(
                "badArgument", _("resumptionToken is an exclusive argument: send it alone.")
            )
        return verb, arguments
    missing = sorted(required - arguments.keys())
    if missing:
        raise OaiError("badArgument", _("Missing argument: %(names)s.") % {
            "names": ", ".join(missing)})  # fmt: skip
    return verb, arguments


def datestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_second(moment: datetime) -> datetime:
    """Datestamps are kept at the repository's granularity: whole seconds."""
    return moment.astimezone(UTC).replace(microsecond=0)


def parse_bound(value: str, *, upper: bool) -> datetime:
    """A from/until argument as a UTC moment; a day means its first (from) or last (until)
    second."""
    try:
        if _SECOND.match(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if _DAY.match(value):
            day = datetime.strptime(value, "%Y-%m-%d").date()
            moment = datetime.combine(day, time(0, 0), tzinfo=UTC)
            return moment + timedelta(days=1, seconds=-1) if upper else moment
    except ValueError:
        pass
    raise OaiError(
        "badArgument",
        _("%(value)s is not a date as YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.") % {"value": value},
    )


@dataclass(frozen=True)
class ListRequest:
    """What a list verb asks for, and where the previous page ended."""

    prefix: str
    start: datetime | None = None  # inclusive bounds, whole seconds
    end: datetime | None = None
    set_spec: str = ""
    after: tuple[str, int] | None = None  # (datestamp ISO, log id) of the last item sent
    sent: int = 0
    total: int | None = None

    @classmethod
    def from_arguments(cls, arguments: dict[str, str]) -> ListRequest:
        start_text, end_text = arguments.get("from", ""), arguments.get("until", "")
        if start_text and end_text and len(start_text) != len(end_text):
            raise OaiError("badArgument", _("from and until must have the same granularity."))
        start = parse_bound(start_text, upper=False) if start_text else None
        end = parse_bound(end_text, upper=True) if end_text else None
        if start and end and start > end:
            raise OaiError("badArgument", _("from is later than until."))
        return cls(
            prefix=arguments["metadataPrefix"], start=start, end=end,
            set_spec=arguments.get("set", ""),
        )  # fmt: skip

    def next_page(self, last_datestamp: datetime, last_id: int, count: int, total: int):
        return replace(self, after=(last_datestamp.isoformat(), last_id), sent=self.sent + count,
                       total=total)  # fmt: skip

    def token(self, verb: str) -> str:
        payload = {
            "v": verb,
            "p": self.prefix,
            "f": self.start.isoformat() if self.start else "",
            "u": self.end.isoformat() if self.end else "",
            "s": self.set_spec,
            "a": list(self.after) if self.after else None,
            "n": self.sent,
            "t": self.total,
        }
        return signing.dumps(payload, salt=_TOKEN_SALT, compress=True)

    @classmethod
    def from_token(cls, token: str, verb: str) -> ListRequest:
        try:
            payload = signing.loads(token, salt=_TOKEN_SALT)
            if payload["v"] != verb:
                raise ValueError(verb)
            return cls(
                prefix=payload["p"],
                start=datetime.fromisoformat(payload["f"]) if payload["f"] else None,
                end=datetime.fromisoformat(payload["u"]) if payload["u"] else None,
                set_spec=payload["s"],
                after=(payload["a"][0], int(payload["a"][1])) if payload["a"] else None,
                sent=int(payload["n"]),
                total=payload["t"],
            )
        except (signing.BadSignature, KeyError, TypeError, ValueError, IndexError):
            raise OaiError(
                "badResumptionToken",
                _("The resumption token is not valid; start the list again."),
            ) from None
