"""A throw-away database for benchmarks, named apart from the test suite's so the two never collide."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import setup_test_environment

BENCH_DATABASE = "zcpark_bench"


@contextmanager
def throwaway_database() -> Iterator[None]:
    """Create a fresh, migrated database (in memory for SQLite), and drop it afterwards."""
    setup_test_environment()
    if connection.vendor != "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = BENCH_DATABASE
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
