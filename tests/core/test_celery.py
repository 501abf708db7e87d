"""Celery: eager in-process by default; with CELERY_BROKER_URL set, a real worker round trip."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from zcpark.celery import app
from zcpark.core.tasks import echo_task

ROOT = Path(__file__).resolve().parents[2]


def test_task_runs_eagerly_in_process_without_a_worker():
    assert app.conf.task_always_eager is True
    assert echo_task.delay("零碳").get(timeout=1) == "零碳"


@pytest.mark.integration
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (a real broker)")
def test_worker_picks_up_a_task_and_returns_its_result():
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zcpark.settings.test"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "zcpark",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "-l",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    app.conf.task_always_eager = False
    try:
        result = echo_task.apply_async(args=["round trip"], queue=queue)
        assert result.get(timeout=60) == "round trip"
        assert result.backend.__class__.__name__ == "RedisBackend"
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert worker.returncode is not None, output
    assert settings.CELERY_BROKER_URL.startswith("redis://")
