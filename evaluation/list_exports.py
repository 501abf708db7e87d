"""The construction pages' lists as a civil servant works from them: the filters each list reads from its
URL (the page and its Excel export apply the same ones, to what the user may see) and the Excel sheets of
the project list, the dashboard's attainment matrix, an evaluation's expert scores, the evaluation list and
the user's notifications (``zcpark.core.sheets``: Chinese headers with units, the filters shown on top).

Sheets read only what their page has already read: each export costs the queries of its page, whatever
the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.engine.dataset import to_decimal
from indicators.models import yes_no
from parks.models import City
from zcpark.core.sheets import Column, table_workbook

from .models import AcceptanceEvaluation, EvaluationStatus, ExpertReview, ReviewStatus
from .permissions import can_see_scores
from .scoring import MAX_TOTAL, SCORE_AREAS
from .selectors.dashboard import INDICATOR_STATUS_LABELS, Dashboard
from .selectors.project_rows import ProjectRow
from .selectors.projects import SEARCH_MAX
from .selectors.supervision import SupervisionRow

COUNT = 0  # decimals of a count column: thousands separators, no decimals


def _search(params: Mapping[str, str]) -> str:
    return " ".join(params.get("q", "").split())[:SEARCH_MAX]


def _when(moment: datetime | None) -> str:
    """A time as the pages show it (the portal's time zone): Excel has no time zones."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


# ---------------------------------------------------------------- filters of the lists


def city_label(code: str) -> str:
    """A city filter as the sheet names it: the city's name (its code if unknown), blank when unset."""
    if not code:
        return ""
    return City.objects.filter(code=code).values_list("name", flat=True).first() or code


@dataclass(frozen=True)
class EvaluationFilters:
    """The evaluation list's search (a park's or its zone's name), city (code) and status: a decided
    evaluation can be picked by its decision too (``accepted``, ``extended``, ``removed``)."""

    q: str = ""
    city: str = ""
    status: str = ""

    STATUSES = ("in_review", "accepted", "extended", "removed")

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> EvaluationFilters:
        status = params.get("status", "")
        return cls(
            q=_search(params),
            city=params.get("city", "").strip()[:12],
            status=status if status in cls.STATUSES else "",
        )

    def apply(self, evaluations: QuerySet[AcceptanceEvaluation]) -> QuerySet[AcceptanceEvaluation]:
        if self.q:
            evaluations = evaluations.filter(
                Q(project__park__name__icontains=self.q) | Q(project__park__zone__name__icontains=self.q)
            )
        if self.city:
            evaluations = evaluations.filter(project__park__zone__city__code=self.city)
        if self.status == EvaluationStatus.IN_REVIEW:
            evaluations = evaluations.filter(status=EvaluationStatus.IN_REVIEW)
        elif self.status:
            evaluations = evaluations.filter(status=EvaluationStatus.DECIDED, decision=self.status)
        return evaluations

    @property
    def active(self) -> bool:
        return bool(self.q or self.city or self.status)


@dataclass(frozen=True)
class NotificationFilters:
    """The notification list's text search (title or message) and read state (``unread`` / ``read``)."""

    q: str = ""
    state: str = ""

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> NotificationFilters:
        state = params.get("state", "")
        return cls(q=_search(params), state=state if state in ("unread", "read") else "")

    def apply(self, notifications: QuerySet[Any]) -> QuerySet[Any]:
        if self.q:
            notifications = notifications.filter(Q(title__icontains=self.q) | Q(body__icontains=self.q))
        if self.state:
            notifications = notifications.filter(read_at__isnull=self.state == "unread")
        return notifications

    @property
    def active(self) -> bool:
        return bool(self.q or self.state)

    def shown(self) -> dict[str, str]:
        states = {"unread": _("Unread"), "read": _("Read")}
        return {_("Search"): self.q, _("Read or unread"): str(states.get(self.state, ""))}


# ---------------------------------------------------------------- the project list


def projects_workbook(rows: Iterable[ProjectRow], *, filters: Mapping[str, str]) -> bytes:
    """Every project the list shows (all pages), with the figures of its row."""
    columns = [
        Column(_("Park"), width=28),
        Column(_("Development zone"), width=28),
        Column(_("City"), width=12),
        Column(_("Status"), width=16),
        Column(_("Construction period"), width=14),
        Column(_("Extension"), _("years"), width=10, decimals=COUNT),
        Column(_("Core indicator: latest value"), "tCO2/tce", width=16),
        Column(_("Core indicator: target"), "tCO2/tce", width=16),
        Column(_("Year of the value"), width=10),
        Column(_("Lagging indicators"), width=12, decimals=COUNT),
        Column(_("Open orders"), width=12, decimals=COUNT),
        Column(_("Reports overdue"), width=12, decimals=COUNT),
        Column(_("Meets the national scheme"), width=14),
    ]

    def line(row: ProjectRow) -> list[Any]:
        project = row.project
        return [
            project.park.name,
            project.park.zone.name,
            project.park.zone.city.name,
            project.get_status_display(),
            f"{project.report_years[0]}–{project.final_year}",
            project.extension_years,
            row.core_value,
            row.core_target,
            row.core_year,
            row.lagging_count,
            getattr(project, "open_orders", 0),
            getattr(project, "overdue_reports", 0),
            yes_no(project.national_recommended),
        ]

    return table_workbook(
        title=_("Construction projects"), columns=columns, rows=map(line, rows), filters=filters
    )


# ---------------------------------------------------------------- the 督导 list


def supervision_workbook(rows: Iterable[SupervisionRow], *, filters: Mapping[str, str]) -> bytes:
    """Every park the 督导 list shows (all pages), with its reasons in words and figures."""
    columns = [
        Column(_("Park"), width=28),
        Column(_("City"), width=12),
        Column(_("Status"), width=16),
        Column(_("Year of the value"), width=10),
        Column(_("Core indicator: latest value"), "tCO2/tce", width=16),
        Column(_("Core indicator: target"), "tCO2/tce", width=16),
        Column(_("Core indicator lagging"), width=12),
        Column(_("Reports overdue"), width=12, decimals=COUNT),
        Column(_("Open orders"), width=12, decimals=COUNT),
        Column(_("Reasons"), width=60),
    ]

    def line(row: SupervisionRow) -> list[Any]:
        project = row.project
        return [
            project.park.name,
            project.park.zone.city.name,
            project.get_status_display(),
            row.core_year,
            row.core_value,
            row.core_target,
            yes_no(row.core_lagging),
            len(row.overdue),
            row.open_orders,
            "；".join(row.reasons),
        ]

    return table_workbook(
        title=_("Parks to supervise"), columns=columns, rows=map(line, rows), filters=filters
    )


# ---------------------------------------------------------------- the dashboard's attainment matrix


def attainment_workbook(board: Dashboard) -> bytes:
    """The attainment matrix: a park a row, each indicator's value and its status against the provincial
    threshold, for the park's latest submitted year (or its 2025 base year)."""
    columns = [
        Column(_("Park"), width=28),
        Column(_("City"), width=12),
        Column(_("Status"), width=16),
        Column(_("Open orders"), width=10, decimals=COUNT),
        Column(_("Year"), width=8),
        Column(_("Data from"), width=14),
    ]
    for indicator in board.indicators:
        columns.append(Column(indicator.label, indicator.unit, width=18))
        columns.append(Column(_("%(indicator)s: status") % {"indicator": indicator.label}, width=14))
    source = {True: _("annual report"), False: _("base year")}

    def line(row: Any) -> list[Any]:
        cells: list[Any] = []
        for cell in row.cells:
            if row.year and not row.computed:
                cells += [None, _("not computed")]
            else:
                cells += [cell.value, cell.label]
        return [
            row.project.park,
            row.project.city,
            row.project.status_label,
            row.open_orders,
            row.year,
            source[row.from_report] if row.year else _("no data"),
            *cells,
        ]

    legend = "、".join(str(label) for label in INDICATOR_STATUS_LABELS.values())
    return table_workbook(
        title=_("Indicator attainment"),
        columns=columns,
        rows=map(line, board.matrix),
        filters={_("As of"): f"{board.today:%Y-%m-%d}", _("Statuses"): legend},
    )


# ---------------------------------------------------------------- an evaluation's expert scores


def scores_workbook(user: Any, evaluation: AcceptanceEvaluation, reviews: Sequence[ExpertReview]) -> bytes:
    """Each assigned expert's points per area, total, recommendation and opinion, as far as ``user`` may
    read them (``permissions.can_see_scores``: a review not yet submitted shows its status only)."""
    columns = [
        Column(_("Expert"), width=16),
        Column(_("Status"), width=10),
        *(
            Column(area.label, _("of %(n)s points") % {"n": area.max_points}, width=16, decimals=1)
            for area in SCORE_AREAS
        ),
        Column(_("Total"), _("of %(n)s points") % {"n": MAX_TOTAL}, width=12, decimals=1),
        Column(_("Recommends acceptance"), width=12),
        Column(_("Submitted at"), width=17),
        Column(_("Opinion"), width=60),
    ]

    def line(review: ExpertReview) -> list[Any]:
        head = [_name(review.expert), review.get_status_display()]
        visible = review.status == ReviewStatus.SUBMITTED and can_see_scores(
            user, evaluation, review, reviews
        )
        if not visible:
            return head + [None] * (len(columns) - 2)
        scores = [to_decimal(review.scores.get(area.code)) for area in SCORE_AREAS]
        return [
            *head,
            *scores,
            review.total_score,
            yes_no(review.recommends_acceptance),
            _when(review.submitted_at),
            review.opinion,
        ]

    park = evaluation.project.park
    return table_workbook(
        title=_("%(park)s: expert scores of the %(year)s acceptance evaluation")
        % {"park": park.name, "year": evaluation.assessment_year},
        columns=columns,
        rows=map(line, reviews),
        filters={
            _("City"): park.zone.city.name,
            _("Status"): evaluation_state_label(evaluation),
        },
    )


def evaluation_state_label(evaluation: AcceptanceEvaluation) -> str:
    """The decision once decided, else the evaluation's state."""
    if evaluation.status == EvaluationStatus.DECIDED and evaluation.decision:
        return str(evaluation.get_decision_display())
    return str(evaluation.get_status_display())


# ---------------------------------------------------------------- the evaluation list


def evaluations_workbook(
    rows: Iterable[Mapping[str, Any]], *, filters: Mapping[str, str], is_expert: bool
) -> bytes:
    """The evaluations the list shows (all pages): the expert opinions counted, never their scores."""
    columns = [
        Column(_("Park"), width=28),
        Column(_("Development zone"), width=28),
        Column(_("City"), width=12),
        Column(_("Assessment year"), width=10),
        Column(_("Status"), width=20),
        Column(_("Expert opinions submitted"), width=12, decimals=COUNT),
        Column(_("Experts assigned"), width=12, decimals=COUNT),
        Column(_("Requested"), width=17),
        Column(_("Decided at"), width=17),
        Column(_("Decision document number"), width=24),
    ]
    if is_expert:
        columns.append(Column(_("Your review"), width=12))

    def line(row: Mapping[str, Any]) -> list[Any]:
        evaluation: AcceptanceEvaluation = row["evaluation"]
        park = evaluation.project.park
        cells = [
            park.name,
            park.zone.name,
            park.zone.city.name,
            evaluation.assessment_year,
            evaluation_state_label(evaluation),
            row["submitted"],
            row["assigned"],
            _when(evaluation.requested_at),
            _when(evaluation.decided_at),
            evaluation.decision_document_no,
        ]
        if is_expert:
            own = row.get("own")
            cells.append(own.get_status_display() if own is not None else "")
        return cells

    return table_workbook(
        title=_("Acceptance evaluations"), columns=columns, rows=map(line, rows), filters=filters
    )


# ---------------------------------------------------------------- the user's notifications


def notifications_workbook(
    notifications: Iterable[Any], *, filters: Mapping[str, str], absolute: Callable[[str], str]
) -> bytes:
    """The user's own notifications the list shows (all pages), newest first, in the reader's language;
    links made absolute."""
    columns = [
        Column(_("Time"), width=17),
        Column(_("Title"), width=48),
        Column(_("Message"), width=60),
        Column(_("Read"), width=8),
        Column(_("Read at"), width=17),
        Column(_("Link"), width=40),
    ]

    def line(note: Any) -> list[Any]:
        return [
            _when(note.created_at),
            note.title_text,
            note.body_text,
            yes_no(note.read_at is not None),
            _when(note.read_at),
            absolute(note.url) if note.url else "",
        ]

    return table_workbook(
        title=_("Notifications"), columns=columns, rows=map(line, notifications), filters=filters
    )
