"""Benchmark: the provincial dashboard and the public progress page under load, from PostgreSQL.

Creates a throw-away PostgreSQL database, fills it with P parks (default 100) on a published construction
list, their construction projects in mixed states (opened by the real service, with their targets, key
projects and yearly reports), five years of data per park (2025–2029) with their indicator results,
submitted and overdue annual reports, open, overdue and closed rectification orders, accepted parks with
national-recommendation flags and removed ones. Results are computed by the real engine once per distinct
dataset (year × on track / lagging / large) through the service, then copied to the other parks' datasets
with a per-park variation of the core value (bulk INSERT): the rows keep the engine's full documents, so
a page that read them would pay for it.

Serving, query counting and the load run reuse bench/review_queues.py: gunicorn with the production
settings (3 workers), a session cookie of a signed-in province user, and wrk (a thread pool when wrk is
missing). Prints page, queries, req/s and p50 / p95 / p99; target p95 < 300 ms at 8 concurrent clients.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/dashboard.py [--parks 100] [--clients 8] [--duration 10]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zcpark.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")

import benchdb
import review_queues as rq  # sets Django up; its serving and load helpers are reused below
from django.conf import settings
from django.db import connection
from django.utils import timezone

# Apart from the review-queue benchmark's database and port, so that both can run on one machine.
benchdb.BENCH_DATABASE = "zcpark_bench_dashboard"
rq.PORT = 8767

YEARS = range(2025, 2030)
TARGET_P95_MS = 300
QUANT = Decimal("0.0001")


def _states(n: int) -> list[str]:
    """The projects' states, in park order: mostly building, some in acceptance, accepted and removed."""
    from evaluation.models import ProjectStatus as P

    mix = [
        (P.ACCEPTED, 0.12),
        (P.ACCEPTANCE_REVIEW, 0.08),
        (P.SELF_ASSESSMENT, 0.10),
        (P.UNDER_RECTIFICATION, 0.15),
        (P.REMOVED, 0.08),
    ]
    states = [status for status, share in mix for _ in range(round(n * share))]
    return (states + [P.IN_CONSTRUCTION] * n)[:n]


def _variant(status: str, index: int) -> str:
    """Which sample trajectory a park's data follows: on track, lagging, or large (passes nationally too)."""
    if status == "accepted":
        return "large" if index % 3 == 0 else "on_track"
    return "lagging" if index % 5 == 4 else "on_track"


def _document(park: Any, year: int, variant: str) -> dict[str, Any]:
    from applications.samples import sample_dataset
    from evaluation.samples import construction_dataset

    if year == 2025:
        return sample_dataset(park_name=park.name, park_type=park.park_type, year=year)
    return construction_dataset(
        park_name=park.name,
        park_type=park.park_type,
        year=year,
        lagging=variant == "lagging",
        large=variant == "large",
    )


def _vary(result: Any, dataset_id: int, delta: Decimal) -> Any:
    """A copy of a computed result for another dataset, its core value moved by ``delta``."""
    from indicators.models import IndicatorResult

    document = {
        **result.document,
        "indicators": [dict(item) for item in result.document.get("indicators", [])],
    }
    summary = {
        **result.summary,
        "indicators": {k: dict(v) for k, v in result.summary.get("indicators", {}).items()},
    }
    for item in [*document["indicators"], summary["indicators"].get("carbon_per_energy", {})]:
        if item.get("code", "carbon_per_energy") == "carbon_per_energy" and item.get("value") is not None:
            item["value"] = str((Decimal(item["value"]) + delta).quantize(QUANT))
    return IndicatorResult(
        dataset_id=dataset_id,
        scheme_code=result.scheme_code,
        scheme_version=result.scheme_version,
        factor_set_name=result.factor_set_name,
        engine_version=result.engine_version,
        ok=result.ok,
        core_passed=result.core_passed,
        document=document,
        summary=summary,
        reason="bench",
        computed_at=result.computed_at,
    )


