"""The development-zone catalog as an import (``zcpark.core.imports``), the province's only: a catalog file
is read and checked row by row (``zone_import``), previewed as the zones it adds and changes, then saved
or discarded; a saved import can be undone (the zones it added are removed again, those it changed are
set back). The target is the province; its content is the whole catalog, one entry per zone, by name."""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zcpark.core.exceptions import ApplicationError
from zcpark.core.imports import ImportBatch, Importer, import_history_for, import_preview, register_importer
from zcpark.core.services import audit_event_record, model_changes

from .models import City, DevelopmentZone, Province, User, ZoneKind, ZoneLevel
from .permissions import can_manage_reference_data, can_view_whole_program
from .zone_import import _read_table, _validate

ZONE_KIND = "zone_catalog"
FIELDS = ("city_code", "level", "kind", "catalog_code")


def _catalog() -> list[dict[str, str]]:
    """Every zone of the catalog, by name."""
    return [
        {"name": name, "city_code": city, "level": level, "kind": kind, "catalog_code": code}
        for name, city, level, kind, code in DevelopmentZone.objects.order_by("name").values_list(
            "name", "city__code", "level", "kind", "catalog_code"
        )
    ]


def _snapshot(province: Province) -> list[dict[str, str]]:
    return _catalog()


def catalog_after_file(*, file: IO[bytes], filename: str) -> list[dict[str, str]]:
    """The catalog as it would be once the file is imported (a file adds and updates zones by name, and
    keeps the zones it does not name); ``ZoneImportError`` with every row's problem when it is bad."""
    zone_rows, _labels = _validate(_read_table(file=file, filename=filename))
    catalog = {zone["name"]: zone for zone in _catalog()}
    for row in zone_rows:
        stored = catalog.get(row.name, {})
        code = row.catalog_code if row.catalog_code is not None else stored.get("catalog_code", "")
        catalog[row.name] = {
            "name": row.name,
            "city_code": row.city.code,
            "level": row.level,
            "kind": row.kind,
            "catalog_code": code,
        }
    return [catalog[name] for name in sorted(catalog)]


def _apply(province: Province, content: Any, by: Any) -> None:
    """Make the catalog ``content``: zones added, changed and (on an undo) removed, each audited."""
    wanted = {zone["name"]: zone for zone in content or []}
    cities = {city.code: city for city in City.objects.all()}
    stored = {zone.name: zone for zone in DevelopmentZone.objects.select_for_update().select_related("city")}
    for name in sorted(set(stored) - set(wanted)):
        zone = stored[name]
        audit_event_record(actor=by, target=zone, action="zone_import_removed")
        try:
            zone.delete()
        except ProtectedError as exc:
            raise ApplicationError(
                _("%(zone)s has parks registered in it; it cannot be removed.") % {"zone": name}
            ) from exc
    for name, entry in sorted(wanted.items()):
        city = cities.get(entry["city_code"])
        if city is None:
            raise ValidationError({"city_code": [_("%(zone)s: its city is not known.") % {"zone": name}]})
        data = {
            "city": city,
            "level": entry["level"],
            "kind": entry["kind"],
            "catalog_code": entry["catalog_code"],
        }
        zone = stored.get(name)
        if zone is None:
            zone = DevelopmentZone(name=name, **data)
            zone.full_clean()
            zone.save()
            audit_event_record(actor=by, target=zone, action="zone_imported_created")
            continue
        changes = model_changes(zone, data)
        if not changes:
            continue
        for field, value in data.items():
            setattr(zone, field, value)
        zone.full_clean()
        zone.save(update_fields=[*changes, "updated_at"])
        audit_event_record(actor=by, target=zone, action="zone_imported_updated", changes=changes)


def _values(zone: dict[str, str], cities: dict[str, str]) -> dict[str, str]:
    return {
        "city_code": cities.get(zone["city_code"], zone["city_code"]),
        "level": str(dict(ZoneLevel.choices).get(zone["level"], zone["level"])),
        "kind": str(dict(ZoneKind.choices).get(zone["kind"], zone["kind"])),
        "catalog_code": zone["catalog_code"] or "",
    }


def catalog_diff(before: Any, after: Any) -> list[dict[str, Any]]:
    """The zones added, changed (each changed field, labelled) and removed."""
    labels = {
        "city_code": _("City"),
        "level": _("Level"),
        "kind": _("Zone kind"),
        "catalog_code": _("Catalog code"),
    }
    cities = dict(City.objects.values_list("code", "name"))
    old = {zone["name"]: _values(zone, cities) for zone in before or []}
    new = {zone["name"]: _values(zone, cities) for zone in after or []}
    rows = []
    for name in sorted(old.keys() | new.keys()):
        was, now = old.get(name), new.get(name)
        if was == now:
            continue
        change = "added" if was is None else "removed" if now is None else "changed"
        fields = [
            {"field": str(labels[f]), "old": (was or {}).get(f, ""), "new": (now or {}).get(f, "")}
            for f in FIELDS
            if (was or {}).get(f, "") != (now or {}).get(f, "")
        ]
        rows.append({"key": name, "label": name, "change": change, "fields": fields})
    return rows


def _may(user: Any, province: Province) -> bool:
    return can_manage_reference_data(user) or bool(getattr(user, "is_superuser", False))


def _sees(user: Any, province: Province) -> bool:
    return can_view_whole_program(user) or bool(getattr(user, "is_superuser", False))


def _url(province: Province) -> str:
    return reverse("admin:parks_developmentzone_changelist")


ZONE_IMPORTER = Importer(
    kind=ZONE_KIND,
    label=gettext_lazy("Development-zone catalog"),
    snapshot=_snapshot,
    apply=_apply,
    diff=catalog_diff,
    may=_may,
    sees=_sees,
    target_url=_url,
)


@transaction.atomic
def zone_catalog_preview(*, file: IO[bytes], filename: str, by: User) -> ImportBatch:
    """Preview a catalog file: the zones it adds and changes (nothing is written until it is saved)."""
    province = Province.objects.order_by("pk").first()
    if province is None:
        raise ApplicationError(_("Load the province's reference data first."))
    if not _may(by, province):
        raise PermissionDenied
    content = catalog_after_file(file=file, filename=filename)
    return import_preview(
        kind=ZONE_KIND, target=province, content=content, by=by, file_name=filename, back_url=_url(province)
    )


def zone_catalog_history(user: Any) -> list[ImportBatch]:
    """The catalog's imports (an undo on the latest saved one), newest first."""
    province = Province.objects.order_by("pk").first()
    return import_history_for(user, province) if province is not None else []


def zone_catalog_imports_ready() -> None:
    register_importer(ZONE_IMPORTER)
