"""Construction lists: draft from approved applications → public notice with an objection deadline →
publish (from the deadline on), which puts the applications on the list (``listed``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parks.models import User
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import transition_apply
from zcpark.core.services import audit_event_record

from ..models import Application, ApplicationStatus, ConstructionList, ConstructionListEntry, ListStatus
from ..permissions import require_list_manager
from ..workflow import LIST


def _approved(application_ids: list[int], *, construction_list: ConstructionList | None) -> list[Application]:
    if not application_ids:
        raise ValidationError({"applications": [_("Choose at least one approved application.")]})
    found = {a.pk: a for a in Application.objects.with_places().filter(pk__in=application_ids)}
    errors = []
    for pk in application_ids:
        application = found.get(pk)
        if application is None:
            errors.append(_("Application %(id)s does not exist.") % {"id": pk})
        elif application.status != ApplicationStatus.APPROVED:
            errors.append(
                _("%(park)s is %(status)s; only approved applications can be listed.")
                % {"park": application.park, "status": application.get_status_display()}
            )
        elif (
            ConstructionListEntry.objects.filter(application=application)
            .exclude(construction_list=construction_list)
            .exists()
        ):
            errors.append(_("%(park)s is already on another list.") % {"park": application.park})
    parks = [found[pk].park_id for pk in application_ids if pk in found]
    if len(parks) != len(set(parks)):
        errors.append(_("A park can be on a list only once."))
    if errors:
        raise ValidationError({"applications": errors})
    return [found[pk] for pk in dict.fromkeys(application_ids)]


@transaction.atomic
def construction_list_create(
    *, by: User | None, title: str, document_no: str = "", application_ids: list[int]
) -> ConstructionList:
    """Draft a list from approved applications not yet on a list."""
    require_list_manager(by)
    applications = _approved(list(application_ids), construction_list=None)
    construction_list = ConstructionList(title=title, document_no=document_no, created_by=by)
    construction_list.full_clean()
    construction_list.save()
    ConstructionListEntry.objects.bulk_create(
        [
            ConstructionListEntry(construction_list=construction_list, application=a, park=a.park)
            for a in applications
        ]
    )
    audit_event_record(
        actor=by,
        target=construction_list,
        action="list_created",
        to_state=construction_list.status,
        comment="、".join(a.park.name for a in applications),
    )
    return construction_list


@transaction.atomic
def construction_list_update(
    *, by: User | None, construction_list: ConstructionList, data: dict[str, Any]
) -> ConstructionList:
    """Change a draft list's title, document number or applications."""
    require_list_manager(by)
    locked = ConstructionList.objects.select_for_update().get(pk=construction_list.pk)
    if locked.status != ListStatus.DRAFT:
        raise ApplicationError(_("Only a draft list can be changed."))
    changes: dict[str, tuple[Any, Any]] = {}
    for field in ("title", "document_no"):
        if field in data and data[field] != getattr(locked, field):
            changes[field] = (getattr(locked, field), data[field])
            setattr(locked, field, data[field])
    if "applications" in data:
        applications = _approved(list(data["applications"]), construction_list=locked)
        before = sorted(locked.entries.values_list("park__name", flat=True))
        locked.entries.all().delete()
        ConstructionListEntry.objects.bulk_create(
            [
                ConstructionListEntry(construction_list=locked, application=a, park=a.park)
                for a in applications
            ]
        )
        after = sorted(a.park.name for a in applications)
        if before != after:
            changes["entries"] = ("、".join(before), "、".join(after))
    locked.full_clean()
    locked.save()
    if changes:
        audit_event_record(actor=by, target=locked, action="list_updated", changes=changes)
    return locked


def construction_list_transition(
    *,
    by: User | None,
    construction_list: ConstructionList,
    action: str,
    objection_deadline: date | None = None,
    comment: str = "",
) -> ConstructionList:
    """``notice`` (draft → 公示, with an objection deadline not in the past) or ``publish`` (公示 → published,
    from the objection deadline on; its applications become ``listed``): ``workflow.LIST``."""
    require_list_manager(by)
    return transition_apply(
        LIST, construction_list, action, by=by, comment=comment, objection_deadline=objection_deadline
    )
