"""What every part of bench/probe.py shares: the scratch demo database and its restoration, the
production-like settings, signed-in test clients, the tally each probe fills, and the snapshot behind
the "half-written" check.

A refused request must leave nothing behind, so "half-written" compares every table (row count and a
digest of the rows) and the media directory (file count and names) before and after it. Sessions and
django-axes' sign-in records are left out: they change with signing in, not with what is probed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import connection, connections
from django.test import Client
from django.test.utils import override_settings

# Tables that change with signing in, whatever is probed.
UNWATCHED_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
REDIRECTS = {301, 302, 303, 307, 308}
TEXT_TYPES = ("text/html", "application/json", "text/plain", "text/csv", "application/problem+json")
PROBE_BACKEND = "parks.backends.ScopedModelBackend"
# The identities every probe signs in as: the demo's accounts (one per role and place) and nobody.
ANONYMOUS = "anonymous"


@dataclass
class Tally:
    """One probe's figures and findings (each finding names the request that showed it)."""

    name: str
    requests: int = 0
    leaks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    half_written: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    skipped: str = ""

    def count(self) -> None:
        """One more request (and a line on stderr every 1000, so a long run shows it is alive)."""
        self.requests += 1
        if self.requests % 1000 == 0:
            print(f"  {self.name}: {self.requests} requests…", file=sys.stderr, flush=True)

    @property
    def failed(self) -> bool:
        return bool(self.leaks or self.errors or self.half_written or self.skipped)


# -- the last exception a request raised, so a 5xx is listed with its cause ------------------------------
_last_exception: list[str] = []


def _remember_exception(sender: Any, request: Any = None, **kwargs: Any) -> None:
    exc_type, exc, tb = sys.exc_info()
    if exc_type is None or tb is None:
        return
    frames = traceback.extract_tb(tb)
    ours = [
        f for f in frames if f.filename.startswith(str(settings.BASE_DIR)) and "/.venv/" not in f.filename
    ]
    frame = (ours or frames)[-1]
    where = f"{os.path.relpath(frame.filename, settings.BASE_DIR)}:{frame.lineno}"
    _last_exception.append(f"{exc_type.__name__}: {short(str(exc), 160)} at {where}")


got_request_exception.connect(_remember_exception, dispatch_uid="bench-probe")


def last_exception() -> str:
    """The exception behind the latest 5xx (and forget it)."""
    text = _last_exception[-1] if _last_exception else "no exception recorded (a 5xx answered by the code)"
    _last_exception.clear()
    return text


def short(value: Any, limit: int = 90) -> str:
    """A request's data, printable on one line (NUL, surrogates and long strings shown, not sent)."""
    text = value if isinstance(value, str) else repr(value)
    text = text.encode("unicode_escape", "backslashreplace").decode("ascii")
    return text if len(text) <= limit else f"{text[:limit]}…({len(text)} chars)"


def body_text(response: Any) -> str:
    """A text response's body as text (JSON re-dumped so that escaped characters read as themselves)."""
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(TEXT_TYPES) or getattr(response, "streaming", False):
        return ""
    text = response.content.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            return text + json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def is_login_redirect(response: Any) -> bool:
    location = response.get("Location", "")
    login = str(settings.LOGIN_URL)
    if not login.startswith("/"):
        from django.urls import reverse

        login = reverse(login)
    return response.status_code in REDIRECTS and (
        location.startswith(login) or location.startswith(f"/{settings.ADMIN_PATH}login/")
    )