def seed(n_parks: int) -> dict[str, Any]:
    """Reference data, parks, a published list with its projects, datasets and results, reports, orders."""
    from applications.models import (
        Application,
        ApplicationStatus,
        Call,
        CallStatus,
        ConstructionList,
        ConstructionListEntry,
        DossierSection,
        ListStatus,
    )
    from applications.samples import sample_sections
    from evaluation.models import (
        AnnualReport,
        ConstructionProject,
        OrderStatus,
        ProjectStatus,
        RectificationOrder,
        ReportStatus,
    )
    from evaluation.services import projects_open_for_list
    from indicators.models import IndicatorResult, ParkDataset
    from indicators.services import indicator_results_compute
    from indicators.services.reference import factor_set_load_fixture, scheme_load_fixture
    from parks.models import City, DevelopmentZone, Park, Role, User
    from parks.services import cities_load
    from zcpark.core.models import Notification

    rng = random.Random(2026)
    today = timezone.localdate()
    now = timezone.now()
    cities_load()
    factor_set_load_fixture(path=settings.FIXTURES_DIR / "factor_sets" / "cn-2026.1.json")
    for code in ("jiangxi-2025", "national-2025"):
        scheme_load_fixture(path=settings.FIXTURES_DIR / "schemes" / f"{code}.json")
    cities = list(City.objects.order_by("code"))
    # Uneven over the cities (the first ones get more parks), as a real programme would be.
    weights = [len(cities) - i for i in range(len(cities))]
    zones = DevelopmentZone.objects.bulk_create(
        DevelopmentZone(
            name=f"看板基准开发区{i}", city=rng.choices(cities, weights)[0], level="provincial", kind="etdz"
        )
        for i in range(n_parks)
    )
    parks = Park.objects.bulk_create(
        Park(name=f"看板基准园区{i:03d}", zone=zone, park_type="non_chemical", managing_body=f"管委会{i}")
        for i, zone in enumerate(zones)
    )
    states = _states(n_parks)
    periods = [
        3 if s in ("accepted", "acceptance_review", "self_assessment") else 3 + i % 3
        for i, s in enumerate(states)
    ]
    call = Call.objects.create(title="看板基准申报批次", deadline=today, status=CallStatus.CLOSED)
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            park=park,
            status=ApplicationStatus.LISTED,
            revision=1,
            submitted_at=now,
            decided_at=now,
            total_investment_wan=Decimal(80000 + rng.randrange(0, 100000)),
            period_years=periods[i],
        )
        for i, park in enumerate(parks)
    )
    sections = []
    for application, park in zip(applications, parks, strict=True):
        for code, data in sample_sections(managing_body=park.managing_body).items():
            if code == "targets":
                data = {**data, "period_years": application.period_years}
            sections.append(DossierSection(application=application, code=code, data=data, is_complete=True))
    DossierSection.objects.bulk_create(sections, batch_size=2000)
    clist = ConstructionList.objects.create(
        title="第一批省级零碳园区建设名单（看板基准）",
        document_no="赣发改环资〔2026〕1号",
        status=ListStatus.PUBLISHED,
        objection_deadline=today,
        noticed_at=now,
        published_at=now,
    )
    ConstructionListEntry.objects.bulk_create(
        ConstructionListEntry(construction_list=clist, application=a, park_id=a.park_id) for a in applications
    )
    start = time.perf_counter()
    projects = projects_open_for_list(by=None, construction_list=clist)
    print(f"opened {len(projects)} projects through the service in {time.perf_counter() - start:.1f} s")

    # Five years of data per park; results computed once per distinct (year, variant), then copied.
    variants = {park.pk: _variant(states[i], i) for i, park in enumerate(parks)}
    datasets = ParkDataset.objects.bulk_create(
        [
            ParkDataset(park=park, year=year, document=_document(park, year, variants[park.pk]))
            for park in parks
            for year in YEARS
        ],
        batch_size=500,
    )
    start = time.perf_counter()
    computed: dict[tuple[int, str], list[Any]] = {}
    copies = []
    for dataset in datasets:
        key = (dataset.year, "base" if dataset.year == 2025 else variants[dataset.park_id])
        if key not in computed:
            computed[key] = indicator_results_compute(dataset=dataset, reason="bench")
            continue
        delta = Decimal(rng.randrange(-40, 41)) / 10000
        copies += [_vary(result, dataset.pk, delta) for result in computed[key]]
    IndicatorResult.objects.bulk_create(copies, batch_size=500)
    print(
        f"engine: {sum(len(r) for r in computed.values())} results for {len(computed)} distinct datasets, "
        f"{len(copies)} copies, in {time.perf_counter() - start:.1f} s"
    )

    # States, reports, orders: written in bulk to the state each project would have reached.
    by_park = {(d.park_id, d.year): d.pk for d in datasets}
    reports = list(AnnualReport.objects.select_related("project").order_by("project_id", "year"))
    submitted_until: dict[int, int] = {}
    for i, project in enumerate(projects):
        status = states[i]
        if status in ("accepted", "acceptance_review", "self_assessment"):
            submitted_until[project.pk] = project.final_year
        else:
            submitted_until[project.pk] = min(project.final_year, 2026 + i % 4)
    late = 0
    for report in reports:
        if report.year <= submitted_until[report.project_id]:
            report.status, report.submitted_at = ReportStatus.SUBMITTED, now
            report.dataset_id = by_park.get((report.project.park_id, report.year))
        elif report.year == submitted_until[report.project_id] + 1 and late < n_parks // 10:
            # The calendar has not reached the schedule yet: a tenth of the parks are made late by hand.
            report.due_on = today - timedelta(days=5 + 11 * late)
            late += 1
    AnnualReport.objects.bulk_update(reports, ["status", "submitted_at", "dataset", "due_on"], batch_size=500)
    orders = []
    for i, project in enumerate(projects):
        project.status = states[i]
        if project.status == ProjectStatus.ACCEPTED:
            project.accepted_at = now - timedelta(days=7 * i)
            project.national_recommended = variants[project.park_id] == "large"
        if project.status == ProjectStatus.REMOVED:
            project.removed_at = now - timedelta(days=30 + i)
        # Under rectification: an order closed, one overdue (every other park) and one within its deadline;
        # every fourth park under construction has had one order, closed.
        if project.status == ProjectStatus.UNDER_RECTIFICATION:
            plan = [(OrderStatus.CLOSED, -60), (OrderStatus.ISSUED, 20)]
            if i % 2 == 0:
                plan.append((OrderStatus.OVERDUE, -10 - i % 20))
        elif project.status == ProjectStatus.IN_CONSTRUCTION and i % 4 == 0:
            plan = [(OrderStatus.CLOSED, -60)]
        else:
            plan = []
        orders += [
            RectificationOrder(
                project=project,
                number=number,
                title=f"整改通知{number}：能源计量",
                requirements="补齐二级计量，按期报送。",
                deadline=today + timedelta(days=days),
                status=status,
                issued_at=now - timedelta(days=90),
            )
            for number, (status, days) in enumerate(plan, start=1)
        ]
    ConstructionProject.objects.bulk_update(
        projects, ["status", "accepted_at", "national_recommended", "removed_at"], batch_size=500
    )
    RectificationOrder.objects.bulk_create(orders)
    removed = [p.list_entry_id for p in projects if p.status == ProjectStatus.REMOVED]
    ConstructionListEntry.objects.filter(pk__in=removed).update(
        removed_on=today - timedelta(days=30),
        removal_reason="未按期整改",
        removal_document_no="赣发改〔2027〕3号",
    )
    # A bulk load leaves the planner without statistics until autovacuum comes by: measure the steady state.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    province = User.objects.create_user("bench_dashboard_province", password="x", role=Role.PROVINCE_ADMIN)
    Notification.objects.bulk_create(
        Notification(recipient=province, title=f"基准通知{i}") for i in range(30)
    )
    counts = {
        "projects": len(projects),
        "datasets": len(datasets),
        "results": IndicatorResult.objects.count(),
        "submitted": AnnualReport.objects.filter(status=ReportStatus.SUBMITTED).count(),
        "orders": len(orders),
    }
    print("seeded: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return {"province": province}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parks", type=int, default=100)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--workers", type=int, default=3, help="as docker-compose.yml runs it")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…/postgres")
    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="zcpark-bench-dashboard-"))
    script = tmp / "report.lua"
    script.write_text(rq.WRK_REPORT)
    tool = "wrk" if shutil.which("wrk") else "python"
    with benchdb.throwaway_database():
        assert connection.settings_dict["NAME"] == benchdb.BENCH_DATABASE
        start = time.perf_counter()
        users = seed(args.parks)
        print(f"seeded {args.parks} parks in {time.perf_counter() - start:.1f} s")
        cases = [
            ("province admin", users["province"], "/dashboard/"),
            ("anonymous", None, "/public/progress/"),
        ]
        measured = []
        for role, user, url in cases:
            queries, status, size = rq.count_queries(user, url)
            assert status == 200, (url, status)
            measured.append((role, user, url, queries, size))
        process = rq.start_gunicorn(args.workers, tmp / "gunicorn.log", tmp / "static")
        rows = []
        try:
            for role, user, url, queries, size in measured:
                cookie = rq.session_cookie(user) if user is not None else None
                status, served = rq.preflight(url, cookie)
                if status != 200 or abs(served - size) > size // 10:
                    raise SystemExit(f"{url}: the server answered {status} with {served} bytes, not the page")
                full = f"http://{rq.HOST}:{rq.PORT}{url}"
                if tool == "wrk":
                    rq.load_wrk(full, cookie, args.clients, 2, script)  # warm every worker
                    report = rq.load_wrk(full, cookie, args.clients, args.duration, script)
                else:
                    rq.load_python(full, cookie, args.clients, 2)
                    report = rq.load_python(full, cookie, args.clients, args.duration)
                rows.append((role, url, queries, size, report))
        finally:
            rq.stop_gunicorn(process)
    shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"\nPostgreSQL, {args.parks} parks × {len(YEARS)} years; gunicorn {args.workers} workers; "
        f"{args.clients} concurrent clients, {args.duration} s per page, load tool: {tool}; "
        f"load average before: {load_before:.2f} on {os.cpu_count()} cores"
    )
    rq.print_results(rows, page_width=20, target_p95_ms=TARGET_P95_MS)


if __name__ == "__main__":
    main()
