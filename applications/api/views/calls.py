"""Calls API: the calls a user may see; the province drafts, opens and closes them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zcpark.core.api import READ_ERRORS_NO_404, WRITE_ERRORS

from ... import selectors, services
from ...models import Call
from ...permissions import can_manage_calls, can_view_calls
from ..serializers import CallCreateInputSerializer, CallOutputSerializer, CallTransitionInputSerializer


def _calls_visible_to(user: Any) -> QuerySet[Call]:
    if not can_view_calls(user):
        raise PermissionDenied
    return selectors.call_list_visible_to(user)


@extend_schema_view(get=extend_schema(responses={200: CallOutputSerializer(many=True), **READ_ERRORS_NO_404}))
class CallListApi(generics.ListAPIView):
    """Calls for applications, newest deadline first; the province drafts new ones."""

    # Names the model for the schema; get_queryset scopes every request.
    queryset = Call.objects.none()
    serializer_class = CallOutputSerializer

    def get_queryset(self) -> QuerySet[Call]:
        return _calls_visible_to(self.request.user)

    @extend_schema(request=CallCreateInputSerializer, responses={201: CallOutputSerializer, **WRITE_ERRORS})
    def post(self, request: Request) -> Response:
        if not can_manage_calls(request.user):
            raise PermissionDenied
        serializer = CallCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call = services.call_create(by=request.user, **serializer.validated_data)
        call = selectors.call_list().get(pk=call.pk)
        return Response(CallOutputSerializer(call).data, status=status.HTTP_201_CREATED)


class CallTransitionApi(APIView):
    """The province opens a draft call (deadline not passed) or closes an open one."""

    @extend_schema(
        request=CallTransitionInputSerializer, responses={200: CallOutputSerializer, **WRITE_ERRORS}
    )
    def post(self, request: Request, pk: int) -> Response:
        call = get_object_or_404(_calls_visible_to(request.user), pk=pk)
        serializer = CallTransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.call_transition(by=request.user, call=call, **serializer.validated_data)
        return Response(CallOutputSerializer(selectors.call_list().get(pk=pk)).data)
