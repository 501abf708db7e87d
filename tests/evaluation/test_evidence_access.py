"""Self-assessment evidence: whoever sees the project, and the experts assigned to its evaluation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import Evidence
from tests.evaluation.factories import declared, evaluation_requested
from tests.parks.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_assigned_expert_downloads_the_evidence_and_another_expert_does_not(world, actors_a, login):
    evaluation = evaluation_requested(actors_a)
    services.experts_assign(by=world.province, evaluation=evaluation, experts=[world.expert])
    evidence = Evidence.objects.get(self_assessment=evaluation.self_assessment)
    url = reverse("evaluation:evidence-download", args=[evidence.pk])
    assert login(world.expert).get(url).status_code == 404  # not before its declaration
    declared(evaluation.reviews.get(expert=world.expert))
    response = login(world.expert).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert login(UserFactory(expert=True)).get(url).status_code == 404
    assert login(world.reviewer_b).get(url).status_code == 404
    assert login(world.reviewer_a).get(url).status_code == 200
