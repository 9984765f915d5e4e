"""/open-data/: the latest published package, its files with their sizes, the changelog and
the licence; and the one door to the files, which offers only what a version.json lists
(the package is built from the anonymous gate only, so it is the same for every visitor)."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import publish
from .fields import TABLES
from .package import licence


@require_GET
def page(request):
    names = publish.versions()
    history = [publish.read_version(n) for n in names]
    titles = {t.name: (t.title_vi, t.title_en) for t in TABLES}
    latest = history[0] if history else None
    files = []
    if latest:
        for f in latest["files"]:
            stem, _, fmt = f["name"].rpartition(".")
            vi, en = titles.get(stem, ("", ""))
            files.append({**f, "format": fmt.upper(), "title_vi": vi, "title_en": en})
    return render(
        request,
        "open_data/page.html",
        {"latest": latest, "files": files, "history": history, "licence": licence()},
    )


@require_GET
def download(request, version: str, name: str):
    path = publish.file_path(version, name)
    if path is None or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)
