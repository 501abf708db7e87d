"""The province's data-quality rules page: who reads it, who changes a rule, validation and the audit trail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import QualityRule, QualityRuleKind
from zcpark.core.models import AuditEvent

LIST = reverse("indicators:quality-rule-list")
EDIT = reverse("indicators:quality-rule-edit", args=[QualityRuleKind.ENERGY_CHANGE])
READERS = {
    "province": 200,
    "observer": 200,
    "reviewer_a": 200,
    "reviewer_b": 200,
    "staff_a": 403,
    "expert": 403,
}


def _english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize(("who", "status"), READERS.items())
def test_the_rules_page_is_read_by_the_province_observers_and_city_reviewers(world, login, who, status):
    response = login(getattr(world, who)).get(LIST)
    assert response.status_code == status
    if status == 200:
        assert len(response.context["rules"]) == len(QualityRuleKind.values)
        can_edit = EDIT in response.content.decode()
        assert can_edit is (who == "province")


def test_the_rules_page_asks_an_anonymous_visitor_to_sign_in(world, login):
    response = login(None).get(LIST)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_rules_page_names_each_rule_its_severity_and_threshold_with_its_unit(world, login):
    html = _english(login(world.province)).get(LIST).content.decode()
    assert "Year-on-year change of total energy consumed" in html
    assert "30 %" in html and 'data-severity="serious"' in html


@pytest.mark.parametrize("who", ["observer", "reviewer_a", "staff_a", "expert"])
def test_only_the_province_changes_a_rule(world, login, who):
    client = login(getattr(world, who))
    assert client.get(EDIT).status_code == 403
    data = {"enabled": "on", "severity": "info", "threshold": "10"}
    assert client.post(EDIT, data).status_code == 403
    rule = QualityRule.objects.get(kind=QualityRuleKind.ENERGY_CHANGE)
    assert (rule.severity, rule.threshold) == ("warning", Decimal("30"))


def test_a_change_is_saved_and_audited_old_to_new(world, login):
    client = login(world.province)
    response = client.post(EDIT, {"severity": "serious", "threshold": "25.5", "comment": "收紧"})
    assert response.status_code == 302 and response["Location"] == LIST
    rule = QualityRule.objects.get(kind=QualityRuleKind.ENERGY_CHANGE)
    assert (rule.enabled, rule.severity, rule.threshold, rule.updated_by) == (
        False,
        "serious",
        Decimal("25.5"),
        world.province,
    )
    event = AuditEvent.objects.get(action="quality_rule_changed")
    assert event.actor == world.province and event.comment == "收紧"
    assert event.changes == {
        "enabled": [True, False],
        "severity": ["warning", "serious"],
        "threshold": ["30.00", "25.5"],
    }


def test_saving_the_same_values_leaves_no_audit_event(world, login):
    login(world.province).post(EDIT, {"enabled": "on", "severity": "warning", "threshold": "30"})
    assert not AuditEvent.objects.filter(action="quality_rule_changed").exists()


@pytest.mark.parametrize(
    ("kind", "threshold"),
    [
        (QualityRuleKind.ENERGY_CHANGE, "-1"),
        (QualityRuleKind.ENERGY_CHANGE, "1000.01"),
        (QualityRuleKind.ENERGY_CHANGE, "abc"),
        (QualityRuleKind.ENERGY_CHANGE, "1.234"),
        (QualityRuleKind.SHARE_JUMP, "100.01"),
    ],
)
def test_a_threshold_out_of_range_is_refused_naming_the_field(world, login, kind, threshold):
    url = reverse("indicators:quality-rule-edit", args=[kind])
    response = _english(login(world.province)).post(url, {"severity": "warning", "threshold": threshold})
    assert response.status_code == 200 and response.context["form"].errors["threshold"]
    assert not AuditEvent.objects.filter(action="quality_rule_changed").exists()


def test_an_unknown_rule_is_not_found(world, login):
    url = reverse("indicators:quality-rule-edit", args=["no-such-rule"])
    assert login(world.province).get(url).status_code == 404


def test_the_service_refuses_a_negative_threshold_and_anyone_but_the_province(world):
    from django.core.exceptions import PermissionDenied, ValidationError

    from indicators.services import quality_rule_update

    with pytest.raises(ValidationError) as exc:
        quality_rule_update(
            by=world.province, kind="energy_change", enabled=True, severity="warning", threshold=Decimal(-1)
        )
    assert "threshold" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        quality_rule_update(
            by=world.reviewer_a, kind="energy_change", enabled=True, severity="info", threshold=Decimal(1)
        )


def test_the_navigation_and_the_factor_page_link_the_rules(world, login, factors):
    assert LIST in login(world.province).get(reverse("portal:home")).content.decode()
    assert LIST in login(world.reviewer_a).get(reverse("portal:home")).content.decode()
    assert LIST not in login(world.staff_a).get(reverse("portal:home")).content.decode()
    assert LIST in login(world.province).get(reverse("indicators:factor-list")).content.decode()


def test_a_city_reviewer_is_not_sent_to_the_factor_page_it_may_not_open(world, login):
    factors_url = reverse("indicators:factor-list")
    assert factors_url not in login(world.reviewer_a).get(LIST).content.decode()
    assert factors_url in login(world.province).get(LIST).content.decode()
