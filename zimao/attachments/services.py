"""Adding and removing attachments: checked, sniffed, stored once per content, audited on the
record they hang on, all through the one write path.

The bytes live under MEDIA_ROOT/attachments/<hash[:2]>/<hash><suffix>, written complete in
one step (a temporary file linked into place). A file and its row come and go together: the
file is written before the row and removed again when the row cannot be written, and a
deleted row's file is removed after the commit once no other row names the same content.
One lock file serialises these steps between processes, so a concurrent upload of the same
content never loses its file to another upload's clean-up.
"""

import contextlib
import fcntl
import hashlib
import os
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zimao.accounts.access import Action, Actor, allowed, visible
from zimao.audit import writes
from zimao.audit.services import acting_user, audit_record
from zimao.demands.models import Demand
from zimao.reforms.models import Innovation, PilotTask
from zimao.reforms.services import check_not_frozen
from zimao.replication.models import Adoption

from .models import (
    MODELS,
    AdoptionAttachment,
    Attachment,
    DemandAttachment,
    InnovationAttachment,
    TaskAttachment,
)
from .sniff import KINDS, Refused, sniff

FIELDS = ("name", "sha256", "size", "kind", "target")
Target = PilotTask | Adoption | Innovation | Demand


def max_bytes() -> int:
    return int(settings.ATTACHMENT_MAX_MB) * 1024 * 1024


def model_for(record: models.Model) -> type[Attachment]:
    if isinstance(record, PilotTask):
        return TaskAttachment
    if isinstance(record, Adoption):
        return AdoptionAttachment
    if isinstance(record, Innovation):
        return InnovationAttachment
    if isinstance(record, Demand):
        return DemandAttachment
    raise TypeError(f"no attachments on {type(record).__name__}")


def clean_name(raw: str, suffix: str) -> str:
    """The file name to show and to send back: the last path part, no control or format
    characters, no leading dots, at most 120 characters, ending in the sniffed type's suffix."""
    base = PureWindowsPath(PurePosixPath(raw or "").name).name
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    base = base.strip().lstrip(".").strip()
    stem, dot, ending = base.rpartition(".")
    if dot and "." + ending.lower() in {suffix, ".jpeg" if suffix == ".jpg" else suffix}:
        base = stem.strip()
    base = (base or _("附件"))[:120].rstrip()
    return base + suffix


def may_change(user: Actor, record: Target) -> bool:
    """Whether the page shows upload and delete: edit rights and, for an innovation, not
    selected (frozen)."""
    if isinstance(record, Innovation) and record.state == Innovation.State.SELECTED:
        return False
    return allowed(user, Action.EDIT, model_for(record)(**{"target": record}))


def attachments_of(user: Actor, record: Target) -> QuerySet[Attachment]:
    model = model_for(record)
    return visible(user, model._default_manager.filter(**{"target": record})).order_by(
        "created_at", "id"
    )


def attachment_get(user: Actor, kind: str, pk: int) -> Attachment:
    """One attachment the user may read (DoesNotExist otherwise: the caller answers 404)."""
    model = MODELS[kind]
    found: Attachment = visible(user, model._default_manager.all()).get(pk=pk)
    return found


def _root() -> Path:
    return Path(settings.MEDIA_ROOT)


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    folder = _root() / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write(name: str, data: bytes) -> bool:
    """Write `data` at `name` unless it is there; True when this call created the file."""
    target = _root() / name
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        try:
            os.link(temporary, target)  # the file appears complete, in one step
        except FileExistsError:
            return False
    finally:
        os.unlink(temporary)
    return True


def _referenced(sha256: str) -> bool:
    return any(m._default_manager.filter(sha256=sha256).exists() for m in MODELS.values())


def _discard(name: str, sha256: str) -> None:
    with _locked():
        if not _referenced(sha256):
            with contextlib.suppress(FileNotFoundError):
                (_root() / name).unlink()


