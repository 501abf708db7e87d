"""Every city belongs to the province (a migration of its own: PostgreSQL alters no table with the rows
0002 updated still pending in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('parks', '0002_province'),
    ]

    operations = [
        migrations.AlterField(
            model_name='city',
            name='province',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cities', to='parks.province', verbose_name='province'),
        ),
        migrations.AddConstraint(
            model_name='city',
            constraint=models.CheckConstraint(condition=models.Q(('code__regex', '^[0-9]{6}$')), name='city_code_gb2260'),
        ),
    ]
