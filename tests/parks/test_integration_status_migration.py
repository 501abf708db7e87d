"""Migration 0007 gives integration accounts their state: an account revoked before (its revoked_at set)
is "revoked", the others stay "active"."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from parks.integration import IntegrationAccountStatus, MachineScope
from parks.integration_services import integration_account_create
from parks.models import IntegrationAccount

pytestmark = pytest.mark.django_db

migration = importlib.import_module("parks.migrations.0007_integration_account_status")


def test_revoked_accounts_are_marked_revoked_and_the_others_stay_active(world):
    scopes = list(MachineScope.values)
    revoked, _key = integration_account_create(
        by=world.staff_a, name="旧平台", park=world.park_a, scopes=scopes
    )
    live, _key = integration_account_create(by=world.staff_a, name="新平台", park=world.park_a, scopes=scopes)
    # As a revocation left a row before the state existed: revoked_at set, the state not.
    IntegrationAccount.objects.filter(pk=revoked.pk).update(
        revoked_at=timezone.now(), revoked_by=world.staff_a
    )
    migration.revoked_accounts_marked(apps, None)  # a data step: it touches no schema
    assert IntegrationAccount.objects.get(pk=revoked.pk).status == IntegrationAccountStatus.REVOKED
    assert IntegrationAccount.objects.get(pk=live.pk).status == IntegrationAccountStatus.ACTIVE
