"""Parks API: the scoped list and detail (API tokens: token_views)."""

from __future__ import annotations

import django_filters
from rest_framework import generics

from ..models import Park, ParkScope, ParkType
from ..selectors import park_get_visible_to, park_list_visible_to
from .serializers import ParkOutputSerializer


class ParkFilter(django_filters.FilterSet):
    city = django_filters.CharFilter(field_name="zone__city__code", label="city code (GB/T 2260)")
    park_type = django_filters.ChoiceFilter(choices=ParkType.choices)
    scope = django_filters.ChoiceFilter(choices=ParkScope.choices)
    zone = django_filters.NumberFilter(field_name="zone_id")

    class Meta:
        model = Park
        fields = ["city", "park_type", "scope", "zone"]


class ParkListApi(generics.ListAPIView):
    """Parks the caller may see (its park, its city's parks, or all)."""

    serializer_class = ParkOutputSerializer
    filterset_class = ParkFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return park_list_visible_to(user=self.request.user)


class ParkDetailApi(generics.RetrieveAPIView):
    """One park; 404 when it is outside the caller's scope."""

    serializer_class = ParkOutputSerializer

    def get_object(self) -> Park:
        return park_get_visible_to(user=self.request.user, pk=self.kwargs["pk"])
