"""Which exemptions reach the engine for a park's stored results (indicators.exemptions)."""

from __future__ import annotations

from indicators.exemptions import document_for_engine, exemptions_counted, exemptions_not_accepted

DOC = {"year": 2025, "exemptions": {"clean_transport_share": "无货运", "green_buildings": " "}}


def test_only_accepted_exemptions_reach_the_engine():
    assert document_for_engine(DOC, {}) == {"year": 2025}
    assert document_for_engine(DOC, {"clean_transport_share": "省已同意"}) == {
        "year": 2025,
        "exemptions": {"clean_transport_share": "无货运"},
    }


def test_an_accepted_exemption_counts_with_the_claims_reason_when_the_data_give_none():
    assert exemptions_counted({"year": 2026}, {"water_reuse": "园区无工业用水"}) == {
        "water_reuse": "园区无工业用水"
    }
    assert document_for_engine({"year": 2026}, {"water_reuse": "园区无工业用水"})["exemptions"] == {
        "water_reuse": "园区无工业用水"
    }


def test_a_document_already_as_the_engine_needs_it_is_returned_as_is():
    document = {"year": 2025, "exemptions": {"water_reuse": "x"}}
    assert document_for_engine(document, {"water_reuse": "y"}) is document
    plain = {"year": 2025}
    assert document_for_engine(plain, {}) is plain


def test_a_malformed_block_is_left_for_the_engine_to_refuse():
    document = {"year": 2025, "exemptions": ["clean_transport_share"]}
    assert document_for_engine(document, {}) is document


def test_reasons_without_an_accepted_exemption_are_named():
    assert exemptions_not_accepted(DOC, {}) == ["clean_transport_share"]
    assert exemptions_not_accepted(DOC, {"clean_transport_share": "r"}) == []
