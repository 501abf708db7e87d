"""Every state machine, tested from its own table: each edge the table allows moves, stamps and is recorded;
each edge it does not allow is refused with the state kept and nothing recorded; each person's move is 403
to the roles and scopes that may not take it. The diagrams in docs/workflows.md match the tables.

The application's allowed edges run through the real dossier paths in tests/applications/test_workflow.py;
the evaluation's decisions, which need expert opinions, in tests/evaluation/test_acceptance.py.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from applications.models import (
    ApplicationStatus,
    ConstructionList,
    ConstructionListEntry,
    ExemptionClaim,
    ListObjection,
    ListStatus,
)
from evaluation import services as evaluation_services
from evaluation.models import MonthlyOutlook
from indicators import services as indicator_services
from parks.integration import MachineScope
from parks.integration_services import integration_account_create
from parks.models import Role
from tests.applications.factories import ApplicationFactory, CallFactory
from tests.core.import_fixtures import KIND, register_test_importer, rows
from tests.evaluation.city_report_factories import city_report
from tests.evaluation.factories import (
    bare_evaluation,
    evaluation_requested,
    extension_requested,
    listed_project,
)
from tests.indicators.factories import load_factor_data
from zcpark.core.exceptions import ApplicationError
from zcpark.core.imports import IMPORTER_ROLE, import_preview
from zcpark.core.machines import MACHINES, Machine, transition_apply
from zcpark.core.models import ACTION_LABELS, AuditEvent

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _actors(world: Any) -> dict[str, Any]:
    return {
        Role.PARK_STAFF: world.staff_a,
        Role.CITY_REVIEWER: world.reviewer_a,
        Role.PROVINCE_ADMIN: world.province,
        Role.EXPERT: world.expert,
        IMPORTER_ROLE: world.staff_a,  # the test importer's: park_a's staff
    }


def _list(world: Any) -> ConstructionList:
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.APPROVED)
    the_list = ConstructionList.objects.create(title="测试名单", created_by=world.province)
    ConstructionListEntry.objects.create(
        construction_list=the_list, application=application, park=world.park_a
    )
    return the_list


def _objection(world: Any) -> ListObjection:
    the_list = _list(world)
    ConstructionList.objects.filter(pk=the_list.pk).update(
        status=ListStatus.PUBLIC_NOTICE, objection_deadline=TODAY, noticed_at=timezone.now()
    )
    entry = the_list.entries.get()
    return ListObjection.objects.create(
        construction_list=the_list,
        park=entry.park,
        application=entry.application,
        raised_by="某企业",
        received_on=TODAY,
        text="边界有误。",
    )


def _order(world: Any) -> Any:
    project = listed_project(
        {"staff": world.staff_a, "reviewer": world.reviewer_a, "province": world.province}
    )
    return evaluation_services.order_issue(
        by=world.province, project=project, title="整改通知", requirements="请整改。", deadline=TODAY
    )


def _factor_set_draft(world: Any) -> Any:
    load_factor_data()
    return indicator_services.factor_set_add_grid_factor(
        by=world.province, basis="national_fossil", year=2024, value=Decimal("0.81"), source="公告"
    )


def _scheme_draft(world: Any) -> Any:
    load_factor_data()
    return indicator_services.scheme_new_version(
        by=world.province, code="jiangxi-2025", thresholds={"water_reuse": Decimal("85")}
    )


def _claim(world: Any) -> Any:
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED, revision=1)
    return ExemptionClaim.objects.create(
        application=application, revision_number=1, indicator="clean_transport_share", reason="无大宗货运"
    )


def _integration_account(world: Any) -> Any:
    account, _key = integration_account_create(
        by=world.staff_a, name="园区能碳平台", park=world.park_a, scopes=list(MachineScope.values)
    )
    return account


def _import_batch(world: Any) -> Any:
    register_test_importer()
    return import_preview(kind=KIND, target=world.park_a, content=rows(a="1"), by=world.staff_a)


ARRANGE = {
    "factor_set_draft": _factor_set_draft,
    "scheme_draft": _scheme_draft,
    "monthly_outlook": lambda world: MonthlyOutlook.objects.create(park=world.park_a, year=2026),
    "import_batch": _import_batch,
    "integration_account": _integration_account,
    "application": lambda world: ApplicationFactory(park=world.park_a),
    "exemption": _claim,
    "call": lambda world: CallFactory(draft=True),
    "construction_list": _list,
    "construction_project": lambda world: listed_project(
        {"staff": world.staff_a, "reviewer": world.reviewer_a, "province": world.province}
    ),
    "rectification_order": _order,
    "list_objection": _objection,
    "acceptance_evaluation": lambda world: evaluation_requested(
        {"staff": world.staff_a, "reviewer": world.reviewer_a, "province": world.province}
    ),
    "city_progress_report": lambda world: city_report(world.nanchang, narrative="本期进展顺利。"),
    "extension_request": lambda world: extension_requested(
        {"staff": world.staff_a, "reviewer": world.reviewer_a, "province": world.province}
    ),
    "expert_review": lambda world: bare_evaluation(
        world.park_a, experts=[world.expert], declared=False
    ).reviews.get(),
}

# What each allowed move needs besides its state (the application's and the decisions' run elsewhere);
# a function of the world where it names the world's objects.
PARAMS: dict[tuple[str, str], Any] = {
    ("factor_set_draft", "publish"): {},
    ("factor_set_draft", "discard"): {},
    ("scheme_draft", "publish"): {},
    ("scheme_draft", "discard"): {},
    ("monthly_outlook", "meet"): {},
    ("monthly_outlook", "miss"): {},
    ("monthly_outlook", "miss_again"): {},
    ("monthly_outlook", "recover"): {},
    ("monthly_outlook", "reset"): {},
    ("call", "open"): {},
    ("call", "close"): {},
    ("construction_list", "notice"): {"objection_deadline": TODAY},
    ("construction_list", "publish"): {},
    ("construction_list", "drop"): lambda world: {"park": world.park_a.pk, "comment": "异议属实"},
    ("list_objection", "answer"): {"comment": "经核实，异议不成立。"},
    ("construction_project", "order_issued"): {},
    ("construction_project", "rectified"): {},
    ("construction_project", "period_ended"): {},
    ("construction_project", "accepted"): {"document_no": "赣发改〔2029〕1号", "comment": "通过"},
    ("construction_project", "extended"): {"extension_years": 1, "comment": "延期"},
    ("construction_project", "removed"): {"document_no": "赣发改〔2029〕2号", "comment": "退出"},
    ("construction_project", "extension_granted"): {"extension_years": 1, "comment": "延期"},
    ("rectification_order", "answer"): {"answer": "已整改。"},
    ("rectification_order", "close"): {},
    ("rectification_order", "return"): {
        "comment": "仍需补充",
        "deadline": TODAY + datetime.timedelta(days=30),
    },
    ("rectification_order", "overdue"): {},
    ("rectification_order", "extend_deadline"): {
        "comment": "给予更多时间",
        "deadline": TODAY + datetime.timedelta(days=30),
    },
    ("rectification_order", "escalate"): {"comment": "整改不到位", "document_no": "赣发改〔2029〕3号"},
    ("extension_request", "approve"): {"comment": "同意延期"},
    ("extension_request", "reject"): {"comment": "不同意延期"},
    ("extension_request", "lapsed"): {"comment": "退出", "document_no": "赣发改〔2029〕2号"},
    ("acceptance_evaluation", "ended_by_removal"): {"comment": "退出", "document_no": "文号"},
    ("city_progress_report", "submit"): {},
    ("city_progress_report", "return"): {"comment": "请补充典型场景"},
    # The province's decisions need a recommended dossier: tests/applications/test_exemptions.py.
    ("exemption", "city_agree"): {"comment": "同意"},
    ("exemption", "city_disagree"): {"comment": "不同意"},
    ("exemption", "withdraw"): {},
    ("exemption", "close"): {},
    ("import_batch", "commit"): {},
    ("import_batch", "discard"): {},
    ("import_batch", "rollback"): {},
    ("integration_account", "revoke"): {"comment": "密钥泄露"},
    ("expert_review", "declined"): {"comment": "曾为该园区编制规划", "conflict": "involvement"},
}


def _force(machine: Machine, obj: Any, state: str) -> Any:
    """Put ``obj`` in ``state`` directly (as a fixture), keeping what the state's constraints need."""
    fields: dict[str, Any] = {machine.field: state}
    if machine.name == "construction_list":
        fields["objection_deadline"] = TODAY
    if machine.name == "city_progress_report" and state == "submitted":
        fields["submitted_at"] = timezone.now()
    if machine.name == "acceptance_evaluation" and state == "decided":
        fields.update(decision="accepted", decided_at=timezone.now())
    if machine.name == "exemption" and state not in ("declared", "superseded"):
        fields.update(city_agrees=True, decided_at=timezone.now())
    if machine.name == "expert_review" and state == "submitted":
        fields.update(total_score=90, opinion="同意", conflict="none")
    if machine.name == "expert_review" and state == "declined":
        fields.update(conflict="same_city", conflict_note="同城")
    type(obj).objects.filter(pk=obj.pk).update(**fields)
    return type(obj).objects.get(pk=obj.pk)


