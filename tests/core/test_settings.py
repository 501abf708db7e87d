"""Configuration: every variable is documented, production refuses to start without a secret."""

from __future__ import annotations

import json
import logging
import logging.config
import os
import re
import subprocess
import sys
from pathlib import Path

from zcpark.core.logging import build_logging

ROOT = Path(__file__).resolve().parents[2]


def _django_setup(env: dict[str, str], then: str = "") -> subprocess.CompletedProcess[str]:
    """Start Django in a fresh process with ``env`` (settings are read once, at start), then run ``then``."""
    code = "import django; django.setup()" + (f"; {then}" if then else "")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def _env_names_read_by_settings() -> set[str]:
    names = set()
    for path in (ROOT / "zcpark" / "settings").glob("*.py"):
        names |= set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z_]+)\"", path.read_text()))
    return names


def test_env_example_lists_every_variable_the_settings_read():
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert _env_names_read_by_settings() - documented == set()


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "zcpark.settings.production"
    result = _django_setup(env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


PRODUCTION = {
    "SECRET_KEY": "x" * 50,
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_SETTINGS_MODULE": "zcpark.settings.production",
}


def test_production_settings_refuse_to_run_tasks_in_the_web_process():
    env = {**os.environ, **PRODUCTION}
    del env["CELERY_BROKER_URL"]
    result = _django_setup(env)
    assert result.returncode != 0 and "CELERY_BROKER_URL must name the broker" in result.stderr


def test_production_settings_refuse_to_start_without_a_shared_cache():
    env = {**{k: v for k, v in os.environ.items() if k != "CACHE_URL"}, **PRODUCTION}
    del env["CACHE_URL"]
    result = _django_setup(env)
    assert result.returncode != 0 and "CACHE_URL must name a shared cache" in result.stderr


def test_production_settings_start_with_a_secret_key():
    env = {**os.environ, **PRODUCTION}
    result = _django_setup(env, "from django.conf import settings; print(settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_json_logging_renders_one_object_per_record_with_chinese_intact(capsys):
    logging.config.dictConfig(build_logging(level="INFO", json=True))
    try:
        logging.getLogger("zcpark.test").info("园区已登记")
        line = capsys.readouterr().err.strip().splitlines()[-1]
        record = json.loads(line)
        assert record["event"] == "园区已登记"
        assert record["level"] == "info"
        assert "timestamp" in record
    finally:
        from django.conf import settings

        logging.config.dictConfig(settings.LOGGING)


def test_production_reads_secrets_from_files_and_the_mail_server_from_one_url(tmp_path):
    """NAME_FILE (Docker/Kubernetes secrets) supplies NAME, wins over it, and loses the file's last newline."""
    files = {
        "SECRET_KEY": "k" * 50,
        "DATABASE_URL": "postgres://zcpark:p%40ss@db.internal:5433/zcpark",
        "EMAIL_URL": "smtp+tls://mailer%40example.gov.cn:s3cret@smtp.example.gov.cn",
    }
    env = {**os.environ, **PRODUCTION, "SECRET_KEY": "not-this-one"}
    env.pop("EMAIL_BACKEND", None)
    for name, value in files.items():
        (tmp_path / name).write_text(value + "\n")
        env[f"{name}_FILE"] = str(tmp_path / name)
    script = (
        "import json; from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(json.dumps([s.SECRET_KEY, d['NAME'], d['HOST'], d['PORT'], d['PASSWORD'], s.EMAIL_BACKEND,"
        " s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_TIMEOUT]))"
    )
    result = _django_setup(env, script)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "k" * 50,
        "zcpark",
        "db.internal",
        5433,
        "p@ss",
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.gov.cn",
        587,
        "mailer@example.gov.cn",
        "s3cret",
        True,
        10,
    ]


def test_a_secret_file_that_cannot_be_read_stops_the_start_with_its_name(tmp_path):
    env = {**os.environ, **PRODUCTION, "SECRET_KEY_FILE": str(tmp_path / "missing")}
    result = _django_setup(env)
    assert result.returncode != 0
    assert f"SECRET_KEY_FILE names {tmp_path / 'missing'}, which cannot be read" in result.stderr


def test_without_email_url_mails_go_to_the_configured_backend():
    env_vars = {**os.environ, **PRODUCTION, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    env_vars.pop("EMAIL_URL", None)
    result = _django_setup(
        env_vars, "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.mail.backends.console.EmailBackend", "localhost"]


def _production_value(expression: str, **extra: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "TWO_FACTOR_ROLES"}
    result = _django_setup(
        {**environment, **PRODUCTION, **extra}, f"from django.conf import settings; print({expression})"
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_asks_province_and_city_accounts_for_a_second_factor_unless_told_otherwise():
    assert _production_value("settings.TWO_FACTOR_ROLES") == "['province_admin', 'city_reviewer']"
    assert _production_value("settings.TWO_FACTOR_ROLES", TWO_FACTOR_ROLES="") == "[]"
    assert _production_value("settings.PASSWORD_HASHERS[0]").endswith("Argon2PasswordHasher")
