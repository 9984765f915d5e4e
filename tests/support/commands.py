"""Running a management command as a test reads it: its output, in a chosen language."""

from io import StringIO

from django.core.management import call_command
from django.utils import translation


def command_output(*args, lang="en"):
    """The command's standard output, run in ``lang`` (sentences are checked in English
    unless a test asks for Vietnamese, whatever language an earlier test left active)."""
    out = StringIO()
    with translation.override(lang):
        call_command(*args, stdout=out)
    return out.getvalue()
