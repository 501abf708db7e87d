"""Dossier writes: starting an application, saving a section, an energy year or an attachment.

Each write locks the application row, checks that the user may edit it now (403 for the wrong person,
400 with the reason for the wrong moment), and leaves an event on the application's timeline.
"""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import IndicatorCode, ParkDataset
from indicators.services.dataset_imports import park_dataset_push
from parks.models import Park, Role, User
from zcpark.core.exceptions import ApplicationError, error_messages
from zcpark.core.services import audit_event_record
from zcpark.core.uploads import UPLOAD_EXTENSIONS, upload_check

from ..dossier.schema import clean_section, display_value, leaf_field, section_leaves, section_problems
from ..dossier.sections import FORM_SECTIONS
from ..import_origins import dossier_accepts_changes
from ..models import (
    HISTORY_YEARS,
    Application,
    Attachment,
    AttachmentKind,
    Call,
    DossierSection,
    SectionCode,
)
from ..permissions import can_create_application, is_call_accepting

# The longest list of changed values one "section saved" event keeps (the revision diff has them all).
EVENT_CHANGES_MAX = 40

ATTACHMENT_EXTENSIONS = UPLOAD_EXTENSIONS
GUIDING_INDICATORS = [code for code in IndicatorCode.values if code != IndicatorCode.CARBON_PER_ENERGY]


def lock_application(application: Application) -> Application:
    """The application row, locked for this transaction, with its park, zone, city and call loaded."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("park", "park__zone", "park__zone__city", "call")
        .get(pk=application.pk)
    )


def check_editable(by: User | None, application: Application) -> None:
    """403 unless ``by`` is the park's staff; 400 (with why) unless the dossier may change now."""
    if by is None:
        return
    if by.role != Role.PARK_STAFF or by.park_id != application.park_id:
        raise PermissionDenied
    dossier_accepts_changes(application)


