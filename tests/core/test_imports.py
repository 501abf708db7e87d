"""The import framework: preview records what would change and saves nothing, commit applies it only over
the data it was previewed against, discard keeps the data, undo restores the data before the latest saved
import of its kind (nothing, for a first one) and refuses any other; a refused apply saves nothing; an
import made from a record (its origin) is saved or undone only while the record accepts changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from parks.models import Park
from tests.core.import_fixtures import KIND, KIND_SAME_DATA, _snapshot, register_test_importer, rows
from zcpark.core.exceptions import ApplicationError
from zcpark.core.import_origins import ORIGIN_CHECKS, register_import_origin
from zcpark.core.imports import (
    import_commit,
    import_direct,
    import_discard,
    import_history,
    import_history_for,
    import_preview,
    import_rollback,
)
from zcpark.core.models import AuditEvent, ImportBatch, ImportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def importer():
    return register_test_importer()


def _preview(world, content, by=None, kind=KIND, origin=None):
    return import_preview(
        kind=kind,
        target=world.park_a,
        content=content,
        by=by or world.staff_a,
        file_name="rows.xlsx",
        origin=origin,
    )


def test_preview_records_the_diff_and_saves_nothing(world):
    batch = _preview(world, rows(a="1", b=""))
    assert batch.status == ImportStatus.PREVIEWED
    assert batch.before is None
    assert [(r["key"], r["change"]) for r in batch.diff] == [("a", "added"), ("b", "added")]
    assert batch.indicators == [{"label": "rows", "current": "0", "resulting": "2"}]
    assert batch.warnings == [{"severity": "warning", "message": "Empty value"}]
    assert batch.target == world.park_a and batch.target_repr == str(world.park_a)
    assert _snapshot(world.park_a) is None
    assert AuditEvent.objects.for_object(batch).get().action == "import_previewed"


def test_commit_applies_and_a_second_import_diffs_against_the_first(world):
    first = import_commit(batch=_preview(world, rows(a="1", b="2")), by=world.staff_a)
    assert first.status == ImportStatus.COMMITTED and first.committed_by == world.staff_a
    assert first.committed_at is not None
    assert _snapshot(world.park_a) == rows(a="1", b="2")
    second = _preview(world, rows(a="1", b="3", c="4"))
    assert {(r["key"], r["change"]) for r in second.diff} == {("b", "changed"), ("c", "added")}
    assert second.diff[0]["fields"] == [{"field": "value", "old": "2", "new": "3"}]
    removed = _preview(world, rows(a="1"))
    assert [(r["key"], r["change"]) for r in removed.diff] == [("b", "removed")]


def test_discard_keeps_the_data(world):
    batch = import_discard(batch=_preview(world, rows(a="1")), by=world.staff_a)
    assert batch.status == ImportStatus.DISCARDED
    assert _snapshot(world.park_a) is None
    with translation.override("en"), pytest.raises(ApplicationError, match="Only a preview can be saved"):
        import_commit(batch=batch, by=world.staff_a)


def test_a_stale_preview_is_refused(world):
    stale = _preview(world, rows(a="1"))
    import_commit(batch=_preview(world, rows(a="2")), by=world.staff_a)
    with translation.override("en"), pytest.raises(ApplicationError, match="changed since this preview"):
        import_commit(batch=stale, by=world.staff_a)
    assert ImportBatch.objects.get(pk=stale.pk).status == ImportStatus.PREVIEWED
    assert _snapshot(world.park_a) == rows(a="2")


def test_a_refused_apply_saves_nothing(world):
    batch = _preview(world, rows(a="bad"))
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        import_commit(batch=batch, by=world.staff_a)
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.PREVIEWED
    assert _snapshot(world.park_a) is None
    assert AuditEvent.objects.count() == events


def test_nothing_to_save_is_refused(world):
    import_commit(batch=_preview(world, rows(a="1")), by=world.staff_a)
    same = _preview(world, rows(a="1"))
    assert same.diff == []
    with translation.override("en"), pytest.raises(ApplicationError, match="changes nothing"):
        import_commit(batch=same, by=world.staff_a)


def test_undo_of_a_first_import_restores_nothing(world):
    batch = import_commit(batch=_preview(world, rows(a="1")), by=world.staff_a)
    undone = import_rollback(batch=batch, by=world.staff_a)
    assert undone.status == ImportStatus.ROLLED_BACK and undone.rolled_back_by == world.staff_a
    assert _snapshot(world.park_a) is None
    actions = set(AuditEvent.objects.for_object(batch).values_list("action", flat=True))
    assert actions == {"import_previewed", "import_commit", "import_rollback"}


def test_undo_only_of_the_latest_then_the_one_before(world):
    first = import_commit(batch=_preview(world, rows(a="1")), by=world.staff_a)
    second = import_commit(batch=_preview(world, rows(a="2")), by=world.staff_a)
    with (
        translation.override("en"),
        pytest.raises(
            ApplicationError, match="Only the latest saved import of this kind of data can be undone"
        ),
    ):
        import_rollback(batch=first, by=world.staff_a)
    assert _snapshot(world.park_a) == rows(a="2")
    import_rollback(batch=second, by=world.staff_a)
    assert _snapshot(world.park_a) == rows(a="1")
    import_rollback(batch=first, by=world.staff_a)
    assert _snapshot(world.park_a) is None
    with pytest.raises(ApplicationError):
        import_rollback(batch=first, by=world.staff_a)


def test_latest_is_per_kind_and_a_kind_over_the_same_data_still_blocks_by_its_change(world):
    """Another kind's later import does not make an import "not the latest"; when that kind wrote over the
    same data, the undo is refused because the data changed since."""
    first = import_commit(batch=_preview(world, rows(a="1")), by=world.staff_a)
    other = import_commit(batch=_preview(world, rows(a="2"), kind=KIND_SAME_DATA), by=world.staff_a)
    history = import_history_for(world.staff_a, world.park_a)
    assert [(b.pk, b.can_undo) for b in history] == [(other.pk, True), (first.pk, True)]
    with translation.override("en"), pytest.raises(ApplicationError, match="changed since this import"):
        import_rollback(batch=first, by=world.staff_a)
    import_rollback(batch=other, by=world.staff_a)
    import_rollback(batch=first, by=world.staff_a)
    assert _snapshot(world.park_a) is None


def test_undo_refuses_over_a_change_made_since(world):
    batch = import_commit(batch=_preview(world, rows(a="1")), by=world.staff_a)
    Park.objects.filter(pk=world.park_a.pk).update(boundary_text='[{"key": "a", "value": "typed"}]')
    with translation.override("en"), pytest.raises(ApplicationError, match="changed since this import"):
        import_rollback(batch=batch, by=world.staff_a)
    assert _snapshot(world.park_a) == rows(a="typed")


def test_only_who_may_imports(world):
    with pytest.raises(PermissionDenied):
        _preview(world, rows(a="1"), by=world.staff_b)
    batch = _preview(world, rows(a="1"))
    for who in (world.staff_b, world.reviewer_a, world.province, world.observer):
        with pytest.raises(PermissionDenied):
            import_commit(batch=batch, by=who)
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.PREVIEWED


def test_direct_import_is_committed_at_once_and_skips_no_change(world):
    batch = import_direct(kind=KIND, target=world.park_a, content=rows(a="1"), by=world.staff_a)
    assert batch.status == ImportStatus.COMMITTED
    events = AuditEvent.objects.count()
    assert import_direct(kind=KIND, target=world.park_a, content=rows(a="1"), by=world.staff_a) is None
    assert list(import_history(world.park_a)) == [batch]
    assert AuditEvent.objects.count() == events  # nothing recorded for a push that changes nothing


def test_history_offers_undo_on_the_latest_saved_only(world):
    first = import_commit(batch=_preview(world, rows(a="1")), by=world.staff_a)
    second = import_commit(batch=_preview(world, rows(a="2")), by=world.staff_a)
    pending = _preview(world, rows(a="3"))
    history = import_history_for(world.staff_a, world.park_a)
    assert [b.pk for b in history] == [pending.pk, second.pk, first.pk]
    assert [b.can_undo for b in history] == [False, True, False]
    assert not any(b.can_undo for b in import_history_for(world.reviewer_a, world.park_a))


# ---- pages ---------------------------------------------------------------------------------------------

# Who sees park_a's batch (else 404) and who may move it (else 403).
SEES = {"staff_a", "reviewer_a", "province", "observer"}
MAY = {"staff_a"}
PEOPLE = ["staff_a", "staff_b", "reviewer_a", "reviewer_b", "province", "observer", "expert"]


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("action", ["page", "commit", "discard", "undo"])
def test_pages_role_by_scope(world, login, who, action):
    batch = _preview(world, rows(a="1"))
    if action == "undo":
        batch = import_commit(batch=batch, by=world.staff_a)
    client = login(getattr(world, who))
    if action == "page":
        response = client.get(reverse("core:import-preview", args=[batch.pk]))
        assert response.status_code == (200 if who in SEES else 404)
        return
    name = {"commit": "core:import-commit", "discard": "core:import-discard", "undo": "core:import-rollback"}
    response = client.post(reverse(name[action], args=[batch.pk]))
    expected = 302 if who in MAY else 403 if who in SEES else 404
    assert response.status_code == expected
    status = ImportBatch.objects.get(pk=batch.pk).status
    moved = {"commit": "committed", "discard": "discarded", "undo": "rolled_back"}[action]
    assert (status == moved) == (who in MAY)


def test_preview_page_shows_the_diff_indicators_warnings_and_buttons(world, login):
    import_commit(batch=_preview(world, rows(a="1")), by=world.staff_a)
    batch = _preview(world, rows(a="2", b=""))
    client = login(world.staff_a)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("core:import-preview", args=[batch.pk])).content.decode()
    assert "Changes: 1 added, 1 changed, 0 deleted" in page
    assert 'id="import-commit"' in page and 'id="import-discard"' in page
    assert "Empty value" in page and 'id="import-indicators"' in page
    assert "nothing is saved until you save the import" in page
    # The history below offers Undo on the saved import only.
    assert page.count("import-undo") == 1
    reviewer = login(world.reviewer_a)
    reviewer.cookies["django_language"] = "en"
    page = reviewer.get(reverse("core:import-preview", args=[batch.pk])).content.decode()
    assert 'id="import-commit"' not in page and "import-undo" not in page


def test_commit_page_redirects_to_the_target_and_a_stale_one_says_why(world, login):
    stale = _preview(world, rows(a="1"))
    batch = _preview(world, rows(a="2"))
    client = login(world.staff_a)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("core:import-commit", args=[batch.pk]))
    assert response.status_code == 302 and response.url == f"/parks/{world.park_a.pk}/"
    response = client.post(reverse("core:import-commit", args=[stale.pk]), follow=True)
    assert "The data changed since this preview; preview again." in response.content.decode()
    assert _snapshot(world.park_a) == rows(a="2")


# ---- origin: the record an import was made from ----------------------------------------------------------


@pytest.fixture
def park_b_as_origin():
    """park_b as an origin that accepts changes until its boundary text says "closed"."""

    def check(park):
        if park.boundary_text == "closed":
            raise ApplicationError("The origin is closed.")

    register_import_origin(Park, check)
    yield
    ORIGIN_CHECKS.pop(Park, None)


def _close(park):
    Park.objects.filter(pk=park.pk).update(boundary_text="closed")


def test_a_preview_from_a_closed_origin_is_not_saved(world, login, park_b_as_origin):
    batch = _preview(world, rows(a="1"), origin=world.park_b)
    assert batch.origin == world.park_b
    _close(world.park_b)
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError, match="The origin is closed"):
        import_commit(batch=batch, by=world.staff_a)
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.PREVIEWED
    assert _snapshot(world.park_a) is None and AuditEvent.objects.count() == events
    page = login(world.staff_a).get(reverse("core:import-preview", args=[batch.pk])).content.decode()
    assert 'id="import-origin-refused"' in page and 'id="import-commit"' not in page
    # Who may not act is not told why (nothing is offered to them anyway).
    page = login(world.reviewer_a).get(reverse("core:import-preview", args=[batch.pk])).content.decode()
    assert 'id="import-origin-refused"' not in page
    # Discarding stays possible: it changes no data.
    assert import_discard(batch=batch, by=world.staff_a).status == ImportStatus.DISCARDED


def test_an_import_from_a_closed_origin_is_not_undone(world, park_b_as_origin):
    batch = import_commit(batch=_preview(world, rows(a="1"), origin=world.park_b), by=world.staff_a)
    assert import_history_for(world.staff_a, world.park_a)[0].can_undo
    _close(world.park_b)
    assert not import_history_for(world.staff_a, world.park_a)[0].can_undo
    with pytest.raises(ApplicationError, match="The origin is closed"):
        import_rollback(batch=batch, by=world.staff_a)
    assert _snapshot(world.park_a) == rows(a="1")
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.COMMITTED


def test_an_origin_whose_check_is_gone_fails_closed(world, park_b_as_origin):
    batch = _preview(world, rows(a="1"), origin=world.park_b)
    ORIGIN_CHECKS.pop(Park)
    with translation.override("en"), pytest.raises(ApplicationError, match="no longer accepts changes"):
        import_commit(batch=batch, by=world.staff_a)
    assert _snapshot(world.park_a) is None


def test_an_origin_needs_a_registered_check(world):
    with pytest.raises(ValueError):
        _preview(world, rows(a="1"), origin=world.park_b)
    assert not ImportBatch.objects.exists()
