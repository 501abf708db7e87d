"""The clarification threads of an annual report and of a rectification order (``zcpark.core.threads``)."""

from __future__ import annotations

from django.db import models
from drf_spectacular.utils import extend_schema_view

from zcpark.core.thread_views import THREAD_READ_SCHEMA, ThreadMessagesApiBase

from ... import selectors


@extend_schema_view(get=THREAD_READ_SCHEMA)
class ReportThreadApi(ThreadMessagesApiBase):
    """The clarification messages on an annual report, oldest first: park staff read the shared thread,
    reviewers and observers the internal one too."""

    def thread_target(self) -> tuple[models.Model, str]:
        report = selectors.report_get_for_user(
            user=self.request.user, project_pk=self.kwargs["pk"], year=self.kwargs["year"]
        )
        return report, ""


@extend_schema_view(get=THREAD_READ_SCHEMA)
class OrderThreadApi(ThreadMessagesApiBase):
    """The clarification messages on a rectification order, oldest first: park staff read the shared
    thread, reviewers and observers the internal one too."""

    def thread_target(self) -> tuple[models.Model, str]:
        return selectors.order_get_for_user(user=self.request.user, pk=self.kwargs["pk"]), ""
