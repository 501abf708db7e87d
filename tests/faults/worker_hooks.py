"""Loaded only into a fault test's worker (``celery worker --include tests.faults.worker_hooks``), so the
portal's code carries no test hook: with ZCPARK_FAULT_RENDER_DELAY set, an acceptance report rendering
writes ZCPARK_FAULT_RENDER_MARK (it has started) and then waits that many seconds, long enough for the test
to kill the worker in the middle of it, at a moment it knows rather than guesses."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from celery.signals import task_prerun

RENDER_TASK = "evaluation.acceptance_report_render"
DELAY = float(os.environ.get("ZCPARK_FAULT_RENDER_DELAY") or 0)
MARK = os.environ.get("ZCPARK_FAULT_RENDER_MARK", "")


@task_prerun.connect
def _slow_render(sender: Any = None, **kwargs: Any) -> None:
    """Slow the rendering down, once it is about to run (the solo pool runs it in this process)."""
    if not DELAY or getattr(sender, "name", "") != RENDER_TASK:
        return
    from evaluation import reports

    original = reports.acceptance_report_pdf
    if getattr(original, "slowed", False):
        return

    def slowed(context: dict[str, Any]) -> Any:
        Path(MARK).write_text(str(os.getpid()))
        time.sleep(DELAY)
        return original(context)

    slowed.slowed = True  # type: ignore[attr-defined]
    reports.acceptance_report_pdf = slowed
