"""Drop DRF's token table (issue 12): it kept every API key in plain text. The tokens are knox's now (a
digest only), and the app is gone from INSTALLED_APPS, so the old keys no longer work anyway; left behind,
the table would still hand them to whoever reads a backup. Their owners ask for a new token.

Its migration records go too, so that adding the app back one day would create the table again. Nothing
to undo: the keys are not to come back.
"""

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder

TABLE = "authtoken_token"


def drop_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if TABLE in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(TABLE)}")
    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("parks", "0003_city_province_required"),
    ]

    operations = [
        migrations.RunPython(drop_plain_tokens, migrations.RunPython.noop, elidable=True),
    ]
