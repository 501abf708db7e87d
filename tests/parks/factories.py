from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from parks.models import (
    City,
    DevelopmentZone,
    Park,
    ParkScope,
    ParkType,
    Province,
    Role,
    User,
    ZoneKind,
    ZoneLevel,
)
from parks.selectors import PROVINCE_FIELDS, province_from_fixture


class ProvinceFactory(DjangoModelFactory):
    """The province of settings.PROVINCE_DIR (Jiangxi), as load_reference_data loads it."""

    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.LazyFunction(lambda: province_from_fixture().code)

    @classmethod
    def _create(cls, model_class: type[Province], *args: object, **kwargs: object) -> Province:
        values = {name: getattr(province_from_fixture(), name) for name in PROVINCE_FIELDS}
        return super()._create(model_class, *args, **{**values, **kwargs})


class CityFactory(DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("code",)

    province = factory.SubFactory(ProvinceFactory)
    code = "360100"
    name = "南昌市"
    plate = "赣A"


class ZoneFactory(DjangoModelFactory):
    class Meta:
        model = DevelopmentZone

    name = factory.Sequence(lambda n: f"测试经济技术开发区{n}")
    city = factory.SubFactory(CityFactory)
    level = ZoneLevel.NATIONAL
    kind = ZoneKind.ETDZ


class ParkFactory(DjangoModelFactory):
    class Meta:
        model = Park

    name = factory.Sequence(lambda n: f"测试零碳园区{n}")
    zone = factory.SubFactory(ZoneFactory)
    scope = ParkScope.WHOLE
    park_type = ParkType.NON_CHEMICAL
    managing_body = factory.LazyAttribute(lambda o: f"{o.zone.name}管理委员会")

    class Params:
        park_in_park = factory.Trait(
            scope=ParkScope.PARK_IN_PARK, boundary_text="东至甲路，南至乙路，西至丙河，北至丁山"
        )
        chemical = factory.Trait(park_type=ParkType.CHEMICAL)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.OBSERVER
    password = factory.django.Password("correct-horse-battery")

    class Params:
        province = factory.Trait(role=Role.PROVINCE_ADMIN)
        expert = factory.Trait(role=Role.EXPERT)
        observer = factory.Trait(role=Role.OBSERVER)
        reviewer = factory.Trait(role=Role.CITY_REVIEWER, city=factory.SubFactory(CityFactory))
        staff = factory.Trait(role=Role.PARK_STAFF, park=factory.SubFactory(ParkFactory))
