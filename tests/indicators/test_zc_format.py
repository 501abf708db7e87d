"""The number filters (indicators/templatetags/zc_format.py): separators, the stored decimals, 万元, units
and threshold signs, in Python and in a template. No database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from indicators.templatetags.zc_format import MISSING, format_number, format_wan, num, op, threshold, unit

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("218234.28"), "218,234.28"),
        ("218234.28", "218,234.28"),
        (D("1000.00"), "1,000.00"),  # the stored decimals stay, trailing zeros too
        (D("0.4372"), "0.4372"),
        (D("-56000.00"), "-56,000.00"),
        (1234567, "1,234,567"),
        (D("999"), "999"),
        (D("0"), "0"),
        (D("1E+3"), "1,000"),  # never exponent notation
        (D("0.00001"), "0.00001"),
        (" 12000 ", "12,000"),
    ],
)
def test_format_number_groups_thousands_and_keeps_the_decimals_when_given_a_number(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, MISSING), ("", MISSING), ("n/a", "n/a"), ("一百", "一百"), (True, "True"), ("NaN", "NaN")],
)
def test_format_number_leaves_text_as_given_and_shows_a_dash_when_missing(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (D("218234.285"), 2, "218,234.29"),  # half-up, the engine's one rule
        (D("0.125"), 2, "0.13"),
        (D("-0.004"), 2, "0.00"),  # no "-0.00"
        (D("7"), 2, "7.00"),
        (D("12345.6"), 0, "12,346"),
    ],
)
def test_format_number_rounds_half_up_when_given_places(value, places, expected):
    assert format_number(value, places) == expected


def test_num_filter_reads_its_argument_as_the_places_and_ignores_a_bad_one():
    assert (num(D("1234.5"), 2), num(D("1234.5"), "2"), num(D("1234.5"), "x"), num(D("1234.5"))) == (
        "1,234.50",
        "1,234.50",
        "1,234.5",
        "1,234.5",
    )


def test_format_wan_reads_as_stored_in_chinese_and_in_yuan_in_english():
    with translation.override("zh-hans"):
        assert format_wan(D("138500.00")) == "138,500.00 万元"
        assert format_wan(D("500"), 2) == "500.00 万元"
    with translation.override("en"):
        assert format_wan(D("500.00")) == "5,000,000.00 yuan"
        assert format_wan(D("0.0001")) == "1.0000 yuan"
    assert format_wan(None) == MISSING and format_wan("unknown") == "unknown"


def test_unit_prints_a_unit_code_by_its_label_and_any_other_unit_as_given():
    with translation.override("en"):
        assert (unit("10^4 Nm3"), unit("10^4 t"), unit("tce"), unit("%"), unit(None)) == (
            "10,000 Nm³",
            "10,000 t",
            "tce",
            "%",
            "",
        )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"op": "<=", "value": "0.4"}, "≤ 0.4"),
        ({"op": ">=", "value": D("80")}, "≥ 80"),
        ({"op": ">=", "value": "12000.5"}, "≥ 12,000.5"),
        ({"value": "3"}, "3"),
        ({}, MISSING),
        (None, MISSING),
    ],
)
def test_threshold_prints_the_sign_and_the_grouped_value(value, expected):
    assert threshold(value) == expected


def test_op_prints_the_comparison_signs():
    assert [op(x) for x in ("<=", ">=", "<", ">", None, "")] == ["≤", "≥", "<", ">", "", ""]


def test_the_filters_render_in_a_template_when_loaded():
    template = Template(
        "{% load zc_format %}{{ a|num }}|{{ b|num:2 }}|{{ c|num }}|{{ d|wan }}|{{ t|threshold }}|{{ t.op|op }}"
    )
    with translation.override("zh-hans"):
        html = template.render(
            Context(
                {
                    "a": D("218234.28"),
                    "b": "0.125",
                    "c": None,
                    "d": D("6304.82"),
                    "t": {"op": "<=", "value": "0.4"},
                }
            )
        )
    assert html == "218,234.28|0.13|—|6,304.82 万元|≤ 0.4|≤"


@pytest.mark.django_db
def test_reference_title_names_a_factor_set_and_a_scheme_by_their_titles_read_once_per_render(
    factors, django_assert_num_queries
):
    from indicators.models import FactorSet, Scheme

    factor_set, scheme = FactorSet.objects.get(name="cn-2026.1"), Scheme.objects.order_by("code").first()
    page = Template(
        "{% load zc_format %}{% for code in codes %}{% reference_title code %}|{% endfor %}"
        "{% reference_title none as kept %}[{{ kept }}]"
    )
    with django_assert_num_queries(2):  # the titles, once, however many rows name one
        html = page.render(Context({"codes": ["cn-2026.1", scheme.code, "unknown-1"] * 3, "none": None}))
    assert html.split("|")[:3] == [factor_set.title, scheme.title, "unknown-1"]
    assert factor_set.title != "cn-2026.1" and scheme.title != scheme.code
    assert html.endswith("[]")
