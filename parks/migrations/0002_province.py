"""The province becomes reference data: a Province row that every city belongs to.

A database that already holds cities (every one so far is Jiangxi's) gets Jiangxi's row, written here
from the values of fixtures/provinces/jiangxi/province.json at this migration (a later change of that file
is loaded by load_reference_data, not by this migration); an empty database gets none until then.
"""

import django.db.models.deletion
from django.db import migrations, models


JIANGXI = {
    "code": "360000",
    "name": "江西省",
    "name_en": "Jiangxi",
    "authority": "江西省发展和改革委员会",
    "authority_en": "Jiangxi Provincial Development and Reform Commission",
    "portal_title": "江西省零碳园区建设管理平台",
    "portal_title_en": "Jiangxi Zero-Carbon Park Portal",
    "scheme_code": "jiangxi-2025",
    "bounds": {"lon": ["113.0", "119.0"], "lat": ["24.0", "30.5"]},
    "goals": {
        "plan": "“十五五”时期",
        "plan_en": "15th Five-Year Plan",
        "first_year": 2026,
        "last_year": 2030,
        "under_construction": 10,
        "accepted_min": 3,
        "accepted_max": 5,
    },
}


def cities_to_jiangxi(apps, schema_editor):
    City = apps.get_model("parks", "City")
    Province = apps.get_model("parks", "Province")
    if City.objects.exists():
        province, _created = Province.objects.get_or_create(code=JIANGXI["code"], defaults=JIANGXI)
        City.objects.update(province=province)


class Migration(migrations.Migration):

    dependencies = [
        ('parks', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Province',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('code', models.CharField(max_length=6, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=32, verbose_name='name')),
                ('name_en', models.CharField(max_length=64, verbose_name='name (English)')),
                ('authority', models.CharField(max_length=64, verbose_name='authority')),
                ('authority_en', models.CharField(max_length=128, verbose_name='authority (English)')),
                ('portal_title', models.CharField(max_length=64, verbose_name='portal title')),
                ('portal_title_en', models.CharField(max_length=128, verbose_name='portal title (English)')),
                ('scheme_code', models.CharField(max_length=64, verbose_name='indicator scheme')),
                ('bounds', models.JSONField(verbose_name='map extent')),
                ('goals', models.JSONField(verbose_name='program goals')),
            ],
            options={
                'verbose_name': 'province',
                'verbose_name_plural': 'provinces',
            },
        ),
        migrations.RemoveConstraint(
            model_name='city',
            name='city_code_jiangxi',
        ),
        migrations.AddConstraint(
            model_name='province',
            constraint=models.CheckConstraint(condition=models.Q(('code__regex', '^[0-9]{2}0000$')), name='province_code'),
        ),
        migrations.AddField(
            model_name='city',
            name='province',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cities', to='parks.province', verbose_name='province'),
        ),
        migrations.RunPython(cities_to_jiangxi, migrations.RunPython.noop),
    ]
