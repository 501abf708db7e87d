"""Plays a park's 能碳平台 (energy-carbon platform) over HTTP: pushes twelve months of generated monthly
figures to the portal, then reads and prints the year's projection.

Each month is one ``POST /api/v1/parks/<park>/monthly/`` with ``Authorization: Bearer <key>`` (a machine
credential with the monthly_write and results_read scopes) and an ``Idempotency-Key`` derived from the park,
year, month and body (a retry of the same push is harmless). Then ``GET /api/v1/parks/<park>/monthly/<year>/``.

    python bench/park_platform.py --url http://127.0.0.1:8000 --key zc_xxx_yyy --park 3 --year 2026
        [--rows 300] [--months 12] [--seed 1]

Standard library only: it is what a platform would do, not a part of the portal.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import urllib.error
import urllib.request
from typing import Any

# (carrier, unit, uses, monthly quantity range per enterprise line)
LINES: tuple[tuple[str, str, tuple[str, ...], tuple[float, float]], ...] = (
    ("natural_gas", "10^4 Nm3", ("fuel", "power_heat"), (0.5, 8.0)),
    ("diesel", "t", ("fuel",), (0.5, 12.0)),
    ("gasoline", "t", ("fuel",), (0.2, 5.0)),
    ("lpg", "t", ("fuel",), (0.1, 3.0)),
    ("coke", "t", ("fuel",), (1.0, 40.0)),
    ("fuel_oil", "t", ("fuel",), (0.2, 6.0)),
    ("biomass", "t", ("fuel",), (1.0, 30.0)),
    ("renewable_heat", "GJ", ("fuel",), (10.0, 300.0)),
)
ELECTRICITY = (
    ("grid", (300.0, 900.0)),
    ("green_direct", (2000.0, 6000.0)),
    ("onsite_renewable", (200.0, 900.0)),
)


def month_rows(rng: random.Random, month: int, rows: int = 300) -> list[dict[str, Any]]:
    """About ``rows`` rows of one month: park-level electricity and heat, energy lines per enterprise."""
    out: list[dict[str, Any]] = [
        {"carrier": "electricity", "use": use, "quantity": f"{rng.uniform(*span) * 25:.1f}", "unit": "MWh"}
        for use, span in ELECTRICITY
    ]
    out.append(
        {"carrier": "heat", "use": "purchased", "quantity": f"{rng.uniform(500, 3000):.1f}", "unit": "GJ"}
    )
    lines = [(carrier, unit, use, span) for carrier, unit, uses, span in LINES for use in uses]
    enterprise = 0
    while len(out) < rows:
        for carrier, unit, use, span in lines:
            if len(out) >= rows:
                break
            out.append(
                {
                    "carrier": carrier,
                    "use": use,
                    "enterprise": f"企业{enterprise:03d}",
                    "quantity": f"{rng.uniform(*span):.3f}",
                    "unit": unit,
                }
            )
        enterprise += 1
    return out


def request(url: str, key: str, method: str = "GET", body: Any = None, idempotency_key: str = "") -> Any:
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def push_year(url: str, key: str, park: int, year: int, *, rows: int, months: int, seed: int) -> list[int]:
    rng = random.Random(seed * 100_003 + park)
    statuses = []
    for month in range(1, months + 1):
        body = {"year": year, "month": month, "rows": month_rows(rng, month, rows)}
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
        status, answer = request(
            f"{url}/api/v1/parks/{park}/monthly/",
            key,
            "POST",
            body,
            f"park{park}-{year}-{month:02d}-{digest}",
        )
        statuses.append(status)
        if status >= 400:
            print(
                f"month {month}: HTTP {status} {json.dumps(answer, ensure_ascii=False)[:500]}",
                file=sys.stderr,
            )
    return statuses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the portal's base URL")
    parser.add_argument("--key", required=True, help="the machine credential (zc_…)")
    parser.add_argument("--park", type=int, required=True)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    url = args.url.rstrip("/")
    statuses = push_year(
        url, args.key, args.park, args.year, rows=args.rows, months=args.months, seed=args.seed
    )
    status, outlook = request(f"{url}/api/v1/parks/{args.park}/monthly/{args.year}/", args.key)
    if status != 200:
        print(f"GET outlook: HTTP {status} {outlook}", file=sys.stderr)
        return 1
    projection, target = outlook.get("projection") or {}, outlook.get("target") or {}
    ytd = outlook.get("year_to_date") or {}
    print(f"pushed months: {len(statuses)} (HTTP {sorted(set(statuses))})")
    print(f"months received: {outlook['months_received']}")
    print(f"year to date:  {ytd.get('carbon_per_energy')} tCO2/tce ({ytd.get('energy_tce')} tce)")
    print(f"projection:    {projection.get('carbon_per_energy')} tCO2/tce — {projection.get('basis_label')}")
    print(f"target:        {target.get('carbon_per_energy')} tCO2/tce — {target.get('basis_label')}")
    print(f"status:        {outlook['status_label']} ({outlook['status']})")
    return 0 if all(s < 400 for s in statuses) else 1


if __name__ == "__main__":
    sys.exit(main())
