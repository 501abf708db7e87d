"""Fixtures shared by the indicators tests: the reference factor data, loaded by its command."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def factors(db):
    call_command("load_factor_data", verbosity=0)
