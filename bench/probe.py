"""Probe: scope, the API's schema and bad input against a fresh demo database, and a table of the figures.

Seeds a scratch database as an operator would (``migrate``, ``load_reference_data``, ``seed_demo``, and a
few objects the demo lacks: probe_common.seed_extras), then runs, in-process with Django's test client
and production's security settings (DEBUG off, HTTPS through the proxy header, JSON-only API, docs
for signed-in users), each probe on a restored copy of that database:

* scope   (probe_scope.py)  every demo account and nobody × every URL pattern with the demo's objects,
                            then the action URLs POSTed by everyone who may not act;
* inputs  (probe_inputs.py) NUL, lone surrogates, huge and negative values, wrong units, a 50 MB upload,
                            bad files at every upload, half-filled forms;
* schema  (probe_schema.py) schemathesis over the OpenAPI schema, as the province and as a park.

Prints: probe | requests | leaks | 5xx | half-written | seconds, then every finding with its request.
Exits 1 when any leak, 5xx or half-written record was found (or a probe could not run).

    nice -n 10 .venv/bin/python bench/probe.py [--only scope,inputs,schema] [--examples 25]
        [--database-url postgres://postgres@127.0.0.1:5432/zcpark_h8]   # default: SQLite under /tmp
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PROBES = ("scope", "inputs", "schema")
# A probe gone wrong (an upload read whole into memory) must fail as a MemoryError, not take the machine.
MEMORY_LIMIT_BYTES = 8 * 1024**3


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(PROBES), help="comma-separated: " + ", ".join(PROBES))
    parser.add_argument("--examples", type=int, default=25, help="schemathesis examples per API operation")
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL database (dropped first)")
    parser.add_argument("--findings", type=int, default=40, help="findings listed per kind and probe")
    parser.add_argument("--notes", action="store_true", help="also list the notes (not failures)")
    args = parser.parse_args()
    args.only = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(args.only) - set(PROBES)
    if unknown:
        parser.error(f"unknown probe(s): {', '.join(sorted(unknown))}")
    return args


def main() -> int:
    args = parse()
    workdir = Path(tempfile.mkdtemp(prefix="zcpark-probe-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "zcpark.settings.test"
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir}/probe.sqlite3"
    os.environ["CELERY_BROKER_URL"] = ""  # tasks run in-process (test settings), whatever the shell says
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > MEMORY_LIMIT_BYTES:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, hard))

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    # Expected refusals (404, 403) and the 5xx the probes count would otherwise flood the output.
    for name in ("django.request", "django.security", "django_structlog", "celery", "kombu", "axes"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    setup_test_environment()  # responses carry their template context (the inputs probe reads form errors)

    from probe_common import ScratchDatabase, Tally, create_postgres_database, production_like

    from parks.demo import DEFAULT_DEMO_PASSWORD

    if connection.vendor != "sqlite":
        create_postgres_database()
    database = ScratchDatabase(workdir)
    tallies = []
    try:
        started = time.perf_counter()
        database.seed()
        print(f"seeded the demo ({connection.vendor}) in {time.perf_counter() - started:.0f} s", flush=True)
        with production_like():
            for name in args.only:
                database.restore()
                tally = Tally(name)
                start = time.perf_counter()
                try:
                    run_probe(name, tally, args, DEFAULT_DEMO_PASSWORD, database.restore)
                except Exception:
                    tally.skipped = traceback.format_exc(limit=6)
                tally.seconds = time.perf_counter() - start
                tallies.append(tally)
                print(f"{name}: {tally.requests} requests in {tally.seconds:.0f} s", flush=True)
    finally:
        database.drop()
    return report(tallies, args)


def run_probe(name: str, tally: object, args: argparse.Namespace, password: str, restore: object) -> None:
    if name == "scope":
        import probe_scope

        probe_scope.run(tally, password=password)  # type: ignore[arg-type]
    elif name == "inputs":
        import probe_inputs

        probe_inputs.run(tally)  # type: ignore[arg-type]
    else:
        import probe_schema

        probe_schema.run(tally, examples=args.examples, password=password, restore=restore)  # type: ignore[arg-type]


def report(tallies: list, args: argparse.Namespace) -> int:
    header = f"{'probe':<8}{'requests':>10}{'leaks':>8}{'5xx':>8}{'half-written':>14}{'seconds':>10}"
    print()
    print(header)
    print("-" * len(header))
    for t in tallies:
        print(
            f"{t.name:<8}{t.requests:>10}{len(t.leaks):>8}{len(t.errors):>8}{len(t.half_written):>14}"
            f"{t.seconds:>10.0f}{'   (did not finish)' if t.skipped else ''}"
        )
    total = (
        [
            sum(x)
            for x in zip(
                *((t.requests, len(t.leaks), len(t.errors), len(t.half_written), t.seconds) for t in tallies),
                strict=True,
            )
        ]
        if tallies
        else [0] * 5
    )
    print("-" * len(header))
    print(f"{'total':<8}{total[0]:>10}{total[1]:>8}{total[2]:>8}{total[3]:>14}{total[4]:>10.0f}")
    for t in tallies:
        for kind, findings in (("leak", t.leaks), ("5xx", t.errors), ("half-written", t.half_written)):
            if findings:
                print(f"\n{t.name}: {len(findings)} {kind}")
                for finding in findings[: args.findings]:
                    print(f"  {finding}")
                if len(findings) > args.findings:
                    print(f"  … and {len(findings) - args.findings} more")
        if t.skipped:
            print(f"\n{t.name} did not finish:\n{t.skipped}")
        if t.notes:
            print(f"\n{t.name}: {len(t.notes)} notes (not failures)")
            for note in t.notes if args.notes else t.notes[:5]:
                print(f"  {note}")
            if not args.notes and len(t.notes) > 5:
                print("  … (--notes lists them all)")
    failed = [t.name for t in tallies if t.failed]
    print(f"\nverdict: {'FAILED: ' + ', '.join(failed) if failed else 'all 0'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
