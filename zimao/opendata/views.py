from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from zimao.lib.i18n import is_english
from zimao.opendata.datasets import DATASETS
from zimao.opendata.jobs import OPEN_DATA, may_export
from zimao.opendata.published import ZIP_NAME, is_fresh, request_build, zip_path


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
    ready = zip_path().exists()
    if not is_fresh(zip_path()):
        request_build()
    context = {
        "ready": ready,
        "datasets": datasets,
        "zip_name": ZIP_NAME,
        "can_export": may_export(request.user),
        "open_data": OPEN_DATA,
    }
    return render(request, "opendata/index.html", context)


def open_data_zip(request: HttpRequest) -> HttpResponse | FileResponse:
    """The last built zip; a stale or missing one is rebuilt by a worker, never here."""
    target = zip_path()
    if not is_fresh(target):
        request_build()
    try:
        handle = target.open("rb")
    except FileNotFoundError:
        response = render(request, "opendata/building.html", status=202)
        response["Retry-After"] = "30"
        return response
    return FileResponse(handle, as_attachment=True, filename=ZIP_NAME)
