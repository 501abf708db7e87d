"""The demo: one account per role and their parks, so a new user can walk the program at once.

Idempotent: running it again refreshes the same objects (and resets the demo passwords).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from .models import City, DevelopmentZone, Park, ParkScope, ParkType, Role, User
from .services import park_create, park_update, user_create, user_update

DEFAULT_DEMO_PASSWORD = "zcpark-demo-2026"  # noqa: S105 - a documented demo password, printed by make run

NANCHANG_BOUNDARY = {
    "type": "Polygon",
    "coordinates": [
        [
            [115.842, 28.742],
            [115.881, 28.742],
            [115.889, 28.768],
            [115.861, 28.781],
            [115.838, 28.765],
            [115.842, 28.742],
        ]
    ],
}

DEMO_PARKS = [
    {
        "name": "南昌经开区零碳示范园",
        "zone": "南昌经济技术开发区",
        "scope": ParkScope.PARK_IN_PARK,
        "park_type": ParkType.NON_CHEMICAL,
        "managing_body": "南昌经济技术开发区管理委员会",
        "boundary_text": "东至枫林大街，南至秀先路，西至双港大道，北至蛟桥镇界",
        "boundary_geojson": NANCHANG_BOUNDARY,
        "contact_name": "刘洋",
        "contact_phone": "0791-8321 0000",
        "contact_email": "park-nanchang@example.cn",
    },
    {
        "name": "赣州经开区零碳园区",
        "zone": "赣州经济技术开发区",
        "scope": ParkScope.WHOLE,
        "park_type": ParkType.NON_CHEMICAL,
        "managing_body": "赣州经济技术开发区管理委员会",
        "boundary_text": "",
        "boundary_geojson": None,
        "contact_name": "陈静",
        "contact_phone": "0797-8380 0000",
        "contact_email": "park-ganzhou@example.cn",
    },
    # The construction-period demo (evaluation/demo.py): one park accepted, one with an overdue order, one
    # in acceptance review.
    {
        "name": "新余高新区零碳示范园",
        "zone": "新余高新技术产业开发区",
        "scope": ParkScope.PARK_IN_PARK,
        "park_type": ParkType.NON_CHEMICAL,
        "managing_body": "新余高新技术产业开发区管理委员会",
        "boundary_text": "东至赣西大道，南至阳光大道，西至新城大道，北至光明路",
        "boundary_geojson": None,
        "contact_name": "黄敏",
        "contact_phone": "0790-6660 0000",
        "contact_email": "park-xinyu@example.cn",
    },
    {
        "name": "九江经开区零碳园区",
        "zone": "九江经济技术开发区",
        "scope": ParkScope.WHOLE,
        "park_type": ParkType.NON_CHEMICAL,
        "managing_body": "九江经济技术开发区管理委员会",
        "boundary_text": "",
        "boundary_geojson": None,
        "contact_name": "周强",
        "contact_phone": "0792-8310 0000",
        "contact_email": "park-jiujiang@example.cn",
    },
    # Its construction is over and its acceptance evaluation waits for expert_demo's blind review.
    {
        "name": "萍乡经开区零碳园区",
        "zone": "萍乡经济技术开发区",
        "scope": ParkScope.WHOLE,
        "park_type": ParkType.NON_CHEMICAL,
        "managing_body": "萍乡经济技术开发区管理委员会",
        "boundary_text": "",
        "boundary_geojson": None,
        "contact_name": "彭磊",
        "contact_phone": "0799-6830 0000",
        "contact_email": "park-pingxiang@example.cn",
    },
]

DEMO_USERS = [
    {
        "username": "province_demo",
        "first_name": "省发改委演示",
        "role": Role.PROVINCE_ADMIN,
        "organisation": "江西省发展和改革委员会",
    },
    {
        "username": "city_nanchang",
        "first_name": "南昌市发改委演示",
        "role": Role.CITY_REVIEWER,
        "city": "360100",
        "organisation": "南昌市发展和改革委员会",
    },
    {
        "username": "city_ganzhou",
        "first_name": "赣州市发改委演示",
        "role": Role.CITY_REVIEWER,
        "city": "360700",
        "organisation": "赣州市发展和改革委员会",
    },
    {
        "username": "park_nanchang",
        "first_name": "南昌经开区填报员",
        "role": Role.PARK_STAFF,
        "park": "南昌经开区零碳示范园",
        "organisation": "南昌经济技术开发区管理委员会",
    },
    {
        "username": "park_ganzhou",
        "first_name": "赣州经开区填报员",
        "role": Role.PARK_STAFF,
        "park": "赣州经开区零碳园区",
        "organisation": "赣州经济技术开发区管理委员会",
    },
    {
        "username": "city_xinyu",
        "first_name": "新余市发改委演示",
        "role": Role.CITY_REVIEWER,
        "city": "360500",
        "organisation": "新余市发展和改革委员会",
    },
    {
        "username": "city_jiujiang",
        "first_name": "九江市发改委演示",
        "role": Role.CITY_REVIEWER,
        "city": "360400",
        "organisation": "九江市发展和改革委员会",
    },
    {
        "username": "park_xinyu",
        "first_name": "新余高新区填报员",
        "role": Role.PARK_STAFF,
        "park": "新余高新区零碳示范园",
        "organisation": "新余高新技术产业开发区管理委员会",
    },
    {
        "username": "park_jiujiang",
        "first_name": "九江经开区填报员",
        "role": Role.PARK_STAFF,
        "park": "九江经开区零碳园区",
        "organisation": "九江经济技术开发区管理委员会",
    },
    {
        "username": "city_pingxiang",
        "first_name": "萍乡市发改委演示",
        "role": Role.CITY_REVIEWER,
        "city": "360300",
        "organisation": "萍乡市发展和改革委员会",
    },
    {
        "username": "park_pingxiang",
        "first_name": "萍乡经开区填报员",
        "role": Role.PARK_STAFF,
        "park": "萍乡经开区零碳园区",
        "organisation": "萍乡经济技术开发区管理委员会",
    },
    {
        "username": "expert_demo",
        "first_name": "评审专家演示",
        "role": Role.EXPERT,
        "organisation": "省零碳园区专家库",
    },
    {
        "username": "expert_demo2",
        "first_name": "评审专家演示二",
        "role": Role.EXPERT,
        "organisation": "省零碳园区专家库",
    },
    {
        "username": "observer_demo",
        "first_name": "有关单位演示",
        "role": Role.OBSERVER,
        "organisation": "江西省能源局",
    },
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    scope: str


@transaction.atomic
def demo_seed(*, password: str = DEFAULT_DEMO_PASSWORD) -> list[DemoAccount]:
    """Create or refresh the demo parks and accounts; reference data must be loaded first."""
    for spec in DEMO_PARKS:
        data = {**spec, "zone": DevelopmentZone.objects.get(name=spec["zone"])}
        park = Park.objects.filter(name=data["name"]).first()
        if park is None:
            park_create(by=None, **data)
        else:
            park_update(park=park, by=None, **{k: v for k, v in data.items() if k != "name"})

    accounts = []
    for spec in DEMO_USERS:
        data = dict(spec)
        username = data.pop("username")
        data["park"] = Park.objects.get(name=data["park"]) if "park" in data else None
        data["city"] = City.objects.get(code=data["city"]) if "city" in data else None
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(by=None, username=username, password=None, **data)
        else:
            user = user_update(user=user, by=None, **data)
        _set_demo_password(user, password)
        accounts.append(DemoAccount(username=username, role=user.get_role_display(), scope=user.scope_label))
    return accounts


def _set_demo_password(user: User, password: str) -> None:
    # The demo password is chosen by the operator and may be short: skip the strength rules here only.
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
