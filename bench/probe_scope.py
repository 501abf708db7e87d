"""Probe 1, role × scope: every demo account (and nobody) × every URL pattern filled with the demo's
objects, pages and API alike, then the action URLs POSTed by everyone who may not act.

The URL patterns are walked from the resolver, so a new page is probed without touching this file; a
kwarg the probe cannot fill is listed. Child objects are tried under every parent (an attachment of
another application, a review of another evaluation): a child that is not its parent's answers 404.

A leak: a page or API object answered 2xx (or a redirect into it) to someone out of its scope or role,
or a response carrying a marker of a park its reader does not see (probe_rules). A refused POST must
change nothing: the database and media files are compared before and after each one.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from probe_common import (
    REDIRECTS,
    Tally,
    Watcher,
    body_text,
    client_for,
    identities,
    is_login_redirect,
    last_exception,
    token_body,
)
from probe_rules import ACTS, GET_AS_ACT, NOT_PROBED_WRITES, World, post_bodies

DENIED = {401, 403, 404, 405}
YEAR_NOBODY_HAS = 1990


@dataclass(frozen=True)
class TokenRef:
    """An API token as the token URLs name it: its reference and its owner."""

    ref: str
    owner_id: int


@dataclass
class Case:
    name: str
    url: str
    objects: list[Any]
    owned: bool  # every child kwarg belongs to its parent (else 404 for everyone)
    api: bool
    writes: tuple[str, ...]


def walk(patterns: list[Any], ns: str = "", prefix: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    """(namespaced name, full route, pattern) of every named URL pattern."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{ns}:{pattern.namespace}" if ns and pattern.namespace else (pattern.namespace or ns)
            yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif pattern.name:
            yield f"{ns}:{pattern.name}", prefix + str(pattern.pattern), pattern


def kwarg_names(pattern: URLPattern) -> list[str]:
    names = list(getattr(pattern.pattern, "converters", {}) or {})
    if not names:
        names = list(pattern.pattern.regex.groupindex)
    return [n for n in names if n not in (pattern.default_args or {})]


