"""What each kind of official document is issued from, by whom, and what it says.

A kind is a ``DocumentSpec``: the model of its source (the record of the decision), the role that issues
it, how to find a source in a user's scope, whether the decision it states has been taken, and the
document's content (title, addressees, body, conditions, table, copies). The applications app registers
its three kinds here; the evaluation app registers the rectification notice and the acceptance opinion in
its ready() (a higher floor signals down, never the reverse).

Official documents are Chinese: ``content`` is called under the portal's default language, so the English
msgids below are the catalogue's keys and the PDF reads in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parks.models import City, Park, Role
from parks.selectors import province_current

from ..document_models import DocumentKind
from ..models import (
    Application,
    ApplicationStatus,
    ConstructionList,
    ListStatus,
    ReviewOpinion,
    ReviewStage,
)


@dataclass(frozen=True)
class DocumentContent:
    """What the PDF says below its header: the title, 主送, the body, numbered items, a table, 抄送."""

    title: str
    addressees: list[str]
    paragraphs: list[str]
    items_heading: str = ""
    items: list[str] = field(default_factory=list)
    table_headers: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)
    closing: str = ""
    copies: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentSpec:
    kind: str
    model: type[models.Model]
    # The role that issues it: the city's reviewers issue the 推荐意见, the province the rest.
    issuer_role: str
    # A source ``user`` may see (404 outside the scope), read with what ``content`` needs.
    get: Callable[[Any, int], models.Model]
    # The park the document is about (None: the list's notice, about many parks, public once issued).
    park: Callable[[Any], Park | None]
    # The decision's date; raises ValidationError naming the missing decision when there is none yet.
    decided_on: Callable[[Any], date]
    content: Callable[[Any], DocumentContent]
    # Where the event goes (the source's timeline) and the page that shows the decision.
    timeline_target: Callable[[Any], models.Model]
    page_url: Callable[[Any], str]
    # The number the decision already recorded (a list's, an order's), offered as the form's default.
    recorded_number: Callable[[Any], str] = lambda source: ""


SPECS: dict[str, DocumentSpec] = {}


def register_document_spec(spec: DocumentSpec) -> None:
    SPECS[spec.kind] = spec


def document_spec(kind: str) -> DocumentSpec:
    """The spec of ``kind``; a kind no app registered is not found."""
    spec = SPECS.get(kind)
    if spec is None:
        raise Http404
    return spec


def province_authority() -> str:
    """The province's authority as its documents name it (江西省发展和改革委员会)."""
    return str(province_current().authority)


def city_authority(city: City) -> str:
    return _("%(city)s Development and Reform Commission") % {"city": city.name}


def issuer_of(spec: DocumentSpec, source: Any) -> tuple[str, City | None]:
    """The authority that issues a document of ``spec`` about ``source``, and the city when it is one."""
    if spec.issuer_role == Role.CITY_REVIEWER:
        park = spec.park(source)
        assert park is not None
        return city_authority(park.zone.city), park.zone.city
    return province_authority(), None


# ---- applications: the city's recommendation and the province's approval ------------------------------


def _application(user: Any, pk: int) -> Application:
    from ..selectors import application_get_for_user

    return application_get_for_user(user=user, pk=pk)


def _opinion(application: Application, stage: str, action: str) -> ReviewOpinion | None:
    return application.opinions.filter(stage=stage, action=action).order_by("-created_at", "-id").first()


def _recommend_opinion(application: Application) -> ReviewOpinion:
    opinion = _opinion(application, ReviewStage.CITY, "recommend")
    if opinion is None or application.status not in (
        ApplicationStatus.RECOMMENDED,
        ApplicationStatus.APPROVED,
        ApplicationStatus.LISTED,
        ApplicationStatus.REJECTED,
    ):
        raise ValidationError(
            _("The city has not recommended this application: there is no recommendation opinion to issue.")
        )
    return opinion


def _approve_opinion(application: Application) -> ReviewOpinion:
    opinion = _opinion(application, ReviewStage.PROVINCE, "approve")
    if opinion is None or application.status not in (ApplicationStatus.APPROVED, ApplicationStatus.LISTED):
        raise ValidationError(
            _("The province has not approved this application: there is no approval to issue.")
        )
    return opinion


def managing_body(park: Park) -> list[str]:
    """The park's managing body as 抄送 (none when it has none recorded)."""
    return [park.managing_body] if park.managing_body else []


