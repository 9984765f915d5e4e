"""The OAI-PMH endpoint: /oai, GET or POST, the six verbs. Anonymous by definition: the
session is never read, every record passes ``archive.access.visible_records_q(None)``."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Min, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from archive.access import visible_records_q

from ..models import OaiRecordLog
from . import metadata
from .protocol import GRANULARITY, NS_OAI, ListRequest, OaiError, check_arguments, datestamp
from .sets import all_sets, like_pattern, set_exists

NS_XSI = metadata.NS_XSI
NS_OAI_ID = "http://www.openarchives.org/OAI/2.0/oai-identifier"


def identifier(accession: str) -> str:
    return f"oai:{settings.DSS_OAI_REPOSITORY_ID}:{accession}"


def accession_of(oai_identifier: str) -> str:
    prefix = f"oai:{settings.DSS_OAI_REPOSITORY_ID}:"
    if not oai_identifier.startswith(prefix):
        raise OaiError("idDoesNotExist", _("No record has this identifier."))
    return oai_identifier[len(prefix) :]


class Response:
    """One OAI-PMH reply being built."""

    def __init__(self, request, verb: str | None, arguments: dict[str, str]):
        self.request = request
        self.root = etree.Element(f"{{{NS_OAI}}}OAI-PMH", nsmap={None: NS_OAI, "xsi": NS_XSI})
        self.root.set(
            f"{{{NS_XSI}}}schemaLocation",
            f"{NS_OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
        )
        self.add(self.root, "responseDate", datestamp(timezone.now()))
        self.request_element = self.add(self.root, "request", self.base_url)
        if verb:
            self.request_element.set("verb", verb)
            for name, value in arguments.items():
                self.request_element.set(name, value)

    @property
    def base_url(self) -> str:
        return self.request.build_absolute_uri("/oai")

    def permalink(self, accession: str) -> str:
        return self.request.build_absolute_uri(f"/id/{accession}")

    @staticmethod
    def add(parent, name, text=None):
        element = etree.SubElement(parent, f"{{{NS_OAI}}}{name}")
        if text is not None:
            element.text = text
        return element

    def error(self, code: str, message: str):
        if code in ("badVerb", "badArgument"):  # the request is echoed without arguments
            self.request_element.attrib.clear()
        self.add(self.root, "error", message).set("code", code)

    def http(self) -> HttpResponse:
        body = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")
        response = HttpResponse(body, content_type="text/xml; charset=utf-8")
        response["Cache-Control"] = "no-cache"
        return response


# -- the list walk ---------------------------------------------------------------------------


def _log_rows(query: ListRequest):
    rows = OaiRecordLog.objects.all()
    if query.prefix == "olac":
        rows = rows.filter(record_type="recording")
    if query.set_spec:
        in_set = Q()
        for pattern in like_pattern(query.set_spec):
            in_set |= Q(set_specs__contains=pattern)
        rows = rows.filter(in_set)
    if query.start:
        rows = rows.filter(datestamp__gte=query.start)
    if query.end:
        rows = rows.filter(datestamp__lte=query.end)
    return rows


def _page(query: ListRequest):
    rows = _log_rows(query)
    if query.after:
        moment, last_id = datetime.fromisoformat(query.after[0]), query.after[1]
        rows = rows.filter(Q(datestamp__gt=moment) | Q(datestamp=moment, pk__gt=last_id))
    size = settings.DSS_OAI_PAGE_SIZE
    page = list(rows.order_by("datestamp", "pk")[: size + 1])
    return page[:size], len(page) > size


def _public_records(rows, with_metadata: bool) -> dict:
    """Records of the rows that the anonymous gate shows now (the log may lag behind a
    season or an expiry date: such records are answered as deleted)."""
    from archive.models import RecordPage

    ids = [row.record_id for row in rows if row.public]
    if not ids:
        return {}
    records = RecordPage.objects.filter(visible_records_q(None), pk__in=ids)
    if not with_metadata:
        return {pk: None for pk in records.values_list("pk", flat=True)}
    records = list(records.defer("body_vi", "body_en", "body"))
    related = metadata.load_related(records, media=True)
    for record in records:
        record.oai_related = related[record.pk]
    return {record.pk: record for record in records}


def _header(response, parent, row, deleted: bool):
    header = response.add(parent, "header")
    if deleted:
        header.set("status", "deleted")
    response.add(header, "identifier", identifier(row.accession))
    response.add(header, "datestamp", datestamp(row.datestamp))
    for spec in filter(None, row.set_specs.split("|")):
        response.add(header, "setSpec", spec)
    return header


def _record(response, parent, prefix, row, record):
    element = response.add(parent, "record")
    _header(response, element, row, deleted=record is None)
    if record is not None:
        holder = response.add(element, "metadata")
        permalink = response.permalink(row.accession)
        holder.append(metadata.describe(prefix, record, permalink, record.oai_related))


def _check_prefix(prefix: str):
    if prefix not in metadata.FORMATS:
        raise OaiError(
            "cannotDisseminateFormat",
            _("The metadata format %(prefix)s is not offered; see ListMetadataFormats.")
            % {"prefix": prefix},
        )


def _list(response, verb: str, arguments: dict[str, str]):
    if "resumptionToken" in arguments:
        query = ListRequest.from_token(arguments["resumptionToken"], verb)
    else:
        query = ListRequest.from_arguments(arguments)
        _check_prefix(query.prefix)
        if query.set_spec and not set_exists(query.set_spec):
            raise OaiError("noRecordsMatch", _("No set has this spec; see ListSets."))
    rows, more = _page(query)
    if not rows:
        # Also after a token, when the records left were all changed past ``until`` since.
        raise OaiError("noRecordsMatch", _("No records match these arguments."))
    records = _public_records(rows, with_metadata=verb == "ListRecords")
    container = response.add(response.root, verb)
    for row in rows:
        record = records.get(row.record_id) if row.public else None
        if verb == "ListRecords":
            _record(response, container, query.prefix, row, record)
        else:
            _header(response, container, row, deleted=row.record_id not in records)
    total = query.total if query.total is not None else _log_rows(query).count()
    if more or query.after:
        token = response.add(container, "resumptionToken")
        token.set("completeListSize", str(total))
        token.set("cursor", str(query.sent))
        if more:
            last = rows[-1]
            token.text = query.next_page(last.datestamp, last.pk, len(rows), total).token(verb)


# -- the verbs -------------------------------------------------------------------------------


def _identify(response, arguments):
    node = response.add(response.root, "Identify")
    response.add(
        node, "repositoryName", _("Di Sản Số: digital heritage of Vietnam's ethnic minorities")
    )
    response.add(node, "baseURL", response.base_url)
    response.add(node, "protocolVersion", "2.0")
    response.add(node, "adminEmail", settings.DSS_CONTACT_EMAIL)
    earliest = OaiRecordLog.objects.aggregate(first=Min("datestamp"))["first"]
    response.add(node, "earliestDatestamp", datestamp(earliest or timezone.now()))
    response.add(node, "deletedRecord", "persistent")
    response.add(node, "granularity", GRANULARITY)
    description = response.add(node, "description")
    scheme = etree.SubElement(
        description, f"{{{NS_OAI_ID}}}oai-identifier", nsmap={None: NS_OAI_ID}
    )
    scheme.set(
        f"{{{NS_XSI}}}schemaLocation",
        f"{NS_OAI_ID} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd",
    )
    for name, text in (
        ("scheme", "oai"),
        ("repositoryIdentifier", settings.DSS_OAI_REPOSITORY_ID),
        ("delimiter", ":"),
        ("sampleIdentifier", identifier("DSS-2026-000001")),
    ):
        etree.SubElement(scheme, f"{{{NS_OAI_ID}}}{name}").text = text


def _row_for(oai_identifier: str) -> OaiRecordLog:
    row = OaiRecordLog.objects.filter(accession=accession_of(oai_identifier)).first()
    if row is None:
        raise OaiError("idDoesNotExist", _("No record has this identifier."))
    return row


def _list_metadata_formats(response, arguments):
    record_type = None
    if "identifier" in arguments:
        record_type = _row_for(arguments["identifier"]).record_type
    node = response.add(response.root, "ListMetadataFormats")
    for prefix in metadata.formats_for(record_type):
        namespace, schema = metadata.FORMATS[prefix]
        item = response.add(node, "metadataFormat")
        response.add(item, "metadataPrefix", prefix)
        response.add(item, "schema", schema)
        response.add(item, "metadataNamespace", namespace)


def _list_sets(response, arguments):
    if "resumptionToken" in arguments:  # the whole list fits in one answer
        raise OaiError("badResumptionToken", _("ListSets answers in one page; no token is valid."))
    node = response.add(response.root, "ListSets")
    for spec, name in all_sets():
        item = response.add(node, "set")
        response.add(item, "setSpec", spec)
        response.add(item, "setName", str(name))


def _get_record(response, arguments):
    prefix = arguments["metadataPrefix"]
    _check_prefix(prefix)
    row = _row_for(arguments["identifier"])
    if not metadata.supports(prefix, row.record_type):
        raise OaiError(
            "cannotDisseminateFormat",
            _("This record is not offered as %(prefix)s.") % {"prefix": prefix},
        )
    record = _public_records([row], with_metadata=True).get(row.record_id)
    node = response.add(response.root, "GetRecord")
    _record(response, node, prefix, row, record)


VERB_HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": lambda response, arguments: _list(response, "ListIdentifiers", arguments),
    "ListRecords": lambda response, arguments: _list(response, "ListRecords", arguments),
}


@csrf_exempt
@require_http_methods(["GET", "POST", "HEAD"])
def endpoint(request):
    params = request.POST if request.method == "POST" else request.GET
    params = {name: params.getlist(name) for name in params}
    try:
        verb, arguments = check_arguments(params)
    except OaiError as error:
        response = Response(request, None, {})
        response.error(error.code, error.message)
        return response.http()
    response = Response(request, verb, arguments)
    try:
        VERB_HANDLERS[verb](response, arguments)
    except OaiError as error:
        # A half-built verb element must not stay beside the error.
        for child in response.root.findall(f"{{{NS_OAI}}}{verb}"):
            response.root.remove(child)
        response.error(error.code, error.message)
    return response.http()
