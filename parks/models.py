"""The places of the program (cities, the development-zone catalog, parks) and its people."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zcpark.core.models import BaseModel

from .geojson import validate_boundary_geojson
from .integration import IntegrationAccountStatus, MachineScope


class Role(models.TextChoices):
    PARK_STAFF = "park_staff", _("Park staff")
    CITY_REVIEWER = "city_reviewer", _("City DRC reviewer")
    PROVINCE_ADMIN = "province_admin", _("Provincial DRC")
    EXPERT = "expert", _("Review expert")
    OBSERVER = "observer", _("Observer")


class Province(BaseModel):
    """The province whose program the portal runs (one per deployment): its names, the authority that
    runs the program, its map extent, its indicator scheme and its program goals. Reference data, loaded
    from ``fixtures/provinces/<name>/province.json`` (settings.PROVINCE_DIR) by load_reference_data."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=32)
    name_en = models.CharField(_("name (English)"), max_length=64)
    authority = models.CharField(_("authority"), max_length=64)
    authority_en = models.CharField(_("authority (English)"), max_length=128)
    portal_title = models.CharField(_("portal title"), max_length=64)
    portal_title_en = models.CharField(_("portal title (English)"), max_length=128)
    scheme_code = models.CharField(_("indicator scheme"), max_length=64)
    # {"lon": [min, max], "lat": [min, max]} in WGS 84 degrees, as text: a boundary outside is refused.
    bounds = models.JSONField(_("map extent"))
    # {"plan", "plan_en", "first_year", "last_year", "under_construction", "accepted_min", "accepted_max"}
    goals = models.JSONField(_("program goals"))

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{2}0000$"), name="province_code")
        ]

    def __str__(self) -> str:
        return self.label

    def _localised(self, field: str) -> str:
        return self.localised(getattr(self, field), getattr(self, f"{field}_en"))

    @staticmethod
    def localised(chinese: Any, english: Any) -> str:
        """The province's own text (not in the translation catalogue) in the active language."""
        return str(english if (get_language() or "zh-hans").startswith("en") else chinese)

    @property
    def plan_label(self) -> str:
        """The name of the plan period its goals belong to (“十五五”时期 · 15th Five-Year Plan)."""
        return self.localised(self.goals["plan"], self.goals["plan_en"])

    @property
    def label(self) -> str:
        """The province's name in the active language."""
        return self._localised("name")

    @property
    def authority_label(self) -> str:
        return self._localised("authority")

    @property
    def title(self) -> str:
        return self._localised("portal_title")