class Filler:
    """Values for every kwarg, from the demo's objects."""

    def __init__(self, tokens: list[TokenRef]) -> None:
        from applications.models import (
            HISTORY_YEARS,
            Application,
            ApplicationRevision,
            Attachment,
            Call,
            ConstructionList,
            DossierExport,
            SectionCode,
        )
        from evaluation.models import (
            AcceptanceEvaluation,
            AnnualReport,
            ConstructionProject,
            Evidence,
            ExpertReview,
            RectificationOrder,
        )
        from indicators.models import Scheme
        from parks.models import Park, Role, User
        from zcpark.core.models import Notification

        first_notifications = {}
        for note in Notification.objects.order_by("pk"):
            first_notifications.setdefault(note.recipient_id, note)
        self.primary = [
            (r"^notifications/<int:pk>/", list(first_notifications.values())),
            (r"^(api/v1/)?parks/<int:pk>/", list(Park.objects.order_by("pk"))),
            (r"^(accounts/)?users/<int:pk>/", list(User.objects.order_by("pk"))),
            (r"^(api/v1/)?calls/<int:pk>/", list(Call.objects.order_by("pk"))),
            (r"^(api/v1/)?applications/<int:pk>/", list(Application.objects.select_related("park"))),
            (
                r"^(public/)?lists/<int:pk>/|^api/v1/construction-lists/<int:pk>/",
                list(ConstructionList.objects.all()),
            ),
            (r"^(api/v1/)?projects/<int:pk>/", list(ConstructionProject.objects.all())),
            (r"^(api/v1/)?orders/<int:pk>/", list(RectificationOrder.objects.all())),
            (r"^evidence/<int:pk>/", list(Evidence.objects.select_related("self_assessment"))),
            (r"^(api/v1/)?evaluations/<int:pk>/", list(AcceptanceEvaluation.objects.all())),
        ]
        self.assigned = {(r.evaluation_id, r.expert_id) for r in ExpertReview.objects.all()}
        attachments = list(Attachment.objects.select_related("application"))
        reviews = list(ExpertReview.objects.select_related("evaluation"))
        evidence = list(Evidence.objects.select_related("self_assessment"))
        self.children: dict[str, list[Any]] = {
            "attachment_pk": attachments,
            "attachment_id": attachments,
            "export_pk": list(DossierExport.objects.select_related("application")),
            "number": list(ApplicationRevision.objects.select_related("application")),
            "review_pk": reviews,
            "evidence_id": evidence,
            "expert_id": list(User.objects.filter(role=Role.EXPERT)),
        }
        self.application_years = [*HISTORY_YEARS, YEAR_NOBODY_HAS]
        self.report_years = [
            *sorted(set(AnnualReport.objects.values_list("year", flat=True))),
            YEAR_NOBODY_HAS,
        ]
        self.section_codes = [*SectionCode.values, "no-such-section"]
        self.schemes = [*Scheme.objects.values_list("code", flat=True).distinct(), "no-such-scheme"]
        from indicators.views import FACTOR_SET_EDITS

        self.factor_kinds = [*FACTOR_SET_EDITS, "no-such-kind"]
        self.tokens = tokens

    def own_and_one_foreign(self, kwarg: str, objects: list[Any]) -> list[Any]:
        """The parent's own children and the first child of another parent (the object-swap test)."""
        if not objects:
            return self.children[kwarg]
        own = [c for c in self.children[kwarg] if self.belongs(kwarg, c, objects[0])]
        foreign = [c for c in self.children[kwarg] if not self.belongs(kwarg, c, objects[0])][:1]
        return own + foreign

    def child_value(self, kwarg: str, child: Any) -> Any:
        return child.number if kwarg == "number" else child.pk

    def belongs(self, kwarg: str, child: Any, parent: Any) -> bool:
        if kwarg == "expert_id":
            return (parent.pk, child.pk) in self.assigned
        if kwarg == "evidence_id":
            return child.self_assessment.project_id == parent.pk
        if kwarg == "review_pk":
            return child.evaluation_id == parent.pk
        return child.application_id == parent.pk

    def scalar_values(self, route: str, kwarg: str) -> list[Any] | None:
        if kwarg == "year":
            return self.application_years if "applications/" in route else self.report_years
        if kwarg == "code":
            return self.schemes if route.startswith("indicators/") else self.section_codes
        if kwarg == "kind":
            return self.factor_kinds
        return None

    def cases_for(
        self, name: str, route: str, pattern: URLPattern, writes: tuple[str, ...]
    ) -> list[Case] | None:
        """Every URL of this pattern, or None when a kwarg cannot be filled."""
        kwargs = kwarg_names(pattern)
        api = route.startswith("api/")
        if not kwargs:
            return [Case(name, reverse(name.lstrip(":")), [], True, api, writes)]
        if kwargs == ["ref"]:
            return [
                Case(name, reverse(name.lstrip(":"), kwargs={"ref": t.ref}), [t], True, api, writes)
                for t in self.tokens
            ]
        variants: list[tuple[dict[str, Any], list[Any], bool]] = [({}, [], True)]
        parents = None
        if "pk" in kwargs:
            parents = next((objs for regex, objs in self.primary if re.search(regex, route)), None)
            if parents is None:
                return None
            variants = [({"pk": p.pk}, [p], True) for p in parents]
        for kwarg in (k for k in kwargs if k != "pk"):
            expanded = []
            if kwarg in self.children:
                for values, objects, owned in variants:
                    for child in self.own_and_one_foreign(kwarg, objects):
                        belongs = bool(objects) and self.belongs(kwarg, child, objects[0])
                        expanded.append(
                            (
                                {**values, kwarg: self.child_value(kwarg, child)},
                                [*objects, child],
                                owned and belongs,
                            )
                        )
            else:
                scalars = self.scalar_values(route, kwarg)
                if scalars is None:
                    return None
                expanded = [
                    ({**values, kwarg: s}, objects, owned)
                    for values, objects, owned in variants
                    for s in scalars
                ]
            variants = expanded
        by_url: dict[str, Case] = {}
        for values, objects, owned in variants:
            url = reverse(name.lstrip(":"), kwargs=values)
            known = by_url.get(url)
            if known is None or (owned and not known.owned):
                by_url[url] = Case(name, url, objects, owned, api, writes)
        return list(by_url.values())


