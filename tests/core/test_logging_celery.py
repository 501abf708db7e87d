"""The worker and beat log JSON lines through structlog, as the web does, with each task's id and name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.core.test_settings import PRODUCTION

ROOT = Path(__file__).resolve().parents[2]

# What `celery worker` and `celery beat` do at start-up (their logging set-up, the worker's boot step), then
# a task run and a line of beat's. Celery's own start-up is not run: it would need a broker.
SCRIPT = """
import logging
import django
django.setup()
from django_structlog.celery.steps import DjangoStructLogInitStep
from zcpark.celery import app
from zcpark.core.tasks import echo_task
assert DjangoStructLogInitStep in app.steps["worker"]
assert app.conf.worker_hijack_root_logger is False
assert app.log.setup(loglevel="WARNING")  # handled by our receiver (beat passes WARNING: LOG_LEVEL wins)
step = DjangoStructLogInitStep(parent=None)
echo_task.apply(args=("x",), task_id="task-1")
logging.getLogger("celery.beat").info("Scheduler: Sending due task %s", "outbox-relay")
print("done")
"""


def _run(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "LOG_JSON"}  # production's default: JSON
    env.update({**PRODUCTION, "LOG_LEVEL": "INFO", "PYTHONPATH": str(ROOT), **env_extra})
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_worker_and_beat_log_one_json_object_per_line_with_the_task():
    result = _run({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "done"
    records = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]  # every line is JSON
    by_event = {r["event"]: r for r in records}
    for event in ("task_started", "task_succeeded"):
        assert by_event[event]["task_id"] == "task-1"
        assert by_event[event]["task_name"] == "core.echo"
        assert by_event[event]["logger"] == "django_structlog.celery.receivers"
    assert "duration_ms" in by_event["task_succeeded"]
    # Celery's own lines too, in the same shape (beat's, and the worker's trace line with the task's id).
    assert by_event["Scheduler: Sending due task outbox-relay"]["logger"] == "celery.beat"
    trace = next(r for r in records if r["logger"] == "celery.app.trace")
    assert trace["task_id"] == "task-1" and trace["level"] == "info"


def test_without_log_json_the_worker_logs_key_value_lines():
    result = _run({"LOG_JSON": "false"})
    assert result.returncode == 0, result.stderr
    started = next(line for line in result.stderr.splitlines() if "task_started" in line)
    assert "task_id=task-1" in started and "task_name=core.echo" in started
