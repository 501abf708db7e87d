"""Forms of the parks app: login, park profile and registration, user management."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from zcpark.core.forms import BootstrapFormMixin

from .geojson import parse_geojson, validate_boundary_geojson
from .models import City, DevelopmentZone, Park, Role, User


class PortalAuthenticationForm(BootstrapFormMixin, AuthenticationForm):
    pass


class GeoJSONField(forms.CharField):
    """A textarea holding GeoJSON text, cleaned to a validated Polygon/MultiPolygon dict (or None)."""

    widget = forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "font-monospace"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return value

    def to_python(self, value: Any) -> Any:
        geometry = parse_geojson(super().to_python(value))
        validate_boundary_geojson(geometry)
        return geometry


class ParkProfileForm(BootstrapFormMixin, forms.ModelForm):
    """What a park's own staff may change."""

    boundary_geojson = GeoJSONField(
        label=_("Boundary polygon (GeoJSON)"),
        required=False,
        help_text=_("Optional: paste a GeoJSON Polygon or MultiPolygon (WGS 84 longitude, latitude)."),
    )

    class Meta:
        model = Park
        fields = [
            "managing_body",
            "boundary_text",
            "boundary_geojson",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        widgets = {"boundary_text": forms.Textarea(attrs={"rows": 3})}


class ParkForm(ParkProfileForm):
    """Everything about a park: the province registers and corrects parks."""

    zone = forms.ModelChoiceField(
        label=_("Development zone"), queryset=DevelopmentZone.objects.select_related("city")
    )

    class Meta(ParkProfileForm.Meta):
        fields = ["name", "zone", "scope", "park_type", *ParkProfileForm.Meta.fields]


class UserForm(BootstrapFormMixin, forms.ModelForm):
    """A portal account's details, role and scope (province admins only)."""

    park = forms.ModelChoiceField(
        label=_("Park"),
        required=False,
        queryset=Park.objects.with_places(),
        help_text=_("Required for park staff."),
    )
    city = forms.ModelChoiceField(
        label=_("City"),
        required=False,
        queryset=City.objects.all(),
        help_text=_("Required for city reviewers."),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "organisation",
            "affiliation_city",
            "role",
            "park",
            "city",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role = data.get("role")
        if role == Role.PARK_STAFF and not data.get("park"):
            self.add_error("park", _("Park staff must be bound to a park."))
        if role == Role.CITY_REVIEWER and not data.get("city"):
            self.add_error("city", _("City reviewers must be bound to a city."))
        # Drop a binding the role does not use, rather than failing on a leftover selection.
        if role != Role.PARK_STAFF:
            data["park"] = None
        if role != Role.CITY_REVIEWER:
            data["city"] = None
        if role != Role.EXPERT:
            data["affiliation_city"] = None
        return data


class UserCreateForm(UserForm):
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        help_text=_("At least 10 characters, not only digits; the user can change it after signing in."),
    )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password, User(username=self.cleaned_data.get("username", "")))
        return password


class UserEditForm(UserForm):
    class Meta(UserForm.Meta):
        fields = [f for f in UserForm.Meta.fields if f != "username"]


class SetPasswordForm(BootstrapFormMixin, forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False)


class PortalPasswordChangeForm(BootstrapFormMixin, PasswordChangeForm):
    pass
