"""A section save is kept as the section's code and the fields' keys with their stored values, so the
timeline reads in each reader's language, whoever saved it in which language; events stored before (with
labels in one language) still show as they were kept."""

from __future__ import annotations

import pytest
from django.utils import translation

from applications import services
from tests.applications.factories import CallFactory
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _saved(world, data):
    application = services.application_create(by=world.staff_a, park=world.park_a, call=CallFactory())
    with translation.override("zh-hans"):
        services.dossier_section_save(by=world.staff_a, application=application, code="overview", data=data)
    return AuditEvent.objects.filter(action="section_saved").latest("id")


def test_a_section_saved_in_chinese_reads_in_english_for_an_english_reader(world):
    event = _saved(world, {"managing_body": "南昌经开区管委会", "area_km2": "12500.5"})
    assert event.comment == "overview"
    assert set(event.changes) == {"overview/managing_body", "overview/area_km2"}
    with translation.override("en"):
        assert event.comment_text == "Park overview"
        assert ("Area", "—", "12,500.5 km²") in event.changes_list
        assert ("Managing body", "南昌经开区管委会") in [
            (label, new) for label, _old, new in event.changes_list
        ]
    with translation.override("zh-hans"):
        assert event.comment_text == "园区基本情况"
        assert ("面积", "—", "12,500.5 km²") in event.changes_list


def test_an_event_kept_with_labels_before_shows_as_it_was_kept(world):
    event = _saved(world, {"managing_body": "管委会"})
    AuditEvent.objects.filter(pk=event.pk).update(comment="园区概况", changes={"管理机构": ["—", "管委会"]})
    event.refresh_from_db()
    with translation.override("en"):
        assert event.comment_text == "园区概况"
        assert event.changes_list == [("管理机构", "—", "管委会")]


def test_a_table_row_change_names_the_row_by_its_first_column(world):
    row = {"name": "屋顶光伏", "implementing_body": "园区公司", "investment_wan": "48000"}
    application = services.application_create(by=world.staff_a, park=world.park_a, call=CallFactory())
    services.dossier_section_save(
        by=world.staff_a, application=application, code="projects", data={"projects": [row]}
    )
    changed = {**row, "investment_wan": "52000"}
    services.dossier_section_save(
        by=world.staff_a, application=application, code="projects", data={"projects": [changed]}, merge=True
    )
    event = AuditEvent.objects.filter(action="section_saved").latest("id")
    with translation.override("en"):
        labels = {label: (old, new) for label, old, new in event.changes_list}
    investment = next(label for label in labels if label.endswith("Investment"))
    assert investment.startswith("Key projects · 屋顶光伏 · ")
    assert labels[investment] == ("480,000,000 yuan", "520,000,000 yuan")
