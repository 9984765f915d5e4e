"""An import started from the admin: the uploaded files wait in a job folder, the commit
runs as a background task (django-tasks), and its progress lives in the shared cache where
the page polls it. No model: a job is its folder plus one cache entry."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django_tasks import task

JOB_SECONDS = 24 * 3600


def jobs_root() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def _key(token: str) -> str:
    return f"archive-import:{token}"


def create_job(user, sheet_upload, media_upload=None) -> str:
    """Keep the uploaded sheet (and ZIP) for the dry run and the commit; returns a token."""
    token = secrets.token_urlsafe(16)
    folder = jobs_root() / token
    folder.mkdir(parents=True)
    name = Path(sheet_upload.name).name or "sheet.csv"
    with (folder / "sheet").open("wb") as out:
        for chunk in sheet_upload.chunks():
            out.write(chunk)
    if media_upload is not None:
        with (folder / "media.zip").open("wb") as out:
            for chunk in media_upload.chunks():
                out.write(chunk)
    save_state(token, {"user": user.pk, "name": name, "state": "uploaded", "done": 0, "total": 0})
    return token


def state_of(token: str) -> dict | None:
    return cache.get(_key(token))


def save_state(token: str, state: dict) -> None:
    cache.set(_key(token), state, JOB_SECONDS)


def job_files(token: str) -> tuple[bytes, str, Path | None]:
    folder = jobs_root() / token
    state = state_of(token) or {}
    media = folder / "media.zip"
    return (
        (folder / "sheet").read_bytes(),
        state.get("name", "sheet.csv"),
        (media if media.exists() else None),
    )


def run_job(token: str, *, dry_run: bool):
    """Run the import of job ``token`` as its owner; progress and the report go to the cache."""
    from django.contrib.auth import get_user_model

    from .media import Refused, media_source
    from .problems import SheetError
    from .service import run_import

    state = state_of(token)
    user = get_user_model().objects.get(pk=state["user"])
    data, name, media_path = job_files(token)

    def progress(done, total):
        save_state(token, {**state, "state": "running", "done": done, "total": total})

    try:
        media = media_source(media_path)
    except Refused as refused:
        save_state(
            token, {**state, "state": "failed", "what": refused.what, "params": refused.params}
        )
        return None
    try:
        report = run_import(
            data,
            name,
            user=user,
            media=media,
            dry_run=dry_run,
            progress=None if dry_run else progress,
        )
    except SheetError as error:
        save_state(token, {**state, "state": "failed", "problem": error.problem.as_dict()})
        return None
    finally:
        media.close()
    result = report.as_dict()
    applied = result["counts"]["create"] + result["counts"]["update"]
    final = "checked" if dry_run else "done"
    save_state(
        token, {**state, "state": final, "report": result, "done": applied, "total": applied}
    )
    if not dry_run:
        shutil.rmtree(jobs_root() / token, ignore_errors=True)
    return result


@task(queue_name="default")
def import_task(token: str) -> dict | None:
    return run_job(token, dry_run=False)