# -- the database ------------------------------------------------------------------------------------------
@dataclass
class ScratchDatabase:
    """The demo database the probes run on, seeded once and restored before each probe."""

    workdir: Path
    pristine_media: Path = field(init=False)

    def __post_init__(self) -> None:
        self.pristine_media = self.workdir / "media-pristine"

    @property
    def vendor(self) -> str:
        return connection.vendor

    def seed(self) -> None:
        """migrate, load_reference_data and seed_demo (as an operator runs them), plus a few objects the
        demo lacks, then keep a pristine copy of the database and the media files."""
        quiet = open(os.devnull, "w")  # noqa: SIM115 - closed below; the commands print their reports
        try:
            call_command("migrate", verbosity=0, interactive=False, stdout=quiet)
            call_command("load_reference_data", verbosity=0, stdout=quiet)
            call_command("seed_demo", force=True, stdout=quiet)
        finally:
            quiet.close()
        seed_extras()
        connections.close_all()
        shutil.copytree(settings.MEDIA_ROOT, self.pristine_media)
        if self.vendor == "sqlite":
            shutil.copyfile(self._sqlite_path, self.workdir / "pristine.sqlite3")
        else:
            self._postgres(f'DROP DATABASE IF EXISTS "{self._pg_name}_pristine"')
            self._postgres(f'CREATE DATABASE "{self._pg_name}_pristine" TEMPLATE "{self._pg_name}"')

    def restore(self) -> None:
        """Back to the seeded state: the database and MEDIA_ROOT as they were after seeding."""
        connections.close_all()
        if self.vendor == "sqlite":
            shutil.copyfile(self.workdir / "pristine.sqlite3", self._sqlite_path)
        else:
            self._postgres(f'DROP DATABASE IF EXISTS "{self._pg_name}" WITH (FORCE)')
            self._postgres(f'CREATE DATABASE "{self._pg_name}" TEMPLATE "{self._pg_name}_pristine"')
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        shutil.copytree(self.pristine_media, settings.MEDIA_ROOT)

    def drop(self) -> None:
        connections.close_all()
        if self.vendor != "sqlite":
            self._postgres(f'DROP DATABASE IF EXISTS "{self._pg_name}_pristine"')
            self._postgres(f'DROP DATABASE IF EXISTS "{self._pg_name}" WITH (FORCE)')
        shutil.rmtree(self.workdir, ignore_errors=True)

    @property
    def _sqlite_path(self) -> str:
        return str(settings.DATABASES["default"]["NAME"])

    @property
    def _pg_name(self) -> str:
        return str(settings.DATABASES["default"]["NAME"])

    def _postgres(self, sql: str) -> None:
        """A statement outside the probed database (CREATE/DROP DATABASE), on Django's own "no database"
        connection: it reaches the server's maintenance database with whichever driver is installed."""
        connections.close_all()
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(sql)


def create_postgres_database() -> None:
    """A fresh, empty PostgreSQL database under the configured name (dropped first if it exists)."""
    db = settings.DATABASES["default"]
    name = str(db["NAME"])
    if not re.fullmatch(r"zcpark_[a-z0-9_]+", name) or name in {"zcpark", "zcpark_bench"}:
        raise SystemExit(
            f"refusing to drop and recreate the database {name!r}: name a scratch one (zcpark_h8)"
        )
    scratch = ScratchDatabase(Path("/nonexistent"))
    scratch._postgres(f'DROP DATABASE IF EXISTS "{name}"')
    scratch._postgres(f'CREATE DATABASE "{name}"')


def seed_extras() -> None:
    """Objects the demo does not have but the probes need: a submitted application in a second city (the
    observer sees it, the other cities do not), dossier exports, and a draft construction list."""
    from applications.models import Application, ApplicationStatus
    from applications.services.exports import dossier_export_request
    from applications.services.lists import construction_list_create
    from applications.services.workflow import application_transition
    from parks.models import User

    province, reviewer = User.objects.get(username="province_demo"), User.objects.get(username="city_ganzhou")
    ganzhou = Application.objects.get(park__name="赣州经开区零碳园区", status=ApplicationStatus.DRAFT)
    for action, by, comment in (
        ("submit", User.objects.get(username="park_ganzhou"), ""),
        ("recommend", reviewer, "经审核，同意推荐。"),
        ("approve", province, "同意纳入建设名单。"),
    ):
        ganzhou = application_transition(by=by, application=ganzhou, action=action, comment=comment)
    construction_list_create(by=province, title="探针用草稿名单", application_ids=[ganzhou.pk])
    nanchang = Application.objects.get(park__name="南昌经开区零碳示范园")
    dossier_export_request(by=User.objects.get(username="park_nanchang"), application=nanchang, kind="zip")
    listed = Application.objects.filter(status=ApplicationStatus.LISTED).order_by("pk").first()
    if listed is not None:
        dossier_export_request(by=province, application=listed, kind="zip")


