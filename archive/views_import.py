"""Admin pages for bulk import and export. Thin: the work is in ``archive.importing`` and
``archive.exporting``; these views upload, show the dry-run report, start the commit as a
task, report its progress as JSON, and send files.

Who may do what: any admin user may download the template; the import acts with the
user's own permissions (``archive.permissions``: rows over records they may not edit, or
new records outside their units, are refused row by row); the export sends only
``records_for_export(user)`` (the gate and the officer's units).
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction

from .audit_events import record_event
from .exporting import CONTENT_TYPES, export_bytes, filtered_records, records_for_export
from .importing import jobs
from .importing.template import template_bytes
from .models import EthnicGroup, Province, RecordPage

FORMATS = ("xlsx", "csv")


class ImportForm(forms.Form):
    sheet = forms.FileField(
        label=gettext_lazy("Sheet (CSV or XLSX, in the template)"),
    )
    media = forms.FileField(
        label=gettext_lazy("Media files (a ZIP, optional)"),
        required=False,
    )


class ExportForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Words in the title or summary"), required=False)
    type = forms.ChoiceField(
        label=gettext_lazy("Record type"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            ("festival", gettext_lazy("Festivals")),
            ("custom", gettext_lazy("Customs and practices")),
            ("recording", gettext_lazy("Language recordings")),
        ],
    )
    group = forms.ChoiceField(label=gettext_lazy("Ethnic group"), required=False)
    province = forms.ChoiceField(label=gettext_lazy("Provincial unit"), required=False)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")], required=False
    )
    lang = forms.ChoiceField(
        label=gettext_lazy("Headers in"),
        choices=[("vi", "Tiếng Việt"), ("en", "English")],
        required=False,
    )
    ids = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All"))] + [
            (g.slug, g.name) for g in EthnicGroup.objects.order_by("name_vi")
        ]
        self.fields["province"].choices = [("", _("All"))] + [
            (p.slug, p.name) for p in Province.objects.order_by("name")
        ]


def _language(request) -> str:
    # The admin speaks the officer's preferred language (Wagtail activates it per request);
    # request.LANGUAGE_CODE is the public site's choice and would ignore that preference.
    lang = request.GET.get("lang") or translation.get_language() or "vi"
    return "en" if lang.startswith("en") else "vi"


def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = jobs.create_job(
            request.user, form.cleaned_data["sheet"], form.cleaned_data["media"]
        )
        jobs.run_job(token, dry_run=True)
        return redirect("archive_import:report", token=token)
    return TemplateResponse(request, "archive/import/start.html", {"form": form})


def _own_state(request, token):
    state = jobs.state_of(token)
    if state is None or state.get("user") != request.user.pk:
        raise Http404
    return state


def import_report(request, token):
    state = _own_state(request, token)
    lang = _language(request)
    report = state.get("report") or {}
    problems = [
        {"row": p["row"], "column": p[f"column_{lang}"], "message": p[f"message_{lang}"]}
        for p in report.get("problems", [])
    ]
    context = {
        "token": token,
        "state": state,
        "report": report,
        "problems": problems,
        "lang": lang,
        "sheet_problem": (state.get("problem") or {}).get(f"message_{lang}", ""),
        "media_problem": _(state["what"]) % state["params"] if state.get("what") else "",
    }
    return TemplateResponse(request, "archive/import/report.html", context)


@require_POST
def import_commit(request, token):
    state = _own_state(request, token)
    if state.get("state") != "checked":
        return redirect("archive_import:report", token=token)
    jobs.save_state(token, {**state, "state": "queued"})
    jobs.import_task.enqueue(token)
    return redirect("archive_import:report", token=token)


def import_progress(request, token):
    state = _own_state(request, token)
    report = state.get("report") or {}
    return JsonResponse(
        {
            "state": state.get("state"),
            "done": state.get("done", 0),
            "total": state.get("total", 0),
            "counts": report.get("counts", {}),
        }
    )


def template_download(request, fmt):
    if fmt not in FORMATS:
        raise Http404
    lang = _language(request)
    response = HttpResponse(template_bytes(lang, fmt), content_type=CONTENT_TYPES[fmt])
    name = "mau-nhap-ho-so" if lang == "vi" else "record-import-template"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def export_start(request):
    form = ExportForm(request.GET or None)
    return TemplateResponse(request, "archive/import/export.html", {"form": form})


def export_download(request):
    form = ExportForm(request.GET)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    records = records_for_export(request.user)
    if data["ids"]:
        ids = [int(i) for i in data["ids"].split(",") if i.strip().isdigit()]
        records = records.filter(pk__in=ids)
    records = filtered_records(
        records, q=data["q"], kind=data["type"], group=data["group"], province=data["province"]
    )
    fmt = data["format"] or "xlsx"
    body = export_bytes(records, fmt, data["lang"] or _language(request))
    record_event(
        "export",
        user=request.user,
        obj=None,
        format=fmt,
        count=records.count(),
        filters={k: v for k, v in data.items() if v},
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="di-san-so-ho-so.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


import_urls = (
    [
        path("", import_start, name="start"),
        path("template.<str:fmt>", template_download, name="template"),
        path("<str:token>/", import_report, name="report"),
        path("<str:token>/commit/", import_commit, name="commit"),
        path("<str:token>/progress.json", import_progress, name="progress"),
    ],
    "archive_import",
)
export_urls = (
    [
        path("", export_start, name="start"),
        path("download/", export_download, name="download"),
    ],
    "archive_export",
)


@hooks.register("register_admin_urls")
def admin_urls():
    """Wagtail requires admin access on these."""
    return [
        path("records-import/", include(import_urls)),
        path("records-export/", include(export_urls)),
    ]


class ExportBulkAction(PageBulkAction):
    """ "Export" among the page listing's bulk actions (explorer and search): the selected
    records go to the export download, which keeps only what the person may export."""

    display_name = gettext_lazy("Export (XLSX)")
    aria_label = gettext_lazy("Export the selected records in the import template")
    action_type = "export_records"
    action_priority = 90
    template_name = "archive/import/export.html"  # never shown: the action redirects

    def check_perm(self, page):
        return isinstance(page.specific_deferred, RecordPage)

    def get(self, request, *args, **kwargs):
        objects, _extra = self.get_actionable_objects()
        query = urlencode({"format": "xlsx", "ids": ",".join(str(o.pk) for o in objects)})
        return redirect(f"{reverse('archive_export:download')}?{query}")


class ImportExportMenuItem:
    """One admin menu entry, "Import and export" (the pages link to each other)."""

    @staticmethod
    def build():
        from wagtail.admin.menu import MenuItem

        return MenuItem(
            gettext_lazy("Import and export"),
            reverse("archive_import:start"),
            icon_name="upload",
            order=410,
        )


# The hooks register themselves here, next to their pages, as the officers' other admin
# tools do; archive/wagtail_hooks.py imports this module.
hooks.register("register_admin_menu_item", ImportExportMenuItem.build)
hooks.register("register_bulk_action", ExportBulkAction)