def _recommendation(application: Application) -> DocumentContent:
    opinion = _recommend_opinion(application)
    park = application.park
    return DocumentContent(
        title=_("Opinion on recommending %(park)s for the provincial zero-carbon park program")
        % {"park": park.name},
        addressees=[province_authority()],
        paragraphs=[
            _(
                "We have reviewed the application of %(park)s (%(zone)s) in %(call)s "
                "and give our opinion as follows."
            )
            % {"park": park.name, "zone": park.zone.name, "call": application.call.title},
            *text_lines(opinion.text),
        ],
        closing=_("We hereby recommend it."),
        copies=managing_body(park),
    )


def _approval(application: Application) -> DocumentContent:
    opinion = _approve_opinion(application)
    park = application.park
    return DocumentContent(
        title=_("Reply on the application of %(park)s for the provincial zero-carbon park program")
        % {"park": park.name},
        addressees=[city_authority(park.zone.city)],
        paragraphs=[
            _("Your recommendation of %(park)s has been received. Having examined it, we reply as follows.")
            % {"park": park.name},
            *text_lines(opinion.text),
        ],
        items_heading=_("Conditions of approval:") if application.conditions else "",
        items=[str(condition) for condition in application.conditions],
        closing=_("Please see that the park builds according to its plan and these conditions."),
        copies=managing_body(park),
    )


def text_lines(text: str) -> list[str]:
    """A recorded text as its paragraphs (one per non-empty line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _application_url(application: Application) -> str:
    return reverse("applications:application-detail", args=[application.pk])


def _application_spec(
    kind: str, role: str, opinion: Callable[[Application], ReviewOpinion], content: Any
) -> DocumentSpec:
    return DocumentSpec(
        kind=kind,
        model=Application,
        issuer_role=role,
        get=_application,
        park=lambda application: application.park,
        decided_on=lambda application: timezone.localdate(opinion(application).created_at),
        content=content,
        timeline_target=lambda application: application,
        page_url=_application_url,
    )


# ---- the published construction list -----------------------------------------------------------------


def _list(user: Any, pk: int) -> ConstructionList:
    from ..selectors import construction_list_get_for_user

    return construction_list_get_for_user(user=user, pk=pk)


def _list_published_on(construction_list: ConstructionList) -> date:
    if construction_list.status != ListStatus.PUBLISHED or construction_list.published_at is None:
        raise ValidationError(_("The list is not published: only a published list has a notice to issue."))
    return timezone.localdate(construction_list.published_at)


def _list_content(construction_list: ConstructionList) -> DocumentContent:
    _list_published_on(construction_list)
    entries = list(
        construction_list.entries.filter(removed_on__isnull=True)
        .select_related("park", "park__zone", "park__zone__city")
        .order_by("park__zone__city__code", "park__name")
    )
    cities = {entry.park.zone.city.name for entry in entries}
    return DocumentContent(
        title=_("Notice on publishing %(title)s") % {"title": construction_list.title},
        addressees=[_("The development and reform commissions of every city")],
        paragraphs=[
            _(
                "After application, recommendation by the cities, review by the province and public notice, "
                "the following %(n)s parks of %(cities)s cities are put on the construction list."
            )
            % {"n": len(entries), "cities": len(cities)},
        ],
        table_headers=[_("No."), _("Park"), _("City"), _("Development zone")],
        table_rows=[
            [str(index), entry.park.name, entry.park.zone.city.name, entry.park.zone.name]
            for index, entry in enumerate(entries, start=1)
        ],
        closing=_("Every city shall guide its parks in building according to their plans."),
    )


for _spec in (
    _application_spec(DocumentKind.RECOMMENDATION, Role.CITY_REVIEWER, _recommend_opinion, _recommendation),
    _application_spec(DocumentKind.APPROVAL, Role.PROVINCE_ADMIN, _approve_opinion, _approval),
    DocumentSpec(
        kind=DocumentKind.LIST,
        model=ConstructionList,
        issuer_role=Role.PROVINCE_ADMIN,
        get=_list,
        park=lambda construction_list: None,
        decided_on=_list_published_on,
        content=_list_content,
        timeline_target=lambda construction_list: construction_list,
        page_url=lambda construction_list: reverse("applications:list-detail", args=[construction_list.pk]),
        recorded_number=lambda construction_list: construction_list.document_no,
    ),
):
    register_document_spec(_spec)
