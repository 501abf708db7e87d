"""The fault suite's rigging: a private Redis on a free port (stopping it disturbs no other test), Celery
workers started as subprocesses on the test's own PostgreSQL database, and this process's Celery app sent
to that Redis instead of running tasks eagerly. Runs only with PostgreSQL and a broker configured (CI's
PostgreSQL + Redis pass); each test is marked ``integration``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from zcpark.celery import app

ROOT = Path(__file__).resolve().parents[2]

needs_postgres_and_broker = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (CI's Redis pass)"
    ),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the worker subprocess shares the test's database: needs PostgreSQL (DATABASE_URL)",
    ),
]


def wait_for(check: Callable[[], Any], *, timeout: float, what: str) -> Any:
    """Poll ``check`` until it returns something true; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


class PrivateRedis:
    """A redis-server of this test only, which the test may stop and start again on the same port."""

    def __init__(self, workdir: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.workdir / f"redis-{self.port}.log", "ab")  # noqa: SIM115 (the process owns it)
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        wait_for(lambda: _pings(client), timeout=10, what="the private redis-server")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def _reset_producers() -> None:
    """Forget this process's broker connections: the next send connects to the broker now configured
    (kombu keeps one pool per broker URL; closing one would close it for every later test)."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def sent_to(private_redis: PrivateRedis) -> Iterator[Callable[[], None]]:
    """Calling it makes this process send tasks to the private Redis (the outbox's after-commit send and
    the relay) instead of running them eagerly; undone after the test."""
    names = ("task_always_eager", "broker_url", "broker_read_url", "broker_write_url")
    saved = {name: app.conf[name] for name in names}

    def switch() -> None:
        app.conf.update(task_always_eager=False, **dict.fromkeys(names[1:], private_redis.url))
        _reset_producers()

    yield switch
    app.conf.update(saved)
    _reset_producers()


def _database_url() -> str:
    """The URL of the test database this test runs on (pytest-django's test_… database)."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="") + (f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Workers:
    """Celery workers (solo pool: the task runs in the process the test kills) on the private Redis and
    the test's database, each logging to its own file."""

    def __init__(self, private_redis: PrivateRedis, workdir: Path) -> None:
        self.redis, self.workdir = private_redis, workdir
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, **extra_env: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "zcpark.settings.test",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": self.redis.url,
            "CELERY_RESULT_BACKEND": self.redis.url,
            "CELERY_SKIP_CHECKS": "1",
            **extra_env,
        }
        log = open(self.workdir / f"worker-{len(self.processes)}.log", "ab")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "zcpark",
                "worker",
                "-P",
                "solo",
                "--include",
                "tests.faults.worker_hooks",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.workdir.glob("worker-*.log")))

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture
def workers(private_redis: PrivateRedis, tmp_path: Path) -> Iterator[Workers]:
    """Stopped before the test's database is emptied (a worker holding a connection would block it)."""
    started = Workers(private_redis, tmp_path)
    yield started
    started.stop_all()
