from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from parks.models import City, Park, User
from parks.selectors import province_cache_set
from tests.parks.factories import CityFactory, ParkFactory, UserFactory, ZoneFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _province_forgotten():
    """Each test reads the province it set up (the kept one belongs to the last test's database), and
    starts with an empty cache (the test settings' is this process's own memory): a job's status one test
    left there is not another's."""
    province_cache_set(None)
    cache.clear()
    yield
    province_cache_set(None)


@pytest.fixture(autouse=True)
def _language_kept():
    """A page asked for in English leaves English active in this thread: the next test starts as this did."""
    language = translation.get_language()
    yield
    translation.activate(language)


@dataclass
class World:
    """Two cities, a park in each, and one user of every role (two per bound role, one per city/park)."""

    nanchang: City
    ganzhou: City
    park_a: Park  # in 南昌
    park_b: Park  # in 赣州
    province: User
    observer: User
    expert: User
    reviewer_a: User  # 南昌
    reviewer_b: User  # 赣州
    staff_a: User  # park_a
    staff_b: User  # park_b

    def users(self) -> dict[str, User]:
        return {
            name: getattr(self, name)
            for name in ("province", "observer", "expert", "reviewer_a", "reviewer_b", "staff_a", "staff_b")
        }


@pytest.fixture
def world(db) -> World:
    nanchang = CityFactory(code="360100", name="南昌市", plate="赣A")
    ganzhou = CityFactory(code="360700", name="赣州市", plate="赣B")
    park_a = ParkFactory(zone=ZoneFactory(city=nanchang, name="南昌经济技术开发区"), name="南昌测试园")
    park_b = ParkFactory(zone=ZoneFactory(city=ganzhou, name="赣州经济技术开发区"), name="赣州测试园")
    return World(
        nanchang=nanchang,
        ganzhou=ganzhou,
        park_a=park_a,
        park_b=park_b,
        province=UserFactory(username="province", province=True),
        observer=UserFactory(username="observer", observer=True),
        expert=UserFactory(username="expert", expert=True),
        reviewer_a=UserFactory(username="reviewer_a", reviewer=True, city=nanchang),
        reviewer_b=UserFactory(username="reviewer_b", reviewer=True, city=ganzhou),
        staff_a=UserFactory(username="staff_a", staff=True, park=park_a),
        staff_b=UserFactory(username="staff_b", staff=True, park=park_b),
    )


@pytest.fixture
def login():
    """A client signed in as the given user (force_login: the sign-in form has its own tests)."""

    def _login(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return _login
