from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zimao.accounts.access import DECIDERS, Action, Rules
from zimao.accounts.models import Role
from zimao.indicators.units import plain_value
from zimao.lib.i18n import localized
from zimao.vocab.models import Domain

# The zone office keeps its catalogue of responsible units (and the national office may help).
UNIT_KEEPERS = frozenset({Role.NATIONAL, Role.ZONE})


class Innovation(models.Model):
    """An institutional innovation (制度创新成果) and where it stands in its lifecycle."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("提出")
        PILOTING = "piloting", _("试点中")
        ACHIEVED = "achieved", _("形成成果")
        SUBMITTED = "submitted", _("已报送")
        SELECTED = "selected", _("入选")
        WITHDRAWN = "withdrawn", _("撤回")

    class Selection(models.TextChoices):
        BEST_PRACTICE = "best_practice", _("最佳实践案例")
        TOP_TEN = "top_ten", _("十佳案例")
        NATIONAL = "replicated_national", _("全国复制推广")
        PROVINCIAL = "replicated_provincial", _("全省复制推广")

    title = models.CharField(_("标题"), max_length=300)
    zone = models.ForeignKey(
        "zones.Zone", on_delete=models.PROTECT, null=True, blank=True, related_name="innovations"
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, null=True, blank=True, related_name="innovations"
    )
    area = models.ForeignKey(
        "zones.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="innovations"
    )
    mechanism = models.TextField(_("做法"), blank=True)
    published = models.BooleanField(_("已公开"), default=False)
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="innovations", verbose_name=_("佐证文档")
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.PROPOSED
    )
    selection = models.CharField(
        _("入选类型"), max_length=30, choices=Selection.choices, blank=True
    )
    version = models.PositiveIntegerField(_("版本"), default=1)  # optimistic locking
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)

    access = Rules(
        zone="zone__code", province="zone__province", area="area_id", published="published"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("制度创新成果")
        verbose_name_plural = _("制度创新成果")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reforms:innovation", args=[self.pk])


class Effect(models.Model):
    """A measured effect of an innovation (72 h → 37 h, −88 %), with the fact it came from."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="effects")
    measure = models.CharField(_("指标"), max_length=100, blank=True)
    before = models.FloatField(_("改革前"), null=True, blank=True)
    after = models.FloatField(_("改革后"), null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    change_pct = models.FloatField(_("变化（%）"), null=True, blank=True)
    direction = models.CharField(_("方向"), max_length=10, blank=True)
    period = models.CharField(_("统计期间"), max_length=50, blank=True)
    source_fact = models.ForeignKey(
        "documents.Fact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    access = Rules(
        zone="innovation__zone__code",
        province="innovation__zone__province",
        area="innovation__area_id",
        published="innovation__published",
    )

    class Meta:
        verbose_name = _("成效")
        verbose_name_plural = _("成效")

    def __str__(self) -> str:
        before, after = plain_value(self.before, self.unit), plain_value(self.after, self.unit)
        return f"{self.measure} {before} → {after} {self.unit}".strip()


class ResponsibleUnit(models.Model):
    """A unit a zone names as responsible for pilot tasks (责任单位): the zone's own catalogue,
    kept by its office, so a task names units the same way every time."""

    zone = models.ForeignKey(
        "zones.Zone", on_delete=models.CASCADE, related_name="responsible_units"
    )
    name = models.CharField(_("名称"), max_length=100)

    access = Rules(
        zone="zone__code",
        province="zone__province",
        published=True,
        roles={Action.CREATE: UNIT_KEEPERS, Action.EDIT: UNIT_KEEPERS},
    )

    class Meta:
        ordering = ["zone", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="responsible_unit_unique_name")
        ]
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")

    def __str__(self) -> str:
        return self.name