@transaction.atomic
def application_create(*, by: User, park: Park, call: Call) -> Application:
    """Start a draft dossier for ``park`` in an open ``call`` (one live application per park and call)."""
    if not can_create_application(by, park):
        raise PermissionDenied
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not is_call_accepting(call, timezone.localdate()):
        raise ApplicationError(
            _("%(call)s is not accepting applications.") % {"call": call},
            errors={"call": [_("Choose an open call whose deadline has not passed.")]},
        )
    if Application.objects.filter(call=call, park=park).exclude(status="withdrawn").exists():
        raise ApplicationError(
            _("This park already has an application in this call."),
            errors={"call": [_("This park already has an application in this call.")]},
        )
    application = Application(call=call, park=park, created_by=by)
    application.full_clean(exclude=["call", "park"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a concurrent create slipped between the check and the insert
        raise ApplicationError(_("This park already has an application in this call.")) from exc
    # The overview starts from the park's registration, so the park does not type it twice.
    DossierSection.objects.create(
        application=application,
        code=SectionCode.OVERVIEW,
        data={"managing_body": park.managing_body, "boundary_text": park.boundary_text or None},
        updated_by=by,
    )
    audit_event_record(
        actor=by, target=application, action="application_created", to_state=application.status
    )
    return application


def _changes(code: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The section's changed values as stored (``<section>/<key>``: old, new), read in each reader's language
    by ``section_change_read``."""
    spec = FORM_SECTIONS[code]
    before, after = section_leaves(spec, old), section_leaves(spec, new)
    changes: dict[str, tuple[Any, Any]] = {}
    for key in list(before) + [k for k in after if k not in before]:
        old_value, new_value = before.get(key), after.get(key)
        if old_value != new_value:
            changes[f"{code}/{key}"] = (old_value, new_value)
        if len(changes) >= EVENT_CHANGES_MAX:
            break
    return changes


def section_change_read(name: str, old: Any, new: Any) -> tuple[str, str, str] | None:
    """A stored section change as the reader reads it (label, old, new); None for one stored before changes
    kept their keys (its label and values are shown as kept)."""
    code, _sep, key = name.partition("/")
    spec = FORM_SECTIONS.get(code)
    found = leaf_field(spec, key) if spec is not None and key else None
    if found is None:
        return None
    label, field_spec = found
    return label, display_value(field_spec, old), display_value(field_spec, new)


def section_comment_read(comment: str) -> str | None:
    """A section save's comment (the section's code) as the section's title."""
    spec = FORM_SECTIONS.get(comment)
    return str(spec.title) if spec is not None else None


@transaction.atomic
def dossier_section_save(
    *,
    by: User | None,
    application: Application,
    code: str,
    data: dict[str, Any],
    expected_version: int | None = None,
    merge: bool = False,
) -> DossierSection:
    """Validate and store one form section (a half-filled section is kept; malformed values are refused
    with errors naming the field or ``table.row.column``). Returns the section with its completeness.

    ``expected_version``: the version the editor read; a section saved since by someone else is refused
    (``StaleSection``, 409) and nothing is lost on either side. ``merge``: ``data`` names only the fields
    to change (an API PATCH); the others keep their stored values."""
    spec = FORM_SECTIONS.get(code)
    if spec is None:
        raise ValidationError({"section": [_("Unknown section: %(code)s.") % {"code": code}]})
    locked = lock_application(application)
    check_editable(by, locked)
    section, _created = DossierSection.objects.select_for_update().get_or_create(
        application=locked, code=code, defaults={"data": {}}
    )
    if expected_version is not None and expected_version != section.version:
        raise StaleSection(section)
    cleaned, errors = clean_section(spec, {**section.data, **data} if merge else data)
    if errors:
        raise ValidationError(errors)
    changes = _changes(code, section.data, cleaned)
    section.data = cleaned
    section.is_complete = not section_problems(spec, cleaned)
    section.updated_by = by
    section.version += 1
    section.save()
    _denormalise(locked, code, cleaned)
    if changes:
        audit_event_record(actor=by, target=locked, action="section_saved", comment=code, changes=changes)
    return section


@transaction.atomic
def dossier_sections_save(
    *,
    by: User | None,
    application: Application,
    sections: dict[str, Any],
    versions: dict[str, int] | None = None,
    merge: bool = False,
) -> None:
    """Save several form sections all or none: every refusal is reported under ``sections.<code>`` or
    ``sections.<code>.<field>``, and nothing is kept if any section is refused. ``versions`` and ``merge``
    as for ``dossier_section_save`` (a stale section refuses the whole save with 409)."""
    errors: dict[str, list[str]] = {}
    for code, data in sections.items():
        try:
            with transaction.atomic():
                dossier_section_save(
                    by=by,
                    application=application,
                    code=code,
                    data=data,
                    expected_version=(versions or {}).get(code),
                    merge=merge,
                )
        except ValidationError as exc:
            found = error_messages(exc)
            for key, messages in found.items():
                errors[f"sections.{code}" if key in ("__all__", "section") else f"sections.{code}.{key}"] = (
                    messages
                )
    if errors:
        raise ValidationError(errors)


class StaleSection(ApplicationError):
    """The section was saved by someone else since the editor read it (HTTP 409)."""

    status_code = 409

    def __init__(self, section: DossierSection) -> None:
        who = section.updated_by.get_full_name() or section.updated_by.username if section.updated_by else "—"
        super().__init__(
            _(
                "%(who)s saved this section at %(when)s, after you opened it: your changes were not saved. "
                "Reload the page to see theirs, then make your changes again."
            )
            % {"who": who, "when": timezone.localtime(section.updated_at).strftime("%Y-%m-%d %H:%M")},
            errors={"version": [_("Current version: %(n)s.") % {"n": section.version}]},
        )


def _denormalise(application: Application, code: str, data: dict[str, Any]) -> None:
    """Keep the queue's comparison columns in step with the dossier."""
    fields = []
    if code == SectionCode.PROJECTS:
        application.total_investment_wan = sum(
            (Decimal(row["investment_wan"]) for row in data.get("projects", []) if row.get("investment_wan")),
            Decimal("0"),
        )
        fields.append("total_investment_wan")
    if code == SectionCode.TARGETS:
        application.period_years = data.get("period_years")
        fields.append("period_years")
    if fields:
        application.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def application_dataset_save(
    *, by: User | None, application: Application, year: int, document: dict[str, Any]
) -> ParkDataset:
    """Store one of the three energy years (2023–2025) of the dossier as the park's dataset for that year;
    its indicators are computed after commit."""
    locked = lock_application(application)
    check_editable(by, locked)
    if year not in HISTORY_YEARS:
        raise ValidationError(
            {
                "year": [
                    _("The dossier needs the years %(years)s.")
                    % {"years": "、".join(map(str, HISTORY_YEARS))}
                ]
            }
        )
    # Recorded in the year's import history as an import saved at once (undone from there).
    dataset = park_dataset_push(by=by, park=locked.park, year=year, document=document, origin=locked)
    audit_event_record(actor=by, target=locked, action="dataset_attached", comment=str(year))
    locked.save(update_fields=["updated_at"])
    return dataset


@transaction.atomic
def attachment_add(
    *,
    by: User | None,
    application: Application,
    kind: str,
    file: IO[bytes],
    name: str,
    title: str = "",
    indicator: str = "",
) -> Attachment:
    """Store a piece of evidence after checking its type (extension and content) and size. The evidence for
    an exemption names its guiding ``indicator``."""
    locked = lock_application(application)
    check_editable(by, locked)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": [_("Choose a type of evidence.")]})
    if kind == AttachmentKind.EXEMPTION:
        if indicator not in GUIDING_INDICATORS:
            raise ValidationError({"indicator": [_("Choose the guiding indicator this evidence is for.")]})
    elif indicator:
        raise ValidationError({"indicator": [_("Only the evidence for an exemption names an indicator.")]})
    checked = upload_check(file, name)
    attachment = Attachment(
        application=locked,
        kind=kind,
        indicator=indicator,
        title=title[:128],
        original_name=name[-255:],
        size_bytes=checked.size_bytes,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    # Stored under a digest folder with an ASCII name; the original name is kept for downloads.
    attachment.file.save(f"{kind}.{checked.extension}", File(file), save=False)
    attachment.full_clean()
    attachment.save()
    audit_event_record(
        actor=by, target=locked, action="attachment_added", comment=f"{attachment.get_kind_display()}: {name}"
    )
    return attachment


@transaction.atomic
def attachment_remove(*, by: User | None, attachment: Attachment) -> None:
    """Remove a piece of evidence from a dossier that is still being edited (the file goes after commit)."""
    locked = lock_application(attachment.application)
    check_editable(by, locked)
    name, storage, path = attachment.original_name, attachment.file.storage, attachment.file.name
    assert path is not None  # every stored attachment has its file (``attachment_add`` saves it)
    kind = attachment.get_kind_display()
    attachment.delete()
    audit_event_record(actor=by, target=locked, action="attachment_removed", comment=f"{kind}: {name}")
    # Revision snapshots keep only the digest, so a removed file is gone for good once committed.
    transaction.on_commit(lambda: storage.delete(path))