def _check_change(user: Actor, record: Target) -> None:
    writes.check(user, Action.EDIT, model_for(record)(**{"target": record}))
    if isinstance(record, Innovation):
        check_not_frozen(record)


def attachment_add(*, user: Actor, record: Target, name: str, data: bytes) -> Attachment:
    """Attach `data` to `record`: rights first, then the size cap and the content rules (a
    ValidationError naming the rule), then the file and its row together."""
    _check_change(user, record)
    limit = max_bytes()
    if len(data) > limit:
        raise ValidationError(
            _("文件过大：%(size).1f MB，单个附件不能超过 %(limit)s MB。")
            % {"size": len(data) / 1024 / 1024, "limit": settings.ATTACHMENT_MAX_MB}
        )
    try:
        kind = sniff(data)
    except Refused as exc:
        raise ValidationError(str(exc)) from exc
    sha256 = hashlib.sha256(data).hexdigest()
    stored = f"attachments/{sha256[:2]}/{sha256}{kind.suffix}"
    model = model_for(record)
    attachment = model(
        **{"target": record},
        name=clean_name(name, kind.suffix),
        sha256=sha256,
        size=len(data),
        kind=kind.code,
        file=stored,
        created_by=acting_user(user),
    )

    def on_record(saved: Attachment) -> None:
        audit_record(
            actor=user,
            action="attach",
            record=record,
            after={"attachment": saved.pk, "name": saved.name, "size": saved.size},
        )

    with _locked():
        try:
            created = _write(stored, data)
        except OSError as exc:  # a full or read-only disk: no file, so no row either
            raise ValidationError(
                _("附件未能写入存储（%(e)s），未保存；请稍后重试。") % {"e": exc}
            ) from exc
        try:
            writes.create(
                user=user, record=attachment, fields=FIELDS, action=Action.EDIT, then=on_record
            )
        except BaseException:
            if created and not _referenced(sha256):
                with contextlib.suppress(FileNotFoundError):
                    (_root() / stored).unlink()
            raise
    return attachment


def attachment_delete(*, user: Actor, attachment: Attachment) -> None:
    """Remove an attachment (audited on its record); its file goes once nothing names it. The
    last file of an implemented task without written evidence stays: 已实施 needs evidence."""
    record: Any = attachment.record
    _check_change(user, record)
    if isinstance(record, PilotTask):
        others = record.attachments.exclude(pk=attachment.pk).exists()
        if (
            record.status == PilotTask.Status.IMPLEMENTED
            and not record.evidence.strip()
            and not others
            and not record.documents.exists()
        ):
            raise ValidationError(
                _("该任务状态为“已实施”，须保留佐证：请先填写进展与佐证文字，再删除最后一个附件。")
            )
    name, sha256 = attachment.file, attachment.sha256
    with writes.atomic():
        audit_record(
            actor=user,
            action="detach",
            record=record,
            before={"attachment": attachment.pk, "name": attachment.name, "size": attachment.size},
        )
        writes.delete(user=user, record=attachment, fields=FIELDS, action=Action.EDIT)
        transaction.on_commit(lambda: _discard(name, sha256))


def attachment_path(attachment: Attachment) -> Path:
    return _root() / attachment.file


def content_type(attachment: Attachment) -> str:
    kind = KINDS.get(attachment.kind)
    return kind.content_type if kind else "application/octet-stream"


def task_progress_with_file(
    *, user: Actor, task: PilotTask, version: int, name: str, data: bytes, **changes: Any
) -> PilotTask:
    """Record progress and attach its evidence file in one step: both are saved, or neither
    (a file written for a progress report that is then refused is removed again)."""
    from zimao.reforms.services import task_update

    attachment: Attachment | None = None
    try:
        with transaction.atomic():
            try:
                attachment = attachment_add(user=user, record=task, name=name, data=data)
            except ValidationError as exc:
                raise ValidationError({"attachment": exc.messages}) from exc
            return task_update(user=user, task=task, version=version, **changes)
    except BaseException:
        if attachment is not None:
            _discard(attachment.file, attachment.sha256)
        raise
