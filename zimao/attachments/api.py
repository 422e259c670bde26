"""Attachments in the API: list, upload and download, with the rights of the record they
hang on (read: whoever may read it; upload: whoever may edit it)."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.security import django_auth

from zimao.accounts.access import visible
from zimao.lib.schemas import ERRORS, Id

from .models import Attachment
from .services import (
    attachment_add,
    attachment_delete,
    attachment_get,
    attachments_of,
    max_bytes,
)
from .sniff import KINDS
from .views import RECORDS, file_response

router = Router(tags=["attachments"])
Kind = Literal["task", "adoption", "innovation", "demand"]


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    kind: str
    created_at: datetime
    url: str


def _out(attachment: Attachment) -> dict[str, object]:
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "size": attachment.size,
        "kind": attachment.kind,
        "created_at": attachment.created_at,
        "url": attachment.get_absolute_url(),
    }


def _record(request: HttpRequest, kind: Kind, record_id: int) -> object:
    return get_object_or_404(
        visible(request.user, RECORDS[kind]._default_manager.all()), pk=record_id
    )


@router.get("/attachments/{kind}/{record_id}", response={200: list[AttachmentOut], **ERRORS})
def attachment_list_api(request: HttpRequest, kind: Kind, record_id: Id) -> list[dict[str, object]]:
    """The files attached to a task, an adoption or an innovation the caller may read."""
    record = _record(request, kind, record_id)
    return [_out(a) for a in attachments_of(request.user, record)]  # type: ignore[arg-type]


@router.post(
    "/attachments/{kind}/{record_id}",
    response={201: AttachmentOut, **ERRORS},
    auth=django_auth,
)
def attachment_upload_api(
    request: HttpRequest, kind: Kind, record_id: Id, file: File[UploadedFile]
) -> tuple[int, dict[str, object]]:
    """Attach a file (multipart field `file`). The type is decided from the content: PDF,
    DOCX, XLSX, PNG, JPEG or TXT; anything else, an empty or oversized file, or virus-like
    content is refused with 422 naming the rule."""
    record = _record(request, kind, record_id)
    data = file.read(max_bytes() + 1)
    try:
        attachment = attachment_add(
            user=request.user,
            record=record,  # type: ignore[arg-type]
            name=file.name or "",
            data=data,
        )
    except ValidationError as exc:
        raise ValidationError({"file": " ".join(exc.messages)}) from exc
    return 201, _out(attachment)


@router.get(
    "/attachments/{kind}/files/{attachment_id}",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment (Content-Disposition, nosniff)",
                "content": {
                    kind.content_type.split(";")[0]: {
                        "schema": {"type": "string", "format": "binary"}
                    }
                    for kind in KINDS.values()
                },
            }
        }
    },
)
def attachment_download_api(request: HttpRequest, kind: Kind, attachment_id: Id) -> object:
    """The file itself, to whoever may read the record it hangs on (404 for anyone else)."""
    try:
        attachment = attachment_get(request.user, kind, attachment_id)
    except ObjectDoesNotExist as exc:
        raise Http404(_("附件不存在或您无权查看。")) from exc
    return file_response(attachment)


@router.delete(
    "/attachments/{kind}/files/{attachment_id}",
    response={204: None, **ERRORS},
    auth=django_auth,
)
def attachment_delete_api(request: HttpRequest, kind: Kind, attachment_id: Id) -> tuple[int, None]:
    """Remove a file (offices of the record; audited on it). The last file of a task marked
    已实施 without written evidence stays (422)."""
    try:
        attachment = attachment_get(request.user, kind, attachment_id)
    except ObjectDoesNotExist as exc:
        raise Http404(_("附件不存在或您无权查看。")) from exc
    attachment_delete(user=request.user, attachment=attachment)
    return 204, None
