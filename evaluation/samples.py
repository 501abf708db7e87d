"""Datasets for the construction years of the sample park (applications/samples.py): the demo's annual
reports and the tests' reporting years.

On track, grid purchases fall and direct green power grows, taking 单位能耗碳排放 from 0.4372 (2025) to
0.3628 (2026), 0.2602 (2027) and 0.1565 tCO2/tce (2028 on) under method cn-2025-trial. Lagging, the park
buys more grid power than in 2025 and misses the core threshold every year.
``large`` adds 800,000 MWh of traded green power, taking the park past the national scheme's
200,000 tce tier so that its core indicator is assessed (and passes) there too.
"""

from __future__ import annotations

from typing import Any

from applications.samples import sample_dataset

# year: (grid MWh, direct green MWh)
_ON_TRACK = {2026: ("40000", "224000"), 2027: ("25000", "231000")}
_ON_TRACK_LATER = ("10000", "241500")
_LAGGING = ("70000", "210000")


def construction_dataset(
    *, park_name: str, park_type: str, year: int, lagging: bool = False, large: bool = False
) -> dict[str, Any]:
    document = sample_dataset(park_name=park_name, park_type=park_type, year=year)
    electricity = document["electricity_mwh"]
    if lagging:
        electricity["grid"], electricity["green_direct"] = _LAGGING
    else:
        electricity["grid"], electricity["green_direct"] = _ON_TRACK.get(year, _ON_TRACK_LATER)
    if large:
        electricity["green_trade"] = "800000"
    return document
