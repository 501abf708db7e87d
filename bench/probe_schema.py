"""Probe 2, the API against its own OpenAPI schema: schemathesis (examples, coverage and fuzzing phases)
over every operation, in-process through the WSGI application, as the province and as a park's staff
(each on the restored demo database), authenticated with a token asked for as a script would.

Counted from a WSGI wrapper, so every request schemathesis makes is seen: requests, 5xx (with the
exception behind each) and leaks (an answer carrying a marker of a park the caller does not see). ``not_a_server_error`` decides the verdict; ``response_schema_conformance``
failures (an answer the schema does not describe) are listed apart, as notes.

The token endpoints' DELETE operations are left out: they end the very token the run uses.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from probe_common import Tally, client_for, last_exception, short, token_body

PEOPLE = ("province_demo", "park_nanchang")
CHECKS = ["not_a_server_error", "response_schema_conformance"]
SEED = 20260412


class CountingApp:
    """The WSGI application, counting requests, keeping each 5xx with its request and cause, and each
    answer that carries a marker of a park the caller does not see (probe_rules.World)."""

    def __init__(self, app: Any, markers: list[tuple[str, str]]) -> None:
        self.app = app
        self.markers = markers
        self.requests = 0
        self.errors: list[str] = []
        self.leaks: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.requests += 1
        query = environ.get("QUERY_STRING", "")
        where = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}" + (
            f"?{short(query, 60)}" if query else ""
        )
        seen: dict[str, Any] = {}

        def respond(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["code"] = int(status.split()[0])
            seen["type"] = dict(headers).get("Content-Type", "")
            if seen["code"] >= 500:
                self.errors.append(f"{where} → {seen['code']}: {last_exception()}")
            return start_response(status, headers, exc_info)

        body = b"".join(self.app(environ, respond))
        if self.markers and seen.get("code", 500) < 300 and "json" in seen.get("type", ""):
            text = body.decode("utf-8", "replace")
            with contextlib.suppress(ValueError):
                text += json.dumps(json.loads(text), ensure_ascii=False)
            found = next((f"{m!r} of {park}" for m, park in self.markers if m in text), "")
            if found:
                self.leaks.append(f"{where} → {seen['code']} shows {found}")
        return [body]


def openapi_document() -> dict[str, Any]:
    """The schema drf-spectacular serves at /api/v1/schema/, as JSON (what a client downloads)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


def token_for(username: str, password: str) -> str:
    from parks.models import User

    body = token_body(User.objects.get(username=username), password)
    response = client_for(None).post("/api/v1/auth/token/", body, content_type="application/json")
    if response.status_code != 200:
        raise RuntimeError(f"no API token for {username}: {response.status_code} {response.content[:200]!r}")
    return str(response.json()["token"])


def run(tally: Tally, *, examples: int, password: str, restore: Callable[[], None] | None = None) -> None:
    import schemathesis
    from django.core.handlers.wsgi import WSGIHandler
    from schemathesis.engine import events, from_schema

    document = openapi_document()
    operations = sum(len(v) for v in document["paths"].values())
    conformance: Counter[str] = Counter()
    failing: Counter[str] = Counter()
    ran: Counter[str] = Counter()
    for number, username in enumerate(PEOPLE):
        if number and restore is not None:
            restore()
        from probe_rules import World

        from parks.models import User

        markers = World().forbidden_markers(User.objects.get(username=username))
        app = CountingApp(WSGIHandler(), markers)  # not get_wsgi_application(): it sets logging up again
        config = schemathesis.Config(seed=SEED)
        config.projects.override.update(
            headers={"Authorization": f"Token {token_for(username, password)}", "X-Forwarded-Proto": "https"},
            workers=1,
        )
        config.projects.override.generation.update(max_examples=examples, database="none")
        config.projects.override.phases.update(phases=["examples", "coverage", "fuzzing"])
        config.projects.override.checks.update(included_check_names=CHECKS)
        schema = schemathesis.openapi.from_dict(document, config=config)
        schema = schema.exclude(method="DELETE", path_regex=r"^/api/v1/auth/tokens?/")
        schema.app = app
        for event in from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                for nodes in event.recorder.checks.values():
                    for node in nodes:
                        ran[f"{node.name} {node.status.value}"] += 1
                        if node.failure_info is None:
                            continue
                        if node.name == "response_schema_conformance":
                            conformance[f"{event.recorder.label} ({username})"] += 1
                        else:
                            failing[f"{node.name}: {event.recorder.label} ({username})"] += 1
            elif isinstance(event, events.NonFatalError):
                tally.notes.append(
                    f"schemathesis could not test {event.label} ({username}): {short(str(event.value), 200)}"
                )
            elif isinstance(event, events.FatalError):
                raise RuntimeError(f"schemathesis stopped: {event.exception}")
        tally.requests += app.requests
        tally.errors += [f"{e} ({username})" for e in app.errors]
        tally.leaks += [f"{e} ({username})" for e in app.leaks]
        tally.notes.append(f"{username}: {app.requests} requests over {operations} operations")
    tally.notes.append("checks run: " + ", ".join(f"{k} ×{v}" for k, v in sorted(ran.items())))
    for label, count in sorted(failing.items()):
        tally.notes.append(f"failing check {label} ×{count}")
    for label, count in sorted(conformance.items()):
        tally.notes.append(f"response_schema_conformance: {label} ×{count}")