# -- settings and clients ------------------------------------------------------------------------------------
def production_like() -> override_settings:
    """production.py's security settings that matter in-process (HTTPS via the proxy header, secure
    cookies, HSTS, JSON-only API, docs for signed-in users); eager tasks and local files stay."""
    return override_settings(
        DEBUG=False,
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
        SECURE_SSL_REDIRECT=True,
        SESSION_COOKIE_SECURE=True,
        CSRF_COOKIE_SECURE=True,
        SECURE_HSTS_SECONDS=31_536_000,
        SECURE_CONTENT_TYPE_NOSNIFF=True,
        ALLOWED_HOSTS=["testserver", "localhost"],
        API_DOCS_PUBLIC=False,
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        },
    )


def client_for(user: Any | None) -> Client:
    """A test client behind the HTTPS proxy, signed in as ``user`` (None: nobody); a 500 is answered,
    not raised, as a browser would see it."""
    client = Client(raise_request_exception=False, headers={"X-Forwarded-Proto": "https"})
    if user is not None:
        client.force_login(user, backend=PROBE_BACKEND)
        verify_second_factor(client, user)
    return client


def verify_second_factor(client: Client, user: Any) -> None:
    """Pass the second factor when the account needs one (its role is in TWO_FACTOR_ROLES or it has an
    authenticator): the probes test scope, not the sign-in. A confirmed TOTP device is created for a
    role that requires one and has none yet; other accounts are left as the demo made them."""
    device = totp_device(user, create=user.role in getattr(settings, "TWO_FACTOR_ROLES", ()))
    if device is None:
        return
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def totp_device(user: Any, *, create: bool = False) -> Any:
    try:
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and create:
        device = TOTPDevice.objects.create(user=user, name="probe", confirmed=True)
    return device


def token_body(user: Any, password: str) -> dict[str, str]:
    """What a script sends to /api/v1/auth/token/ (with the current code when the account has an
    authenticator)."""
    body = {"username": user.username, "password": password}
    device = totp_device(user)
    if device is not None:
        from django_otp.oath import TOTP

        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        body["otp"] = str(totp.token()).zfill(device.digits)
    return body


def identities() -> list[tuple[str, Any | None]]:
    """Every demo account (by username), then nobody."""
    from parks.models import User

    users = list(User.objects.filter(is_active=True).order_by("pk"))
    return [(user.username, user) for user in users] + [(ANONYMOUS, None)]


# -- the half-written check ----------------------------------------------------------------------------------
Snapshot = dict[str, tuple[int, str]]


def snapshot() -> Snapshot:
    """Every watched table's row count and a digest of its rows, and MEDIA_ROOT's files."""
    state: Snapshot = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in UNWATCHED_TABLES:
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            rows = sorted(repr(row) for row in cursor.fetchall())
            state[table] = (len(rows), hashlib.sha1("\n".join(rows).encode()).hexdigest())
    state["<MEDIA_ROOT files>"] = state_of_media()
    return state


class Watcher:
    """What was written since the last look. SQLite's total_changes() (rows this connection changed)
    and the media listing are read first, for free; the full snapshot only when one of them moved (on
    PostgreSQL, every time)."""

    def __init__(self) -> None:
        self.state = snapshot()
        self.mark = self._mark()

    def _mark(self) -> tuple[int | None, str]:
        media = str(state_of_media())
        if connection.vendor != "sqlite":
            return None, media
        with connection.cursor() as cursor:
            cursor.execute("SELECT total_changes()")
            return int(cursor.fetchone()[0]), media

    def changes(self) -> str:
        """The tables (and media) changed since the last call, "" when none."""
        mark = self._mark()
        if mark[0] is not None and mark == self.mark:
            return ""
        self.mark = mark
        after = snapshot()
        diff = snapshot_diff(self.state, after)
        self.state = after
        return diff


def state_of_media() -> tuple[int, str]:
    media = sorted(
        str(p.relative_to(settings.MEDIA_ROOT)) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()
    )
    return len(media), hashlib.sha1("\n".join(media).encode()).hexdigest()


def snapshot_diff(before: Snapshot, after: Snapshot) -> str:
    """What changed, table by table ("" when nothing did)."""
    changes = []
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, (0, "")), after.get(table, (0, ""))
        if old == new:
            continue
        changes.append(f"{table} {old[0]}→{new[0]} rows" if old[0] != new[0] else f"{table} rows changed")
    return ", ".join(changes)
