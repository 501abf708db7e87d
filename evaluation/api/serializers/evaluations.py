"""Acceptance evaluations: the list, the detail with the blind expert reviews, experts, reviews, the decision and the report."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from parks.models import User
from zcpark.core.api import choice_value
from zcpark.core.models import FileStatus

from ... import selectors
from ...models import (
    AcceptanceEvaluation,
    AcceptanceReport,
    ConflictKind,
    Decision,
    EvaluationStatus,
    ExpertReview,
    ReviewStatus,
    SelfAssessment,
)
from ...permissions import can_see_scores, sees_expert_names
from .acceptance import EvidenceOutputSerializer
from .common import DecimalInputField, DecimalTextField, ResultOutputSerializer, _full_name

# ---- evaluations ---------------------------------------------------------------------------------


class EvaluationListOutputSerializer(serializers.ModelSerializer):
    """An evaluation as lists show it (project, park, zone and city joined; reviews prefetched)."""

    project = serializers.IntegerField(source="project_id")
    park_name = serializers.CharField(source="project.park.name")
    city = serializers.CharField(source="project.park.zone.city.code", help_text="GB/T 2260 code")
    city_name = serializers.CharField(source="project.park.zone.city.name")
    status = choice_value(EvaluationStatus)
    status_label = serializers.CharField(source="get_status_display")
    decision = choice_value(Decision)
    decision_label = serializers.CharField(source="get_decision_display")
    experts_assigned = serializers.SerializerMethodField()
    reviews_submitted = serializers.SerializerMethodField()
    my_review_status = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api-evaluation-detail")

    class Meta:
        model = AcceptanceEvaluation
        fields = [
            "id",
            "project",
            "park_name",
            "city",
            "city_name",
            "assessment_year",
            "status",
            "status_label",
            "decision",
            "decision_label",
            "requested_at",
            "decided_at",
            "experts_assigned",
            "reviews_submitted",
            "my_review_status",
            "url",
        ]
        read_only_fields = fields

    def _reviews(self, obj: AcceptanceEvaluation) -> list[ExpertReview]:
        return list(obj.reviews.all())

    @extend_schema_field(serializers.IntegerField())
    def get_experts_assigned(self, obj: AcceptanceEvaluation) -> int:
        return len(selectors.reviews_active(self._reviews(obj)))

    @extend_schema_field(serializers.IntegerField())
    def get_reviews_submitted(self, obj: AcceptanceEvaluation) -> int:
        return len(selectors.reviews_submitted(self._reviews(obj)))

    @extend_schema_field(
        serializers.CharField(
            allow_null=True, help_text="assigned or submitted: the caller's own review; null if it has none."
        )
    )
    def get_my_review_status(self, obj: AcceptanceEvaluation) -> str | None:
        user_id = self.context["request"].user.pk
        return next((r.status for r in self._reviews(obj) if r.expert_id == user_id), None)


class ExpertReviewOutputSerializer(serializers.Serializer):
    """An expert's review under the blind rule: the scores, total, opinion and recommendation (and when it
    was submitted) appear only when ``scores_visible``; otherwise only the expert and the status.

    Context: ``request``, ``evaluation``, ``reviews`` (all of the evaluation's reviews) and ``review_names``
    (review id → the name the caller reads: the expert's for the province, 专家一, 专家二 for the others).
    """

    id = serializers.IntegerField()
    expert = serializers.SerializerMethodField()
    expert_name = serializers.SerializerMethodField()
    conflict = serializers.CharField(
        help_text="The expert's declaration (province only): '' not yet, none, same_city, involvement, other."
    )
    conflict_label = serializers.CharField(source="get_conflict_display")
    conflict_note = serializers.CharField()
    declared_at = serializers.DateTimeField(allow_null=True)
    status = choice_value(ReviewStatus)
    status_label = serializers.CharField(source="get_status_display")
    scores_visible = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(required=False, allow_null=True)
    scores = serializers.DictField(
        child=DecimalTextField(), required=False, help_text="Area code → points (see score_areas)."
    )
    total_score = DecimalTextField(required=False, allow_null=True)
    recommends_acceptance = serializers.BooleanField(required=False, allow_null=True)
    opinion = serializers.CharField(required=False)

    HIDDEN = ("submitted_at", "scores", "total_score", "recommends_acceptance", "opinion")
    DECLARATION = ("conflict", "conflict_label", "conflict_note", "declared_at")

    def _visible(self, review: ExpertReview) -> bool:
        context = self.context
        return can_see_scores(context["request"].user, context["evaluation"], review, context["reviews"])

    def _names(self) -> bool:
        return sees_expert_names(self.context["request"].user)

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text="null unless the province."))
    def get_expert(self, obj: ExpertReview) -> int | None:
        return obj.expert_id if self._names() else None

    @extend_schema_field(
        serializers.CharField(
            help_text="The expert's name for the province; 专家一, 专家二 … for the others."
        )
    )
    def get_expert_name(self, obj: ExpertReview) -> str:
        names = self.context.get("review_names")
        return names[obj.pk] if names is not None else _full_name(obj.expert)

    @extend_schema_field(
        serializers.BooleanField(help_text="Whether the caller may see this review's scores.")
    )
    def get_scores_visible(self, obj: ExpertReview) -> bool:
        return self._visible(obj)

    def to_representation(self, instance: ExpertReview) -> Any:
        data = super().to_representation(instance)
        if not data["scores_visible"]:
            for name in self.HIDDEN:
                data.pop(name, None)
        if not self._names():
            for name in self.DECLARATION:
                data.pop(name, None)
        return data


class ScoreAreaOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    max_points = serializers.IntegerField()


class EvaluationSelfAssessmentOutputSerializer(serializers.ModelSerializer):
    conclusion_label = serializers.CharField(source="get_conclusion_display")
    evidence = EvidenceOutputSerializer(many=True)

    class Meta:
        model = SelfAssessment
        fields = [
            "id",
            "assessment_year",
            "conclusion",
            "conclusion_label",
            "summary",
            "submitted_at",
            "evidence",
        ]
        read_only_fields = fields


class EvaluationDetailOutputSerializer(EvaluationListOutputSerializer):
    """The evaluation: the self-assessment, the assessment-year results and the reviews (blind rule).

    Context: ``reviews``, ``results``, ``score_areas`` and ``project_visible``, loaded by the view.
    """

    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    self_assessment = EvaluationSelfAssessmentOutputSerializer()
    results = serializers.SerializerMethodField()
    score_areas = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField()
    can_review = serializers.SerializerMethodField()
    project_url = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()

    class Meta(EvaluationListOutputSerializer.Meta):
        fields = [
            *EvaluationListOutputSerializer.Meta.fields,
            "decision_comment",
            "decision_document_no",
            "decided_by",
            "national_passed",
            "self_assessment",
            "results",
            "score_areas",
            "reviews",
            "can_review",
            "project_url",
            "report_url",
        ]
        read_only_fields = fields

    def _reviews(self, obj: AcceptanceEvaluation) -> list[ExpertReview]:
        return self.context["reviews"]

    @extend_schema_field(
        serializers.DictField(
            child=ResultOutputSerializer(allow_null=True),
            help_text="jiangxi-2025 and national-2025: the assessment year's current result (null if none).",
        )
    )
    def get_results(self, obj: AcceptanceEvaluation) -> Any:
        return {
            scheme: (ResultOutputSerializer(result).data if result is not None else None)
            for scheme, result in self.context["results"].items()
        }

    @extend_schema_field(ScoreAreaOutputSerializer(many=True))
    def get_score_areas(self, obj: AcceptanceEvaluation) -> Any:
        return ScoreAreaOutputSerializer(self.context["score_areas"], many=True).data

    @extend_schema_field(ExpertReviewOutputSerializer(many=True))
    def get_reviews(self, obj: AcceptanceEvaluation) -> Any:
        # The caller's reviews under the names it reads them by (declined ones for the province only).
        shown = selectors.reviews_as_read(self.context["request"].user, self.context["reviews"])
        context = {**self.context, "evaluation": obj, "review_names": {r.pk: name for r, name in shown}}
        return ExpertReviewOutputSerializer([r for r, _name in shown], many=True, context=context).data

    @extend_schema_field(
        serializers.BooleanField(help_text="The caller is an assigned expert who has not yet submitted.")
    )
    def get_can_review(self, obj: AcceptanceEvaluation) -> bool:
        user_id = self.context["request"].user.pk
        return obj.status == EvaluationStatus.IN_REVIEW and any(
            r.expert_id == user_id and r.status == ReviewStatus.ASSIGNED for r in self.context["reviews"]
        )

    @extend_schema_field(
        serializers.URLField(allow_null=True, help_text="null when the caller is an expert.")
    )
    def get_project_url(self, obj: AcceptanceEvaluation) -> str | None:
        if not self.context["project_visible"]:
            return None
        return reverse("api-project-detail", args=[obj.project_id], request=self.context["request"])

    @extend_schema_field(serializers.URLField())
    def get_report_url(self, obj: AcceptanceEvaluation) -> str:
        return reverse("api-evaluation-report", args=[obj.pk], request=self.context["request"])


class ExpertsAssignInputSerializer(serializers.Serializer):
    experts = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        many=True,
        allow_empty=False,
        help_text="User ids of active review experts (role expert); ones already assigned are kept.",
    )


class ReviewInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=DecimalInputField(),
        help_text='Every area code → points, 0 to the area\'s maximum in steps of 0.5, e.g. {"core": "36"}.',
    )
    opinion = serializers.CharField(allow_blank=True, max_length=20000)
    recommends_acceptance = serializers.BooleanField(allow_null=True, required=False, default=None)


class DecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000, help_text="The decision's opinion."
    )
    document_no = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="The decision document's number; required for accepted and removed.",
    )
    extension_years = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="extended only: 1 or 2 years."
    )


class AcceptanceReportOutputSerializer(serializers.ModelSerializer):
    """The latest acceptance report of an evaluation. Context: ``is_current`` and ``download_url``."""

    status = choice_value(FileStatus)
    status_label = serializers.CharField(source="get_status_display")
    pages = serializers.IntegerField(source="page_count", allow_null=True)
    is_current = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = AcceptanceReport
        fields = [
            "id",
            "evaluation",
            "status",
            "status_label",
            "pages",
            "rendered_at",
            "created_at",
            "error",
            "is_current",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.BooleanField(help_text="Built from the evaluation as it is now (else a new one is due).")
    )
    def get_is_current(self, obj: AcceptanceReport) -> bool:
        return self.context["is_current"]

    @extend_schema_field(
        serializers.URLField(
            allow_null=True,
            help_text="The PDF of the latest ready report; null while none is ready, or while the blind "
            "review rule hides scores from the caller.",
        )
    )
    def get_download_url(self, obj: AcceptanceReport) -> str | None:
        return self.context["download_url"]


class DeclarationInputSerializer(serializers.Serializer):
    conflict = serializers.ChoiceField(
        choices=ConflictKind.choices,
        help_text="none opens the evaluation to the expert; any other declines the review for the conflict.",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required with a conflict: what it is."
    )


class DeclarationOutputSerializer(serializers.Serializer):
    """The caller's review after its declaration."""

    id = serializers.IntegerField()
    status = choice_value(ReviewStatus)
    status_label = serializers.CharField(source="get_status_display")
    conflict = serializers.CharField()
    conflict_label = serializers.CharField(source="get_conflict_display")
    declared_at = serializers.DateTimeField()
