"""Fixtures of the two-factor tests: a clock that stands still (codes change every 30 s) and the setting
that makes the province and city roles sign in with two factors."""

from __future__ import annotations

import pytest
import time_machine

from tests.parks.two_factor_helpers import REQUIRED, START


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_ROLES = REQUIRED
    return REQUIRED
