"""Ingestion of uploaded files as one background job (the jobs app shows it): one file or
many, so no upload is ever read while its request waits.

Each file is stored in its own transaction by `document_store`; a file already stored (same
content hash) is recognised before it is read again, so a retried job finishes the remaining
files and adds no duplicates.
"""

import hashlib
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zimao.accounts.access import Action, Actor, can_any
from zimao.audit.writes import EditConflict
from zimao.jobs.models import Job
from zimao.jobs.progress import JobFailed, Progress
from zimao.jobs.registry import Kind, Outcome, register
from zimao.jobs.services import job_dir, job_start
from zimao.lib.labels import fact_type
from zimao.search.neighbours import batched

from .analysis import Analysis, analyse_bounded
from .display import error_text
from .models import Document, Fact
from .selectors import FactFilter, bulk_targets
from .services import ReviewError, Stored, document_retry, document_store, facts_review

INGEST = "ingest"


def ingest_start(*, user: Actor, uploads: list[UploadedFile], retry: Document | None = None) -> Job:
    """Keep the uploaded files under the job's folder and queue one job that stores them;
    `retry`: a failed document the (one) file replaces."""

    def keep(job: Job) -> dict[str, object]:
        folder = job_dir(job) / "incoming"
        folder.mkdir(parents=True, exist_ok=True)
        files = []
        for number, upload in enumerate(uploads):
            name = PurePath(upload.name or "").name[:200] or f"{number + 1}"
            stored = f"{number:04d}{PurePath(name).suffix.lower()[:10]}"
            with (folder / stored).open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            files.append({"name": name, "path": f"{job.pk}/incoming/{stored}"})
        return {"files": files}

    params: dict[str, object] = {"retry": retry.pk} if retry is not None else {}
    return job_start(user=user, kind=INGEST, params=params, prepare=keep)


def _input(entry: object) -> tuple[str, Path]:
    if not isinstance(entry, dict):
        raise JobFailed(_("任务参数无效"))
    root = Path(settings.JOBS_DIR).resolve()
    path = (root / str(entry.get("path", ""))).resolve()
    if not path.is_relative_to(root):
        raise JobFailed(_("任务参数无效"))
    return str(entry.get("name", path.name)), path


def _read_bounded(name: str, data: bytes) -> Analysis:
    """Read a file in a child process capped in time and memory, never in the worker."""
    return analyse_bounded(
        name,
        data,
        seconds=settings.DOCUMENT_READ_SECONDS,
        memory_mb=settings.DOCUMENT_READ_MEMORY_MB,
    )


def _store(name: str, data: bytes, user: Actor, retry: int | None = None) -> Stored:
    done = Document.objects.filter(
        sha256=hashlib.sha256(data).hexdigest(), status=Document.Status.PROCESSED
    ).first()
    if done is not None:  # stored by an earlier run of this job, or by an earlier upload
        return Stored(done, False)
    analysis = _read_bounded(name, data)
    failed = None
    if retry is not None:  # gone: an earlier run of this job already replaced it
        failed = Document.objects.filter(pk=retry, status=Document.Status.FAILED).first()
    if failed is not None:
        try:
            return document_retry(user=user, document=failed, analysis=analysis, data=data)
        except ReviewError as exc:
            raise JobFailed(str(exc)) from exc
    return document_store(analysis=analysis, data=data, user=user)


def ingest_run(job: Job, progress: Progress) -> Outcome:
    user = job.created_by
    if user is None or not user.is_active:
        raise JobFailed(_("发起该任务的账户已不存在或已停用。"))
    files = list(job.params.get("files", []))
    progress.start(len(files), _("正在导入文件"))
    retry = job.params.get("retry")
    with batched():  # the passages' similar records: scored together once all are stored
        failed, items = _ingest_files(
            files, user, progress, retry if isinstance(retry, int) else None
        )
    if len(items) == 1:  # one file: its result, and a link straight to its document
        item = items[0]
        message = str(item.get("error") or item.get("result") or "")
        if item.get("error"):
            message = _("无法读取该文件：%(e)s") % {"e": item["error"]}
        return Outcome(message=message, url=str(item.get("url") or reverse("documents:list")))
    message = _("共 %(t)s 个文件：成功 %(ok)s 个，失败 %(bad)s 个。") % {
        "t": len(files),
        "ok": len(files) - failed,
        "bad": failed,
    }
    return Outcome(message=message, url=reverse("documents:list"))


def _ingest_files(
    files: list[object], user: Actor, progress: Progress, retry: int | None = None
) -> tuple[int, list[dict[str, str]]]:
    """Store each file, reporting it; return how many failed, and what each came to."""
    failed = 0
    items: list[dict[str, str]] = []
    for number, entry in enumerate(files, 1):
        name, path = _input(entry)
        try:
            data = path.read_bytes()
        except OSError:
            failed += 1
            item = {"name": name, "error": _("上传的文件已丢失，请重新上传。")}
        else:
            stored = _store(name, data, user, retry)
            document = stored.document
            item = {"name": name, "url": document.get_absolute_url()}
            if document.status == Document.Status.FAILED:
                failed += 1
                item["error"] = error_text(document.error)
            elif stored.created:
                item["result"] = _("已导入，共提取 %(n)s 条事实") % {"n": document.facts.count()}
            else:
                item["result"] = _("此前已导入，未重复保存")
        items.append(item)
        progress.step(
            number, _("已处理 %(d)s / %(t)s 个文件") % {"d": number, "t": len(files)}, item
        )
        progress.pause()
    return failed, items


