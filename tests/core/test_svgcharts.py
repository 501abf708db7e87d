"""Server-side SVG charts (zcpark/core/svgcharts.py): well-formed, escaped, the right marks, no database."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from zcpark.core.svgcharts import NO_DATA, PALETTE, RefLine, Series, bar_chart, line_chart, nice_ticks

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"
YEARS = ["2025", "2026", "2027", "2028", "2029", "2030"]


def _parse(svg: str) -> ET.Element:
    # Our own output, not untrusted input: parsing it is the well-formedness check.
    return ET.fromstring(svg)  # noqa: S314


def _marks(svg: str, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in _parse(svg).iter(f"{SVG}{tag}") if e.get("class") == cls]


def _texts(svg: str) -> list[str]:
    return [e.text or "" for e in _parse(svg).iter(f"{SVG}text")]


def _values(*values: str | None) -> list[Decimal | None]:
    return [None if v is None else D(v) for v in values]


# --- nice_ticks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        # span 100 / 5 = 20 → step 20 (10 would need 11 ticks)
        ("0", "100", ["0", "20", "40", "60", "80", "100"]),
        # raw 0.09 → 0.01/0.02/0.05 need 46/24/10 ticks → step 0.1
        ("0", "0.45", ["0", "0.1", "0.2", "0.3", "0.4", "0.5"]),
        # raw 2 → step 2 would need 7 ticks (−4…8) → step 5
        ("-3", "7", ["-5", "0", "5", "10"]),
        # raw 0.034 → 0.02 needs 10 ticks (0.34…0.52) → step 0.05
        ("0.35", "0.52", ["0.35", "0.40", "0.45", "0.50", "0.55"]),
        # raw 19506.2 → 10000 needs 11 → step 20000
        ("1234", "98765", ["0", "20000", "40000", "60000", "80000", "100000"]),
        # all negative: raw 8 → 5 needs 9 → step 10
        ("-50", "-10", ["-50", "-40", "-30", "-20", "-10"]),
        # an empty range at 0 becomes [0, 1]: step 0.2
        ("0", "0", ["0", "0.2", "0.4", "0.6", "0.8", "1"]),
        # an empty range at 5 becomes 4.5…5.5: step 0.2 would need 7 → 0.5
        ("5", "5", ["4.5", "5", "5.5"]),
    ],
)
def test_nice_ticks(lo, hi, expected):
    assert nice_ticks(D(lo), D(hi)) == [D(v) for v in expected]


def test_nice_ticks_respects_max_ticks_and_steps_of_1_2_5():
    for hi in ("1", "3", "7", "13", "99", "0.07", "12345"):
        for max_ticks in (3, 4, 6, 10):
            ticks = nice_ticks(D("0"), D(hi), max_ticks=max_ticks)
            step = ticks[1] - ticks[0]
            assert len(ticks) <= max_ticks and ticks[0] <= 0 and ticks[-1] >= D(hi)
            assert step.normalize().as_tuple().digits in ((1,), (2,), (5,))
            assert all(b - a == step for a, b in itertools.pairwise(ticks))


@pytest.mark.parametrize(("lo", "hi", "max_ticks"), [("2", "1", 6), ("0", "1", 2)])
def test_nice_ticks_rejects_bad_arguments(lo, hi, max_ticks):
    with pytest.raises(ValueError):
        nice_ticks(D(lo), D(hi), max_ticks=max_ticks)


# --- Common to both charts ----------------------------------------------------------------------

CHARTS = [line_chart, bar_chart]


@pytest.mark.parametrize("chart", CHARTS)
def test_root_is_self_contained_svg_11_with_explicit_size_and_cjk_font(chart):
    svg = chart(categories=["a"], series=[Series(name="s", values=[D("1")])], width=500, height=250)
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert (root.get("version"), root.get("width"), root.get("height"), root.get("viewBox")) == (
        "1.1",
        "500",
        "250",
        "0 0 500 250",
    )
    assert root.get("font-family") == "Noto Sans CJK SC, sans-serif"
    assert "<script" not in svg and "href" not in svg and "url(" not in svg


@pytest.mark.parametrize("chart", CHARTS)
def test_labels_are_escaped(chart):
    svg = chart(
        categories=["<&>", "b"],
        series=[Series(name="<&>\"'", values=[D("1"), D("2")])],
        title="a<&>b",
        y_label="<y>",
    )
    assert "a&lt;&amp;&gt;b" in svg and "<&>" not in svg
    texts = _texts(svg)
    assert {"a<&>b", "<&>", "<&>\"'", "<y>"} <= set(texts)
    assert _parse(svg).get("aria-label") == "a<&>b"


@pytest.mark.parametrize("chart", CHARTS)
@pytest.mark.parametrize(
    ("categories", "series"),
    [
        ([], []),
        ([], [Series(name="s", values=[])]),
        (["2025", "2026"], []),
        (["2025", "2026"], [Series(name="s", values=[None, None])]),
    ],
)
def test_no_data_is_a_centred_placeholder(chart, categories, series):
    svg = chart(categories=categories, series=series, title="标题", width=400, height=200)
    [placeholder] = [e for e in _parse(svg).iter(f"{SVG}text") if e.text == NO_DATA]
    assert (placeholder.get("x"), placeholder.get("text-anchor")) == ("200.0", "middle")
    assert "标题" in _texts(svg)
    assert not _marks(svg, "rect", "bar") and not _marks(svg, "polyline", "line")


@pytest.mark.parametrize("chart", CHARTS)
def test_series_and_categories_must_have_the_same_length(chart):
    with pytest.raises(ValueError, match="series 's' has 1 values for 2 categories"):
        chart(categories=["a", "b"], series=[Series(name="s", values=[D("1")])])


@pytest.mark.parametrize("chart", CHARTS)
def test_values_are_shown_as_given(chart):
    svg = chart(categories=["a", "b"], series=[Series(name="s", values=[D("0.3500"), D("1E+3")])])
    tooltips = [e.text for e in _parse(svg).iter(f"{SVG}title")]
    assert "a · s: 0.3500" in tooltips and "b · s: 1000" in tooltips


def test_palette_has_eight_distinct_colours():
    assert len(PALETTE) == len(set(PALETTE)) == 8
    assert all(re.fullmatch(r"#[0-9A-F]{6}", colour) for colour in PALETTE)


# --- Line chart ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "polylines", "points"),
    [
        (("0.5", "0.48", "0.45", "0.42", "0.4", "0.38"), 1, 6),
        (("0.5", "0.48", None, "0.42", "0.4", "0.38"), 2, 5),  # a None breaks the line
        ((None, "0.48", None, "0.42", None, "0.38"), 0, 3),  # isolated points: markers only
        (("0.5", None, None, None, None, None), 0, 1),
        (("0", "0", "0", "0", "0", "0"), 1, 6),  # all zero still has an axis
    ],
)
def test_line_marks(values, polylines, points):
    svg = line_chart(categories=YEARS, series=[Series(name="单位能耗碳排放", values=_values(*values))])
    assert len(_marks(svg, "polyline", "line")) == polylines
    assert len(_marks(svg, "circle", "point")) == points
    assert len(_marks(svg, "line", "legend-swatch")) == 1


def test_two_series_dashed_and_a_reference_line():
    svg = line_chart(
        categories=YEARS,
        series=[
            Series(name="预测", values=_values("0.52", "0.48", "0.45", "0.41", "0.38", "0.35")),
            Series(name="目标", values=_values(None, "0.5", "0.47", "0.44", "0.41", "0.38"), dashed=True),
        ],
        reference_lines=[RefLine(value=D("0.4"), label="≤0.4")],
        title="单位能耗碳排放",
        y_label="tCO2/tce",
    )
    solid, dashed = _marks(svg, "polyline", "line")
    assert solid.get("stroke-dasharray") is None and dashed.get("stroke-dasharray")
    assert (solid.get("stroke"), dashed.get("stroke")) == PALETTE[:2]
    assert len(_marks(svg, "line", "ref-line")) == 1
    assert "≤0.4" in _texts(svg)
    swatches = _marks(svg, "line", "legend-swatch")
    assert [s.get("stroke-dasharray") is not None for s in swatches] == [False, True]
    # Ticks 0.35…0.55 by 0.05 with a uniform number of decimals.
    assert {"0.35", "0.40", "0.45", "0.50", "0.55"} <= set(_texts(svg))


def test_reference_line_outside_the_data_widens_the_axis():
    svg = line_chart(
        categories=["a", "b"],
        series=[Series(name="s", values=_values("0.5", "0.6"))],
        reference_lines=[RefLine(value=D("0.2"), label="0.2")],
    )
    [ref] = _marks(svg, "line", "ref-line")
    gridlines = _marks(svg, "line", "gridline")
    bottom = max(float(g.get("y1", "0")) for g in gridlines)
    assert float(ref.get("y1", "0")) <= bottom


def test_zero_based_line_chart_starts_at_zero():
    svg = line_chart(
        categories=["a", "b"], series=[Series(name="s", values=_values("50", "60"))], zero_based=True
    )
    assert "0" in _texts(svg)


def test_points_rise_with_the_value():
    svg = line_chart(categories=["a", "b", "c"], series=[Series(name="s", values=_values("1", "3", "2"))])
    ys = [float(c.get("cy", "0")) for c in _marks(svg, "circle", "point")]
    assert ys[1] < ys[2] < ys[0]  # SVG y grows downwards


# --- Bar chart ----------------------------------------------------------------------------------

TWO_SERIES = [
    Series(name="2026", values=_values("1200", "300", "800", "5000")),
    Series(name="2028", values=_values("2500", None, "700", "-400")),
]
SOURCES = ["光伏", "风电", "天然气", "电网"]


@pytest.mark.parametrize("stacked", [False, True])
def test_one_rect_per_value_and_a_square_swatch_per_series(stacked):
    svg = bar_chart(categories=SOURCES, series=TWO_SERIES, stacked=stacked, title="供能结构", y_label="MWh")
    assert len(_marks(svg, "rect", "bar")) == 7  # 8 cells, one None
    assert len(_marks(svg, "rect", "legend-swatch")) == 2
    assert "-2000" in _texts(svg)  # the negative value pulls the axis below 0


def _box(rect: ET.Element) -> tuple[float, float, float, float]:
    x, y, width, height = (float(rect.get(a, "0")) for a in ("x", "y", "width", "height"))
    return x, y, width, height


def test_grouped_bars_sit_side_by_side_from_zero():
    svg = bar_chart(categories=["a"], series=[Series("p", [D("10")]), Series("q", [D("20")])])
    (x1, y1, w1, h1), (x2, y2, w2, h2) = (_box(r) for r in _marks(svg, "rect", "bar"))
    assert x2 == pytest.approx(x1 + w1) and w1 == pytest.approx(w2)
    assert y1 + h1 == pytest.approx(y2 + h2)  # same base line (0)
    assert h2 == pytest.approx(2 * h1, abs=0.2)


def test_stacked_bars_stack_positive_up_and_negative_down():
    series = [
        Series("p", _values("10", "-5")),
        Series("q", _values("20", "-5")),
        Series("r", _values("-10", "5")),
    ]
    svg = bar_chart(categories=["a", "b"], series=series, stacked=True)
    p, q, r, p2, q2, r2 = (_box(rect) for rect in _marks(svg, "rect", "bar"))
    assert q[1] + q[3] == pytest.approx(p[1], abs=0.1)  # q sits on p
    assert r[1] == pytest.approx(p[1] + p[3], abs=0.1)  # the negative r hangs below 0
    assert q2[1] == pytest.approx(p2[1] + p2[3], abs=0.1)  # −5 below −5
    assert r2[1] + r2[3] == pytest.approx(p2[1], abs=0.1)  # +5 above 0
    assert p[0] == q[0] == r[0]


def test_all_zero_bars_render_on_a_zero_to_one_axis():
    svg = bar_chart(categories=["a", "b"], series=[Series("s", _values("0", "0"))])
    bars = _marks(svg, "rect", "bar")
    assert len(bars) == 2 and all(_box(b)[3] == 0 for b in bars)
    assert {"0.0", "1.0"} <= set(_texts(svg))


def test_bar_reference_line():
    svg = bar_chart(
        categories=["a"],
        series=[Series("s", [D("30")])],
        reference_lines=[RefLine(value=D("50"), label="目标")],
    )
    assert len(_marks(svg, "line", "ref-line")) == 1 and "目标" in _texts(svg) and "50" in _texts(svg)


def test_many_categories_thin_out_their_labels():
    categories = [f"类别{i:02d}" for i in range(40)]
    svg = bar_chart(categories=categories, series=[Series("s", [D(i) for i in range(40)])], width=400)
    shown = [t for t in _texts(svg) if t.startswith("类别")]
    assert 1 < len(shown) < 40 and shown[0] == "类别00"
    assert len(_marks(svg, "rect", "bar")) == 40
