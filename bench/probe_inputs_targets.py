"""Where the inputs probe sends its bad input: the demo's objects each endpoint needs, and who may send.

Each request goes to a user allowed to make it (the park's own staff for its dossier, the province for
calls and the zone catalogue, the city for its self-assessment...), so the input is really read rather
than refused by scope first.
"""

from __future__ import annotations

import copy
from typing import Any

from applications.models import HISTORY_YEARS, Application, ApplicationStatus, AttachmentKind, SectionCode
from applications.samples import sample_dataset
from evaluation.models import AcceptanceEvaluation, ConstructionProject, RectificationOrder, ReportStatus
from indicators.models import Scheme
from parks.models import Park


class Targets:
    def __init__(self) -> None:
        nanchang = Park.objects.get(name="南昌经开区零碳示范园")
        self.park = nanchang
        self.application = Application.objects.get(park=nanchang, status=ApplicationStatus.DRAFT)
        self.year = HISTORY_YEARS[-1]
        jiujiang = ConstructionProject.objects.get(park__name="九江经开区零碳园区")
        self.jiujiang = jiujiang
        due = jiujiang.annual_reports.filter(status=ReportStatus.DUE).order_by("year").first()
        self.report_year = (
            due.year if due is not None else jiujiang.annual_reports.order_by("year").first().year
        )
        self.order = RectificationOrder.objects.filter(project=jiujiang).first()
        self.xinyu = ConstructionProject.objects.get(park__name="新余高新区零碳示范园")
        self.evaluation = AcceptanceEvaluation.objects.first()
        self.scheme = Scheme.objects.order_by("code").values_list("code", flat=True).first() or ""
        self.attachment_kind = AttachmentKind.values[0]

    def json_endpoints(self) -> list[tuple[str, str, str]]:
        app, project = self.application.pk, self.jiujiang.pk
        endpoints = [
            ("park_nanchang", "PATCH", f"/api/v1/applications/{app}/"),
            ("park_nanchang", "PUT", f"/api/v1/applications/{app}/datasets/{self.year}/"),
            ("park_nanchang", "POST", f"/api/v1/applications/{app}/transitions/"),
            ("park_nanchang", "POST", "/api/v1/calculator/"),
            ("province_demo", "POST", "/api/v1/calls/"),
            ("province_demo", "POST", f"/api/v1/projects/{project}/orders/"),
            ("province_demo", "POST", f"/api/v1/projects/{project}/incentives/"),
            ("province_demo", "POST", "/api/v1/construction-lists/"),
            ("park_jiujiang", "PATCH", f"/api/v1/projects/{project}/reports/{self.report_year}/"),
            ("anonymous", "POST", "/api/v1/auth/token/"),
        ]
        if self.order is not None:
            endpoints.append(("park_jiujiang", "POST", f"/api/v1/orders/{self.order.pk}/transitions/"))
        if self.evaluation is not None:
            endpoints.append(("expert_demo", "POST", f"/api/v1/evaluations/{self.evaluation.pk}/review/"))
        return endpoints

    def dataset_endpoints(self) -> list[tuple[str, str, str]]:
        return [
            ("park_nanchang", "PUT", f"/api/v1/applications/{self.application.pk}/datasets/{self.year}/"),
            ("park_nanchang", "POST", "/api/v1/calculator/"),
        ]

    def bad_datasets(self) -> list[tuple[str, dict[str, Any]]]:
        """A valid dataset for the dossier's last year with one thing wrong each time."""
        base = sample_dataset(park_name=self.park.name, park_type=self.park.park_type, year=self.year)

        def changed(change: Any) -> dict[str, Any]:
            document = copy.deepcopy(base)
            change(document)
            return document

        def energy(key: str, value: Any) -> Any:
            return lambda d: d["energy"][0].__setitem__(key, value)

        return [
            ("negative quantity", changed(energy("quantity", "-500"))),
            ("non-numeric quantity", changed(energy("quantity", "five hundred"))),
            ("quantity as a float", changed(energy("quantity", 500.1))),
            ("quantity 1e400", changed(energy("quantity", "1e400"))),
            ("quantity NaN", changed(energy("quantity", "NaN"))),
            ("quantity Infinity", changed(energy("quantity", "Infinity"))),
            ("wrong unit (kWh for gas)", changed(energy("unit", "kWh"))),
            ("unknown unit", changed(energy("unit", "light-year"))),
            ("unknown carrier", changed(energy("carrier", "unobtainium"))),
            ("negative electricity", changed(lambda d: d["electricity_mwh"].__setitem__("grid", "-1"))),
            ("electricity as a list", changed(lambda d: d.__setitem__("electricity_mwh", [1, 2]))),
            ("another year", changed(lambda d: d.__setitem__("year", 1999))),
            ("no energy rows at all", changed(lambda d: d.pop("energy"))),
            (
                "10,000 energy rows of nonsense",
                changed(lambda d: d.__setitem__("energy", [{"carrier": "x"}] * 10_000)),
            ),
        ]

    def uploads(self) -> list[tuple[str, str, str, dict[str, str], str, bool]]:
        """(who, url, kind of endpoint, other fields, file field, whether the file is read) for every
        upload the portal takes; the demo's self-assessment is submitted, so its evidence is refused by
        state (still never a 500, never half-written)."""
        app, kind = self.application.pk, self.attachment_kind
        return [
            (
                "park_nanchang",
                f"/applications/{app}/attachments/",
                "document",
                {"kind": kind, "title": "探针"},
                "file",
                True,
            ),
            (
                "park_nanchang",
                f"/api/v1/applications/{app}/attachments/",
                "document",
                {"kind": kind},
                "file",
                True,
            ),
            ("park_nanchang", f"/applications/{app}/energy/{self.year}/", "workbook", {}, "file", True),
            (
                "park_jiujiang",
                f"/projects/{self.jiujiang.pk}/reports/{self.report_year}/",
                "workbook",
                {"action": "save", "narrative": "探针"},
                "file",
                True,
            ),
            (
                "park_nanchang",
                "/indicators/calculator/",
                "workbook",
                {"mode": "upload", "scheme": self.scheme},
                "file",
                True,
            ),
            (
                "province_demo",
                "/admin/parks/developmentzone/import/",
                "catalog",
                {"dry_run": "on"},
                "file",
                True,
            ),
            (
                "city_xinyu",
                f"/projects/{self.xinyu.pk}/self-assessment/",
                "document",
                {"action": "evidence"},
                "file",
                False,
            ),
            (
                "city_xinyu",
                f"/api/v1/projects/{self.xinyu.pk}/self-assessment/evidence/",
                "document",
                {},
                "file",
                False,
            ),
        ]

    def forms(self) -> list[tuple[str, str, dict[str, str]]]:
        """(who, page, extra fields) of every form the probe fills badly."""
        app = self.application.pk
        sections = [c for c in SectionCode.values if c not in ("energy", "emissions", "attachments")]
        found = [("park_nanchang", f"/applications/{app}/sections/{code}/", {}) for code in sections]
        found += [
            ("park_nanchang", f"/parks/{self.park.pk}/edit/", {}),
            ("park_nanchang", "/accounts/password/", {}),
            ("province_demo", "/parks/new/", {}),
            ("province_demo", "/users/new/", {}),
            ("province_demo", "/calls/new/", {}),
            ("province_demo", "/lists/new/", {}),
            ("province_demo", f"/projects/{self.jiujiang.pk}/orders/new/", {}),
            ("province_demo", f"/projects/{self.jiujiang.pk}/incentives/new/", {}),
            ("province_demo", "/indicators/factors/grid-factors/new/", {}),
            (
                "park_jiujiang",
                f"/projects/{self.jiujiang.pk}/reports/{self.report_year}/",
                {"action": "save"},
            ),
        ]
        if self.order is not None:
            found.append(("park_jiujiang", f"/orders/{self.order.pk}/", {}))
        return found
