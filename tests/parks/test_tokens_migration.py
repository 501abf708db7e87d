"""Migration 0004 drops DRF's token table, which kept API keys in plain text, and forgets its migrations
(adding the app back would then create the table again); on a database that never had it, it does nothing."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

migration = importlib.import_module("parks.migrations.0004_drop_plain_api_tokens")


def _run() -> None:
    with connection.schema_editor() as editor:
        migration.drop_plain_tokens(apps, editor)


@pytest.mark.django_db(transaction=True)
def test_the_plain_token_table_and_its_records_go():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer NOT NULL)")
        cursor.execute("INSERT INTO authtoken_token (key, user_id) VALUES (%s, %s)", ["0123456789abcdef", 1])
    MigrationRecorder(connection).record_applied("authtoken", "0001_initial")
    _run()
    assert "authtoken_token" not in connection.introspection.table_names()
    assert not MigrationRecorder(connection).migration_qs.filter(app="authtoken").exists()


@pytest.mark.django_db(transaction=True)
def test_a_database_without_the_table_is_left_as_it_is():
    tables = set(connection.introspection.table_names())
    _run()
    assert set(connection.introspection.table_names()) == tables
