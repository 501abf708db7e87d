"""The integration accounts pages (issue 15, point 1): who sees and manages which accounts (role × scope),
the key shown once, revocation, and the platform's own activity on its page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parks.integration import IntegrationAccountStatus, MachineScope
from parks.integration_services import integration_account_create
from parks.integration_views import NEW_KEY_SESSION
from parks.models import IntegrationAccount
from zcpark.core.models import AuditEvent
from zcpark.core.services import audit_event_record

pytestmark = pytest.mark.django_db

ALL = list(MachineScope.values)


@pytest.fixture
def accounts(world):
    a, _key = integration_account_create(by=world.staff_a, name="平台A", park=world.park_a, scopes=ALL)
    b, _key = integration_account_create(by=world.staff_b, name="平台B", park=world.park_b, scopes=ALL)
    p, _key = integration_account_create(by=world.province, name="省平台", park=None, scopes=ALL)
    return {"a": a, "b": b, "province": p}


def _en(client):
    client.cookies["django_language"] = "en"
    return client


# What each role sees on the list (and may open), and what it may revoke.
MATRIX = {
    "province": ({"a", "b", "province"}, {"a", "b", "province"}),
    "staff_a": ({"a"}, {"a"}),
    "staff_b": ({"b"}, {"b"}),
    "reviewer_a": ({"a"}, set()),
    "reviewer_b": ({"b"}, set()),
}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_role_by_scope_matrix(world, login, accounts, role):
    visible, revocable = MATRIX[role]
    client = _en(login(getattr(world, role)))
    page = client.get(reverse("parks:integrations"))
    assert page.status_code == 200
    shown = {name for name, account in accounts.items() if account.name in page.content.decode()}
    assert shown == visible
    for name, account in accounts.items():
        detail = client.get(reverse("parks:integration-detail", args=[account.pk]))
        assert detail.status_code == (200 if name in visible else 404)
        revoke = client.post(reverse("parks:integration-revoke", args=[account.pk]))
        expected = 302 if name in revocable else (403 if name in visible else 404)
        assert revoke.status_code == expected, (role, name)
        account.refresh_from_db()
        assert (account.revoked_at is not None) == (name in revocable)


@pytest.mark.parametrize("role", ["observer", "expert"])
def test_other_roles_see_no_integration_page(world, login, accounts, role):
    client = login(getattr(world, role))
    assert client.get(reverse("parks:integrations")).status_code == 403
    assert client.get(reverse("parks:integration-detail", args=[accounts["a"].pk])).status_code == 404


def test_park_staff_create_for_their_park_and_see_the_key_once(world, login, caplog):
    """Post/Redirect/Get: the creation redirects (a reload of the page makes no second key); the page it
    leads to shows the key once; neither answer is cached, and the key is never logged."""
    client = _en(login(world.staff_a))
    data = {"name": "能碳平台一期", "scopes": [MachineScope.DATASETS_WRITE, MachineScope.RESULTS_READ]}
    with caplog.at_level("DEBUG"):
        posted = client.post(reverse("parks:integrations"), data)
        assert posted.status_code == 302 and posted["Location"] == reverse("parks:integrations")
        assert "no-store" in posted["Cache-Control"]
        account = IntegrationAccount.objects.get()
        assert (account.park, account.scopes) == (world.park_a, ["datasets_write", "results_read"])
        response = client.get(posted["Location"])
    assert response.status_code == 200
    key = response.context["new_key"]
    assert response.context["new_account"] == account
    assert key.startswith(f"zc_{account.prefix}_") and key in response.content.decode()
    assert "Copy the key" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert key not in caplog.text
    again = client.get(reverse("parks:integrations"))  # a reload: no key, no new account
    assert key not in again.content.decode() and not again.context["new_key"]
    assert "Copy the key" not in again.content.decode()
    assert IntegrationAccount.objects.count() == 1
    assert key not in client.get(reverse("parks:integration-detail", args=[account.pk])).content.decode()
    assert NEW_KEY_SESSION not in client.session


def test_the_new_key_is_shown_only_to_the_session_that_made_it(world, login):
    client = _en(login(world.staff_a))
    client.post(reverse("parks:integrations"), {"name": "p", "scopes": ALL})
    other = _en(login(world.staff_a))  # the same person in another browser
    assert not other.get(reverse("parks:integrations")).context["new_key"]
    assert client.get(reverse("parks:integrations")).context["new_key"]


def test_the_province_creates_a_province_platform_or_one_for_any_park(world, login):
    client = _en(login(world.province))
    assert client.post(reverse("parks:integrations"), {"name": "省平台", "scopes": ALL}).status_code == 302
    data = {"name": "B", "scopes": ALL, "park": world.park_b.pk}
    assert client.post(reverse("parks:integrations"), data).status_code == 302
    assert {(a.name, a.park) for a in IntegrationAccount.objects.all()} == {
        ("省平台", None),
        ("B", world.park_b),
    }


def test_a_reviewer_cannot_create(world, login):
    response = login(world.reviewer_a).post(reverse("parks:integrations"), {"name": "x", "scopes": ALL})
    assert response.status_code == 403
    assert not IntegrationAccount.objects.exists()


def test_an_invalid_form_names_the_field_and_creates_nothing(world, login):
    client = _en(login(world.staff_a))
    response = client.post(
        reverse("parks:integrations"), {"name": "x", "expires_on": "2099-01-01", "scopes": ALL}
    )
    assert response.status_code == 200
    assert "A key lives 365 days at most." in response.content.decode()
    response = client.post(reverse("parks:integrations"), {"name": "x"})
    assert "scopes" in response.context["form"].errors
    assert not IntegrationAccount.objects.exists()


def test_the_detail_page_lists_what_the_platform_wrote(world, login, accounts):
    account = accounts["a"]
    audit_event_record(actor=account.user, target=world.park_a, action="park_updated")
    page = (
        _en(login(world.staff_a)).get(reverse("parks:integration-detail", args=[account.pk])).content.decode()
    )
    assert "Energy-carbon platform 平台A" in page
    assert "Park changed" in page and world.park_a.name in page
    assert "Integration account created" in page


def test_machines_are_not_people(world, login, accounts):
    """A park's staff list, the province's user list and notifications leave the service users out."""
    from parks.models import Role
    from parks.selectors import park_people, user_list

    assert accounts["a"].user not in park_people(world.park_a.pk, world.nanchang.pk, Role.PARK_STAFF)
    assert accounts["province"].user not in list(user_list(by=world.province))
    page = login(world.staff_a).get(reverse("parks:park-detail", args=[world.park_a.pk])).content.decode()
    assert "平台A" not in page


def test_the_token_page_links_to_the_integration_accounts(world, login):
    assert reverse("parks:integrations") in login(world.staff_a).get(reverse("parks:tokens")).content.decode()
    assert (
        reverse("parks:integrations") not in login(world.expert).get(reverse("parks:tokens")).content.decode()
    )


def test_revoking_on_the_page_keeps_the_reason_and_a_second_revocation_says_why(world, login, accounts):
    account = accounts["a"]
    client = _en(login(world.staff_a))
    detail = client.get(reverse("parks:integration-detail", args=[account.pk])).content.decode()
    assert 'id="integration-revoke"' in detail
    response = client.post(reverse("parks:integration-revoke", args=[account.pk]), {"comment": "换新平台"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == IntegrationAccountStatus.REVOKED
    assert AuditEvent.objects.for_object(account).first().comment == f"{account.prefix}: 换新平台"
    page = client.get(reverse("parks:integration-detail", args=[account.pk])).content.decode()
    assert 'id="integration-revoke"' not in page
    assert "Integration account revoked" in page and "Revoked" in page
    again = client.post(reverse("parks:integration-revoke", args=[account.pk]), follow=True)
    assert "This key has been revoked already." in again.content.decode()
    account.refresh_from_db()
    assert account.revoked_by == world.staff_a