class PilotTask(models.Model):
    """A pilot task (试点任务) of a plan; its status feeds the implementation rate."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未启动")
        IN_PROGRESS = "in_progress", _("推进中")
        IMPLEMENTED = "implemented", _("已实施")
        NOT_APPLICABLE = "not_applicable", _("不适用")

    plan = models.ForeignKey("zones.Plan", on_delete=models.CASCADE, related_name="tasks")
    area = models.ForeignKey(
        "zones.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        help_text=_("承担该任务的片区（可空）"),
    )
    number = models.CharField(_("编号"), max_length=20)
    text = models.TextField(_("任务内容"))
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    units = models.ManyToManyField(
        ResponsibleUnit, blank=True, related_name="tasks", verbose_name=_("责任单位")
    )
    due_date = models.DateField(_("完成时限"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    evidence = models.TextField(_("进展与佐证"), blank=True)
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="tasks", verbose_name=_("佐证文档")
    )
    version = models.PositiveIntegerField(_("版本"), default=1)  # optimistic locking

    # Plans are public, so their tasks are; the plan's zone office (or the task's area office)
    # records progress.
    access = Rules(
        zone="plan__zone__code", province="plan__zone__province", area="area_id", published=True
    )

    class Meta:
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="pilot_task_unique_number")
        ]
        verbose_name = _("试点任务")
        verbose_name_plural = _("试点任务")

    def __str__(self) -> str:
        return f"{self.number} {self.text[:30]}"


class TaskStatusChange(models.Model):
    """Each status a task moved to, when and by whom: the implementation rate over time."""

    task = models.ForeignKey(PilotTask, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("状态"), max_length=20, choices=PilotTask.Status.choices)
    at = models.DateTimeField(_("时间"), db_index=True)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["task", "at", "id"]
        verbose_name = _("任务状态变化")
        verbose_name_plural = _("任务状态变化")

    def __str__(self) -> str:
        return f"{self.task} → {self.get_status_display()}（{self.at:%Y-%m-%d}）"


class Transition(models.Model):
    """One step of an innovation's lifecycle: who moved it, when, from where to where, why."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("原状态"), max_length=20, choices=Innovation.State.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=Innovation.State.choices)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    reason = models.TextField(_("理由"))

    class Meta:
        ordering = ["innovation", "at", "id"]
        verbose_name = _("状态流转")
        verbose_name_plural = _("状态流转")

    def __str__(self) -> str:
        return f"{self.innovation}：{self.get_from_state_display()} → {self.get_to_state_display()}"


class Criterion(models.Model):
    """One criterion of the evaluation rubric; weights are data an office can change."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("评估指标")
        verbose_name_plural = _("评估指标")

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        return localized(self, "name")


class Score(models.Model):
    """One reviewer's score (0–100) of one innovation on one criterion."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    reviewer = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("得分"))
    comment = models.TextField(_("评语"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "criterion", "reviewer"], name="score_unique"
            ),
            models.CheckConstraint(condition=models.Q(value__lte=100), name="score_at_most_100"),
        ]
        verbose_name = _("评分")
        verbose_name_plural = _("评分")

    def __str__(self) -> str:
        return f"{self.innovation.title} · {self.criterion} · {self.value}"


class ScoreSheet(models.Model):
    """One reviewer's whole score sheet for one innovation: saved at once, versioned, so two
    reviewers' tabs or a stale form cannot leave half a sheet."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="sheets")
    reviewer = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    comment = models.TextField(_("评语"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    at = models.DateTimeField(_("时间"), auto_now=True)

    access = Rules(
        zone="innovation__zone__code",
        province="innovation__zone__province",
        area="innovation__area_id",
        roles={
            Action.VIEW: DECIDERS,
            Action.CREATE: DECIDERS,
            Action.EDIT: DECIDERS,
            Action.REVIEW: DECIDERS,
        },
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["innovation", "reviewer"], name="score_sheet_unique")
        ]
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")

    def __str__(self) -> str:
        return f"{self.innovation.title} · {self.reviewer}"


class TaskAlert(models.Model):
    """An alert already sent for a task at a threshold (due soon, overdue) and due date: the
    daily check sends each once, and a new due date arms them again."""

    class Threshold(models.TextChoices):
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("逾期")

    task = models.ForeignKey(PilotTask, on_delete=models.CASCADE, related_name="alerts")
    threshold = models.CharField(_("阈值"), max_length=10, choices=Threshold.choices)
    due_date = models.DateField(_("完成时限"))
    at = models.DateTimeField(_("时间"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task", "threshold", "due_date"], name="task_alert_once"
            )
        ]
        verbose_name = _("任务提醒")
        verbose_name_plural = _("任务提醒")

    def __str__(self) -> str:
        return f"{self.task} · {self.get_threshold_display()}"