def admin_cases() -> list[Case]:
    """The Django admin: index, each app, and each registered model's list, add, change, history and delete."""
    cases = [Case("admin", reverse("admin:index"), [], True, False, ())]
    for label in sorted({m._meta.app_label for m in admin.site._registry}):
        cases.append(
            Case("admin", reverse("admin:app_list", kwargs={"app_label": label}), [], True, False, ())
        )
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        first = model._default_manager.order_by("pk").first()
        for suffix, args in (
            ("changelist", []),
            ("add", []),
            ("change", [first]),
            ("history", [first]),
            ("delete", [first]),
        ):
            if args and args[0] is None:
                continue
            try:
                url = reverse(f"{info}_{suffix}", args=[a.pk for a in args])
            except NoReverseMatch:
                continue
            writes = ("post",) if suffix in ("add", "change", "delete") else ()
            cases.append(Case("admin", url, [], True, False, writes))
    return cases


def api_writes(pattern: URLPattern) -> tuple[str, ...]:
    view = getattr(pattern.callback, "cls", None)
    return tuple(m for m in ("post", "put", "patch", "delete") if view is not None and hasattr(view, m))


def build_cases(tokens: list[TokenRef]) -> tuple[list[Case], list[str]]:
    filler = Filler(tokens)
    cases, unfilled = admin_cases(), []
    known = {c.url for c in cases}
    for name, route, pattern in walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            if not kwarg_names(pattern) and reverse(name) not in known:
                writes = () if name in ("admin:login", "admin:logout") else ("post",)
                cases.append(Case(name, reverse(name), [], True, False, writes))
            continue
        writes = api_writes(pattern) if route.startswith("api/") else (("post",) if name in ACTS else ())
        if name in NOT_PROBED_WRITES:
            writes = ()
        found = filler.cases_for(name, route, pattern, writes)
        if found is None:
            unfilled.append(f"{name} ({route})")
        else:
            cases.extend(found)
    return cases, unfilled


def issue_tokens(users: list[tuple[str, Any]], password: str) -> list[TokenRef]:
    """One API token per account, asked for as a script would (the refs fill the token URLs)."""
    tokens = []
    for _username, user in users:
        if user is None:
            continue
        body = token_body(user, password)
        response = client_for(None).post("/api/v1/auth/token/", body, content_type="application/json")
        ref = response.json().get("id") if response.status_code == 200 else None
        if ref is not None:
            tokens.append(TokenRef(str(ref), user.pk))
    return tokens


class Judge:
    def __init__(self, tally: Tally, world: World) -> None:
        self.tally, self.world = tally, world
        self.markers: dict[int | None, list[tuple[str, str]]] = {}
        self.codes: Counter[str] = Counter()  # "expected allowed/refused: status"

    def check(
        self, label: str, client: Any, user: Any, response: Any, allowed: bool, out_of_scope: bool
    ) -> None:
        tally = self.tally
        tally.count()
        code = response.status_code
        shown = "302 sign-in" if is_login_redirect(response) else str(code)
        self.codes[f"{'may see' if allowed else 'may not'}: {shown}"] += 1
        if code >= 500:
            tally.errors.append(f"{label} → {code}: {last_exception()}")
            return
        if not allowed:
            if code in REDIRECTS and not is_login_redirect(response):
                followed = client.get(response["Location"])
                tally.count()
                if followed.status_code == 200 and self.marker_in(followed, user):
                    tally.leaks.append(
                        f"{label} → {code} → {response['Location']} shows {self.marker_in(followed, user)}"
                    )
                else:
                    tally.notes.append(f"{label} → {code} to {response['Location']} (expected a refusal)")
            elif 200 <= code < 300:
                tally.leaks.append(
                    f"{label} → {code} (expected 403/404{' or sign-in' if user is None else ''})"
                )
            elif code == 403 and out_of_scope and user is not None:
                tally.notes.append(f"{label} → 403 for an object outside the scope (404 expected)")
            elif code not in DENIED and not is_login_redirect(response):
                tally.notes.append(f"{label} → {code} (expected 403/404)")
        if code == 200:
            found = self.marker_in(response, user)
            if found:
                tally.leaks.append(f"{label} → 200 shows {found}")

    def marker_in(self, response: Any, user: Any) -> str:
        key = user.pk if user is not None else None
        if key not in self.markers:
            self.markers[key] = self.world.forbidden_markers(user)
        text = body_text(response)
        if not text:
            return ""
        return next((f"{marker!r} of {park}" for marker, park in self.markers[key] if marker in text), "")


