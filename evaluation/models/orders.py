"""Rectification orders and incentives: what the province issues or notes on a project."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zcpark.core.models import BaseModel

from .projects import ConstructionProject


class OrderStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    OVERDUE = "overdue", _("Overdue")
    # Not rectified after the deadline: the province removed the park from the list (退出建设名单).
    ESCALATED = "escalated", _("Escalated: removed from the list")


# An order is open until the province closes it.
OPEN_ORDER_STATUSES = (OrderStatus.ISSUED, OrderStatus.ANSWERED, OrderStatus.OVERDUE)


class RectificationOrder(BaseModel):
    """A rectification order (整改通知): issued with a deadline → answered → closed, or overdue (then the
    province reminds, extends the deadline or escalates to the park's removal)."""

    project = models.ForeignKey(
        ConstructionProject,
        verbose_name=_("construction project"),
        on_delete=models.CASCADE,
        related_name="orders",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    document_no = models.CharField(_("document number"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    requirements = models.TextField(_("what must be rectified"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.ISSUED
    )
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)

    class Meta:
        ordering = ["project_id", "-number"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="order_number_per_project"),
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="order_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.project} · {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ORDER_STATUSES


class Incentive(BaseModel):
    """An incentive (激励) the province notes on a project: funding, a title, a policy preference."""

    project = models.ForeignKey(
        ConstructionProject,
        verbose_name=_("construction project"),
        on_delete=models.CASCADE,
        related_name="incentives",
    )
    granted_on = models.DateField(_("granted on"))
    description = models.CharField(_("incentive"), max_length=500)
    amount_wan = models.DecimalField(
        _("amount (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    document_no = models.CharField(_("document number"), max_length=64, blank=True)
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("noted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["project_id", "-granted_on", "-id"]
        verbose_name = _("incentive")
        verbose_name_plural = _("incentives")

    def __str__(self) -> str:
        return self.description
