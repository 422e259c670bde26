import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from zimao.lib.i18n import is_english
from zimao.opendata.datasets import DATASETS
from zimao.opendata.export import export_open_data, zip_folder
from zimao.opendata.jobs import OPEN_DATA, may_export

ZIP_NAME = "zimao-open-data.zip"


def open_data_index(request: HttpRequest) -> HttpResponse:
    """The public datasets with their size, and the download link."""
    language = "en" if is_english() else "zh-hans"
    datasets = [
        {
            "name": d.name,
            "title": d.title(language),
            "description": d.description_en if language == "en" else d.description_zh,
            "rows": d.queryset().count(),
            "columns": len(d.columns),
        }
        for d in DATASETS
    ]
    context = {
        "datasets": datasets,
        "zip_name": ZIP_NAME,
        "can_export": may_export(request.user),
        "open_data": OPEN_DATA,
    }
    return render(request, "opendata/index.html", context)


def cached_zip() -> Path:
    """The zip of a fresh export, rebuilt when older than ZIMAO_OPEN_DATA_MAX_AGE seconds."""
    target = Path(settings.VAR_DIR) / "open-data" / ZIP_NAME
    if target.exists() and time.time() - target.stat().st_mtime < settings.OPEN_DATA_MAX_AGE:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        export_open_data(Path(work) / "export")
        partial = Path(work) / ZIP_NAME
        zip_folder(Path(work) / "export", partial)
        os.replace(partial, target)  # atomic: a reader never sees half a zip
    return target


def open_data_zip(request: HttpRequest) -> FileResponse:
    return FileResponse(cached_zip().open("rb"), as_attachment=True, filename=ZIP_NAME)
