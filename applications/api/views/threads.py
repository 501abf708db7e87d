"""A dossier section's clarification thread: its messages and posting one (``zcpark.core.threads``)."""

from __future__ import annotations

from django.db import models
from django.http import Http404
from drf_spectacular.utils import extend_schema_view

from zcpark.core.thread_views import THREAD_READ_SCHEMA, ThreadMessagesApiBase

from ... import selectors
from ...models import SectionCode


@extend_schema_view(get=THREAD_READ_SCHEMA)
class SectionThreadApi(ThreadMessagesApiBase):
    """The clarification messages on one section of the dossier (``code``: the section's code), oldest
    first: park staff read the shared thread, reviewers and observers the internal one too."""

    def thread_target(self) -> tuple[models.Model, str]:
        if self.kwargs["code"] not in SectionCode.values:
            raise Http404
        application = selectors.application_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        return application, self.kwargs["code"]
