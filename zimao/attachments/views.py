"""Attachment pages: download (through the access layer only), upload and delete."""

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zimao.accounts.access import visible
from zimao.demands.models import Demand
from zimao.reforms.models import Innovation, PilotTask
from zimao.replication.models import Adoption

from .models import Attachment
from .services import (
    attachment_add,
    attachment_delete,
    attachment_get,
    attachment_path,
    content_type,
)

RECORDS: dict[str, type[models.Model]] = {
    "task": PilotTask,
    "adoption": Adoption,
    "innovation": Innovation,
    "demand": Demand,
}


def record_page(record: Any) -> str:
    """Where a record's attachments are listed (and where an upload returns)."""
    if isinstance(record, PilotTask):
        return reverse("reforms:task_edit", args=[record.pk])
    if isinstance(record, Adoption):
        return reverse("replication:item", args=[record.item.code]) + "#adoptions"
    return str(record.get_absolute_url()) + "#attachments"


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback and the exact name in RFC 5987 form."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(attachment: Attachment) -> FileResponse:
    try:
        handle = attachment_path(attachment).open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("附件文件缺失。")) from exc
    response = FileResponse(handle, content_type=content_type(attachment))
    response["Content-Disposition"] = content_disposition(attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def download(request: HttpRequest, kind: str, pk: int) -> HttpResponseBase:
    """The file, to whoever may read the record it hangs on; 404 for everyone else."""
    try:
        attachment = attachment_get(request.user, kind, pk)
    except ObjectDoesNotExist as exc:
        raise Http404(_("附件不存在或您无权查看。")) from exc
    return file_response(attachment)


def read_upload(request: HttpRequest) -> tuple[str, bytes] | None:
    """The uploaded file's name and bytes, read no further than one byte past the cap."""
    upload = request.FILES.get("file")
    if upload is None:
        return None
    limit = int(settings.ATTACHMENT_MAX_MB) * 1024 * 1024
    return upload.name or "", upload.read(limit + 1)


@require_POST
@login_required
def upload(request: HttpRequest, kind: str, pk: int) -> HttpResponseBase:
    record = get_object_or_404(visible(request.user, RECORDS[kind]._default_manager.all()), pk=pk)
    received = read_upload(request)
    if received is None:
        messages.error(request, _("请选择要上传的文件。"))
        return redirect(record_page(record))
    name, data = received
    try:
        attachment_add(user=request.user, record=record, name=name, data=data)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, _("附件未保存：") + " ".join(exc.messages))
    else:
        messages.success(request, _("已上传附件。"))
    return redirect(record_page(record))


@require_POST
@login_required
def remove(request: HttpRequest, kind: str, pk: int) -> HttpResponseBase:
    try:
        attachment = attachment_get(request.user, kind, pk)
    except ObjectDoesNotExist as exc:
        raise Http404(_("附件不存在或您无权查看。")) from exc
    record = attachment.record
    try:
        attachment_delete(user=request.user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, _("附件未删除：") + " ".join(exc.messages))
    else:
        messages.success(request, _("已删除附件。"))
    return redirect(record_page(record))