def run(tally: Tally, *, password: str) -> None:
    people = identities()
    tokens = issue_tokens(people, password)
    world = World()
    cases, unfilled = build_cases(tokens)
    tally.notes += [f"not probed (a kwarg the probe cannot fill): {u}" for u in unfilled]
    judge = Judge(tally, world)
    clients = {username: client_for(user) for username, user in people}
    start = time.perf_counter()
    for case in cases:
        for username, user in people:
            in_scope = world.visible(
                case.name, user, [o for o in case.objects if not isinstance(o, TokenRef)]
            )
            in_scope = in_scope and all(
                user is not None and (o.owner_id == user.pk or user.role == "province_admin")
                for o in case.objects
                if isinstance(o, TokenRef)
            )
            gate = world.gate(case.name, user)
            allowed = case.owned and in_scope and gate
            if case.name in GET_AS_ACT:
                allowed = allowed and world.may_act(case.name, user, case.objects)
            response = clients[username].get(case.url)
            judge.check(
                f"GET {case.url} as {username}",
                clients[username],
                user,
                response,
                allowed,
                gate and not in_scope,
            )
    tally.notes.append(
        f"GET matrix: {len(cases)} URLs × {len(people)} identities in {time.perf_counter() - start:.0f} s; "
        + ", ".join(f"{k} ×{v}" for k, v in sorted(judge.codes.items()))
    )
    post_refusals(tally, world, cases, people, clients)


def post_refusals(
    tally: Tally, world: World, cases: list[Case], people: list[Any], clients: dict[str, Any]
) -> None:
    """Every write method of every action URL, by everyone who may not act: refused, nothing written."""
    watcher = Watcher()
    codes: Counter[str] = Counter()
    for case in (c for c in cases if c.writes):
        objects = [o for o in case.objects if not isinstance(o, TokenRef)]
        for username, user in people:
            province = user is not None and user.role == "province_admin"
            may = province if case.name.startswith("admin") else False
            if may or world.may_act(case.name, user, objects):
                continue
            if case.name in (":api-token-detail",) and user is not None:
                owner = next(o.owner_id for o in case.objects if isinstance(o, TokenRef))
                if owner == user.pk or user.role == "province_admin":
                    continue
            for method in case.writes:
                for body in post_bodies(case.name, method):
                    send = getattr(clients[username], method)
                    response = (
                        send(case.url, body, content_type="application/json")
                        if case.api
                        else send(case.url, body)
                    )
                    label = f"{method.upper()} {case.url} {body or ''} as {username}".replace("  ", " ")
                    tally.count()
                    code = response.status_code
                    codes["302 sign-in" if is_login_redirect(response) else str(code)] += 1
                    if code >= 500:
                        tally.errors.append(f"{label} → {code}: {last_exception()}")
                    elif 200 <= code < 300 or (code in REDIRECTS and not is_login_redirect(response)):
                        tally.leaks.append(f"{label} → {code}: an action by someone who may not act")
                    elif code not in DENIED and not is_login_redirect(response):
                        tally.notes.append(f"{label} → {code} (refused after reading the input, not 403/404)")
                    changed = watcher.changes()
                    if changed:
                        tally.half_written.append(f"{label} → {code} changed {changed}")
    tally.notes.append(
        f"POSTs by who may not act: {sum(codes.values())}; "
        + ", ".join(f"{code} ×{n}" for code, n in sorted(codes.items()))
    )
