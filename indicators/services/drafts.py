"""Drafts of reference-data versions: every edit of a factor set or a scheme is a draft first.

A draft is a version row that is not current (``status`` draft), so no computation reads it (every lookup
asks for ``is_current``); its impact preview (``impact``) says which stored results it would change. It takes
the family's next version number; a discarded draft keeps its number, which is never given again. One open
draft per factor-set family and per scheme code: a second edit is refused until it is published or discarded.

The draft moves as a machine (draft → published | discarded), one per model (``factor_set_draft``,
``scheme_draft``), both alike. Publishing retires the version the draft was based on and makes the draft
current, then every stored result is recomputed after commit (with history, as every new version). It is
refused when the current version is no longer the one the draft was based on (a fixture was loaded since):
the draft would silently undo that change. Discarding changes nothing else. Province admins only.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parks.models import Role, User
from parks.permissions import is_province_admin
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import Machine, Step, Transition, transition_apply

from ..models import FactorSet, Scheme, VersionStatus
from .impact import draft_impact_compute
from .versions import _schedule_recompute, _Version

DRAFT_KINDS = {"factor-set": FactorSet, "scheme": Scheme}


def draft_kind(version: FactorSet | Scheme) -> str:
    return "factor-set" if isinstance(version, FactorSet) else "scheme"


def draft_url(version: Any) -> str:
    return reverse("indicators:draft-detail", args=[draft_kind(version), version.pk])


def _may_province(user: Any, obj: Any, role: str) -> bool:
    return role == Role.PROVINCE_ADMIN and is_province_admin(user)


def _current_of(version: FactorSet | Scheme) -> FactorSet | Scheme | None:
    if isinstance(version, FactorSet):
        return FactorSet.objects.select_for_update().filter(family=version.family, is_current=True).first()
    return Scheme.objects.select_for_update().filter(code=version.code, is_current=True).first()


def _check_based_on_current(step: Step) -> None:
    current = _current_of(step.obj)
    if current is None or current.pk != step.obj.based_on_id:
        raise ApplicationError(
            _(
                "The current version changed since this draft was made (now %(current)s); "
                "discard the draft and make the change again."
            )
            % {"current": str(current) if current is not None else "—"}
        )


def _write_publish(step: Step) -> None:
    """Retire the current version (saved first: one current version per family) and make the draft current."""
    current = _current_of(step.obj)
    assert current is not None  # _check_based_on_current ran
    current.is_current = False
    current.save(update_fields=["is_current", "updated_at"])
    step.obj.is_current = True
    step.changes["current"] = (str(current), str(step.obj))


def _recompute_after_publish(step: Step) -> None:
    what = "factor set" if isinstance(step.obj, FactorSet) else "scheme"
    _schedule_recompute(f"{what} {step.obj} published")


def _transitions() -> tuple[Transition, ...]:
    return (
        Transition(
            "publish",
            (VersionStatus.DRAFT,),
            VersionStatus.PUBLISHED,
            gettext_lazy("Draft published"),
            gettext_lazy("Publish"),
            (Role.PROVINCE_ADMIN,),
            checks=(_check_based_on_current,),
            writes=(_write_publish,),
            after=(_recompute_after_publish,),
        ),
        Transition(
            "discard",
            (VersionStatus.DRAFT,),
            VersionStatus.DISCARDED,
            gettext_lazy("Draft discarded"),
            gettext_lazy("Discard"),
            (Role.PROVINCE_ADMIN,),
        ),
    )


FACTOR_SET_DRAFT = Machine(
    name="factor_set_draft",
    model=FactorSet,
    may=_may_province,
    audit_prefix="factor_set_draft_",
    url=draft_url,
    description="因子集草稿 · A draft factor-set version",
    transitions=_transitions(),
)
SCHEME_DRAFT = Machine(
    name="scheme_draft",
    model=Scheme,
    may=_may_province,
    audit_prefix="scheme_draft_",
    url=draft_url,
    description="指标体系草稿 · A draft indicator-scheme version",
    transitions=_transitions(),
)
DRAFT_MACHINES = {FactorSet: FACTOR_SET_DRAFT, Scheme: SCHEME_DRAFT}


def _open_draft(version: FactorSet | Scheme) -> FactorSet | Scheme | None:
    """The open draft of the family (factor sets) or code (schemes) ``version`` belongs to."""
    if isinstance(version, FactorSet):
        return FactorSet.objects.filter(family=version.family, status=VersionStatus.DRAFT).first()
    return Scheme.objects.filter(code=version.code, status=VersionStatus.DRAFT).first()


def _draft_save(
    current: _Version,
    new: _Version,
    *,
    document: dict[str, Any],
    by: User | None,
    comment: str,
    preview: bool = True,
) -> _Version:
    """Save ``new`` (numbered already) as a draft based on ``current`` (locked by the caller), with its impact
    preview unless ``preview`` is false (published at once). Refused while the family has an open draft."""
    open_draft = _open_draft(cast("FactorSet | Scheme", current))
    if open_draft is not None:
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Version %(version)s is still an open draft: publish or discard it before "
                        "making another change."
                    )
                    % {"version": str(open_draft)}
                ]
            }
        )
    new.title = document.get("title", "")
    new.document = document
    new.status = VersionStatus.DRAFT
    new.is_current = False
    new.based_on = current
    new.created_by = by if by is not None and by.is_authenticated else None
    new.comment = comment
    new.full_clean()
    new.save()
    if preview:
        new.impact = draft_impact_compute(cast("FactorSet | Scheme", new))
        new.save(update_fields=["impact", "updated_at"])
    return new


@transaction.atomic
def reference_draft_publish(*, draft: _Version, by: User | None, comment: str = "") -> _Version:
    """Publish a draft: it becomes current, the version it was based on is retired, and every stored result
    is recomputed after commit (superseded rows keep their history). Province admins only."""
    return transition_apply(DRAFT_MACHINES[type(draft)], draft, "publish", by=by, comment=comment)


@transaction.atomic
def reference_draft_discard(*, draft: _Version, by: User | None, comment: str = "") -> _Version:
    """Discard a draft: nothing else changes, and its version number is not given again. Province only."""
    return transition_apply(DRAFT_MACHINES[type(draft)], draft, "discard", by=by, comment=comment)