def _params(world: Any, name: str, verb: str) -> dict[str, Any]:
    params = PARAMS.get((name, verb), {})
    return dict(params(world) if callable(params) else params)


def _events(obj: Any) -> int:
    return AuditEvent.objects.for_object(obj).count()


def _by(world: Any, machine: Machine, verb: str) -> Any:
    roles = machine.get(verb).roles
    return _actors(world)[roles[0]] if roles else None


ALLOWED = sorted(
    (name, t.verb, source)
    for name, machine in MACHINES.items()
    for t in machine.transitions
    if (name, t.verb) in PARAMS
    for source in t.sources
)
FORBIDDEN = sorted(
    (name, t.verb, state)
    for name, machine in MACHINES.items()
    for t in machine.transitions
    for state, _label in machine.states()
    if state not in t.sources
)
PEOPLES_MOVES = sorted(
    (name, t.verb) for name, machine in MACHINES.items() for t in machine.transitions if t.roles
)
OUTSIDERS = ["staff_a", "staff_b", "reviewer_a", "reviewer_b", "province", "observer", "expert"]


def test_every_machine_is_registered_and_sound():
    assert set(MACHINES) == set(ARRANGE)
    for machine in MACHINES.values():
        states = {value for value, _label in machine.states()}
        verbs = [t.verb for t in machine.transitions]
        assert len(verbs) == len(set(verbs)), machine.name
        for t in machine.transitions:
            assert set(t.sources) <= states and t.target in states, (machine.name, t.verb)
            assert machine.audit_action(t) in ACTION_LABELS, (machine.name, t.verb)
            assert t.roles or t.button is None, (machine.name, t.verb)


