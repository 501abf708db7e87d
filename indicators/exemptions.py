"""Which exemptions a park's stored results count: only those the province accepted (issue 14).

The plan: "由于客观条件不具备开展相关工作的园区，可在申报材料中说明原因，相关指标将不纳入验收要求". A park declares an
exemption in its dossier, the city gives its opinion, the province accepts or rejects it (``applications``).
The engine is unchanged (accounting.md §3: a guiding indicator named in ``exemptions`` with a reason is
``exempt``); what changes is the ``exemptions`` block a park's dataset reaches the engine with.

``document_for_engine`` is the one place that decides it, and ``services.results`` is its one caller for
stored results: the block becomes exactly the park's accepted exemptions (the reason typed in the dataset,
else the accepted claim's). The import preview's indicators and the data-quality figures go through
``park_document_for_engine`` with ``park_exemptions``, so they say what the stored results will. A reason typed for any other indicator is dropped, so that indicator is
assessed against its threshold, and ``exemptions_not_accepted`` names it for the pages' warning. The
calculator, which has no park, keeps the free text.

The apps above say which exemptions were accepted by registering a source in their ``ready()``
(``register_exemption_source``): this floor cannot import them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from .models import IndicatorCode

# park ids → {park id: {indicator code: the accepted claim's reason}}
ExemptionSource = Callable[[Collection[int]], Mapping[int, Mapping[str, str]]]

_SOURCES: list[ExemptionSource] = []


def register_exemption_source(source: ExemptionSource) -> None:
    """Called by an app's ``ready()``: ``source`` answers which exemptions were accepted for parks."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def exemptions_accepted(park_ids: Collection[int]) -> dict[int, dict[str, str]]:
    """The accepted exemptions of each of ``park_ids`` (a park with none is absent): one query per source."""
    found: dict[int, dict[str, str]] = {}
    if not park_ids:
        return found
    for source in _SOURCES:
        for park_id, codes in source(park_ids).items():
            found.setdefault(park_id, {}).update(codes)
    return found


def _typed(document: Mapping[str, Any]) -> dict[str, Any] | None:
    block = document.get("exemptions")
    return block if isinstance(block, dict) else None


def _has_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def exemptions_counted(document: Mapping[str, Any], accepted: Mapping[str, str]) -> dict[str, str]:
    """The exemptions a park's dataset counts: each accepted one, with the dataset's own reason when it
    gives one, else the accepted claim's."""
    typed = _typed(document) or {}
    return {
        code: typed[code] if _has_text(typed.get(code)) else reason
        for code, reason in accepted.items()
        if code != IndicatorCode.CARBON_PER_ENERGY
    }


def exemptions_not_accepted(document: Mapping[str, Any], accepted: Mapping[str, str]) -> list[str]:
    """The indicators the dataset gives a reason to exempt without an accepted exemption (§3 order)."""
    typed = _typed(document) or {}
    return [
        code
        for code in IndicatorCode.values
        if code != IndicatorCode.CARBON_PER_ENERGY and _has_text(typed.get(code)) and code not in accepted
    ]


def document_for_engine(document: dict[str, Any], accepted: Mapping[str, str]) -> dict[str, Any]:
    """A park's dataset as the engine computes its stored results: ``exemptions`` replaced by the park's
    accepted exemptions (``exemptions_counted``), absent when there are none. A block that is not an object
    is left for the engine to refuse (``invalid``), as it refused it when the dataset was stored."""
    if "exemptions" in document and _typed(document) is None:
        return document
    counted = exemptions_counted(document, accepted)
    if counted == _typed(document) or (not counted and _typed(document) is None):
        return document
    engine_document = {key: value for key, value in document.items() if key != "exemptions"}
    if counted:
        engine_document["exemptions"] = counted
    return engine_document


def park_exemptions(park_id: int | None) -> dict[str, str] | None:
    """The exemptions ``park_id``'s datasets count (``exemptions_accepted``, one query per source), for
    ``document_for_engine``; None without a park (the calculator's case: the dataset's own text counts)."""
    if park_id is None:
        return None
    return exemptions_accepted([park_id]).get(park_id, {})


def park_document_for_engine(document: Any, exemptions: Mapping[str, str] | None) -> Any:
    """``document`` as the engine computes it for a park whose counted exemptions are ``exemptions``
    (``park_exemptions``): what the pages preview and check (an import's indicators, the data-quality
    figures) is then what the park's stored results will say. None (no park) leaves it as typed, and so is
    anything but an object (the engine refuses it)."""
    if exemptions is None or not isinstance(document, dict):
        return document
    return document_for_engine(document, exemptions)


def exemption_warnings(*, park_id: int, document: Mapping[str, Any]) -> list[str]:
    """What a page says beside a park's dataset that gives a reason to exempt an indicator the province has
    not accepted an exemption for: each such indicator, named (the reason is not silently ignored)."""
    from django.utils.translation import gettext as _

    from .models import indicator_name

    accepted = exemptions_accepted([park_id]).get(park_id, {})
    return [
        _(
            "%(indicator)s: the data give a reason to exempt it, but no exemption has been accepted for it by "
            "the province, so it is assessed against its threshold. Exemptions are declared in the dossier "
            "and count once the province accepts them."
        )
        % {"indicator": indicator_name(code)}
        for code in exemptions_not_accepted(document, accepted)
    ]