class City(BaseModel):
    """One of the province's 设区市, keyed by its GB/T 2260 code (its first two digits are the province's)."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="cities"
    )
    code = models.CharField(_("code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=32, unique=True)
    plate = models.CharField(_("plate prefix"), max_length=4, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{6}$"), name="city_code_gb2260")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.province_id and self.code[:2] != self.province.code[:2]:
            raise ValidationError(
                {
                    "code": [
                        _("%(code)s is not the code of a city in %(province)s.")
                        % {"code": self.code, "province": self.province}
                    ]
                }
            )


class ZoneLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")


class ZoneKind(models.TextChoices):
    ETDZ = "etdz", _("Economic and technological development zone")
    HITECH = "hitech", _("High-tech industrial development zone")
    BONDED = "bonded", _("Comprehensive bonded zone")
    OTHER = "other", _("Other")


class DevelopmentZone(BaseModel):
    """An entry of the development-zone catalog (开发区审核公告目录); only these may apply."""

    name = models.CharField(_("name"), max_length=128, unique=True)
    city = models.ForeignKey(City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="zones")
    level = models.CharField(_("level"), max_length=16, choices=ZoneLevel.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=ZoneKind.choices)
    catalog_code = models.CharField(_("catalog code"), max_length=32, blank=True)

    class Meta:
        ordering = ["city__code", "name"]
        verbose_name = _("development zone")
        verbose_name_plural = _("development zones")
        constraints = [
            models.UniqueConstraint(
                fields=["catalog_code"], condition=~Q(catalog_code=""), name="zone_catalog_code_unique"
            ),
            models.CheckConstraint(condition=Q(level__in=ZoneLevel.values), name="zone_level_valid"),
            models.CheckConstraint(condition=Q(kind__in=ZoneKind.values), name="zone_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class ParkScope(models.TextChoices):
    WHOLE = "whole", _("Whole park")
    PARK_IN_PARK = "park_in_park", _("Park within a park")


class ParkType(models.TextChoices):
    CHEMICAL = "chemical", _("Chemical park")
    NON_CHEMICAL = "non_chemical", _("Non-chemical park")


class ParkQuerySet(models.QuerySet["Park"]):
    def with_places(self) -> ParkQuerySet:
        return self.select_related("zone", "zone__city")

    def in_city(self, city_id: int) -> ParkQuerySet:
        return self.filter(zone__city_id=city_id)


class Park(BaseModel):
    """A zero-carbon park: a whole development zone, or a 园中园 with a 四至 boundary inside one."""

    name = models.CharField(_("name"), max_length=128, unique=True)
    zone = models.ForeignKey(
        DevelopmentZone, verbose_name=_("development zone"), on_delete=models.PROTECT, related_name="parks"
    )
    scope = models.CharField(_("scope"), max_length=16, choices=ParkScope.choices, default=ParkScope.WHOLE)
    boundary_text = models.TextField(
        _("boundary (four borders)"),
        blank=True,
        help_text=_("East, south, west and north borders; required for a park within a park."),
    )
    boundary_geojson = models.JSONField(
        _("boundary polygon (GeoJSON)"),
        null=True,
        blank=True,
        validators=[validate_boundary_geojson],
        help_text=_("Optional: a GeoJSON Polygon or MultiPolygon in WGS 84 longitude/latitude."),
    )
    park_type = models.CharField(_("park type"), max_length=16, choices=ParkType.choices)
    managing_body = models.CharField(_("managing body"), max_length=128)
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    objects = ParkQuerySet.as_manager()

    class Meta:
        ordering = ["zone__city__code", "name"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        constraints = [
            models.CheckConstraint(
                condition=~Q(scope=ParkScope.PARK_IN_PARK) | ~Q(boundary_text=""),
                name="park_in_park_needs_boundary",
                violation_error_message=_("A park within a park needs its four borders."),
            ),
            models.UniqueConstraint(
                fields=["zone"],
                condition=Q(scope=ParkScope.WHOLE),
                name="one_whole_park_per_zone",
                violation_error_message=_("This development zone already has a whole-park application unit."),
            ),
            models.CheckConstraint(condition=Q(scope__in=ParkScope.values), name="park_scope_valid"),
            models.CheckConstraint(condition=Q(park_type__in=ParkType.values), name="park_type_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class PortalUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ):
        extra.setdefault("role", Role.PROVINCE_ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A portal user: one role, and the park or city it is bound to when the role needs one."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.OBSERVER)
    park = models.ForeignKey(
        Park, verbose_name=_("park"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewers",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    organisation = models.CharField(_("organisation"), max_length=128, blank=True)
    # A review expert's city (of its organisation): an expert from a park's city is flagged when assigned.
    affiliation_city = models.ForeignKey(
        City,
        verbose_name=_("affiliation city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affiliated_experts",
        help_text=_("For review experts: the city of their organisation (a park there is a conflict)."),
    )
    # The service account of an integration account (a park's 能碳平台): it acts only through its key,
    # never signs in to the web, and pages name it as the platform, not as a person.
    is_machine = models.BooleanField(_("integration platform"), default=False, editable=False)

    objects = PortalUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(role=Role.PARK_STAFF) & Q(park__isnull=False) & Q(city__isnull=True))
                    | (Q(role=Role.CITY_REVIEWER) & Q(city__isnull=False) & Q(park__isnull=True))
                    | (
                        Q(role__in=[Role.PROVINCE_ADMIN, Role.EXPERT, Role.OBSERVER])
                        & Q(park__isnull=True)
                        & Q(city__isnull=True)
                    )
                ),
                name="user_scope_matches_role",
                violation_error_message=_(
                    "Park staff need a park, city reviewers a city, and the other roles neither."
                ),
            ),
        ]

    def __str__(self) -> str:
        if self.is_machine:
            return f"{_('Energy-carbon platform')} {self.first_name}"
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    @property
    def scope_label(self) -> str:
        """The role and what it is bound to, as shown in the header."""
        if self.role == Role.PARK_STAFF and self.park_id:
            return f"{self.get_role_display()} · {self.park}"
        if self.role == Role.CITY_REVIEWER and self.city_id:
            return f"{self.get_role_display()} · {self.city}"
        return str(self.get_role_display())


class IntegrationAccountQuerySet(models.QuerySet["IntegrationAccount"]):
    def live(self) -> IntegrationAccountQuerySet:
        from django.utils import timezone

        return self.filter(status=IntegrationAccountStatus.ACTIVE, expires_at__gt=timezone.now())


class IntegrationAccount(BaseModel):
    """A machine credential of a park's 能碳平台 (``park`` empty: one of the province's own platforms).

    Only the SHA-256 digest of its key is stored (``parks.integration``); the key is shown once. Its
    requests act as its own service ``user`` (park staff of its park, or the province), so everything
    they write is audited as the platform.
    """

    name = models.CharField(_("name"), max_length=64)
    park = models.ForeignKey(
        Park,
        verbose_name=_("park"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="integration_accounts",
        help_text=_("Empty for a platform of the province."),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    # Changed only by the machine ``integration_account`` (parks.integration_workflow): active → revoked.
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=IntegrationAccountStatus.choices,
        default=IntegrationAccountStatus.ACTIVE,
        editable=False,
    )
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True)
    key_digest = models.CharField(_("key digest"), max_length=64)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "User",
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "User", verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.OneToOneField(
        "User",
        verbose_name=_("service account"),
        on_delete=models.PROTECT,
        related_name="integration_account",
    )

    objects = IntegrationAccountQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("integration account")
        verbose_name_plural = _("integration accounts")

    @staticmethod
    def service_role(park_id: int | None) -> str:
        """The role of an account's service user: park staff of its park, or the province's (a platform of the
        province). Anything else means the user was changed after its creation: its key is refused."""
        return Role.PARK_STAFF if park_id is not None else Role.PROVINCE_ADMIN

    def __str__(self) -> str:
        return f"{_('Energy-carbon platform')} {self.name}"

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(MachineScope.choices)
        return [str(labels[scope]) for scope in self.scopes if scope in labels]

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def expired(self) -> bool:
        from django.utils import timezone

        return self.expires_at <= timezone.now()

    @property
    def status_label(self) -> str:
        """The state, and for an active account whether its time has run out (expiry is not a state)."""
        if self.status == IntegrationAccountStatus.ACTIVE and self.expired:
            return str(_("Expired"))
        return str(self.get_status_display())
