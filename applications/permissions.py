"""Who may see and do what with calls, applications and construction lists (pure predicates).

Seeing follows the park (``parks.permissions``): a city reviewer sees its city's applications, park
staff their park's. Observers see everything except drafts, which are the park's own work in progress.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from parks.models import Role
from parks.permissions import WHOLE_PROGRAM_ROLES, _role, acts_for_park, park_visibility, sees_park

from .models import EDITABLE_STATUSES, ApplicationStatus, CallStatus

if TYPE_CHECKING:
    from parks.models import Park

    from .document_models import OfficialDocument
    from .models import Application, Call, ConstructionList


def application_visibility(user: Any) -> Q:
    """The applications ``user`` may see, as a filter on Application (observers: not drafts)."""
    if _role(user) == Role.OBSERVER:
        return ~Q(status=ApplicationStatus.DRAFT)
    return park_visibility(user, "park__")


def can_view_application(user: Any, application: Application) -> bool:
    if _role(user) == Role.OBSERVER:
        return application.status != ApplicationStatus.DRAFT
    return sees_park(user, application.park_id, lambda: application.park.zone.city_id)


def can_view_applications(user: Any) -> bool:
    return _role(user) in (Role.PROVINCE_ADMIN, Role.OBSERVER, Role.CITY_REVIEWER, Role.PARK_STAFF)


def can_create_application(user: Any, park: Park) -> bool:
    return acts_for_park(user, Role.PARK_STAFF, park.pk, lambda: park.zone.city_id)


def is_call_accepting(call: Call, today: Any) -> bool:
    """Open and not past its deadline (the deadline day itself still counts)."""
    return call.status == CallStatus.OPEN and today <= call.deadline


def is_frozen_by_call(application: Application) -> bool:
    """A closed call freezes its drafts. A dossier the city returned stays open to revision and
    resubmission: city reviews (and so returns) come after the call's deadline."""
    return application.status == ApplicationStatus.DRAFT and application.call.status == CallStatus.CLOSED


def can_edit_dossier(user: Any, application: Application) -> bool:
    """The park's own staff, while the dossier is a draft (of a call not closed) or returned."""
    return (
        _acts_for(user, Role.PARK_STAFF, application)
        and application.status in EDITABLE_STATUSES
        and not is_frozen_by_call(application)
    )


def _acts_for(user: Any, role: str, application: Application) -> bool:
    return acts_for_park(user, role, application.park_id, lambda: application.park.zone.city_id)


def can_manage_calls(user: Any) -> bool:
    return _role(user) == Role.PROVINCE_ADMIN


def can_view_calls(user: Any) -> bool:
    return _role(user) in (Role.PROVINCE_ADMIN, Role.OBSERVER, Role.CITY_REVIEWER, Role.PARK_STAFF)


def can_view_city_queue(user: Any) -> bool:
    """The city's review queue: its reviewers."""
    return _role(user) == Role.CITY_REVIEWER


def can_view_province_queue(user: Any) -> bool:
    """The recommended dossiers across cities: the province decides, observers read."""
    return _role(user) in WHOLE_PROGRAM_ROLES


def can_manage_lists(user: Any) -> bool:
    return _role(user) == Role.PROVINCE_ADMIN


def require_list_manager(user: Any) -> None:
    """403 unless ``user`` manages the construction lists; ``None`` (the system's move) passes."""
    if user is not None and not can_manage_lists(user):
        raise PermissionDenied


def can_view_list(user: Any, construction_list: ConstructionList) -> bool:
    """Drafts and notices in progress are the province's (and observers'); a published list is public."""
    from .models import ListStatus

    if construction_list.status == ListStatus.PUBLISHED:
        return True
    return _role(user) in WHOLE_PROGRAM_ROLES or (construction_list.status == ListStatus.PUBLIC_NOTICE)


def can_export_application(user: Any, application: Application) -> bool:
    """Anyone who may see the dossier may download its PDF and archive."""
    return can_view_application(user, application)


def can_issue_document(user: Any, spec: Any, source: Any) -> bool:
    """The city's reviewers issue the 推荐意见 of their own parks; the province every other document
    (``spec``: the kind's ``official.DocumentSpec``)."""
    park = spec.park(source)
    if park is None:
        return _role(user) == spec.issuer_role
    return acts_for_park(user, spec.issuer_role, park.pk, lambda: park.zone.city_id)


def document_visibility(user: Any) -> Q:
    """The official documents ``user`` may read: those about the parks it sees, and the list's notices
    (public: a list has one only once published)."""
    from .document_models import DocumentKind

    parks = park_visibility(user, "park__")
    # (An empty Q is "everything" alone but dropped from an OR: the whole program reads every document.)
    return parks if not parks else Q(kind=DocumentKind.LIST) | parks


def can_view_document(user: Any, document: OfficialDocument) -> bool:
    from .document_models import DocumentKind

    if document.kind == DocumentKind.LIST:
        return True
    return sees_park(user, document.park_id, lambda: document.city_id)
