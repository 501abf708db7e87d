"""Whose copy a park archive is: ``audience`` (the province's, the city's, the park's) instead of the
boolean ``for_park``. The park's copies stay the park's; every other copy was built with the experts'
names and every score in it, so it becomes the province's (a city's old copy is not offered to the city)."""

from django.db import migrations, models


def audience_from_for_park(apps, schema_editor):
    ParkArchive = apps.get_model("evaluation", "ParkArchive")
    ParkArchive.objects.filter(for_park=True).update(audience="park")


def for_park_from_audience(apps, schema_editor):
    ParkArchive = apps.get_model("evaluation", "ParkArchive")
    ParkArchive.objects.filter(audience="park").update(for_park=True)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0005_expert_conflict_declarations"),
    ]

    operations = [
        migrations.AddField(
            model_name="parkarchive",
            name="audience",
            field=models.CharField(
                choices=[
                    ("province", "The province's copy"),
                    ("city", "The city's copy"),
                    ("park", "The park's copy"),
                ],
                default="province",
                max_length=8,
                verbose_name="whose copy",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(audience_from_for_park, for_park_from_audience),
        migrations.RemoveField(model_name="parkarchive", name="for_park"),
        migrations.AddConstraint(
            model_name="parkarchive",
            constraint=models.CheckConstraint(
                condition=models.Q(("audience__in", ["province", "city", "park"])),
                name="park_archive_audience_valid",
            ),
        ),
    ]
