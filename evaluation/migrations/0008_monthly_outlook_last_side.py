"""MonthlyOutlook.last_side: the side of the target the projection was last on, so a crossing through
"not yet projected" is told (and a return to the same side is not). Rows projected now take their status."""

from django.db import migrations, models


def last_side_from_status(apps, schema_editor):
    outlooks = apps.get_model("evaluation", "MonthlyOutlook")
    for side in ("meeting", "missing"):
        outlooks.objects.filter(status=side).update(last_side=side)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0007_monthly_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="monthlyoutlook",
            name="last_side",
            field=models.CharField(
                blank=True,
                choices=[
                    ("unknown", "Not yet projected"),
                    ("meeting", "On track to meet the target"),
                    ("missing", "Projected to miss the target"),
                ],
                default="",
                max_length=16,
                verbose_name="last projected side",
            ),
        ),
        migrations.RunPython(last_side_from_status, migrations.RunPython.noop),
    ]
