from __future__ import annotations

import pytest


@pytest.fixture
def actors_a(world) -> dict:
    """The people around park_a (南昌): its staff, its city's reviewer and the province."""
    return {"staff": world.staff_a, "reviewer": world.reviewer_a, "province": world.province}


@pytest.fixture
def actors_b(world) -> dict:
    return {"staff": world.staff_b, "reviewer": world.reviewer_b, "province": world.province}
