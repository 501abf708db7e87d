"""Construction lists: draft from approved applications → public notice with an objection deadline →
publish (from the deadline on), which puts the applications on the list (``listed``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parks.models import Role, User
from zcpark.core.exceptions import ApplicationError
from zcpark.core.services import audit_event_record, notification_send

from ..models import Application, ApplicationStatus, ConstructionList, ConstructionListEntry, ListStatus
from ..permissions import can_manage_lists
from ..signals import list_published
from .workflow import applications_mark_listed


def _require_manager(by: User | None) -> None:
    if by is not None and not can_manage_lists(by):
        raise PermissionDenied


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
    _require_manager(by)
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
    _require_manager(by)
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


@transaction.atomic
def construction_list_transition(
    *,
    by: User | None,
    construction_list: ConstructionList,
    action: str,
    objection_deadline: date | None = None,
    comment: str = "",
) -> ConstructionList:
    """``notice`` (draft → 公示, with an objection deadline not in the past) or ``publish`` (公示 → published,
    from the objection deadline on; its applications become ``listed``)."""
    _require_manager(by)
    locked = ConstructionList.objects.select_for_update().get(pk=construction_list.pk)
    today, now = timezone.localdate(), timezone.now()
    old_status = locked.status
    entries = list(locked.entries.select_related("application", "park"))
    if action == "notice":
        if locked.status != ListStatus.DRAFT:
            raise ApplicationError(_("Only a draft list can go on public notice."))
        if objection_deadline is None:
            raise ValidationError({"objection_deadline": [_("Set the last day for objections.")]})
        if objection_deadline < today:
            raise ValidationError(
                {"objection_deadline": [_("The objection deadline cannot be in the past.")]}
            )
        if not entries:
            raise ApplicationError(_("The list has no parks."))
        locked.status, locked.objection_deadline, locked.noticed_at = (
            ListStatus.PUBLIC_NOTICE,
            objection_deadline,
            now,
        )
    elif action == "publish":
        if locked.status != ListStatus.PUBLIC_NOTICE:
            raise ApplicationError(_("Only a list on public notice can be published."))
        if locked.objection_deadline and today < locked.objection_deadline:
            raise ApplicationError(
                _("The list can be published from %(date)s, the end of the objection period.")
                % {"date": locked.objection_deadline},
                errors={
                    "objection_deadline": [
                        _("Objections are open until %(date)s.") % {"date": locked.objection_deadline}
                    ]
                },
            )
        locked.status, locked.published_at = ListStatus.PUBLISHED, now
        applications_mark_listed(
            by=by, applications=[e.application for e in entries], list_title=locked.title
        )
        # Publishing opens each park's construction project (workflow.md); the evaluation app owns it.
        list_published.send(sender=ConstructionList, by=by, construction_list=locked)
    else:
        raise ValidationError({"action": [_("Unknown action: %(action)s.") % {"action": action}]})
    locked.full_clean()
    locked.save()
    audit_event_record(
        actor=by,
        target=locked,
        action=f"list_{action}",
        from_state=old_status,
        to_state=locked.status,
        comment=comment,
    )
    if action == "publish":
        park_ids = [e.park_id for e in entries]
        notification_send(
            recipients=User.objects.filter(role=Role.PARK_STAFF, park_id__in=park_ids, is_active=True),
            title=_("Your park is on the construction list: %(title)s") % {"title": locked.title},
            url=reverse("applications:public-lists"),
        )
    return locked
