"""The deployment files: docker-compose.yml, the Dockerfile, gunicorn.conf.py, and the container probes.

Docker cannot run here, so the compose file is checked as data: what `docker compose up` would do with it."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import re
import runpy
import threading
import time
from contextlib import redirect_stdout
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from zcpark.core import probe

ROOT = Path(__file__).resolve().parents[2]
ONE_SHOT = {"migrate", "minio-setup", "backup"}
SECRETS = ("PASSWORD", "SECRET", "KEY", "TOKEN")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_every_long_running_service_has_a_healthcheck_and_restarts(compose):
    services = compose["services"]
    assert {"postgres", "redis", "minio", "web", "worker", "beat"} <= set(services)
    for name, service in services.items():
        if name in ONE_SHOT:
            assert service["restart"] == "no", name
            continue
        check = service["healthcheck"]
        assert check.get("disable") is not True and check["test"], name
        assert service["restart"] == "unless-stopped", name


def test_the_app_starts_only_once_what_it_needs_is_healthy(compose):
    services = compose["services"]
    app = services["migrate"]["depends_on"]
    assert app["postgres"]["condition"] == app["redis"]["condition"] == "service_healthy"
    assert app["minio-setup"]["condition"] == "service_completed_successfully"
    assert services["minio-setup"]["depends_on"]["minio"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_the_probes_are_the_right_ones(compose):
    services = compose["services"]
    assert services["web"]["healthcheck"]["test"] == ["CMD", "python", "-m", "zcpark.core.probe", "web"]
    assert "inspect ping --destination celery@$$HOSTNAME" in services["worker"]["healthcheck"]["test"][1]
    beat = services["beat"]
    assert beat["healthcheck"]["test"][:5] == ["CMD", "python", "-m", "zcpark.core.probe", "beat"]
    # The probe reads the file beat writes.
    schedule = next(a.split("=", 1)[1] for a in beat["command"] if a.startswith("--schedule="))
    assert beat["healthcheck"]["test"][-1] == schedule


def test_beat_runs_as_exactly_one_instance(compose):
    beat = compose["services"]["beat"]
    assert beat["deploy"]["replicas"] == 1
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "Exactly one beat" in text  # and the comment says why


def test_no_secret_is_written_into_the_compose_file(compose):
    """Every secret the services get is interpolated from .env or the shell, never a literal."""
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if any(word in key for word in SECRETS) and value:
                assert re.fullmatch(r"\$\{[A-Z_]+(:?\?[^}]*|:?-[^}]*)?\}", value), (name, key, value)
            if isinstance(value, str) and "://" in value and "@" in value:
                assert re.search(r":\$\{[A-Z_]+:\?[^}]*\}@", value), (name, key)  # the password part


def test_the_app_gets_the_media_bucket_but_not_minios_root_account(compose):
    env = compose["services"]["web"]["environment"]
    assert env["AWS_S3_ENDPOINT_URL"].endswith("http://minio:9000}")
    assert env["AWS_S3_ADDRESSING_STYLE"] == "path"
    assert {"AWS_STORAGE_BUCKET_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} <= set(env)
    assert env["MINIO_ROOT_USER"] == env["MINIO_ROOT_PASSWORD"] == ""
    assert compose["services"]["worker"]["environment"] == env


def test_the_backup_service_writes_to_a_host_folder_on_demand(compose):
    backup = compose["services"]["backup"]
    assert backup["profiles"] == ["ops"]
    assert backup["command"][:4] == ["python", "manage.py", "backup", "/backups"]
    assert any(v.endswith(":/backups") for v in backup["volumes"])
    assert "backups" in (ROOT / ".dockerignore").read_text().split()  # dumps never go into the image


def test_the_dockerfile_probes_the_web_runs_gunicorns_config_and_can_dump_postgresql():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(
        r"^HEALTHCHECK .*\n\s+CMD \[\"python\", \"-m\", \"zcpark.core.probe\", \"web\"\]", text, re.M
    )
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "zcpark.wsgi:application"]' in text
    assert "postgresql-client" in text
    assert re.search(r"^USER zcpark$", text, re.M)


def test_gunicorn_reads_its_numbers_from_the_environment(monkeypatch):
    from gunicorn.config import Config

    for name, value in {
        "GUNICORN_WORKERS": "5",
        "GUNICORN_THREADS": "4",
        "GUNICORN_TIMEOUT": "90",
        "GUNICORN_MAX_REQUESTS": "500",
        "GUNICORN_MAX_REQUESTS_JITTER": "50",
        "FORWARDED_ALLOW_IPS": "10.0.0.2",
    }.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    for key, value in values.items():
        if not key.startswith("_") and not callable(value) and key not in ("annotations", "os"):
            assert key in config.settings, f"gunicorn has no setting {key}"
            config.set(key, value)  # gunicorn's own validation
    assert (config.workers, config.threads, config.timeout) == (5, 4, 90)
    assert (config.max_requests, config.max_requests_jitter) == (500, 50)
    assert config.forwarded_allow_ips == ["10.0.0.2"]
    assert config.bind == ["0.0.0.0:8000"] and config.accesslog == "-"


def test_gunicorn_defaults_to_two_workers_a_core_plus_one_at_most_eight(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    values = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert values["workers"] == min(2 * len(os.sched_getaffinity(0)) + 1, 8)
    assert values["timeout"] == 60 and values["max_requests"] == 1000


def test_gunicorns_own_lines_are_json(monkeypatch, capsys):
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    monkeypatch.setenv("LOG_JSON", "true")
    config = Config()
    config.set("logconfig_dict", runpy.run_path(str(ROOT / "gunicorn.conf.py"))["logconfig_dict"])
    config.set("accesslog", "-")
    try:
        Logger(config).info("Booting worker with pid: %s", 42)
        record = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    finally:
        logging.config.dictConfig(settings.LOGGING)
    assert record["event"] == "Booting worker with pid: 42" and record["logger"] == "gunicorn.error"


class _Health(BaseHTTPRequestHandler):
    status = 200
    body = b""

    def do_GET(self):
        type(self).host = self.headers["Host"]
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(type(self).body)

    def log_message(self, *args):
        pass


@pytest.fixture
def health_server():
    server = HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/healthz"
    server.shutdown()


def _report(database_ok: bool) -> bytes:
    return json.dumps(
        {"status": "error", "checks": {"database": {"ok": database_ok, "detail": "x"}}}
    ).encode()


def test_the_web_probe_wants_an_answer_and_the_database_not_the_worker(health_server):
    _Health.status, _Health.body = 503, _report(database_ok=True)  # worker or broker down: web is fine
    assert probe.check_web(health_server, "zcpark.example.gov.cn", 5)[0] is True
    assert _Health.host == "zcpark.example.gov.cn"
    _Health.status, _Health.body = 503, _report(database_ok=False)
    assert probe.check_web(health_server, "x", 5) == (False, "the database does not answer: x")
    _Health.status, _Health.body = 400, b"Bad Request"  # a Host Django refuses
    assert probe.check_web(health_server, "x", 5)[0] is False
    assert probe.check_web("http://127.0.0.1:1/healthz", "x", 1)[0] is False


def test_the_web_probe_sends_a_host_django_allows():
    assert probe.probe_host("zcpark.example.gov.cn,localhost") == "zcpark.example.gov.cn"
    assert probe.probe_host(" .example.gov.cn") == "example.gov.cn"
    assert probe.probe_host("*") == probe.probe_host("") == "localhost"


def test_the_beat_probe_wants_a_fresh_schedule_file(tmp_path):
    schedule = tmp_path / "celerybeat-schedule"
    assert probe.main(["beat", "--schedule", str(schedule)]) == 1
    (tmp_path / "celerybeat-schedule.db").write_bytes(b"")  # dbm's suffix on some systems
    with redirect_stdout(io.StringIO()) as out:
        assert probe.main(["beat", "--schedule", str(schedule)]) == 0
    assert out.getvalue().startswith("healthy: ")
    old = time.time() - 11 * 60
    os.utime(tmp_path / "celerybeat-schedule.db", (old, old))
    assert probe.check_fresh_file(str(schedule), 600)[0] is False