def test_the_diagrams_in_docs_match_the_tables():
    call_command("workflow_diagrams", "--check")


@pytest.mark.parametrize(("name", "verb", "source"), ALLOWED)
def test_an_allowed_edge_moves_stamps_and_is_recorded(world, name, verb, source):
    machine = MACHINES[name]
    obj = _force(machine, ARRANGE[name](world), source)
    transition = machine.get(verb)
    moved = transition_apply(machine, obj, verb, by=_by(world, machine, verb), **_params(world, name, verb))
    moved = type(obj).objects.get(pk=obj.pk)
    assert getattr(moved, machine.field) == transition.target
    assert all(getattr(moved, stamp) is not None for stamp in transition.stamps)
    event = AuditEvent.objects.for_object(moved).filter(action=machine.audit_action(transition)).first()
    assert (event.from_state, event.to_state) == (source, transition.target)


@pytest.mark.parametrize(("name", "verb", "state"), FORBIDDEN)
def test_a_forbidden_edge_is_refused_and_changes_nothing(world, name, verb, state):
    machine = MACHINES[name]
    obj = _force(machine, ARRANGE[name](world), state)
    events = _events(obj)
    with pytest.raises(ApplicationError):
        transition_apply(machine, obj, verb, by=_by(world, machine, verb), **_params(world, name, verb))
    assert getattr(type(obj).objects.get(pk=obj.pk), machine.field) == state
    assert _events(obj) == events


@pytest.mark.parametrize(("name", "verb"), PEOPLES_MOVES)
def test_a_persons_move_is_forbidden_to_other_roles_and_scopes(world, name, verb):
    machine = MACHINES[name]
    transition = machine.get(verb)
    obj = _force(machine, ARRANGE[name](world), transition.sources[0])
    allowed = {_actors(world)[role].username for role in transition.roles}
    for who in OUTSIDERS:
        if who in allowed:
            continue
        with pytest.raises(PermissionDenied):
            transition_apply(machine, obj, verb, by=getattr(world, who), **_params(world, name, verb))
    assert getattr(type(obj).objects.get(pk=obj.pk), machine.field) == transition.sources[0]
