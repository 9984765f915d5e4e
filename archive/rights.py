"""Rights statements (RightsStatements.org) and licences offered to cataloguers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RightsStatement(models.TextChoices):
    IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/", _("In copyright")
    IN_COPYRIGHT_EDU = (
        "http://rightsstatements.org/vocab/InC-EDU/1.0/",
        _("In copyright – educational use permitted"),
    )
    IN_COPYRIGHT_NC = (
        "http://rightsstatements.org/vocab/InC-NC/1.0/",
        _("In copyright – non-commercial use permitted"),
    )
    NO_COPYRIGHT_CONTRACTUAL = (
        "http://rightsstatements.org/vocab/NoC-CR/1.0/",
        _("No copyright – contractual restrictions"),
    )
    NO_COPYRIGHT_OTHER = (
        "http://rightsstatements.org/vocab/NoC-OKLR/1.0/",
        _("No copyright – other known legal restrictions"),
    )
    UNDETERMINED = (
        "http://rightsstatements.org/vocab/UND/1.0/",
        _("Copyright undetermined"),
    )
    NOT_EVALUATED = (
        "http://rightsstatements.org/vocab/CNE/1.0/",
        _("Copyright not evaluated"),
    )


class Licence(models.TextChoices):
    NONE = "", _("No open licence")
    CC_BY = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "CC-BY-NC-4.0", "CC BY-NC 4.0"
    CC_BY_NC_SA = "CC-BY-NC-SA-4.0", "CC BY-NC-SA 4.0"
    CC_BY_NC_ND = "CC-BY-NC-ND-4.0", "CC BY-NC-ND 4.0"
    CC0 = "CC0-1.0", "CC0 1.0"


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


def licence_allows_download(licence: str) -> bool:
    """Open licences allow the public to download derivatives; others only stream."""
    return bool(licence)
