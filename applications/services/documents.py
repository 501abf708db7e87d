"""Issuing official documents: the 文号 checked, the PDF rendered from the recorded decision, the event on
the source's timeline, the people concerned told. An issued document never changes; issuing again for the
same decision (a corrected number) makes a new document that supersedes the current one, both kept."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from parks.models import Role, User
from parks.selectors import park_people
from zcpark.core.models import Notice
from zcpark.core.services import audit_event_record, notification_send

from ..document_models import DOCUMENT_NUMBER_MAX_LENGTH, OfficialDocument
from ..official import DocumentSpec, document_pdf, document_spec
from ..official.kinds import issuer_of
from ..permissions import can_issue_document
from ..selectors.documents import document_current

# The year of a 文号 in its brackets: 〔2027〕 as GB/T 9704 writes it, or the brackets a keyboard has.
_YEAR = re.compile(r"[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]")


def document_number_clean(raw: Any, issued_on: date) -> str:
    """The 文号 as entered (trimmed, its year's brackets written 〔〕), or a ValidationError on ``number``:
    required, at most 50 characters, with the issue date's year in brackets and a serial number + 号."""
    number = " ".join(str(raw or "").split())
    if not number:
        raise ValidationError({"number": [_("Enter the document number (文号).")]})
    if len(number) > DOCUMENT_NUMBER_MAX_LENGTH:
        raise ValidationError(
            {"number": [_("At most %(n)s characters.") % {"n": DOCUMENT_NUMBER_MAX_LENGTH}]}
        )
    match = _YEAR.search(number)
    if match is None or not re.search(r"\d+\s*号$", number[match.end() :]):
        raise ValidationError(
            {
                "number": [
                    _(
                        "Write the number as the authority's prefix, the year in brackets and the serial number, like 赣发改环资〔2027〕12号."
                    )
                ]
            }
        )
    if int(match.group(1)) != issued_on.year:
        raise ValidationError(
            {
                "number": [
                    _("The year in the number (%(year)s) is not the year of the issue date (%(issued)s).")
                    % {"year": match.group(1), "issued": issued_on.year}
                ]
            }
        )
    return f"{number[: match.start()]}〔{match.group(1)}〕{number[match.end() :]}"


def _issued_on_clean(issued_on: Any, decided_on: date) -> date:
    if not isinstance(issued_on, date):
        raise ValidationError({"issued_on": [_("Enter the issue date.")]})
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": [_("A document cannot be issued on a future date.")]})
    if issued_on < decided_on:
        raise ValidationError(
            {
                "issued_on": [
                    _("The issue date is before the decision it states (%(date)s).")
                    % {"date": decided_on.isoformat()}
                ]
            }
        )
    return issued_on


def _number_taken(issuer: str, number: str) -> ValidationError:
    return ValidationError(
        {
            "number": [
                _("%(issuer)s has already issued a document numbered %(number)s.")
                % {"issuer": issuer, "number": number}
            ]
        }
    )


def _recipients(spec: DocumentSpec, source: Any, by: User) -> list[User]:
    park = spec.park(source)
    if park is None:
        # The list's notice goes to the reviewers of every city with a park on it.
        city_ids = source.entries.filter(removed_on__isnull=True).values("park__zone__city_id")
        return list(User.objects.filter(role=Role.CITY_REVIEWER, city_id__in=city_ids, is_active=True))
    others = (Role.PROVINCE_ADMIN,) if spec.issuer_role == Role.CITY_REVIEWER else (Role.CITY_REVIEWER,)
    return [u for u in park_people(park.pk, park.zone.city_id, Role.PARK_STAFF, *others) if u.pk != by.pk]


@transaction.atomic
def official_document_issue(
    *, by: User, kind: str, source: Model, number: Any, issued_on: Any
) -> OfficialDocument:
    """Issue the document of ``kind`` for ``source`` (a decision in ``by``'s scope: the caller read it
    through the spec's ``get``) under the 文号 ``by`` entered. Refused (403) to anyone but the issuing
    role; refused with a message when the decision is not taken, the number or date is wrong, or the
    authority already used the number. A second issue for the same decision supersedes the current one."""
    spec = document_spec(kind)
    if not isinstance(source, spec.model) or not can_issue_document(by, spec, source):
        raise PermissionDenied
    # Issues for one decision queue on its row: one supersedes the other, never both the same document.
    type(source)._default_manager.select_for_update().filter(pk=source.pk).values_list("pk").first()
    decided_on = spec.decided_on(source)
    issued_on = _issued_on_clean(issued_on, decided_on)
    number = document_number_clean(number, issued_on)
    # Official documents are Chinese whoever issues them: the issuer (which the number is unique under)
    # and the PDF never follow the issuer's language.
    with translation.override(settings.LANGUAGE_CODE):
        issuer, city = issuer_of(spec, source)
    if OfficialDocument.objects.filter(issuer=issuer, number=number).exists():
        raise _number_taken(issuer, number)
    with translation.override(settings.LANGUAGE_CODE):
        content = spec.content(source)
        rendered = document_pdf(content=content, issuer=issuer, number=number, issued_on=issued_on)
    park = spec.park(source)
    current = document_current(spec, source)
    document = OfficialDocument(
        kind=kind,
        source=source,
        park=park,
        city=park.zone.city if park is not None else city,
        number=number,
        year=issued_on.year,
        title=content.title,
        issuer=issuer,
        issued_on=issued_on,
        sha256=rendered.sha256,
        page_count=rendered.page_count,
        supersedes=current,
        generated_by=by,
    )
    document.file.save(f"{rendered.sha256[:16]}.pdf", ContentFile(rendered.content), save=False)
    # The file is written first (the row names it): whatever fails from here on (the row, the event, the
    # notifications) rolls the transaction back and removes the file with it.
    try:
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError as error:
            # Another authority user took the number (or issued first) in the same moment.
            raise _number_taken(issuer, number) from error
        _issued_record(spec, source, by, document, current)
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def _issued_record(
    spec: DocumentSpec, source: Model, by: User, document: OfficialDocument, current: OfficialDocument | None
) -> None:
    audit_event_record(
        actor=by,
        target=spec.timeline_target(source),
        action="document_reissued" if current is not None else "document_issued",
        comment=str(document.pk),
    )
    notification_send(
        recipients=_recipients(spec, source, by),
        title=Notice(gettext_noop("Official document issued: %(title)s"), title=str(document)),
        url=spec.page_url(source),
    )


def document_comment_read(comment: str) -> str | None:
    """A document event's comment (the document's id) as 《title》文号, and what it replaced."""
    document = _event_document(comment)
    if document is None:
        return None
    if document.supersedes is not None:
        return _("%(document)s, superseding %(old)s") % {
            "document": document,
            "old": document.supersedes.number,
        }
    return str(document)


def document_link_read(comment: str) -> tuple[str, str] | None:
    if not comment.isdigit():
        return None
    return reverse("applications:document-download", args=[int(comment)]), _("Download the PDF")


def _event_document(comment: str) -> OfficialDocument | None:
    if not comment.isdigit():
        return None
    return OfficialDocument.objects.select_related("supersedes").filter(pk=int(comment)).first()
