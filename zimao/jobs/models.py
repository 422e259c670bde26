"""A background job as people see it: what runs, for whom, how far it got, and what came out.

The queue itself (django-tasks' DBTaskResult) only knows a function and its arguments; this
record carries the scope the access layer filters on, the progress and the result a page shows.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import OFFICES, Action, Rules
from zimao.accounts.models import Role

from .registry import label_of


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    # The starter's office, copied as plain values: jobs is infrastructure and has no
    # foreign key into the zones app.
    zone_code = models.CharField(_("自贸试验区"), max_length=40, blank=True)
    province = models.CharField(_("省份"), max_length=20, blank=True)
    area_id = models.PositiveIntegerField(_("片区"), null=True, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State, default=State.QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    message = models.CharField(_("进度说明"), max_length=300, blank=True)
    items = models.JSONField(_("明细"), default=list, blank=True)
    result_file = models.CharField(_("结果文件"), max_length=300, blank=True)
    result_url = models.CharField(_("结果链接"), max_length=300, blank=True)
    error = models.TextField(_("错误"), blank=True)
    attempt = models.PositiveIntegerField(_("第几次运行"), default=1)
    task_id = models.CharField(_("队列任务编号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)

    access = Rules(
        zone="zone_code",
        province="province",
        area="area_id",
        creator="created_by_id",
        roles={
            Action.VIEW: OFFICES,
            Action.CREATE: OFFICES,
            Action.EDIT: frozenset({Role.NATIONAL}),
        },
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "heartbeat_at"])]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")

    def __str__(self) -> str:
        return f"{label_of(self.kind)} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def stale(self) -> bool:
        """Running, but its worker has stopped writing heartbeats: it died."""
        if self.state != self.State.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        return timezone.now() - last > timedelta(seconds=settings.JOB_STALE_SECONDS)

    @property
    def retryable(self) -> bool:
        return self.state == self.State.FAILED or self.stale

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    def item_list(self) -> list[dict[str, Any]]:
        return [i for i in self.items if isinstance(i, dict)]


class ScheduledRun(models.Model):
    """One period of one scheduled entry, taken once (zimao.jobs.schedule): the unique key is
    the lock that keeps several workers from starting the same period twice. Bookkeeping of
    the scheduler, like the queue's own rows; the job it started is the audited record."""

    entry = models.CharField(_("定时任务"), max_length=40)
    period = models.CharField(_("周期"), max_length=20)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "period"], name="scheduled_run_once")
        ]
        verbose_name = _("定时任务周期")
        verbose_name_plural = _("定时任务周期")

    def __str__(self) -> str:
        return f"{self.entry} {self.period}"
