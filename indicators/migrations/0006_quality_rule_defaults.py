"""The data-quality rules' defaults: one row per kind, all enabled (the province changes them on its page)."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    # kind, severity, threshold (%)
    ("energy_change", "warning", Decimal("30")),
    ("emissions_change", "warning", Decimal("30")),
    ("core_indicator_change", "warning", Decimal("20")),
    ("enterprises_vs_park", "serious", Decimal("5")),
    ("electricity_vs_purchases", "info", Decimal("20")),
    ("share_jump_to_full", "warning", Decimal("50")),
]


def seed(apps, schema_editor):
    QualityRule = apps.get_model("indicators", "QualityRule")
    for kind, severity, threshold in DEFAULTS:
        QualityRule.objects.get_or_create(
            kind=kind, defaults={"enabled": True, "severity": severity, "threshold": threshold}
        )


def unseed(apps, schema_editor):
    apps.get_model("indicators", "QualityRule").objects.filter(kind__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_quality_rule")]

    operations = [migrations.RunPython(seed, unseed)]