register(
    Kind(
        code=INGEST,
        label=gettext_lazy("导入文档"),
        run=ingest_run,
        may_start=lambda user: can_any(user, Action.CREATE, Document),
    )
)


BULK_REVIEW = "fact_review"


BULK_CHUNK = 100  # facts per transaction: a writer never holds the database for long


def bulk_review_start(
    *, user: Actor, document: Document, keep: FactFilter, action: str, counted: dict[int, int]
) -> Job:
    """Queue the review of the facts of `document` matching `keep`, exactly as counted on the
    confirm page (`counted`: fact id → the version counted)."""
    params = {
        "document": document.pk,
        "type": keep.type,
        "state": keep.state,
        "q": keep.q,
        "action": action,
        "counted": [[pk, version] for pk, version in sorted(counted.items())],
    }
    return job_start(user=user, kind=BULK_REVIEW, params=params)


def _counted(params: dict[str, object]) -> dict[int, int]:
    pairs = params.get("counted")
    if not isinstance(pairs, list):
        raise JobFailed(_("任务参数无效"))
    try:
        return {int(pk): int(version) for pk, version in pairs}
    except (TypeError, ValueError):
        raise JobFailed(_("任务参数无效")) from None


def bulk_review_run(job: Job, progress: Progress) -> Outcome:
    """Review the facts counted on the confirm page, each through `fact_review` (at the version
    counted, audited one by one), BULK_CHUNK facts per transaction. A first run writes nothing
    if any counted fact changed before it starts; a fact changed while it runs stops it, with
    the facts done so far kept (each was decided as confirmed). A retry goes on with the
    counted facts still at their counted version."""
    user = job.created_by
    if user is None or not user.is_active:
        raise JobFailed(_("发起该任务的账户已不存在或已停用。"))
    params = job.params
    document = Document.objects.filter(pk=params.get("document")).first()
    if document is None:
        raise JobFailed(_("该文档已不存在。"))
    keep = FactFilter.from_query(params)
    action = str(params.get("action", ""))
    counted = _counted(params)
    back = f"{document.get_absolute_url()}?{keep.query()}"
    verb = _("采纳") if action == "accept" else _("驳回")
    current = dict(bulk_targets(user, document, keep, action).values_list("pk", "version"))
    todo = [pk for pk, version in current.items() if counted.get(pk) == version]
    changed = [pk for pk in current if pk in counted and counted[pk] != current[pk]]
    if changed and job.attempt == 1:
        raise JobFailed(
            _(
                "确认之后，符合筛选的事实已有变动（他人已审核或更正），未保存任何内容；请回到文档重新确认。"
            )
        )
    note = _("按筛选批量%(v)s（%(f)s）") % {"v": verb, "f": filter_words(keep)}
    progress.start(len(todo), _("正在逐条%(v)s %(n)s 条事实") % {"v": verb, "n": len(todo)})
    done = 0
    for start in range(0, len(todo), BULK_CHUNK):
        chunk = list(Fact.objects.filter(pk__in=todo[start : start + BULK_CHUNK]).order_by("pk"))
        for fact in chunk:
            fact.version = counted[fact.pk]  # as confirmed: a change since is a conflict
        try:
            with batched():
                done += facts_review(facts=chunk, user=user, action=action, note=note)
        except (ReviewError, EditConflict) as exc:
            raise JobFailed(
                _("已%(v)s %(d)s 条；其余 %(r)s 条未处理：%(e)s 请回到文档重新确认。")
                % {"v": verb, "d": done, "r": len(todo) - done, "e": exc}
            ) from exc
        progress.step(done, _("已%(v)s %(d)s / %(t)s 条") % {"v": verb, "d": done, "t": len(todo)})
    message = _("已%(v)s %(n)s 条事实。") % {"v": verb, "n": done}
    if changed:
        message += _("另有 %(n)s 条在确认后被他人修改，未处理。") % {"n": len(changed)}
    return Outcome(message=message, url=back)


def filter_words(keep: FactFilter) -> str:
    """The filter in words, for the confirm page and the audit note."""
    parts = []
    if keep.type:
        parts.append(_("类型：%(t)s") % {"t": fact_type(keep.type)})
    if keep.state:
        parts.append(_("状态：%(s)s") % {"s": Fact.State(keep.state).label})
    if keep.q:
        parts.append(_("原文包含“%(q)s”") % {"q": keep.q})
    return "；".join(parts) or _("全部事实")


register(
    Kind(
        code=BULK_REVIEW,
        label=gettext_lazy("按筛选批量审核事实"),
        run=bulk_review_run,
        may_start=lambda user: can_any(user, Action.REVIEW, Fact),
    )
)
